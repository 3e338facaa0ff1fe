// Time zones by IANA name, as ICU knows them.
#pragma once

#include <string>

namespace haven::text {

// Whether `id` names a time zone ICU knows ("Europe/Riga"); not "Etc/Unknown", not a made-up name.
bool valid_time_zone(const std::string& id);

}  // namespace haven::text
