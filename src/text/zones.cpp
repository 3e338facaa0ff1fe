#include "text/zones.hpp"

#include <unicode/timezone.h>

#include <memory>

namespace haven::text {

bool valid_time_zone(const std::string& id) {
    std::unique_ptr<icu::TimeZone> tz(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(id)));
    icu::UnicodeString unknown;
    icu::TimeZone::getUnknown().getID(unknown);
    icu::UnicodeString got;
    tz->getID(got);
    return got != unknown && id != "Etc/Unknown";
}

}  // namespace haven::text
