// The pages and JSON endpoints of people: intake, search, a person's page, consent, retention, erasure,
// import and export. Routes are in src/app/routes.cpp. Names never travel in a page's URL: the search
// form posts (the API's ?q= is the documented exception, and the server never logs a target).
#pragma once

#include <chrono>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "core/config.hpp"
#include "core/result.hpp"
#include "http/message.hpp"
#include "modules/accounts/service.hpp"
#include "modules/people/searches.hpp"
#include "modules/people/service.hpp"
#include "web/layout.hpp"

namespace haven::people {

using http::Request;
using http::Response;

// Imports run in the background so that the page can show progress; the import itself is one transaction.
class Importer {
public:
    struct Job {
        int64_t site_id = 0, account_id = 0;
        std::atomic<size_t> done{0};
        size_t total = 0;
        std::atomic<bool> finished{false};
        Error error;  // when finished without success
        bool ok = false;
        std::chrono::steady_clock::time_point finished_at;  // set before `finished`
    };
    explicit Importer(Service& service) : service_(service) {}
    ~Importer();
    // Starts writing `people` (and the `merges` into people recorded already: Service::create_all); returns the
    // job's id (a random token, known only to the one who started it).
    std::string start(const Principal& actor, int64_t site_id, std::vector<Person> people, std::vector<std::pair<int64_t, Person>> merges = {});
    std::shared_ptr<Job> job(const std::string& id);

private:
    Service& service_;
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<Job>> jobs_;
    std::vector<std::pair<std::shared_ptr<Job>, std::thread>> threads_;
    void reap();
};

struct Context {
    Service& people;
    accounts::Service& accounts;
    Importer& importer;
    Searches& searches;
    // What other modules add to a person's page (casework: cases, counselling, requests).
    std::function<void(web::Html&, const web::PageContext&, const Request&, const Person&)> sections;
};

// The module as the app holds it. The app sets `context.sections` once the modules that add them exist.
struct Module {
    Module(const modules::Shared& shared, accounts::Service& accounts, const Config& config)
        : service(shared, accounts, {config.retention_months, config.name_index_bits}),
          searches(shared.clock), context{service, accounts, importer, searches, {}} {}
    Service service;
    Importer importer{service};  // destroyed before the service: waits for a running import
    Searches searches;
    Context context;
};

// Pages
Result<Response> people_home(Request& request, Context& c);       // GET  /people → the reader's site
Result<Response> people_show(Request& request, Context& c);       // GET  /sites/{site}/people
Result<Response> people_search(Request& request, Context& c);     // POST /sites/{site}/people/search
Result<Response> intake_show(Request& request, Context& c);       // GET  /sites/{site}/people/new
Result<Response> intake_save(Request& request, Context& c);       // POST /sites/{site}/people
Result<Response> person_show(Request& request, Context& c);       // GET  /people/{id}
Result<Response> person_edit_show(Request& request, Context& c);  // GET  /people/{id}/edit
Result<Response> person_save(Request& request, Context& c);       // POST /people/{id}
Result<Response> consent_save(Request& request, Context& c);      // POST /people/{id}/consents
Result<Response> erase_save(Request& request, Context& c);        // POST /people/{id}/erase
Result<Response> retention_show(Request& request, Context& c);    // GET  /sites/{site}/people/retention
Result<Response> import_show(Request& request, Context& c);       // GET  /sites/{site}/people/import
Result<Response> import_preview(Request& request, Context& c);    // POST /sites/{site}/people/import/preview
Result<Response> import_save(Request& request, Context& c);       // POST /sites/{site}/people/import
Result<Response> import_progress(Request& request, Context& c);   // GET  /sites/{site}/people/import/{id}
Result<Response> export_show(Request& request, Context& c);       // GET  /sites/{site}/people/export: asks for the code
Result<Response> export_save(Request& request, Context& c);       // POST /sites/{site}/people/export: the file
Result<Response> api_export(Request& request, Context& c);        // GET  /api/v1/sites/{site}/people/export

// JSON API (docs/api/openapi.yaml)
Result<Response> api_people_create(Request& request, Context& c);  // POST   /api/v1/people
Result<Response> api_people_search(Request& request, Context& c);  // GET    /api/v1/people?q=&site=
Result<Response> api_person(Request& request, Context& c);         // GET    /api/v1/people/{id}
Result<Response> api_person_update(Request& request, Context& c);  // PUT    /api/v1/people/{id}
Result<Response> api_person_erase(Request& request, Context& c);   // DELETE /api/v1/people/{id}
Result<Response> api_consents(Request& request, Context& c);       // GET    /api/v1/people/{id}/consents
Result<Response> api_consent_save(Request& request, Context& c);   // POST   /api/v1/people/{id}/consents
Result<Response> api_retention(Request& request, Context& c);      // GET    /api/v1/sites/{site}/people/retention
Result<Response> api_import(Request& request, Context& c);         // POST   /api/v1/sites/{site}/people/import (text/csv)

}  // namespace haven::people
