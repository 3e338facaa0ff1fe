#include <time.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "crypto/random.hpp"
#include "http/json.hpp"
#include "modules/vault/handlers.hpp"
#include "storage/backup.hpp"

namespace haven::vault {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr int64_t most_kept = 1000;

std::string file_name(int64_t now_ms) {
    const time_t t = time_t(now_ms / 1000);
    tm utc{};
    gmtime_r(&t, &utc);
    char name[64];
    std::strftime(name, sizeof name, "haven-%Y%m%dT%H%M%SZ.backup", &utc);
    return name;
}

// The backups this command wrote (its names sort by time), newest last; other files are never touched.
std::vector<fs::path> written(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& f : fs::directory_iterator(dir, ec)) {
        const std::string name = f.path().filename().string();
        if (name.size() == 29 && name.starts_with("haven-") && name.ends_with("Z.backup")) out.push_back(f.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

Result<Response> api_backup(Request& request, Context& c) {
    if (!crypto::equal_secret(request.header("X-Seal-Token"), c.seal_token))
        return make_error(ErrorKind::forbidden, "forbidden", "A valid X-Seal-Token is needed.");
    int64_t keep = 14;
    if (!request.body.empty()) {
        HAVEN_TRY(body, http::parse_json(request.body));
        const auto* k = body.is_object() ? body.as_object().if_contains("keep") : nullptr;
        if (k && (!k->is_int64() || k->as_int64() < 1 || k->as_int64() > most_kept))
            return make_error(ErrorKind::invalid, "invalid", "keep must be a whole number from 1 to 1000.", "keep");
        if (k) keep = k->as_int64();
    }
    std::unique_lock one(c.backing_up, std::try_to_lock);
    if (!one.owns_lock()) return make_error(ErrorKind::conflict, "busy", "A backup is being written; try again when it is done.");

    const fs::path dir = fs::path(c.data_dir) / "backups";
    std::error_code ec;
    fs::create_directories(dir, ec);
    fs::permissions(dir, fs::perms::owner_all, ec);
    // Named by the machine's real time: files on a disk, sorted by name.
    const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    const fs::path path = dir / file_name(now);
    if (fs::exists(path)) return make_error(ErrorKind::conflict, "busy", "A backup was written this second; try again.");
    std::stringstream vault_text;
    vault_text << std::ifstream(fs::path(c.data_dir) / "vault.json").rdbuf();
    // An export of everything: audited first (the entry is in the backup too).
    (void)c.db.write([&](storage::Tx& tx) -> Status {
        c.audit.record(tx, {"backup.write"});
        return {};
    });
    HAVEN_TRY(summary, storage::write_backup(
                           c.db, [&] { return c.vault.subkey(crypto::KeyPurpose::backup); }, vault_text.str(), path.string()));
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write, ec);
    json::array removed;
    auto all = written(dir);
    for (size_t i = 0; i + size_t(keep) < all.size(); ++i)
        if (fs::remove(all[i], ec)) removed.push_back(json::string(all[i].filename().string()));
    return Response::json(
        200, json::serialize(json::object{
                 {"file", path.string()}, {"tables", summary.tables}, {"rows", summary.rows}, {"bytes", summary.bytes}, {"removed", removed}}));
}

}  // namespace haven::vault
