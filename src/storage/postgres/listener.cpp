#include "storage/postgres/listener.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/log.hpp"

namespace haven::storage {
namespace {

class PostgresListener final : public Listener {
public:
    PostgresListener(std::string url, std::vector<std::string> channels, std::function<void(const std::string&)> heard)
        : url_(std::move(url)), channels_(std::move(channels)), heard_(std::move(heard)), thread_([this] { run(); }) {
        // Serving starts once this process hears what the others announce (or after 5 s, with a warning).
        std::unique_lock lock(mutex_);
        if (!listening_cv_.wait_for(lock, std::chrono::seconds(5), [this] { return listening_; })) log::warn("db_listener_not_ready", {});
    }
    ~PostgresListener() override {
        stop_ = true;
        thread_.join();
    }

private:
    // Connects, listens, and hands on what arrives; checks `stop_` at least every 200 ms.
    void run() {
        while (!stop_) {
            PGconn* conn = PQconnectdb(url_.c_str());
            bool listening = PQstatus(conn) == CONNECTION_OK;
            for (const auto& c : channels_) {
                if (!listening) break;
                PGresult* r = PQexec(conn, ("LISTEN " + c).c_str());
                listening = PQresultStatus(r) == PGRES_COMMAND_OK;
                PQclear(r);
            }
            if (listening) {
                bool first;
                {
                    std::lock_guard lock(mutex_);
                    first = !listening_;
                    listening_ = true;
                }
                listening_cv_.notify_all();
                if (!first) heard_("");  // listening again: whatever was announced meanwhile was missed
                receive(conn);
            }
            PQfinish(conn);
            if (stop_) break;
            log::warn("db_listener_reconnect", {});
            for (int i = 0; i < 5 && !stop_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    }

    // Until the connection breaks (false) or the listener stops (true).
    bool receive(PGconn* conn) {
        while (!stop_) {
            pollfd p{PQsocket(conn), POLLIN, 0};
            if (::poll(&p, 1, 200) < 0) continue;
            if (!PQconsumeInput(conn)) return false;
            while (PGnotify* n = PQnotifies(conn)) {
                const std::string channel = n->relname;
                PQfreemem(n);
                try {
                    heard_(channel);
                } catch (const std::exception&) {
                    log::error("db_listener_callback", {{"channel", channel}});
                }
            }
        }
        return true;
    }

    const std::string url_;
    const std::vector<std::string> channels_;
    const std::function<void(const std::string&)> heard_;
    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    std::condition_variable listening_cv_;
    bool listening_ = false;  // listened once (under mutex_)
    std::thread thread_;      // last: starts once the members above exist
};

}  // namespace

std::unique_ptr<Listener> listen_postgres(const std::string& url, const std::vector<std::string>& channels,
                                          std::function<void(const std::string&)> heard) {
    return std::make_unique<PostgresListener>(url, channels, std::move(heard));
}

}  // namespace haven::storage
