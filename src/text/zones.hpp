// Time zones by IANA name, and countries, as ICU knows them.
#pragma once

#include <cstdint>
#include <string>

namespace haven::text {

// Whether `id` names a time zone ICU knows ("Europe/Riga"); not "Etc/Unknown", not a made-up name.
bool valid_time_zone(const std::string& id);

// "2026-11-26 16:28": the wall-clock time at `ms` (epoch milliseconds) in `time_zone`; UTC when the zone is unknown.
std::string local_time(int64_t ms, const std::string& time_zone);

// The ISO 3166 code ("FR") of a site's country: its name as people write it ("France", "Франция",
// "Frankreich", "fr"), else the region of its time zone ("Europe/Paris"); empty when neither says.
std::string country_code(const std::string& name, const std::string& time_zone);

}  // namespace haven::text
