// What a seized server surrenders. 1,000 distinct strings (Cyrillic and Latin) are planted through the API
// as accounts' contact details, and 200 people (pseudonyms, legal names in both alphabets, phones, notes,
// consent notes, sensitive circumstances) are recorded by a coordinator, through the API and a CSV import,
// 40 of them with a legal case (step notes), counselling notes and a request for help; 20 events (sealed
// titles) each with a visitor (sealed first name) checked in by QR code; and the emergency network's 1,000
// members (roster values), a real activation and a drill, with 50 answers each; a report for a funder; a legal-aid fund (a prisoner's
// name) with 50 donors kept by name and 50 payees; prisoners named in two alphabets, an institution, writers' pen
// names, their letters and the replies;
// a backup is made, the server is stopped, and every file it wrote — database, WAL, SHM, backup, logs, temp
// files, and for PostgreSQL the cluster's own files — is searched for each string and its romanisation:
// none may be found. Then they are deleted, the database checkpointed, and searched again.
// Erased people: their sealed data key must be gone from every file (SQLite; see docs/SECURITY.md for
// PostgreSQL's limit).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <unordered_map>

#include "core/log.hpp"
#include "crypto/random.hpp"
#include "crypto/totp.hpp"
#include "emergency/wire.hpp"
#include "storage/db.hpp"
#include "support/engines.hpp"
#include "support/haven_process.hpp"
#include "support/http_client.hpp"

namespace haven {
namespace {

namespace fs = std::filesystem;

// Cyrillic to BGN-style Latin, enough to also look for the romanised form of what was planted.
std::string romanise(const std::string& s) {
    static const std::unordered_map<std::string, std::string> m = {
        {"а", "a"}, {"б", "b"},  {"в", "v"},  {"г", "g"},  {"д", "d"},    {"е", "e"},  {"ж", "zh"}, {"з", "z"},    {"и", "i"},
        {"й", "y"}, {"к", "k"},  {"л", "l"},  {"м", "m"},  {"н", "n"},    {"о", "o"},  {"п", "p"},  {"р", "r"},    {"с", "s"},
        {"т", "t"}, {"у", "u"},  {"ф", "f"},  {"х", "kh"}, {"ц", "ts"},   {"ч", "ch"}, {"ш", "sh"}, {"щ", "shch"}, {"ы", "y"},
        {"э", "e"}, {"ю", "yu"}, {"я", "ya"}, {"Ж", "Zh"}, {"Щ", "Shch"}, {" ", " "}};
    std::string out;
    for (size_t i = 0; i < s.size();) {
        size_t len = (static_cast<unsigned char>(s[i]) >= 0xC0) ? 2 : 1;
        auto it = m.find(s.substr(i, len));
        out += it != m.end() ? it->second : s.substr(i, len);
        i += len;
    }
    return out;
}

struct Needles {
    std::vector<std::string> all;
    std::unordered_map<std::string_view, std::vector<const std::string*>> by_prefix;  // first 6 bytes
    void index() {
        for (const auto& n : all) by_prefix[std::string_view(n).substr(0, 6)].push_back(&n);
    }
    // Strings of `all` found in `data`.
    int count_in(const std::string& data, std::vector<std::string>* found) const {
        int hits = 0;
        for (size_t i = 0; i + 6 <= data.size(); ++i) {
            auto it = by_prefix.find(std::string_view(data).substr(i, 6));
            if (it == by_prefix.end()) continue;
            for (const auto* n : it->second)
                if (data.compare(i, n->size(), *n) == 0) {
                    ++hits;
                    if (found && found->size() < 5) found->push_back(*n);
                }
        }
        return hits;
    }
};

int search_tree(const std::string& root, const Needles& needles, std::vector<std::string>* found, int* files) {
    int hits = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec || !it->is_regular_file(ec)) continue;
        std::ifstream in(it->path(), std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        hits += needles.count_in(ss.str(), found);
        ++*files;
    }
    return hits;
}

class Seizure : public ::testing::TestWithParam<std::string> {};

TEST_P(Seizure, AStoppedServerHoldsNoPlantedString) {
    const std::string dir = testing::temp_dir("haven-seizure");
    std::string url;
    testing::fresh_database(GetParam(), dir, url);
    if (url.empty()) return;
    const std::string bin = HAVEN_BINARY, pass = dir + "/unseal-passphrase";
    auto run = [&](const std::string& args) {
        std::string out;
        FILE* p = popen((bin + " " + args + " --data " + dir + " --db '" + url + "' --passphrase-file " + pass + " 2>&1").c_str(), "r");
        char buf[512];
        while (fgets(buf, sizeof buf, p)) out += buf;
        EXPECT_EQ(pclose(p), 0) << args << ": " << out;
        return out;
    };
    run("init");
    run("site add --name Paris --city Paris --country France --time-zone Europe/Paris");
    fs::create_directories(dir + "/tmp");

    // The server, with its log and temp files in the data directory so they are searched too.
    auto server = testing::start_haven({"--data", dir, "--db", url, "--passphrase-file", pass, "--secure-cookies", "false", "--log-level", "debug"},
                                       dir + "/server.log", dir + "/tmp");
    const pid_t pid = server.pid;
    const uint16_t port = server.port;
    ASSERT_GT(port, 0) << "see " << dir << "/server.log";

    // Ten volunteers enrol and sign in through the pages and the API.
    const std::string csrf = "c" + std::string(42, 'x');
    std::vector<std::string> sessions;
    for (int i = 0; i < 10; ++i) {
        std::string link = run("user add --name vol" + std::to_string(i) + " --role volunteer --site Paris");
        std::string token = link.substr(link.find("/enrol/") + 7);
        token = token.substr(0, token.find_first_of("\r\n"));
        auto enrol = testing::request(port, "POST", "/enrol/" + token, "_csrf=" + csrf + "&password=quiet+river+lantern+7",
                                      "Content-Type: application/x-www-form-urlencoded\r\nCookie: haven_csrf=" + csrf + "\r\n");
        ASSERT_EQ(enrol.status, 200) << enrol.body.substr(0, 300);
        auto login = testing::request(port, "POST", "/api/v1/auth/login",
                                      R"({"username":"vol)" + std::to_string(i) + R"(","password":"quiet river lantern 7"})",
                                      "Content-Type: application/json\r\n");
        ASSERT_EQ(login.status, 200) << login.body;
        std::string cookie = login.headers.substr(login.headers.find("haven_session=") + 14);
        sessions.push_back(cookie.substr(0, cookie.find(';')));
    }

    // 1,000 strings: 500 Cyrillic names and 500 Latin e-mail addresses, each unique.
    std::mt19937 rng(20261126);
    const std::vector<std::string> cyr = {"ж", "щ", "ю", "я", "ф", "ц", "ш", "э", "б", "ы", "л", "д"};
    Needles needles;
    for (int n = 0; n < 500; ++n) {
        std::string name = "Жемчужная ", mail = "zephyrine.";
        for (int k = 0; k < 6; ++k) name += cyr[rng() % cyr.size()];
        for (int k = 0; k < 6; ++k) mail += char('a' + rng() % 26);
        name += std::to_string(n);
        mail += std::to_string(n) + "@example.org";
        needles.all.push_back(name);
        needles.all.push_back(mail);
        needles.all.push_back(romanise(name));
        std::string body = "{\"real_name\":";
        log::append_json_string(body, name);
        body += ",\"email\":";
        log::append_json_string(body, mail);
        body += ",\"phone\":\"+33 6 00 00 " + std::to_string(1000 + n) + "\"}";
        const std::string& s = sessions[size_t(n) % sessions.size()];
        auto r = testing::request(
            port, "POST", "/api/v1/me/contact", body,
            "Content-Type: application/json\r\nCookie: haven_session=" + s + "; haven_csrf=" + csrf + "\r\nX-CSRF-Token: " + csrf + "\r\n");
        ASSERT_EQ(r.status, 200) << r.body;
        auto back = testing::request(port, "GET", "/api/v1/me/contact", "", "Cookie: haven_session=" + s + "\r\n");
        ASSERT_NE(back.body.find(mail), std::string::npos) << "the API gives the value back to its owner";
    }
    // Staff with a second factor enrol (password, TOTP, then sign in with a recovery code).
    auto enrol_staff = [&](const std::string& name, const std::string& role) {
        const std::string session =
            testing::enrol_and_sign_in(port, run("user add --name " + name + " --role " + role + " --site Paris"), name, csrf);
        EXPECT_FALSE(session.empty()) << name << " could not enrol and sign in";
        return session;
    };
    // A coordinator records 200 people.
    const std::string coordinator = enrol_staff("coord", "coordinator");
    ASSERT_FALSE(coordinator.empty());
    const std::string as_coordinator =
        "Content-Type: application/json\r\nCookie: haven_session=" + coordinator + "; haven_csrf=" + csrf + "\r\nX-CSRF-Token: " + csrf + "\r\n";
    std::vector<int64_t> person_ids;
    std::string sheet = "Pseudonym;ФИО;Name (passport);Phone;Notes\r\n";
    for (int n = 0; n < 200; ++n) {
        std::string pseudonym = "Quillfeather" + std::to_string(n), surname = "Щукарёва";
        for (int k = 0; k < 5; ++k) surname += cyr[rng() % cyr.size()];
        surname += std::to_string(n);
        const std::string latin = romanise(surname), phone = "+33 7 55 " + std::to_string(100000 + n),
                          note = "Crossed at Verkhny Lars with papers of Ivolgina" + std::to_string(n);
        for (const auto& v : {pseudonym, surname, latin, phone, note}) needles.all.push_back(v);
        if (n % 2 == 0) {
            std::string body = "{\"pseudonym\":";
            log::append_json_string(body, pseudonym);
            body += ",\"legal_names\":[";
            log::append_json_string(body, surname);
            body += ",";
            log::append_json_string(body, latin);
            body += "],\"phone\":";
            log::append_json_string(body, phone);
            body += ",\"notes\":";
            log::append_json_string(body, note);
            body += ",\"circumstances\":[\"deserter\",\"lgbt\"]}";
            auto r = testing::request(port, "POST", "/api/v1/people", body, as_coordinator);
            ASSERT_EQ(r.status, 201) << r.body;
            const int64_t id = std::stoll(r.body.substr(r.body.find("\"id\":") + 5));
            person_ids.push_back(id);
            std::string consent = "{\"purposes\":[\"data_processing\"],\"note\":";
            const std::string consent_note = "agreed before witness Tsvetaeva" + std::to_string(n);
            needles.all.push_back(consent_note);
            log::append_json_string(consent, consent_note);
            consent += "}";
            ASSERT_EQ(testing::request(port, "POST", "/api/v1/people/" + std::to_string(id) + "/consents", consent, as_coordinator).status, 201);
        } else {
            sheet += pseudonym + ";" + surname + ";" + latin + ";" + phone + ";\"" + note + "\"\r\n";
        }
    }
    auto sites = testing::request(port, "GET", "/api/v1/sites", "", "Cookie: haven_session=" + coordinator + "\r\n");
    const size_t id_at = sites.body.find("\"id\":") + 5;
    const std::string site = sites.body.substr(id_at, sites.body.find(',', id_at) - id_at);
    auto imported = testing::request(
        port, "POST", "/api/v1/sites/" + site + "/people/import", sheet,
        "Content-Type: text/csv\r\nCookie: haven_session=" + coordinator + "; haven_csrf=" + csrf + "\r\nX-CSRF-Token: " + csrf + "\r\n");
    ASSERT_EQ(imported.status, 201) << imported.body.substr(0, 300);
    // Searching and reading work (the values exist, sealed), and leave nothing in the log.
    auto found = testing::request(port, "GET", "/api/v1/people?q=Quillfeather10", "", "Cookie: haven_session=" + coordinator + "\r\n");
    ASSERT_NE(found.body.find("Quillfeather10\""), std::string::npos) << found.body.substr(0, 300);

    // Erase ten people; keep their sealed keys to look for after the server stops.
    Needles erased_keys;
    for (int i = 0; i < 10; ++i) {
        auto key = storage::open_database(url, {1})->query("SELECT person_key FROM people WHERE id = $1", {person_ids[size_t(i)]});
        ASSERT_EQ(key.size(), 1u);
        erased_keys.all.emplace_back(key[0].blob(0).bytes.begin(), key[0].blob(0).bytes.end());
        ASSERT_EQ(testing::request(port, "DELETE", "/api/v1/people/" + std::to_string(person_ids[size_t(i)]), "", as_coordinator).status, 200);
    }
    erased_keys.index();

    // Casework for 40 of the people: a legal case with a step note, a counsellor's note, a request for help.
    const std::string counsellor = enrol_staff("couns", "counsellor");
    ASSERT_FALSE(counsellor.empty());
    auto me = testing::request(port, "GET", "/api/v1/me", "", "Cookie: haven_session=" + counsellor + "\r\n");
    const std::string counsellor_id =
        me.body.substr(me.body.find("\"id\":") + 5, me.body.find(',', me.body.find("\"id\":")) - me.body.find("\"id\":") - 5);
    const std::string as_counsellor =
        "Content-Type: application/json\r\nCookie: haven_session=" + counsellor + "; haven_csrf=" + csrf + "\r\nX-CSRF-Token: " + csrf + "\r\n";
    auto id_in = [](const std::string& body, const char* key) {
        const std::string k = std::string("\"") + key + "\":";
        return body.substr(body.find(k) + k.size(), body.find_first_of(",}", body.find(k)) - body.find(k) - k.size());
    };
    for (size_t i = 10; i < 50; ++i) {
        const std::string person = "/api/v1/people/" + std::to_string(person_ids[i]);
        const std::string step_note = "Appeal drafted with Maitre Orlovskaya" + std::to_string(i),
                          counselling_note = "Nightmares about the Lefortovo cell, Zhuravleva" + std::to_string(i),
                          what = "Accompany to the Cimade office with Belozerskaya" + std::to_string(i);
        for (const auto& v : {step_note, counselling_note, what}) needles.all.push_back(v);
        auto kase = testing::request(port, "POST", person + "/cases", R"({"template_id":1})", as_coordinator);
        ASSERT_EQ(kase.status, 201) << kase.body;
        const std::string case_url = "/api/v1/cases/" + id_in(kase.body, "id");
        auto read = testing::request(port, "GET", case_url, "", "Cookie: haven_session=" + coordinator + "\r\n");
        const std::string step = id_in(read.body.substr(read.body.find("\"steps\"")), "id");
        ASSERT_EQ(testing::request(port, "POST", case_url + "/steps/" + step, R"({"done":true,"note":")" + step_note + "\"}", as_coordinator).status,
                  200);
        auto compartment = testing::request(port, "POST", person + "/counselling", R"({"counsellor_id":)" + counsellor_id + "}", as_coordinator);
        ASSERT_EQ(compartment.status, 201) << compartment.body;
        ASSERT_EQ(testing::request(port, "POST", "/api/v1/counselling/" + id_in(compartment.body, "compartment_id") + "/notes",
                                   R"({"text":")" + counselling_note + "\"}", as_counsellor)
                      .status,
                  201);
        ASSERT_EQ(testing::request(port, "POST", person + "/requests", R"({"what":")" + what + R"(","language":"ru","fields":["pseudonym","phone"]})",
                                   as_coordinator)
                      .status,
                  201);
    }

    // Events: 20 titles (a gathering's name tells who meets where) and 20 visitors' first names, each checked in by
    // the code of their QR ticket.
    for (int i = 0; i < 20; ++i) {
        const std::string title = "Evening of the Pchelkina circle" + std::to_string(i), visitor = "Zlatoslava" + std::to_string(i);
        needles.all.push_back(title);
        needles.all.push_back(visitor);
        auto event = testing::request(port, "POST", "/api/v1/events",
                                      R"({"site_id":)" + site + R"(,"title":")" + title +
                                          R"(","start":"2030-01-10T19:00:00+01:00","end":"2030-01-10T22:00:00+01:00","capacity":5})",
                                      as_coordinator);
        ASSERT_EQ(event.status, 201) << event.body;
        const std::string base = "/api/v1/events/" + id_in(event.body, "id");
        auto guest = testing::request(port, "POST", base + "/registrations", R"({"first_name":")" + visitor + "\"}", as_coordinator);
        ASSERT_EQ(guest.status, 201) << guest.body;
        const size_t code_at = guest.body.find("\"code\":\"") + 8;
        const std::string code = guest.body.substr(code_at, guest.body.find('"', code_at) - code_at);
        ASSERT_EQ(testing::request(port, "POST", base + "/check-in", R"({"code":")" + code + "\"}", as_coordinator).status, 200);
    }

    // Legal-aid funds: fund names (a prisoner's), donors kept by name and payees, 50 of each.
    {
        const std::string support = enrol_staff("support", "prisoner_support");
        ASSERT_FALSE(support.empty());
        const std::string as_support =
            "Cookie: haven_session=" + support + "; haven_csrf=" + csrf + "\r\nX-CSRF-Token: " + csrf + "\r\nContent-Type: application/json\r\n";
        const std::string fund_name = "Zashchita Dobrolyubovoy";
        needles.all.push_back(fund_name);
        auto fund = testing::request(port, "POST", "/api/v1/sites/" + site + "/funds",
                                     R"({"name":")" + fund_name + R"(","currency":"EUR","goal_minor":900000})", as_support);
        ASSERT_EQ(fund.status, 201) << fund.body;
        const std::string base = "/api/v1/funds/" + id_in(fund.body, "id");
        for (int i = 0; i < 50; ++i) {
            const std::string donor = "Donatella Skvortsova" + std::to_string(i), payee = "Advokatskoe byuro Gorbunkov" + std::to_string(i);
            needles.all.push_back(donor);
            needles.all.push_back(payee);
            auto d = testing::request(
                port, "POST", base + "/donations",
                R"({"amount_minor":10000,"currency":"EUR","channel":"bank_transfer","value_date":"2026-11-01","donor":")" + donor + "\"}",
                as_support);
            ASSERT_EQ(d.status, 201) << d.body;
            auto p = testing::request(port, "POST", base + "/disbursements",
                                      R"({"amount_minor":5000,"currency":"EUR","risk":"medium","value_date":"2026-11-02","payee":")" + payee + "\"}",
                                      as_support);
            ASSERT_EQ(p.status, 201) << p.body;
        }

        // Prisoner support's registry and letters: an institution, 10 prisoners named in two alphabets, 5 writers'
        // pen names, 10 letters' texts and their replies.
        const std::string inst_name = "Kolonia Zheltovodskaya", inst_address = "Ulitsa Kandalakshskaya 17";
        needles.all.push_back(inst_name);
        needles.all.push_back(inst_address);
        auto inst = testing::request(port, "POST", "/api/v1/sites/" + site + "/institutions",
                                     R"({"kind":"colony","name":")" + inst_name + R"(","address":")" + inst_address + "\"}", as_support);
        ASSERT_EQ(inst.status, 201) << inst.body;
        for (int i = 0; i < 10; ++i) {
            const std::string latin = "Feoktist Zavarzin" + std::to_string(i), cyrillic = "Феоктист Заварзин" + std::to_string(i);
            needles.all.push_back(latin);
            needles.all.push_back(cyrillic);
            auto pr = testing::request(port, "POST", "/api/v1/sites/" + site + "/prisoners", R"({"names":[")" + cyrillic + R"(",")" + latin + "\"]}",
                                       as_support);
            ASSERT_EQ(pr.status, 201) << pr.body;
            ASSERT_EQ(testing::request(port, "POST", "/api/v1/prisoners/" + id_in(pr.body, "id") + "/transfer",
                                       R"({"institution_id":)" + id_in(inst.body, "id") + "}", as_support)
                          .status,
                      204);
        }
        for (int w = 0; w < 5; ++w) {
            const std::string writer = enrol_staff("writer" + std::to_string(w), "writer");
            ASSERT_FALSE(writer.empty());
            const std::string as_writer =
                "Cookie: haven_session=" + writer + "; haven_csrf=" + csrf + "\r\nX-CSRF-Token: " + csrf + "\r\nContent-Type: application/json\r\n";
            const std::string pen = "Pero Lastochkina" + std::to_string(w);
            needles.all.push_back(pen);
            ASSERT_EQ(testing::request(port, "PUT", "/api/v1/sites/" + site + "/writer", R"({"pen_name":")" + pen + "\"}", as_writer).status, 204);
            for (int k = 0; k < 2; ++k) {
                auto letter = testing::request(port, "POST", "/api/v1/sites/" + site + "/letters/ask", "", as_writer);
                ASSERT_EQ(letter.status, 201) << letter.body;
                const std::string url = "/api/v1/letters/" + id_in(letter.body, "id");
                const std::string text = "Pismo o vesne v Kandalakshe" + std::to_string(w * 10 + k),
                                  reply = "Otvet iz Zheltyh Vod" + std::to_string(w * 10 + k);
                needles.all.push_back(text);
                needles.all.push_back(reply);
                ASSERT_EQ(testing::request(port, "PUT", url, R"({"body":")" + text + "\"}", as_writer).status, 200);
                ASSERT_EQ(testing::request(port, "POST", url + "/hand-in", "", as_writer).status, 204);
                ASSERT_EQ(testing::request(port, "POST", url + "/send", R"({"channel":"post"})", as_support).status, 204);
                ASSERT_EQ(testing::request(port, "POST", url + "/replies", R"({"text":")" + reply + "\"}", as_support).status, 204);
            }
        }
    }

    // A report for a funder, prepared and released: its title (which can name the funder and the centre's work)
    // and its counts are sealed; the release log holds nothing readable.
    {
        const std::string editor = enrol_staff("editor", "report_editor"), admin = enrol_staff("approver", "administrator");
        ASSERT_FALSE(editor.empty() || admin.empty());
        auto as = [&](const std::string& session) {
            return "Cookie: haven_session=" + session + "; haven_csrf=" + csrf + "\r\nX-CSRF-Token: " + csrf +
                   "\r\nContent-Type: application/json\r\n";
        };
        const std::string title = "Otchet dlya Fonda Rozhdestvenskogo";
        needles.all.push_back(title);
        auto report = testing::request(port, "POST", "/api/v1/reports",
                                       R"({"title":")" + title + R"(","sites":[)" + site +
                                           R"(],"from":"2026-01","to":"2026-06","grain":"quarter",)"
                                           R"("indicators":["people_new","letters_sent","donations"]})",
                                       as(editor));
        ASSERT_EQ(report.status, 201) << report.body;
        ASSERT_EQ(testing::request(port, "POST", "/api/v1/reports/" + id_in(report.body, "id") + "/release", "", as(admin)).status, 200);
    }

    // The emergency network: 1,000 members enrolled by their devices; the operators' roster (pseudonyms, regions,
    // skills, e-mail addresses) sealed on the operator's side; a real activation and a drill wrapped for all of
    // them; 50 members answer each. Nothing of it may be readable on the server.
    {
        using namespace emergency;
        const std::string op = enrol_staff("netop", "emergency_operator");
        ASSERT_FALSE(op.empty());
        const std::string as_operator = "Cookie: haven_session=" + op + "; haven_csrf=" + csrf + "\r\nX-CSRF-Token: " + csrf + "\r\n";
        const SigningKeys org = new_signing_keys();
        const BoxKeys operators = new_box_keys();
        const Bytes roster_key = crypto::random_bytes(32);
        struct Device {
            SigningKeys identity;
            BoxKeys prekey;
            Bytes mailbox;
        };
        std::vector<Device> devices;
        std::vector<Recipient> to;
        std::string roster;
        for (int i = 0; i < 1000; ++i) {
            Device d{new_signing_keys(), new_box_keys(), crypto::random_bytes(32)};
            auto code = testing::request(port, "POST", "/api/v1/network/enrolments", "{}", "Content-Type: application/json\r\n" + as_operator);
            ASSERT_EQ(code.status, 201) << code.body;
            const size_t c = code.body.find("\"code\":\"") + 8;
            const auto p = sign_prekey(d.identity, d.prekey.public_key, 4'000'000'000'000);
            const std::string pseudonym = "Sinitsa-driver" + std::to_string(i), region = "Pskovskaya-oblast" + std::to_string(i),
                              skill = "boat-skipper" + std::to_string(i), email = "kestrel" + std::to_string(i) + "@proton.example";
            for (const auto& v : {pseudonym, region, skill, email}) needles.all.push_back(v);
            const std::string who = pseudonym + ";" + region + ";" + skill + ";" + email;
            const std::string member_id = to_hex(crypto::random_bytes(16));
            const Bytes packet = seal_to(operators.public_key, member_id + ";" + who + ";" + to_hex(d.mailbox));
            auto r = testing::request(port, "POST", "/api/v1/network/members",
                                      R"({"code":")" + code.body.substr(c, code.body.find('"', c) - c) + R"(","member_id":")" + member_id +
                                          R"(","prekey":")" + to_hex(p.prekey) + R"(","not_after":)" + std::to_string(p.not_after) +
                                          R"(,"signature":")" + to_hex(p.signature) + R"(","packet":")" + to_hex(packet) + "\"}",
                                      "Content-Type: application/json\r\n");
            ASSERT_EQ(r.status, 201) << r.body;
            roster += who + "\n";
            to.push_back({d.mailbox, d.prekey.public_key});
            devices.push_back(std::move(d));
        }
        ASSERT_EQ(testing::request(port, "PUT", "/api/v1/network/roster", seal_secret(roster_key, roster),
                                   "Content-Type: application/octet-stream\r\nIf-Match: \"0\"\r\n" + as_operator)
                      .status,
                  200);
        for (const char* status : {"real", "exercise"}) {
            const BoxKeys ack = new_box_keys();
            const std::string text = std::string("Evacuation from Ivangorod crossing, contact Grachev ") + status;
            needles.all.push_back(text);
            auto sealed = seal_activation(org, std::string(R"({"v":1,"status":")") + status + R"(","text":")" + text + "\"}", to, 2);
            ASSERT_TRUE(sealed.ok());
            const int64_t tomorrow =
                std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count() +
                24LL * 3600 * 1000;
            auto made = testing::request(port, "POST", "/api/v1/network/activations?expires_at=" + std::to_string(tomorrow), sealed->body,
                                         "Content-Type: application/octet-stream\r\n" + as_operator);
            ASSERT_EQ(made.status, 201) << made.body;
            const std::string id = to_hex(sealed->activation_id), base = "/api/v1/network/activations/" + id;
            Bytes packed;
            for (const auto& w : sealed->wraps) packed += w.locator + w.wrap + w.ack_tag;
            ASSERT_EQ(testing::request(port, "POST", base + "/wraps", packed, "Content-Type: application/octet-stream\r\n" + as_operator).status,
                      200);
            ASSERT_EQ(testing::request(port, "POST", base + "/publish", "{}", "Content-Type: application/json\r\n" + as_operator).status, 200);
            for (size_t i = 0; i < 50; ++i) {
                auto wrap = testing::request(port, "GET", base + "/wraps/" + to_hex(locator(devices[i].mailbox, sealed->activation_id)));
                auto body = testing::request(port, "GET", base);
                ASSERT_TRUE(open_activation(body.body, wrap.body, {devices[i].prekey}, org.public_key));
                const std::string answer = std::string("can drive the Mazda from Pechory ") + status + std::to_string(i);
                needles.all.push_back(answer);
                ASSERT_EQ(testing::request(port, "POST", base + "/acks", seal_ack(devices[i].identity, sealed->activation_id, answer, ack.public_key),
                                           "Content-Type: application/octet-stream\r\nX-Ack-Capability: " +
                                               to_hex(ack_capability(devices[i].mailbox, sealed->activation_id)) + "\r\n")
                              .status,
                          201);
            }
        }
    }

    needles.index();
    // … the fund, its donors and payees; the institution, prisoners, pen names, letters and replies; the report's title
    ASSERT_EQ(needles.all.size(), 1500u + 1000u + 100u + 120u + 40u + 4000u + 2u + 100u + 101u + 2u + 20u + 5u + 20u + 1u);
    // The search itself can find: a planted string inside other bytes is seen.
    ASSERT_EQ(needles.count_in("\x01\x02" + needles.all[7] + "\xff", nullptr), 1);
    ASSERT_EQ(needles.count_in(needles.all[8].substr(1), nullptr), 0);

    // A backup, made while serving, lies in the data directory too and is searched with the rest.
    run("backup --out " + dir + "/haven.backup");
    ASSERT_TRUE(fs::exists(dir + "/haven.backup"));

    kill(pid, SIGTERM);
    waitpid(pid, nullptr, 0);

    const char* pg_dir = std::getenv("HAVEN_TEST_PG_DIR");
    auto search_all = [&](const char* when) {
        std::vector<std::string> found;
        int files = 0;
        int hits = search_tree(dir, needles, &found, &files);
        if (GetParam() == "postgres") {
            ASSERT_NE(pg_dir, nullptr) << "HAVEN_TEST_PG_DIR: the cluster's files must be searched too";
            hits += search_tree(pg_dir, needles, &found, &files);
        }
        EXPECT_EQ(hits, 0) << when << ": planted strings found, e.g. " << (found.empty() ? "" : found[0]);
        EXPECT_GT(files, 3) << when;
        std::printf("seizure test (%s, %s): %d files searched for %zu strings: %d found\n", GetParam().c_str(), when, files, needles.all.size(),
                    hits);
    };
    search_all("after planting");

    // Erased people's keys: gone from every file on SQLite (secure_delete, WAL truncated at erasure).
    {
        std::vector<std::string> found;
        int files = 0;
        int hits = search_tree(dir, erased_keys, &found, &files);
        if (GetParam() == "postgres") {
            int pg_hits = search_tree(pg_dir, erased_keys, &found, &files);
            std::printf(
                "seizure test (postgres): sealed keys of erased people still in the cluster's files: %d (WAL and free space; docs/SECURITY.md)\n",
                pg_hits);
        }
        EXPECT_EQ(hits, 0) << "a sealed key of an erased person is still in the data directory";
    }

    // Delete them (clear every account's contact), checkpoint, search again.
    {
        auto db = storage::open_database(url, {1});
        (void)db->write([](storage::Tx& tx) -> Status {
            tx.exec("UPDATE accounts SET real_name = NULL, email = NULL, phone = NULL");
            return {};
        });
        db->checkpoint();
    }
    search_all("after deleting and checkpointing");
    if (!::testing::Test::HasFailure()) fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Engines, Seizure, ::testing::Values("sqlite", "postgres"), testing::engine_name);

}  // namespace
}  // namespace haven
