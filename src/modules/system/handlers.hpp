// Machine-facing endpoints: health, metrics, static assets, and the durability probe used by tests.
#pragma once

#include "core/clock.hpp"
#include "core/result.hpp"
#include "http/message.hpp"
#include "http/metrics.hpp"
#include "storage/db.hpp"

namespace haven::system {

using http::Request;
using http::Response;

// GET /healthz — 200 {"status":"ok","sealed":false} while the process serves. No auth, no personal data.
Result<Response> health_show(Request& request, bool sealed);
// GET /metrics — Prometheus text, for the holder of the metrics token only (its route's access rule is
// metrics_access): the per-route counters show what the centre is doing (notes written, exports, activations).
Result<Response> metrics_show(Request& request, const http::Metrics& metrics);
inline constexpr const char* metrics_access = "metrics-token";
// DATA/metrics-token (0600), made if missing; empty when it can be neither read nor made (then nobody gets in).
std::string metrics_token(const std::string& data_dir);
// `Authorization: Bearer <token>` compared in constant time; 401 otherwise.
Status check_metrics_token(const Request& request, const std::string& token);
// GET /api/v1/openapi.json — docs/api/openapi.yaml as JSON (converted at build time; the tests check that document).
Result<Response> openapi_show(Request& request);
// GET /assets/{file} — a content-hashed asset.
Result<Response> asset_show(Request& request);
// POST /api/v1/test/writes {"id","payload"} — one durable write; 201 once committed, 409 if the id exists.
Result<Response> probe_save(Request& request, storage::Database& db, const Clock& clock);
// GET /api/v1/test/writes/{id} — 200 if present, 404 otherwise.
Result<Response> probe_show(Request& request, storage::Database& db);

}  // namespace haven::system
