#include "web/i18n.hpp"

#include <unicode/datefmt.h>
#include <unicode/dtptngen.h>
#include <unicode/messagepattern.h>
#include <unicode/msgfmt.h>
#include <unicode/plurrule.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "core/dates.hpp"
#include "core/log.hpp"

namespace haven::web {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

}  // namespace

Messages::Messages(std::span<const EmbeddedFile> files) {
    for (const auto& f : files) {
        std::string name(f.name);
        if (!name.ends_with(".txt")) continue;
        std::string locale = name.substr(0, name.size() - 4);
        auto& cat = catalogues_[locale];
        std::string_view data = f.data;
        size_t line_no = 0;
        while (!data.empty()) {
            size_t nl = data.find('\n');
            std::string_view line = trim(data.substr(0, nl));
            data = nl == std::string_view::npos ? std::string_view{} : data.substr(nl + 1);
            ++line_no;
            if (line.empty() || line.front() == '#') continue;
            size_t eq = line.find('=');
            if (eq == std::string_view::npos) throw std::runtime_error(name + ":" + std::to_string(line_no) + ": expected 'key = message'");
            std::string key(trim(line.substr(0, eq)));
            if (!cat.emplace(key, std::string(trim(line.substr(eq + 1)))).second)
                throw std::runtime_error(name + ":" + std::to_string(line_no) + ": duplicate key " + key);
        }
        locales_.push_back(locale);
    }
    std::sort(locales_.begin(), locales_.end(), [](const std::string& a, const std::string& b) {
        if (a == "en" || b == "en") return a == "en" && b != "en";
        return a < b;
    });
}

const Messages& Messages::shipped() {
    static const Messages messages(message_files());
    return messages;
}

bool Messages::supports(std::string_view locale) const { return std::find(locales_.begin(), locales_.end(), locale) != locales_.end(); }

const std::map<std::string, std::string>* Messages::catalogue(std::string_view locale) const {
    auto it = catalogues_.find(locale);
    return it == catalogues_.end() ? nullptr : &it->second;
}

const std::string* Messages::find(std::string_view locale, std::string_view key) const {
    for (std::string_view l : {locale, std::string_view("en")}) {
        if (auto* cat = catalogue(l)) {
            auto it = cat->find(std::string(key));
            if (it != cat->end()) return &it->second;
        }
    }
    return nullptr;
}

std::string Messages::t(std::string_view locale, std::string_view key) const { return t(locale, key, {}); }

std::string Messages::t(std::string_view locale, std::string_view key, std::initializer_list<std::pair<std::string_view, MessageArg>> args) const {
    const std::string* pattern = find(locale, key);
    if (!pattern) {
        log::warn("message_missing", {{"key", key}, {"locale", locale}});
        return std::string(key);
    }
    std::string out;
    if (!format_message(locale, *pattern, args, out)) {
        log::warn("message_malformed", {{"key", key}, {"locale", locale}});
        return std::string(key);
    }
    return out;
}

std::string Messages::negotiate(std::string_view header) const {
    std::string best;
    double best_q = 0;
    while (!header.empty()) {
        size_t comma = header.find(',');
        std::string_view item = trim(header.substr(0, comma));
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        double q = 1.0;
        if (size_t semi = item.find(';'); semi != std::string_view::npos) {
            std::string_view param = trim(item.substr(semi + 1));
            item = trim(item.substr(0, semi));
            if (param.starts_with("q=")) {
                try {
                    q = std::stod(std::string(param.substr(2, 8)));
                } catch (...) {
                    q = 0;
                }
            }
        }
        std::string primary(item.substr(0, item.find('-')));
        std::transform(primary.begin(), primary.end(), primary.begin(), [](char c) { return char(std::tolower((unsigned char)c)); });
        if (q > best_q && supports(primary)) {
            best = primary;
            best_q = q;
        }
    }
    return best;
}

bool format_message(std::string_view locale, std::string_view pattern, std::initializer_list<std::pair<std::string_view, MessageArg>> args,
                    std::string& out) {
    if (pattern.find_first_of("{}'") == std::string_view::npos) {
        out.assign(pattern);
        return true;
    }
    UErrorCode status = U_ZERO_ERROR;
    icu::Locale loc(std::string(locale).c_str());
    UParseError parse_error;
    icu::MessageFormat format(icu::UnicodeString::fromUTF8(icu::StringPiece(pattern.data(), int32_t(pattern.size()))), loc, parse_error, status);
    if (U_FAILURE(status)) return false;
    std::vector<icu::UnicodeString> names;
    std::vector<icu::Formattable> values;
    for (const auto& [name, value] : args) {
        names.push_back(icu::UnicodeString::fromUTF8(icu::StringPiece(name.data(), int32_t(name.size()))));
        if (auto* n = std::get_if<int64_t>(&value))
            values.emplace_back(static_cast<int64_t>(*n));
        else {
            const auto& s = std::get<std::string>(value);
            values.emplace_back(icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), int32_t(s.size()))));
        }
    }
    icu::UnicodeString result;
    format.format(names.data(), values.data(), int32_t(values.size()), result, status);
    if (U_FAILURE(status)) return false;
    out.clear();
    result.toUTF8String(out);
    return true;
}

std::string format_date(std::string_view locale, std::string_view iso_date, std::string_view style) {
    const std::string given(iso_date);
    const auto midnight = day_start(iso_date);  // a real calendar day, or nothing to format
    if (!midnight) return given;
    // A formatter is costly to make (the pattern generator reads locale data) and not safe to share between
    // threads: each worker keeps one per language and style.
    thread_local std::map<std::string, std::unique_ptr<icu::DateFormat>> formats;
    auto& format = formats[std::string(locale) + "|" + std::string(style)];
    if (!format) {
        UErrorCode status = U_ZERO_ERROR;
        const icu::Locale where(locale == "en" ? "en_GB" : std::string(locale).c_str());  // Haven's English is British
        if (style == "day") {
            std::unique_ptr<icu::DateTimePatternGenerator> generator(icu::DateTimePatternGenerator::createInstance(where, status));
            if (U_FAILURE(status)) return given;
            const icu::UnicodeString pattern = generator->getBestPattern(icu::UnicodeString("EEEEdMMMM"), status);
            format = std::make_unique<icu::SimpleDateFormat>(pattern, where, status);
        } else {
            format.reset(icu::DateFormat::createDateInstance(style == "long" ? icu::DateFormat::kLong : icu::DateFormat::kMedium, where));
        }
        if (!format || U_FAILURE(status)) {
            format.reset();
            return given;
        }
        std::unique_ptr<icu::TimeZone> utc(icu::TimeZone::createTimeZone("UTC"));
        format->setTimeZone(*utc);  // the date is a day, not an instant: noon UTC, shown in UTC
    }
    icu::UnicodeString out;
    format->format(UDate(*midnight + day_ms / 2), out);
    std::string text;
    out.toUTF8String(text);
    return text;
}

std::optional<PatternShape> shape_of(std::string_view pattern) {
    UErrorCode status = U_ZERO_ERROR;
    UParseError where;
    icu::MessagePattern mp(icu::UnicodeString::fromUTF8(icu::StringPiece(pattern.data(), int32_t(pattern.size()))), &where, status);
    if (U_FAILURE(status)) return std::nullopt;
    auto text = [&](const icu::MessagePattern::Part& part) {
        std::string out;
        mp.getSubstring(part).toUTF8String(out);
        return out;
    };
    PatternShape shape;
    for (int i = 0; i < mp.countParts(); ++i) {
        const auto& part = mp.getPart(i);
        if (part.getType() == UMSGPAT_PART_TYPE_ARG_NAME) shape.arguments.insert(text(part));
        if (part.getType() != UMSGPAT_PART_TYPE_ARG_START || part.getArgType() != UMSGPAT_ARG_TYPE_PLURAL) continue;
        std::set<std::string> categories;
        for (int j = i + 1, end = mp.getLimitPartIndex(i); j < end; ++j) {
            const auto& inner = mp.getPart(j);
            if (inner.getType() == UMSGPAT_PART_TYPE_ARG_SELECTOR && text(inner).front() != '=') categories.insert(text(inner));
            if (inner.getType() == UMSGPAT_PART_TYPE_MSG_START) j = mp.getLimitPartIndex(j);  // a branch's own arguments come later
        }
        shape.plurals.push_back(std::move(categories));
    }
    return shape;
}

std::set<std::string> integer_plural_categories(std::string_view locale) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::PluralRules> rules(icu::PluralRules::forLocale(icu::Locale(std::string(locale).c_str()), status));
    std::set<std::string> out;
    if (U_FAILURE(status)) return out;
    for (int n = 0; n <= 1000; ++n) {
        std::string keyword;
        rules->select(int32_t(n)).toUTF8String(keyword);
        out.insert(keyword);
    }
    return out;
}

}  // namespace haven::web
