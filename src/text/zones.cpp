#include "text/zones.hpp"

#include <unicode/calendar.h>
#include <unicode/gregocal.h>
#include <unicode/locid.h>
#include <unicode/timezone.h>

#include <cstdio>
#include <memory>

#include "text/names.hpp"

namespace haven::text {

bool valid_time_zone(const std::string& id) {
    std::unique_ptr<icu::TimeZone> tz(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(id)));
    icu::UnicodeString unknown;
    icu::TimeZone::getUnknown().getID(unknown);
    icu::UnicodeString got;
    tz->getID(got);
    return got != unknown && id != "Etc/Unknown";
}

std::string local_time(int64_t ms, const std::string& time_zone) {
    UErrorCode status = U_ZERO_ERROR;
    icu::GregorianCalendar calendar(
        icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(valid_time_zone(time_zone) ? time_zone : std::string("UTC"))), status);
    calendar.setTime(UDate(ms), status);
    char out[32];
    if (U_FAILURE(status)) return "";
    std::snprintf(out, sizeof out, "%04d-%02d-%02d %02d:%02d", calendar.get(UCAL_YEAR, status), calendar.get(UCAL_MONTH, status) + 1,
                  calendar.get(UCAL_DATE, status), calendar.get(UCAL_HOUR_OF_DAY, status), calendar.get(UCAL_MINUTE, status));
    return U_FAILURE(status) ? "" : out;
}

std::string country_code(const std::string& name, const std::string& time_zone) {
    const std::string wanted = fold(name);
    if (!wanted.empty()) {
        for (const char* const* code = icu::Locale::getISOCountries(); *code; ++code) {
            if (fold(*code) == wanted) return *code;
            const icu::Locale country("", *code);
            for (const char* language : {"en", "ru", "uk", "de", "fr", "es", "it", "pl", "lt", "lv", "et", "cs", "nl", "fi", "sv"}) {
                icu::UnicodeString shown;
                std::string text;
                country.getDisplayCountry(icu::Locale(language), shown).toUTF8String(text);
                if (fold(text) == wanted) return *code;
            }
        }
    }
    if (!valid_time_zone(time_zone)) return "";
    char region[8] = {};
    UErrorCode status = U_ZERO_ERROR;
    const int32_t n = icu::TimeZone::getRegion(icu::UnicodeString::fromUTF8(time_zone), region, sizeof region, status);
    if (U_FAILURE(status) || n != 2) return "";
    return region;
}

}  // namespace haven::text
