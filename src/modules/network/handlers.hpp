// The emergency network's HTTP endpoints (routes in src/app/routes.cpp; docs/EMERGENCY.md). Binary payloads
// (bodies, wraps, answers, the roster) travel as application/octet-stream; keys and small values as hex in JSON.
#pragma once

#include "core/config.hpp"
#include "core/result.hpp"
#include "http/message.hpp"
#include "modules/network/doorbells.hpp"
#include "modules/network/service.hpp"

namespace haven::network {

using http::Request;
using http::Response;

struct Context {
    Service& network;
    Doorbells& doorbells;
};

// The module as the app holds it: the mailboxes, and the doorbells with a ringer for each channel the
// configuration turns on (module.cpp). Publishing rings them.
struct Module {
    static Result<std::unique_ptr<Module>> create(const modules::Shared& shared, accounts::Service& accounts, const Config& config);
    Module(const modules::Shared& shared, accounts::Service& accounts);
    Service service;
    Doorbells doorbells;
    Context context{service, doorbells};
};

// Operators (network.operate)
Result<Response> api_enrolment(Request& request, Context& c);          // POST   /api/v1/network/enrolments
Result<Response> api_codes(Request& request, Context& c);              // GET    /api/v1/network/enrolments (open codes)
Result<Response> api_code_revoke(Request& request, Context& c);        // DELETE /api/v1/network/enrolments/{id}
Result<Response> api_code_lists(Request& request, Context& c);         // PUT    /api/v1/network/enrolments/{id}/lists
Result<Response> api_enrolment_keys(Request& request, Context& c);     // POST   /api/v1/network/enrolment-keys (a device with a code)
Result<Response> api_members(Request& request, Context& c);            // GET    /api/v1/network/members
Result<Response> api_member_revoke(Request& request, Context& c);      // POST   /api/v1/network/members/{id}/revoke (its doorbell too)
Result<Response> api_inbox(Request& request, Context& c);              // GET    /api/v1/network/inbox
Result<Response> api_inbox_drop(Request& request, Context& c);         // DELETE /api/v1/network/inbox/{id}
Result<Response> api_roster(Request& request, Context& c);             // GET    /api/v1/network/roster (ETag: version)
Result<Response> api_roster_put(Request& request, Context& c);         // PUT    /api/v1/network/roster (If-Match: version)
Result<Response> api_activation_create(Request& request, Context& c);  // POST   /api/v1/network/activations?expires_at=
Result<Response> api_wraps_add(Request& request, Context& c);          // POST   /api/v1/network/activations/{id}/wraps
Result<Response> api_publish(Request& request, Context& c);            // POST   /api/v1/network/activations/{id}/publish
Result<Response> api_state(Request& request, Context& c);              // GET    /api/v1/network/activations/{id}/state
Result<Response> api_acks(Request& request, Context& c);               // GET    /api/v1/network/activations/{id}/acks
Result<Response> api_queues(Request& request, Context& c);             // GET    /api/v1/network/doorbells/queues

// Members' devices (public: the server cannot and must not know who asks)
Result<Response> member_app(Request& request, Context& c);         // GET    /network/app (the member app for phones)
Result<Response> api_register(Request& request, Context& c);       // POST   /api/v1/network/members
Result<Response> api_prekey(Request& request, Context& c);         // PUT    /api/v1/network/members/{id}/prekey (X-Member-Token)
Result<Response> api_member_leave(Request& request, Context& c);   // DELETE /api/v1/network/members/{id} (X-Member-Token; its doorbell too)
Result<Response> api_activations(Request& request, Context& c);    // GET    /api/v1/network/activations?after=&wait=
Result<Response> api_body(Request& request, Context& c);           // GET    /api/v1/network/activations/{id}
Result<Response> api_wrap(Request& request, Context& c);           // GET    /api/v1/network/activations/{id}/wraps/{locator}
Result<Response> api_ack(Request& request, Context& c);            // POST   /api/v1/network/activations/{id}/acks (X-Ack-Capability)
Result<Response> api_doorbell(Request& request, Context& c);       // POST   /api/v1/network/doorbells
Result<Response> api_doorbell_drop(Request& request, Context& c);  // DELETE /api/v1/network/doorbells/{id} (X-Doorbell-Token)
Result<Response> api_push_key(Request& request, Context& c);       // GET    /api/v1/network/push-key (Web Push's applicationServerKey)

}  // namespace haven::network
