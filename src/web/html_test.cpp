#include "web/html.hpp"

#include <gtest/gtest.h>

namespace haven::web {
namespace {

TEST(Html, EscapesTextAndAttributes) {
    Html h;
    h.element("p", {{"title", "\"><script>alert(1)</script>"}}, "<b>Анна & 'Ivan'</b>");
    EXPECT_EQ(h.take(), "<p title=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">&lt;b&gt;Анна &amp; &#39;Ivan&#39;&lt;/b&gt;</p>");
}

TEST(Html, UrlAttributesGoThroughTheAllowlist) {
    struct Case {
        const char* url;
        const char* written;
    };
    const Case cases[] = {
        {"/people/1", "/people/1"},
        {"#main", "#main"},
        {"?page=2", "?page=2"},
        {"https://example.org/a?b=c&d", "https://example.org/a?b=c&amp;d"},
        {"mailto:x@example.org", "mailto:x@example.org"},
        {"javascript:alert(1)", "#"},
        {"JavaScript:alert(1)", "#"},
        {" javascript:alert(1)", "#"},
        {"data:text/html,<b>", "#"},
        {"//evil.example/", "#"},
        {"/\\evil.example", "#"},
        {"java\tscript:x", "#"},
        {"vbscript:x", "#"},
        {"", "#"},
    };
    for (const auto& c : cases) {
        Html h;
        h.element("a", {{"href", c.url}}, "x");
        EXPECT_EQ(h.take(), std::string("<a href=\"") + c.written + "\">x</a>") << c.url;
    }
}

TEST(Html, NestsAndChecksBalance) {
    Html h;
    h.element("ul", {}, [&] { h.element("li", {}, "one"); });
    EXPECT_EQ(h.take(), "<ul><li>one</li></ul>");
    Html open;
    open.open("div");
    EXPECT_THROW(open.take(), std::logic_error);
}

// Names are checked at compile time: Html{}.open("script") or Attr{"onclick", …} do not compile.

}  // namespace
}  // namespace haven::web
