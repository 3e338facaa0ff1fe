// A typed HTML writer that escapes by construction:
// - tag and attribute names are `Literal`s, checked at compile time (no <script>, <style>, on*=, style=);
// - every text and attribute value is escaped;
// - URL attributes (href, src, action, formaction) go through a scheme allowlist;
// - only a Literal of our own source can be written raw.
#pragma once

#include <concepts>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace haven::web {

class Literal {
public:
    template <size_t N>
    consteval Literal(const char (&s)[N]) : s_(s, N - 1) {}
    constexpr std::string_view view() const { return s_; }

private:
    std::string_view s_;
};

// A tag or attribute name: lowercase letters, digits and '-', and never a way to run script or style.
class Name {
public:
    template <size_t N>
    consteval Name(const char (&s)[N]) : s_(s, N - 1) {
        if (s_.empty()) throw "empty name";
        for (char c : s_)
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) throw "names are lowercase ASCII";
        if (s_ == "script" || s_ == "style" || s_ == "iframe" || s_ == "object" || s_ == "embed" || s_ == "srcdoc" || s_.starts_with("on"))
            throw "this name is not allowed in Haven's pages";
    }
    constexpr std::string_view view() const { return s_; }

private:
    std::string_view s_;
};

struct Attr {
    Name name;
    std::string value;
};

// Returns `url` if it is relative ("/x", "#x", "?x", but not "//x") or http(s), mailto or tel;
// otherwise "#" (so javascript:, data: and the like never reach a page).
std::string safe_url(std::string_view url);
void escape_into(std::string& out, std::string_view text);

class Html {
public:
    Html& open(Name tag, std::initializer_list<Attr> attrs = {});
    Html& open(Name tag, std::initializer_list<Attr> attrs, std::initializer_list<Attr> more);
    Html& close();                                                  // closes the innermost open tag
    Html& empty(Name tag, std::initializer_list<Attr> attrs = {});  // <input>, <meta>, <link>
    Html& text(std::string_view text);                              // escaped
    Html& raw(Literal literal);                                     // our own source only, e.g. "<!doctype html>"
    // <script src=… defer></script> for one of our own assets (web/assets.hpp); the only way to a script tag.
    Html& script_asset(std::string_view file);

    // <tag attrs>text</tag>
    Html& element(Name tag, std::initializer_list<Attr> attrs, std::string_view text);
    // <tag attrs>…children…</tag>
    template <class F>
    requires std::invocable<F&> Html& element(Name tag, std::initializer_list<Attr> attrs, F&& children) {
        open(tag, attrs);
        children();
        return close();
    }

    // The document; throws std::logic_error if a tag was left open.
    std::string take();

private:
    void write_attrs(std::initializer_list<Attr> attrs);
    std::string out_;
    std::vector<std::string_view> open_;
};

}  // namespace haven::web
