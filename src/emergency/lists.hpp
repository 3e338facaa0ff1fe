// The operators' lists of regions and skills (docs/EMERGENCY.md, "Regions and skills"): each entry an id (the
// word tiers and profiles carry, already in normalised form: "pskov", "safe_flat") and its names in each
// language ("en": "Pskov", "ru": "Псков"). Members choose from them when they join; operators name tiers by id
// or by any name. Kept in the operators' state, and handed to a joining member sealed under a key derived from
// the enrolment code, so the hub stores them but cannot read them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "emergency/wire.hpp"

namespace haven::emergency {

struct ListEntry {
    std::string id;
    std::map<std::string, std::string> names;  // language ("en", "ru") → name
};

struct Lists {
    std::vector<ListEntry> regions, skills;
    bool empty() const { return regions.empty() && skills.empty(); }
    std::vector<ListEntry>* of(std::string_view kind);  // "region(s)" / "skill(s)"; nullptr otherwise
    const std::vector<ListEntry>* of(std::string_view kind) const;
};

// Limits: 200 entries a list, ids of 1-40 characters [a-z0-9_], 1-8 names an entry, languages of 2-3 letters
// a-z, names of 1-80 bytes on one line.
constexpr size_t max_list_entries = 200;
// What a hub keeps for one code at most: ample for 200 regions and 200 skills with names in a few languages.
constexpr size_t max_sealed_lists = 64 * 1024;

// Strict: anything outside the shape and limits is refused, naming what.
Result<Lists> parse_lists(std::string_view json);
std::string lists_json(const Lists& lists);
// An entry from words an operator typed: ID and NAMES of the form "en=Pskov". Refused, naming the part.
Result<ListEntry> list_entry(std::string_view id, const std::vector<std::string>& names);

// The id of the entry whose id or any name is `word`, compared normalised (alert.hpp); nullopt when none is.
std::optional<std::string> resolve(const std::vector<ListEntry>& list, std::string_view word);
// "pskov (Pskov, Псков), tver (Tver, Тверь)": the choices, for a refusal's message.
std::string choices(const std::vector<ListEntry>& list);

// Sealed for a joining member: XChaCha20-Poly1305 under BLAKE2b-256(key = the code, "haven-enrol-lists-v1").
// The hub keeps only a hash of the code, which is not this key.
Bytes seal_lists(const Lists& lists, std::string_view code);
Result<Lists> open_lists(const Bytes& sealed, std::string_view code);

}  // namespace haven::emergency
