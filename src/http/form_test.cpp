#include "http/form.hpp"

#include <gtest/gtest.h>

namespace haven::http {
namespace {

TEST(Form, Decodes) {
    auto f = Form::parse("name=%D0%90%D0%BD%D0%BD%D0%B0+K&lang=ru&empty=&flag&name=second");
    ASSERT_TRUE(f.ok());
    EXPECT_EQ(f->get("name"), "Анна K");
    EXPECT_EQ(f->get("lang"), "ru");
    EXPECT_TRUE(f->has("empty"));
    EXPECT_TRUE(f->has("flag"));
    EXPECT_EQ(f->all("name").size(), 2u);
    EXPECT_EQ(f->get("missing"), "");
}

TEST(Form, RefusesAndNamesTheField) {
    struct Case {
        const char* body;
        const char* field;
    };
    const Case cases[] = {
        {"note=%ff", "note"}, {"note=%00", "note"}, {"note=%zz", "note"}, {"note=a%1", "note"}, {"%ff=x", ""},
    };
    for (const auto& c : cases) {
        auto f = Form::parse(c.body);
        ASSERT_FALSE(f.ok()) << c.body;
        EXPECT_EQ(f.error().field, c.field) << c.body;
        EXPECT_EQ(f.error().kind, ErrorKind::bad_request);
    }
}

TEST(Form, KeepsNewlinesOfATextarea) {
    auto f = Form::parse("note=line1%0D%0Aline2");
    ASSERT_TRUE(f.ok());
    EXPECT_EQ(f->get("note"), "line1\r\nline2");
}

TEST(Form, LimitsTheFieldCount) {
    std::string body;
    for (int i = 0; i < 1001; ++i) body += "f" + std::to_string(i) + "=1&";
    auto f = Form::parse(body);
    ASSERT_FALSE(f.ok());
    EXPECT_EQ(f.error().kind, ErrorKind::too_large);
    body.clear();
    for (int i = 0; i < 1000; ++i) body += "f=1&";
    EXPECT_TRUE(Form::parse(body).ok());
}

}  // namespace
}  // namespace haven::http
