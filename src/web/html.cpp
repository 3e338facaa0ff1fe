#include "web/html.hpp"

#include <stdexcept>

#include "web/assets.hpp"

namespace haven::web {
namespace {

bool is_url_attribute(std::string_view name) {
    return name == "href" || name == "src" || name == "action" || name == "formaction" || name == "poster" || name == "cite" || name == "data";
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
        if (c != prefix[i]) return false;
    }
    return true;
}

}  // namespace

std::string safe_url(std::string_view url) {
    for (unsigned char c : url)
        if (c < 0x20 || c == 0x7f) return "#";
    if (url.starts_with("//") || url.starts_with("/\\")) return "#";
    if (url.starts_with("/") || url.starts_with("#") || url.starts_with("?")) return std::string(url);
    for (std::string_view scheme : {"https:", "http:", "mailto:", "tel:"})
        if (starts_with_ci(url, scheme)) return std::string(url);
    return "#";
}

void escape_into(std::string& out, std::string_view text) {
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
}

void Html::write_attrs(std::initializer_list<Attr> attrs) {
    for (const Attr& a : attrs) {
        out_ += ' ';
        out_ += a.name.view();
        out_ += "=\"";
        escape_into(out_, is_url_attribute(a.name.view()) ? safe_url(a.value) : a.value);
        out_ += '"';
    }
}

Html& Html::open(Name tag, std::initializer_list<Attr> attrs) {
    out_ += '<';
    out_ += tag.view();
    write_attrs(attrs);
    out_ += '>';
    open_.push_back(tag.view());
    return *this;
}

Html& Html::open(Name tag, std::initializer_list<Attr> attrs, std::initializer_list<Attr> more) {
    out_ += '<';
    out_ += tag.view();
    write_attrs(attrs);
    write_attrs(more);
    out_ += '>';
    open_.push_back(tag.view());
    return *this;
}

Html& Html::close() {
    if (open_.empty()) throw std::logic_error("Html::close with no open tag");
    out_ += "</";
    out_ += open_.back();
    out_ += '>';
    open_.pop_back();
    return *this;
}

Html& Html::empty(Name tag, std::initializer_list<Attr> attrs) {
    out_ += '<';
    out_ += tag.view();
    write_attrs(attrs);
    out_ += '>';
    return *this;
}

Html& Html::text(std::string_view text) {
    escape_into(out_, text);
    return *this;
}

Html& Html::raw(Literal literal) {
    out_ += literal.view();
    return *this;
}

Html& Html::script_asset(std::string_view file) {
    out_ += "<script src=\"";
    escape_into(out_, asset_url(file));
    out_ += "\" defer></script>";
    return *this;
}

Html& Html::element(Name tag, std::initializer_list<Attr> attrs, std::string_view text) {
    open(tag, attrs);
    escape_into(out_, text);
    return close();
}

std::string Html::take() {
    if (!open_.empty()) throw std::logic_error("Html::take with an open <" + std::string(open_.back()) + ">");
    return std::move(out_);
}

}  // namespace haven::web
