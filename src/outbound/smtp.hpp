// Short e-mails to a relay (the doorbells' "check your mailbox"), through libcurl's SMTP client (Debian's
// libcurl4-openssl-dev): deadlines on connecting and on the whole exchange, STARTTLS with certificate checks,
// dot-stuffing and line limits done by a maintained client rather than by hand over a socket
// (docs/ARCHITECTURE.md, "Outbound").
#pragma once

#include <string>

#include "core/result.hpp"

namespace haven::outbound {

struct SmtpRelay {
    std::string host_port;  // "127.0.0.1:25", "smtp.example.org:587"
    std::string from;
    int timeout_seconds = 10;
    // auto: STARTTLS required with a verified certificate, except to a loopback relay (a local postfix that does
    // TLS onwards); require: always; off: never (a relay on a private network that has none).
    std::string tls = "auto";
};

// One message of a few lines, plain text. `to` is one address, already checked (no spaces, CR, LF, < or >).
Status send_mail(const SmtpRelay& relay, const std::string& to, const std::string& subject, const std::string& body, const std::string& message_id);

}  // namespace haven::outbound
