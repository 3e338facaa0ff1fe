// Every string a person reads comes from a message catalogue (src/web/messages/<locale>.txt), in ICU
// MessageFormat syntax so plurals follow each language's rules ("{n, plural, one {…} few {…} …}").
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/embedded.hpp"

namespace haven::web {

using MessageArg = std::variant<int64_t, std::string>;

class Messages {
public:
    // Parses catalogue files named <locale>.txt: "key = message" lines, '#' comments.
    // Throws std::runtime_error on a malformed line (a build mistake; a unit test loads them).
    explicit Messages(std::span<const EmbeddedFile> files);
    static const Messages& shipped();  // the catalogues compiled into the binary

    // The message for `key` in `locale` (falling back to English, then to the key itself).
    std::string t(std::string_view locale, std::string_view key) const;
    std::string t(std::string_view locale, std::string_view key, std::initializer_list<std::pair<std::string_view, MessageArg>> args) const;

    const std::vector<std::string>& locales() const { return locales_; }  // "en" first
    bool supports(std::string_view locale) const;
    // The best supported locale for an Accept-Language header, or "" when none fits.
    std::string negotiate(std::string_view accept_language) const;

    // For tests: the raw catalogue.
    const std::map<std::string, std::string>* catalogue(std::string_view locale) const;

private:
    const std::string* find(std::string_view locale, std::string_view key) const;
    std::map<std::string, std::map<std::string, std::string>, std::less<>> catalogues_;
    std::vector<std::string> locales_;
};

// Formats an ICU MessageFormat pattern; returns false and an error text when the pattern is malformed.
bool format_message(std::string_view locale, std::string_view pattern, std::initializer_list<std::pair<std::string_view, MessageArg>> args,
                    std::string& out);

// A calendar date ("2026-11-30") as the locale writes it, by ICU: "medium" (30 Nov 2026, 30 нояб. 2026 г.,
// 30.11.2026), "long" (30 November 2026), or "day" (the weekday and the date: "Monday 30 November", "понеділок,
// 30 листопада"). Anything that is not such a date comes back as given.
std::string format_date(std::string_view locale, std::string_view iso_date, std::string_view style = "medium");

// What a catalogue test compares across languages: the names of a pattern's arguments, and for each plural
// argument the categories it gives a branch (explicit "=0" branches aside). nullopt when the pattern is malformed.
struct PatternShape {
    std::set<std::string> arguments;
    std::vector<std::set<std::string>> plurals;
};
std::optional<PatternShape> shape_of(std::string_view pattern);
// The plural categories whole numbers (0 to 1,000) fall in, by CLDR: one/few/many/other in Russian and Ukrainian.
std::set<std::string> integer_plural_categories(std::string_view locale);

}  // namespace haven::web
