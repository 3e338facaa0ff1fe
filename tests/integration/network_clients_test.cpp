// The emergency network end to end with its real clients, as separate processes against `haven serve`, both
// engines: an operator (haven-operator) enrols members in person (haven-member), approves the new members sync
// names, activates with two tiers after showing how many each reaches; each member's device decides alone what
// it shows and when (an injected clock for the second tier); one answers; the operator's `answers` names who
// comes and when; a signed cancel stops the second tier. Then the operator's safety: the organisation is never
// replaced by accident, tokens are checked at once, a restore on a second device activates the same roster, a
// lost phone is revoked, a lost publish reply is resumed without a duplicate, a bad tier is refused cleanly.
#include <cerrno>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include "support/engines.hpp"
#include "support/haven_process.hpp"
#include "support/http_client.hpp"

namespace haven {
namespace {

struct Run {
    int status = 0;  // pclose's: exited(code) or signalled
    std::string out;
    int code() const { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }
};

Run sh(const std::string& command) {
    Run r;
    FILE* p = popen(("{ " + command + "; } 2>&1 </dev/null").c_str(), "r");  // no terminal: nobody to ask
    char buf[1024];
    // Read to the end, through interrupted reads: an fgets loop stopped at the first EINTR and once lost a command's
    // whole output (CI: `token create` seemed to print nothing).
    while (p) {
        const size_t n = fread(buf, 1, sizeof buf, p);
        r.out.append(buf, n);
        if (n == sizeof buf) continue;
        if (ferror(p) && errno == EINTR) {
            clearerr(p);
            continue;
        }
        break;
    }
    r.status = p ? pclose(p) : -1;
    return r;
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }
bool has(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }
size_t count(const std::string& haystack, const std::string& needle) {
    size_t n = 0;
    for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
    return n;
}
// The id `activate` prints on its last line: "<id>\tN members".
std::string sent_id(const std::string& out) {
    std::smatch m;
    if (!std::regex_search(out, m, std::regex("(^|\n)([0-9a-f]{32})\t"))) return {};
    return m[2];
}
// The member id in `sync`'s line for a pseudonym.
std::string waiting_id(const std::string& sync_out, const std::string& pseudonym) {
    std::smatch m;
    if (!std::regex_search(sync_out, m, std::regex("waiting\t([0-9a-f]{32})\t" + pseudonym + "\t"))) return {};
    return m[1];
}

class NetworkClients : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        dir_ = testing::temp_dir("haven-clients");
        testing::fresh_database(GetParam(), dir_, url_);
        if (url_.empty()) return;
        const std::string bin = HAVEN_BINARY, pass = dir_ + "/unseal-passphrase",
                          data = " --data " + dir_ + " --db '" + url_ + "' --passphrase-file " + pass;
        ASSERT_EQ(sh(bin + " init" + data).status, 0);
        ASSERT_EQ(sh(bin + " site add --name Hub --city Riga --country Latvia --time-zone Europe/Riga" + data).status, 0);
        server_ = testing::start_haven({"--data", dir_, "--db", url_, "--passphrase-file", pass, "--secure-cookies", "false"}, dir_ + "/server.log");
        ASSERT_GT(server_.port, 0);
        base_ = "http://127.0.0.1:" + std::to_string(server_.port);
        // The operator's account (TOTP enrolment) and an API token for their laptop's client.
        auto added = sh(bin + " user add --name netop --role emergency_operator --site Hub" + data);
        ASSERT_FALSE(testing::enrol_and_sign_in(server_.port, added.out, "netop", "c" + std::string(42, 'x')).empty());
        token_ = new_token(bin, data);
        std::ofstream(dir_ + "/op-pass") << "operator's long passphrase\n";
        std::ofstream(dir_ + "/m-pass") << "member's long passphrase\n";
        op_ = operator_on("op");
        ASSERT_EQ(sh(op_ + "init --server " + base_ + " --token " + token_).status, 0);
        ready_ = true;
    }
    void TearDown() override {
        if (server_.pid > 0) {
            kill(server_.pid, SIGTERM);
            waitpid(server_.pid, nullptr, 0);
        }
        if (!::testing::Test::HasFailure()) std::filesystem::remove_all(dir_);
    }
    std::string new_token(const std::string& bin, const std::string& data) {
        // CI has twice (once per engine, about one run in four) read nothing from a `token create` that exited 0;
        // not reproduced here. Asked again then, and said so. (Another failure here, "token is required", was a token
        // beginning with '-', taken for an option by `haven-operator token`: random_token no longer makes one.)
        for (int attempt = 1;; ++attempt) {
            auto token = sh(bin + " token create --user netop --scope write --label laptop" + data);
            EXPECT_EQ(token.status, 0) << token.out;
            std::string t = token.out;
            while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.pop_back();
            if (!t.empty() || attempt == 3) return t.substr(t.find_last_of(" \n") + 1);
            std::printf("[ note ] token create exited %d and printed %zu bytes; asking again\n", token.status, token.out.size());
        }
    }
    std::string operator_on(const std::string& device) const {
        return std::string(HAVEN_OPERATOR) + " --state " + dir_ + "/" + device + ".state --passphrase-file " + dir_ + "/op-pass ";
    }
    std::string member(const std::string& who) const {
        return std::string(HAVEN_MEMBER) + " --state " + dir_ + "/" + who + ".state --passphrase-file " + dir_ + "/m-pass ";
    }
    // A member enrols in person with a fresh code; returns their id as the operator's sync names it (not approved).
    void enrol(const std::string& name, const std::string& profile) {
        auto code = sh(op_ + "enrol");
        ASSERT_EQ(code.status, 0) << code.out;
        auto enrolled = sh(member(name) + "enrol '" + first_line(code.out) + "' " + profile);
        ASSERT_EQ(enrolled.status, 0) << enrolled.out;
    }
    // Approves these members by the ids sync names, all in one approve.
    void approve_all(const std::vector<std::string>& pseudonyms) {
        auto synced = sh(op_ + "sync");
        ASSERT_EQ(synced.status, 0) << synced.out;
        std::string ids;
        for (const auto& p : pseudonyms) {
            const std::string id = waiting_id(synced.out, p);
            ASSERT_FALSE(id.empty()) << p << " is named in sync: " << synced.out;
            ids += " " + id;
        }
        auto approved = sh(op_ + "approve" + ids);
        ASSERT_EQ(approved.status, 0) << approved.out;
        EXPECT_TRUE(has(approved.out, std::to_string(pseudonyms.size()) + " added")) << approved.out;
    }
    bool ready_ = false;
    std::string dir_, url_, base_, token_, op_;
    testing::HavenProcess server_{};
};

TEST_P(NetworkClients, OperatorActivatesMembersDecideAloneAndAnswer) {
    if (!ready_) return;
    enrol("vera", "--pseudonym Vera --region tver --skill driver --contact signal:+371-0000");
    enrol("pavel", "--pseudonym Pavel --region pskov --skill driver");
    enrol("olga", "--pseudonym Olga --region omsk --skill lawyer");
    approve_all({"Vera", "Pavel", "Olga"});
    auto roster = sh(op_ + "roster");
    EXPECT_TRUE(has(roster.out, "Pavel") && has(roster.out, "contacts signal:+371-0000") && has(roster.out, "enrolled ") &&
                has(roster.out, "3 members"))
        << roster.out;

    // Tver's drivers now, Pskov's drivers in 15 minutes; the operator sees whom each tier reaches before sending.
    auto sent = sh(op_ +
                   "activate --yes --status exercise --tier 'regions=tver;skills=driver;after=0' --tier 'regions=pskov; skills=driver; after=15m' "
                   "--text 'Driver needed: Tver to Riga tonight'");
    ASSERT_EQ(sent.status, 0) << sent.out;
    const std::string id = sent_id(sent.out);
    ASSERT_FALSE(id.empty()) << sent.out;
    EXPECT_TRUE(has(sent.out, "DRILL (exercise)")) << sent.out;
    EXPECT_TRUE(has(sent.out, "tier 1: regions tver, skills driver, at +0 min — reaches 1 member")) << sent.out;
    EXPECT_TRUE(has(sent.out, "tier 2: regions pskov, skills driver, at +15 min — reaches 1 member")) << sent.out;
    EXPECT_TRUE(has(sent.out, "not reached by any tier: 1 member")) << sent.out;
    EXPECT_TRUE(has(sent.out, "wrapped for 3 members")) << "blind broadcast: wrapped for everyone: " << sent.out;
    EXPECT_FALSE(has(sent.out, "warning:")) << sent.out;
    // A misspelt region is named before anything is sent; another spelling of the same one is not (normalised).
    auto typo = sh(op_ + "activate --status exercise --tier 'regions=pskow;skills=driver' --tier 'regions=Тверь,PSKOV' --text 'not sent'");
    EXPECT_EQ(typo.code(), 1) << "no --yes, no terminal: not sent: " << typo.out;
    EXPECT_TRUE(has(typo.out, "warning: tier 1: no member has the region \"pskow\"")) << typo.out;
    EXPECT_FALSE(has(typo.out, "tier 2: no member")) << typo.out;
    EXPECT_TRUE(has(typo.out, "— reaches 2 members")) << "Тверь is Vera's tver, PSKOV Pavel's pskov: " << typo.out;

    auto vera = sh(member("vera") + "poll");
    ASSERT_EQ(vera.status, 0) << vera.out;
    EXPECT_TRUE(has(vera.out, "Driver needed: Tver to Riga tonight")) << vera.out;
    EXPECT_TRUE(has(vera.out, "exercise"));
    auto pavel = sh(member("pavel") + "poll");
    EXPECT_FALSE(has(pavel.out, "Driver needed")) << "tier 2 is not released yet";
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    auto later = sh("HAVEN_MEMBER_NOW_MS=" + std::to_string(now + 16 * 60'000) + " " + member("pavel") + "show");
    EXPECT_TRUE(has(later.out, "tier 2")) << later.out;
    auto olga = sh(member("olga") + "poll");
    EXPECT_FALSE(has(olga.out, "Driver needed")) << "outside the target: nothing";

    // Finding 2 of issue 13: a thousand anonymous answers first (activation ids are listed); Vera's still counts.
    for (int i = 0; i < 1000; ++i)
        ASSERT_EQ(testing::request(
                      server_.port, "POST", "/api/v1/network/activations/" + id + "/acks", std::string(200, char('a' + i % 26)),
                      "Content-Type: application/octet-stream\r\n" + std::string(i % 2 ? "X-Ack-Capability: " + std::string(32, 'f') + "\r\n" : ""))
                      .status,
                  403)
            << i;
    auto answered = sh(member("vera") + "answer " + id + " can --eta 20");
    ASSERT_EQ(answered.status, 0) << answered.out;
    auto report = sh(op_ + "answers " + id);
    ASSERT_EQ(report.status, 0) << report.out;
    // Who comes and when: pseudonym, roster id, ETA and the time it is due, contacts from the roster.
    EXPECT_TRUE(has(report.out, "DRILL (exercise)")) << report.out;
    EXPECT_TRUE(has(report.out, "answers: 1 of 3 members (1 can come)")) << report.out;
    EXPECT_TRUE(std::regex_search(report.out,
                                  std::regex("Vera \\([0-9a-f]{32}\\): CAN, ETA 20 min, due [0-2][0-9]:[0-5][0-9]; answered [0-2][0-9]:[0-5][0-9]; "
                                             "contacts: signal:\\+371-0000")))
        << report.out;
    EXPECT_TRUE(has(report.out, "skill driver: 1 can, 0 cannot")) << report.out;
    EXPECT_TRUE(has(report.out, "region tver: 1 can")) << report.out;
    EXPECT_TRUE(has(report.out, "tier 1 (+0 min): 1 member reached, 1 answered")) << report.out;
    EXPECT_TRUE(has(report.out, "tier 2 (+15 min): 1 member reached, 0 answered")) << report.out;
    EXPECT_TRUE(has(report.out, "mailbox: 3 fetches of 3 wraps")) << "every device collected it: " << report.out;
    EXPECT_FALSE(has(report.out, "history")) << "one answer, no history: " << report.out;

    // Vera changes her mind: the later answer stands, both stay in the history.
    ASSERT_EQ(sh(member("vera") + "answer " + id + " cannot").status, 0);
    report = sh(op_ + "answers " + id);
    EXPECT_TRUE(has(report.out, "answers: 1 of 3 members (0 can come)")) << report.out;
    EXPECT_TRUE(has(report.out, "history (every answer, as received):")) << report.out;
    EXPECT_EQ(count(report.out, "Vera ("), 3u) << "standing once, history twice: " << report.out;

    // A signed cancel: Pavel's device never shows tier 2, even after its release time.
    auto cancel = sh(op_ + "activate --yes --status exercise --type cancel --refers-to " + id + " --text 'Stand down'");
    ASSERT_EQ(cancel.status, 0) << cancel.out;
    ASSERT_EQ(sh(member("pavel") + "poll").status, 0);
    report = sh(op_ + "answers " + id);
    EXPECT_TRUE(has(report.out, "CANCELLED at ")) << report.out;
    EXPECT_FALSE(has(report.out, "[no tier reached this member]")) << "Vera was in tier 1: " << report.out;
    later = sh("HAVEN_MEMBER_NOW_MS=" + std::to_string(now + 16 * 60'000) + " " + member("pavel") + "show");
    EXPECT_FALSE(has(later.out, "Driver needed")) << later.out;

    // A wrong passphrase opens nothing on a seized device.
    std::ofstream(dir_ + "/wrong") << "not the passphrase at all\n";
    EXPECT_NE(sh(std::string(HAVEN_MEMBER) + " --state " + dir_ + "/vera.state --passphrase-file " + dir_ + "/wrong show").status, 0);
}

TEST_P(NetworkClients, TheOrganisationIsNeverReplacedByAccidentAndSurvivesTheLaptop) {
    if (!ready_) return;
    enrol("vera", "--pseudonym Vera --region tver --skill driver");
    approve_all({"Vera"});

    // init again: refused, the state untouched; with the flag but no terminal and no --yes, still refused.
    auto again = sh(op_ + "init --server " + base_ + " --token " + token_);
    EXPECT_EQ(again.code(), 1) << again.out;
    EXPECT_TRUE(has(again.out, "--replace-organisation")) << again.out;
    EXPECT_EQ(sh(op_ + "init --server " + base_ + " --token " + token_ + " --replace-organisation").code(), 1);
    EXPECT_TRUE(has(sh(op_ + "roster").out, "Vera")) << "the roster still opens with the same roster key";

    // A wrong token fails at init (no state written), and at `token`; the right one replaces it.
    auto wrong = sh(operator_on("other") + "init --server " + base_ + " --token not-a-token");
    EXPECT_EQ(wrong.code(), 1) << wrong.out;
    EXPECT_TRUE(has(wrong.out, "refused this token (401)")) << wrong.out;
    EXPECT_FALSE(std::filesystem::exists(dir_ + "/other.state"));
    EXPECT_EQ(sh(op_ + "token not-a-token").code(), 1);
    const std::string bin = HAVEN_BINARY, data = " --data " + dir_ + " --db '" + url_ + "' --passphrase-file " + dir_ + "/unseal-passphrase";
    auto replaced = sh(op_ + "token " + new_token(bin, data));
    EXPECT_EQ(replaced.status, 0) << replaced.out;
    EXPECT_TRUE(has(sh(op_ + "roster").out, "Vera")) << "the new token works";

    // The laptop is lost: an export sealed under its own passphrase restores the organisation on a second device,
    // which activates the same roster (the member's device verifies the same organisation key).
    std::ofstream(dir_ + "/export-pass") << "a passphrase for the export only\n";
    auto exported = sh(op_ + "export --out " + dir_ + "/op.export --export-passphrase-file " + dir_ + "/export-pass");
    ASSERT_EQ(exported.status, 0) << exported.out;
    std::ofstream(dir_ + "/wrong-pass") << "not the export's passphrase\n";
    EXPECT_EQ(sh(operator_on("second") + "import --in " + dir_ + "/op.export --export-passphrase-file " + dir_ + "/wrong-pass").code(), 1);
    auto imported = sh(operator_on("second") + "import --in " + dir_ + "/op.export --export-passphrase-file " + dir_ + "/export-pass");
    ASSERT_EQ(imported.status, 0) << imported.out;
    std::filesystem::remove(dir_ + "/op.state");
    const std::string second = operator_on("second");
    auto sent = sh(second + "activate --yes --status real --text 'From the second device'");
    ASSERT_EQ(sent.status, 0) << sent.out;
    EXPECT_TRUE(has(sent.out, "wrapped for 1 member")) << sent.out;
    auto vera = sh(member("vera") + "poll");
    EXPECT_TRUE(has(vera.out, "From the second device")) << vera.out;
    ASSERT_EQ(sh(member("vera") + "answer " + sent_id(sent.out) + " can --eta 5").status, 0);
    auto report = sh(second + "answers " + sent_id(sent.out));
    EXPECT_TRUE(has(report.out, "REAL alert")) << report.out;
    EXPECT_TRUE(has(report.out, "Vera (")) << report.out;

    // The passphrase from standard input (`-`); a missing file or none at all (no terminal) said as such.
    const std::string bare = std::string(HAVEN_OPERATOR) + " --state " + dir_ + "/second.state ";
    EXPECT_TRUE(has(sh("printf \"operator's long passphrase\\n\" | " + bare + "--passphrase-file - roster").out, "Vera"));
    EXPECT_TRUE(has(sh(bare + "--passphrase-file " + dir_ + "/nowhere roster").out, "Cannot read the passphrase file"));
    EXPECT_TRUE(has(sh(bare + "roster").out, "No passphrase: give --passphrase-file"));
    EXPECT_TRUE(has(sh(operator_on("nowhere") + "roster").out, "no operator state at")) << "not a passphrase complaint";
    // On a terminal (a pseudo-terminal made by script(1)) it is asked for, and what is typed is not shown.
    const std::string tty = "/usr/bin/python3 " HAVEN_SOURCE_DIR "/tests/interop/answer_prompt.py ";
    auto asked = sh(tty + "'Passphrase: ' \"operator's long passphrase\" " + bare + "roster");
    EXPECT_TRUE(has(asked.out, "Passphrase: ") && has(asked.out, "Vera")) << asked.out;
    EXPECT_FALSE(has(asked.out, "long passphrase")) << "not echoed: " << asked.out;

    // Operator input that used to crash or be silently dropped is refused, naming the problem; nothing is sent.
    const std::vector<std::pair<std::string, std::string>> refused = {
        {"--yes --status real --tier 'after=abc' --text x", "after=abc is not a whole number"},
        {"--yes --status real --tier 'regions=tver;colour=red' --text x", "unknown part \"colour\""},
        {"--yes --status real --tier 'after=99999h' --text x", "at most 30 days"},
        {"--yes --text x", "needs --status real, exercise or test"},
        {"--yes --status real --type cancel --refers-to 0123456789abcdef0123456789abcdef --text x", "names no alert sent from this operator state"},
        {"--yes --status real --type update --text x", "needs --refers-to"},
        {"--status real --text x", "add --yes"},
    };
    for (const auto& [args, said] : refused) {
        auto r = sh(second + "activate " + args);
        EXPECT_EQ(r.code(), 1) << args << ": no crash, exit 1: " << r.out;
        EXPECT_TRUE(has(r.out, said)) << args << ": " << r.out;
    }
    auto hour = sh(second + "activate --yes --status test --tier 'regions=tver; skills=driver; after=1h' --text 'in an hour'");
    EXPECT_EQ(hour.status, 0) << hour.out;
    EXPECT_TRUE(has(hour.out, "at +60 min")) << "1h is an hour: " << hour.out;
    EXPECT_EQ(count(testing::request(server_.port, "GET", "/api/v1/network/activations").body, "\"id\""), 2u) << "nothing refused was sent";

    // Replacing the organisation on purpose: --replace-organisation and "replace" typed on a terminal.
    auto replaced_org = sh(tty + "'to go on: ' replace " + second + "init --server " + base_ + " --token " + token_ + " --replace-organisation");
    EXPECT_TRUE(has(replaced_org.out, "every member will have to enrol again") && has(replaced_org.out, "organisation key ")) << replaced_org.out;
    EXPECT_FALSE(has(sh(second + "roster").out, "Vera")) << "a new organisation: the old roster no longer opens";
}

TEST_P(NetworkClients, ALostPhoneIsRevokedNewMembersWaitAndALostPublishReplyIsResumedOnce) {
    if (!ready_) return;
    // Enrolment codes: listed by id, and one revoked cannot be used.
    auto made = sh(op_ + "enrol --qr-png " + dir_ + "/code.png");
    ASSERT_EQ(made.status, 0) << made.out;
    std::ifstream png(dir_ + "/code.png", std::ios::binary);
    std::string magic(8, '\0');
    png.read(magic.data(), 8);
    EXPECT_EQ(magic, "\x89PNG\r\n\x1a\n") << "a PNG image of the QR code";
    EXPECT_LE(count(made.out, "\n"), 40u) << made.out;
    std::printf("[ measured ] enrol printed %zu lines (link, QR rows, notes); the link is %zu bytes\n", count(made.out, "\n"),
                first_line(made.out).size());
    auto codes = sh(op_ + "codes");
    ASSERT_TRUE(has(codes.out, "1 open code(s)")) << codes.out;
    const std::string code_id = first_line(codes.out).substr(0, first_line(codes.out).find('\t'));
    ASSERT_EQ(sh(op_ + "codes revoke " + code_id).status, 0);
    auto late = sh(member("mallory") + "enrol '" + first_line(made.out) + "' --pseudonym Mallory");
    EXPECT_NE(late.status, 0) << "a revoked code enrols nobody: " << late.out;
    EXPECT_TRUE(has(sh(op_ + "codes").out, "0 open code(s)"));

    // Whoever photographed a code waits, named, for approval: no wrap until then.
    enrol("vera", "--pseudonym Vera --region tver --skill driver --contact signal:+371-0000");
    enrol("ivan", "--pseudonym Ivan --region tver --skill driver");
    auto twice = sh(member("vera") + "enrol '" + first_line(made.out) + "' --pseudonym Vera2");
    EXPECT_EQ(twice.code(), 1) << twice.out;
    EXPECT_TRUE(has(twice.out, "enrolled already")) << "a member's state is not replaced without --replace-state: " << twice.out;
    auto synced = sh(op_ + "sync");
    ASSERT_EQ(synced.status, 0) << synced.out;
    EXPECT_TRUE(has(synced.out, "2 waiting for approval")) << synced.out;
    EXPECT_TRUE(std::regex_search(synced.out, std::regex("waiting\t[0-9a-f]{32}\tVera\tregions tver\tskills driver\tcontacts signal:\\+371-0000")))
        << synced.out;
    auto none = sh(op_ + "activate --yes --status test --text 'nobody yet'");
    EXPECT_TRUE(has(none.out, "wrapped for 0 members")) << none.out;
    EXPECT_EQ(sh(op_ + "approve " + waiting_id(synced.out, "Vera") + " 0123456789abcdef0123456789abcdef").code(), 1)
        << "an unknown id: nothing approved";
    EXPECT_TRUE(has(sh(op_ + "sync").out, "2 waiting")) << "both still wait";
    ASSERT_EQ(sh(op_ + "approve " + waiting_id(synced.out, "Vera")).status, 0);
    const std::string ivan = waiting_id(synced.out, "Ivan");
    ASSERT_EQ(sh(op_ + "reject " + ivan).status, 0);
    EXPECT_TRUE(has(sh(op_ + "sync").out, "0 waiting")) << "approved and rejected packets leave the inbox";
    EXPECT_NE(sh(member("ivan") + "rotate").status, 0) << "a rejected device's mailbox is gone from the hub";

    // A reply to publish lost after the hub committed: the id was saved first; --resume finishes it, once.
    auto lost = sh("HAVEN_TEST_LOSE_PUBLISH_REPLY=1 " + op_ + "activate --yes --status real --text 'Come to the north gate'");
    EXPECT_EQ(lost.code(), 1) << lost.out;
    auto resumed = sh(op_ + "activate --resume");
    ASSERT_EQ(resumed.status, 0) << resumed.out;
    EXPECT_TRUE(has(resumed.out, "published (resumed)")) << resumed.out;
    EXPECT_TRUE(has(sh(op_ + "activate --resume").out, "nothing to resume"));
    const std::string listed = testing::request(server_.port, "GET", "/api/v1/network/activations").body;
    EXPECT_EQ(count(listed, "\"id\""), 2u) << "the test alert and this one, once: " << listed;
    auto vera = sh(member("vera") + "poll");
    EXPECT_EQ(count(vera.out, "Come to the north gate"), 1u) << vera.out;
    // Publishing once more is answered as the first time, marked already, and rings nobody again.
    const std::string north = sent_id(lost.out + resumed.out);
    auto again = testing::request(server_.port, "POST", "/api/v1/network/activations/" + north + "/publish", "{}",
                                  "Authorization: Bearer " + token_ + "\r\nContent-Type: application/json\r\n");
    EXPECT_EQ(again.status, 200) << again.body;
    EXPECT_TRUE(has(again.body, "\"already\":true")) << again.body;

    // Vera's phone is lost: revoked, no wrap is made for her again, the roster says so.
    const std::string vera_id = waiting_id(synced.out, "Vera");
    ASSERT_EQ(sh(op_ + "revoke " + vera_id).status, 0);
    EXPECT_TRUE(has(sh(op_ + "roster").out, "REVOKED")) << sh(op_ + "roster").out;
    auto after = sh(op_ + "activate --yes --status real --text 'After the loss'");
    ASSERT_EQ(after.status, 0) << after.out;
    EXPECT_TRUE(has(after.out, "wrapped for 0 members")) << after.out;
    EXPECT_FALSE(has(sh(member("vera") + "poll").out, "After the loss"));
    EXPECT_NE(sh(member("vera") + "rotate").status, 0) << "the revoked device can do nothing more on the hub";

    // approve --all takes every member sync lists; approve with neither ids nor --all takes nobody.
    enrol("boris", "--pseudonym Boris --region pskov --skill medic");
    EXPECT_EQ(sh(op_ + "approve").code(), 1);
    auto all = sh(op_ + "approve --all");
    EXPECT_TRUE(has(all.out, "Boris approved") && has(all.out, "1 added")) << all.out;
    EXPECT_TRUE(has(sh(op_ + "roster").out, "Boris"));
}

// Issue 14, item 12: `poll --wait` prints the alert that woke it (released after the poll began) and only that —
// not again what an earlier poll printed; a later poll with nothing new prints nothing.
TEST_P(NetworkClients, PollWaitPrintsTheAlertThatWokeItAndOnlyNewOnes) {
    if (!ready_) return;
    enrol("vera", "--pseudonym Vera --region Tver --skill driver");
    approve_all({"Vera"});
    // A first alert, printed by a plain poll (its region spelled in Cyrillic: matching is normalised).
    ASSERT_EQ(sh(op_ + "activate --yes --status real --tier 'regions=Тверь;skills=driver;after=0' --text 'First: bring water'").status, 0);
    auto first = sh(member("vera") + "poll");
    EXPECT_TRUE(has(first.out, "First: bring water")) << first.out;

    // A waiting poll, woken by the second alert: it prints that one, not the first again.
    sh(member("vera") + "poll --wait 20 > " + dir_ + "/waited.out 2>&1 & echo $! > " + dir_ + "/waited.pid");
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    ASSERT_EQ(sh(op_ + "activate --yes --status real --tier 'regions=tver;skills=driver;after=0' --text 'Second: driver to Riga'").status, 0);
    for (int i = 0; i < 100 && sh("kill -0 $(cat " + dir_ + "/waited.pid)").status == 0; ++i)  // until it has printed and saved
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::ifstream in(dir_ + "/waited.out");
    const std::string waited{std::istreambuf_iterator<char>(in), {}};
    EXPECT_TRUE(has(waited, "Second: driver to Riga")) << "the alert that woke it: " << waited;
    EXPECT_FALSE(has(waited, "First: bring water")) << "printed once already: " << waited;
    auto again = sh(member("vera") + "poll");
    EXPECT_EQ(again.status, 0) << again.out;
    EXPECT_FALSE(has(again.out, "driver to Riga") || has(again.out, "bring water")) << "nothing new: " << again.out;
}

// Issue 14, item 16: the enrolment code as a phone meets it. The link is short enough for a QR code of version 4
// at level M; on the terminal the code fits 80 x 24 and draws every cell, quiet zone included, black on white
// (fixed colours, not the theme's); the PNG decodes with an independent reader (zbarimg) back to the link; the
// member's device checks the keys it fetches against the link's fingerprint, and still reads version 1 links.
TEST_P(NetworkClients, TheEnrolmentQrCodeFitsATerminalDecodesAndPinsTheOperatorsKeys) {
    if (!ready_) return;
    auto made = sh(op_ + "enrol --qr-png " + dir_ + "/code.png");
    ASSERT_EQ(made.status, 0) << made.out;
    const std::string link = first_line(made.out);
    ASSERT_TRUE(std::regex_match(link, std::regex("HAVEN:2/[A-Z2-7]{24}/[A-Z2-7]{26}/HTTP://127\\.0\\.0\\.1:[0-9]+"))) << link;
    EXPECT_LE(link.size(), 90u) << "version 4-M holds 90 alphanumeric characters";

    // The terminal: each row of the code opens with black-on-white (256-colour cube, which themes leave alone) and
    // closes with a reset; nothing between is left to the terminal's colours.
    const std::string colours = "\x1b[38;5;16;48;5;231m", reset = "\x1b[0m";
    size_t rows = 0, widest = 0, narrowest = 1000;
    std::vector<std::vector<bool>> dark;  // the modules as the terminal draws them: two per cell, top and bottom
    std::istringstream lines(made.out);
    for (std::string line; std::getline(lines, line);) {
        if (!has(line, "\x1b[")) continue;
        ++rows;
        EXPECT_TRUE(line.starts_with(colours) && line.ends_with(reset) && count(line, "\x1b[") == 2)
            << "row " << rows << " sets its colours once, for every cell";
        const std::string cells = line.substr(colours.size(), line.size() - colours.size() - reset.size());
        std::vector<bool> top, bottom;
        for (size_t at = 0; at < cells.size();) {
            const std::string cell = cells.substr(at, cells[at] == ' ' ? 1 : 3);
            at += cell.size();
            top.push_back(cell == "\u2588" || cell == "\u2580");
            bottom.push_back(cell == "\u2588" || cell == "\u2584");
            EXPECT_TRUE(cell == " " || cell == "\u2588" || cell == "\u2580" || cell == "\u2584") << "row " << rows;
        }
        widest = std::max(widest, top.size());
        narrowest = std::min(narrowest, top.size());
        dark.push_back(top);
        dark.push_back(bottom);
    }
    EXPECT_GE(rows, 11u);
    EXPECT_LE(rows, 24u) << made.out;
    EXPECT_LE(widest, 80u);
    EXPECT_EQ(widest, narrowest) << "a rectangle";
    const size_t modules = widest - 2 * 4;  // quiet zone of 4 modules each side
    std::printf("[ measured ] link %zu characters; QR version %zu (%zu modules), terminal %zu rows x %zu columns; enrol printed %zu lines\n",
                link.size(), (modules - 17) / 4, modules, rows, widest, count(made.out, "\n"));
    EXPECT_LE((modules - 17) / 4, 4u) << "version 4 at most";

    // The terminal's drawing itself decodes: its cells made into an image (4 pixels a module) for zbarimg.
    {
        std::ofstream pgm(dir_ + "/terminal.pgm", std::ios::binary);
        pgm << "P5 " << widest * 4 << " " << dark.size() * 4 << " 255\n";
        for (const auto& row : dark)
            for (int repeat = 0; repeat < 4; ++repeat)
                for (bool d : row) pgm << std::string(4, d ? '\0' : '\xff');
    }
    auto drawn = sh("zbarimg --quiet --raw " + dir_ + "/terminal.pgm 2>/dev/null");
    EXPECT_EQ(first_line(drawn.out), link) << "the terminal's code as drawn: " << drawn.out;

    // An independent decoder reads the PNG back to the link.
    auto decoded = sh("zbarimg --quiet --raw " + dir_ + "/code.png 2>/dev/null");  // its stderr may complain of no D-Bus
    ASSERT_EQ(decoded.code(), 0) << "zbarimg (Debian's zbar-tools, installed by scripts/install-deps): " << decoded.out;
    EXPECT_EQ(first_line(decoded.out), link);

    // A fingerprint that is not the keys' (a server that swapped them looks the same to the device): refused, and
    // the code is not used up by it.
    std::string tampered = link;
    const size_t fp_at = std::string("HAVEN:2/").size() + 25;
    tampered[fp_at] = tampered[fp_at] == 'A' ? 'B' : 'A';
    auto refused = sh(member("mallory") + "enrol '" + tampered + "' --pseudonym Mallory");
    EXPECT_EQ(refused.code(), 1) << refused.out;
    EXPECT_TRUE(has(refused.out, "not the operator's")) << refused.out;
    EXPECT_FALSE(std::filesystem::exists(dir_ + "/mallory.state"));
    EXPECT_TRUE(has(sh(op_ + "codes").out, "1 open code(s)"));

    // The real link, in lower case as some scanners give it: enrols and waits for approval.
    std::string lower = link;
    for (auto& ch : lower) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    auto joined = sh(member("vera") + "enrol '" + lower + "' --pseudonym Vera --region tver --skill driver");
    ASSERT_EQ(joined.status, 0) << joined.out;
    EXPECT_TRUE(std::regex_search(sh(op_ + "sync").out, std::regex("waiting\t[0-9a-f]{32}\tVera\t")));
    auto reused = sh(member("ivan") + "enrol '" + link + "' --pseudonym Ivan");
    EXPECT_EQ(reused.code(), 1);
    EXPECT_TRUE(has(reused.out, "unknown, used or expired: ask the operator for a new one")) << reused.out;
    auto foreign = sh(member("ivan") + "enrol 'https://example.org/' --pseudonym Ivan");
    EXPECT_EQ(foreign.code(), 1);
    EXPECT_TRUE(has(foreign.out, "not a Haven enrolment link")) << foreign.out;

    // A version 1 link (as an older operator client printed it) still enrols.
    const std::string code2 = first_line(sh(op_ + "enrol").out).substr(8, 24);
    auto keys = testing::request(server_.port, "POST", "/api/v1/network/enrolment-keys", "{\"code\":\"" + code2 + "\"}",
                                 "Content-Type: application/json\r\n");
    ASSERT_EQ(keys.status, 200) << keys.body;
    std::smatch k;
    ASSERT_TRUE(std::regex_search(keys.body, k, std::regex("\"org_pk\":\"([0-9a-f]{64})\",\"box_pk\":\"([0-9a-f]{64})\"")));
    const std::string v1 = "haven-enrol:1;" + base_ + ";" + code2 + ";" + std::string(k[1]) + ";" + std::string(k[2]);
    auto old = sh(member("olga") + "enrol '" + v1 + "' --pseudonym Olga");
    EXPECT_EQ(old.status, 0) << old.out;
    EXPECT_TRUE(has(sh(op_ + "sync").out, "2 waiting for approval"));
}

// Issue 14, item 5: regions and skills from the operators' lists, with names in each language. A member chooses by
// any name ("Псков") and their device keeps the id; a word not on the lists is refused with the choices, on the
// member's side and in the operator's tiers (nothing is sent). The hub stores the lists only sealed under the code.
TEST_P(NetworkClients, RegionsAndSkillsComeFromTheOperatorsListsInAnyLanguage) {
    if (!ready_) return;
    ASSERT_EQ(sh(op_ + "lists add region pskov en=Pskov ru=Псков").status, 0);
    ASSERT_EQ(sh(op_ + "lists add region tver en=Tver ru=Тверь").status, 0);
    auto listed = sh(op_ + "lists add skill driver en=Driver ru=Водитель");
    ASSERT_EQ(listed.status, 0) << listed.out;
    EXPECT_TRUE(has(listed.out, "region\tpskov\ten=Pskov\tru=Псков")) << listed.out;
    EXPECT_TRUE(has(listed.out, "2 region(s), 1 skill(s)")) << listed.out;
    auto bad = sh(op_ + "lists add region 'Pskov Oblast' en=Pskov");
    EXPECT_EQ(bad.code(), 1) << bad.out;
    EXPECT_TRUE(has(bad.out, "a-z, 0-9 and _")) << bad.out;

    auto code = sh(op_ + "enrol");
    ASSERT_EQ(code.status, 0) << code.out;
    // The hub holds the lists, but cannot read them: no name anywhere in its files (SQLite; PostgreSQL's tables
    // are checked alike by NetworkTest).
    if (GetParam() == "sqlite") {
        EXPECT_NE(sh("sqlite3 " + dir_ + "/haven.db 'SELECT length(lists) FROM network_enrolments WHERE lists IS NOT NULL'").out, "")
            << "the lists were uploaded";
        for (const char* name : {"Pskov", "Псков", "Водитель"})
            EXPECT_EQ(sh("cat " + dir_ + "/haven.db* | grep -a -c '" + name + "'").out, "0\n") << name;
    }
    auto typo = sh(member("galya") + "enrol '" + first_line(code.out) + "' --pseudonym Галя --region Pskv --skill водитель");
    EXPECT_NE(typo.code(), 0);
    EXPECT_TRUE(has(typo.out, "\"Pskv\" is not on the operators' regions list; choose from: pskov (Pskov, Псков), tver (Tver, Тверь)")) << typo.out;
    auto joined = sh(member("galya") + "enrol '" + first_line(code.out) + "' --pseudonym Галя --region Псков --skill водитель");
    ASSERT_EQ(joined.status, 0) << joined.out;
    approve_all({"Галя"});
    auto roster = sh(op_ + "roster");
    EXPECT_TRUE(has(roster.out, "regions pskov\tskills driver")) << "the ids, whatever language was typed: " << roster.out;

    // The operator names a tier in any language; a word off the lists stops everything.
    auto off = sh(op_ + "activate --yes --status real --tier 'regions=pskow;skills=driver;after=0' --text 'Not sent'");
    EXPECT_EQ(off.code(), 1) << off.out;
    EXPECT_TRUE(has(off.out, "\"pskow\" is not on the regions list")) << off.out;
    auto sent = sh(op_ + "activate --yes --status real --tier 'regions=Псков;skills=Driver;after=0' --text 'Driver needed in Pskov'");
    ASSERT_EQ(sent.status, 0) << sent.out;
    EXPECT_TRUE(has(sent.out, "tier 1: regions pskov, skills driver")) << "the alert carries the ids: " << sent.out;
    EXPECT_TRUE(has(sent.out, "reaches 1 member")) << sent.out;
    auto polled = sh(member("galya") + "poll");
    EXPECT_TRUE(has(polled.out, "Driver needed in Pskov")) << polled.out;
    EXPECT_FALSE(has(polled.out, "Not sent")) << polled.out;

    // Issue 14, item 10: the same signed message under a second activation id (an older client's retry) is kept
    // once by the device.
    auto twice = sh("HAVEN_TEST_PUBLISH_TWICE=1 " + op_ + "activate --yes --status real --tier 'regions=pskov;after=0' --text 'Once only'");
    ASSERT_EQ(twice.status, 0) << twice.out;
    auto once = sh(member("galya") + "poll");
    size_t n = 0;
    for (size_t at = once.out.find("Once only"); at != std::string::npos; at = once.out.find("Once only", at + 1)) ++n;
    EXPECT_EQ(n, 1u) << once.out;
    auto shown = sh(member("galya") + "show");
    n = 0;
    for (size_t at = shown.out.find("Once only"); at != std::string::npos; at = shown.out.find("Once only", at + 1)) ++n;
    EXPECT_EQ(n, 1u) << shown.out;
}

INSTANTIATE_TEST_SUITE_P(Engines, NetworkClients, ::testing::Values("sqlite", "postgres"), testing::engine_name);

}  // namespace
}  // namespace haven
