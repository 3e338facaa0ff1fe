// What the people pages share (pages.cpp: intake and a person; pages_list.cpp: the list, search and retention).
#pragma once

#include <string>
#include <vector>

#include "http/form.hpp"
#include "http/params.hpp"
#include "modules/people/handlers.hpp"
#include "web/widgets.hpp"

namespace haven::people {

using accounts::Action;
using accounts::may;
using http::form_body;
using http::id_param;
using web::field;
using web::notice;
using web::page_context;

std::string site_url(int64_t site);  // a site's people list
std::string person_url(int64_t id);
std::string joined(const std::vector<std::string>& v, const char* sep);
// People as a list of links, each with its legal names.
void match_list(web::Html& h, const std::vector<Match>& matches, const char* id);

}  // namespace haven::people
