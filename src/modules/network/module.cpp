#include "core/config.hpp"
#include "modules/network/handlers.hpp"
#include "outbound/doorbell_channels.hpp"

namespace haven::network {

Module::Module(const modules::Shared& shared, accounts::Service& accounts)
    : service(shared, accounts), doorbells(shared.db, shared.vault, shared.clock) {
    service.on_publish([this](const std::string& id, bool urgent) { (void)doorbells.ring_all(id, urgent); });
}

Result<std::unique_ptr<Module>> Module::create(const modules::Shared& shared, accounts::Service& accounts, const Config& config) {
    auto m = std::make_unique<Module>(shared, accounts);
    const int timeout = config.doorbell_timeout_seconds;
    m->doorbells.allow_private_targets(config.doorbell_allow_private_targets);
    m->doorbells.set_ringer("webhook", outbound::webhook_ringer(timeout, config.doorbell_allow_private_targets));
    if (config.doorbell_webpush)
        m->doorbells.set_ringer(
            "webpush", outbound::webpush_ringer(shared.vault, "mailto:" + config.doorbell_from, timeout, config.doorbell_allow_private_targets));
    if (!config.doorbell_smtp.empty())
        m->doorbells.set_ringer("email", outbound::smtp_ringer({config.doorbell_smtp, config.doorbell_from, timeout, config.doorbell_smtp_tls}));
    if (!config.doorbell_matrix.empty()) {
        auto token = read_secret_file(config.doorbell_matrix_token_file);
        if (!token || token->empty())
            return make_error(ErrorKind::invalid, "bad_config", "doorbell-matrix needs doorbell-matrix-token-file with the bot's access token.",
                              "doorbell-matrix-token-file");
        m->doorbells.set_ringer("matrix", outbound::matrix_ringer(config.doorbell_matrix, *token, timeout));
    }
    m->doorbells.start();
    return m;
}

}  // namespace haven::network
