#include "outbound/smtp.hpp"

#include <curl/curl.h>

#include <cstring>
#include <memory>
#include <mutex>

namespace haven::outbound {

namespace {

Error failed(const std::string& why) { return make_error(ErrorKind::unavailable, "doorbell_failed", why); }

struct Payload {
    std::string text;
    size_t at = 0;
};

size_t read_payload(char* buffer, size_t size, size_t count, void* user) {
    auto* p = static_cast<Payload*>(user);
    const size_t n = std::min(size * count, p->text.size() - p->at);
    std::memcpy(buffer, p->text.data() + p->at, n);
    p->at += n;
    return n;
}

bool loopback(const std::string& host_port) {
    const std::string host = host_port.substr(0, host_port.rfind(':'));
    return host == "127.0.0.1" || host == "localhost" || host == "[::1]" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace

Status send_mail(const SmtpRelay& relay, const std::string& to, const std::string& subject, const std::string& body, const std::string& message_id) {
    static std::once_flag initialised;
    std::call_once(initialised, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl) return failed("the SMTP client could not start");
    const bool tls = relay.tls == "require" || (relay.tls == "auto" && !loopback(relay.host_port));
    const std::string url = "smtp://" + relay.host_port, from = "<" + relay.from + ">";
    Payload payload{"From: <" + relay.from + ">\r\nTo: <" + to + ">\r\nSubject: " + subject + "\r\nMessage-ID: <" + message_id + "@haven>\r\n\r\n" +
                    body + "\r\n"};
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt(curl_slist_append(nullptr, ("<" + to + ">").c_str()), &curl_slist_free_all);
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_payload);
    curl_easy_setopt(c, CURLOPT_READDATA, &payload);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_USE_SSL, long(tls ? CURLUSESSL_ALL : CURLUSESSL_NONE));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, long(relay.timeout_seconds));
    curl_easy_setopt(c, CURLOPT_TIMEOUT, long(relay.timeout_seconds));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // deliverers are threads: no SIGALRM for name lookups
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp");
    const CURLcode done = curl_easy_perform(c);
    if (done != CURLE_OK) return failed(std::string("SMTP: ") + curl_easy_strerror(done));  // names no address
    return {};
}

}  // namespace haven::outbound
