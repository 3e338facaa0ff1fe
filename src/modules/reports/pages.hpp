// What the reports' pages and the grants' pages share.
#pragma once

#include <string>
#include <vector>

#include "modules/reports/grants.hpp"
#include "web/html.hpp"
#include "web/layout.hpp"

namespace haven::reports {

// What is due (deadlines, payments expected), soonest first, overdue ones marked; a sentence when nothing is.
void due_list(web::Html& h, const web::PageContext& ctx, const std::vector<Due>& due, const std::string& today);

}  // namespace haven::reports
