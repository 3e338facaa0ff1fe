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

// multipart/form-data: what a browser sends for a form with a file and no JavaScript (the import page).
TEST(Form, ReadsAMultipartFormAsABrowserSendsIt) {
    const std::string type = "multipart/form-data; boundary=----WebKitFormBoundaryAbC123";
    const std::string body =
        "------WebKitFormBoundaryAbC123\r\n"
        "Content-Disposition: form-data; name=\"_csrf\"\r\n\r\n"
        "tok\r\n"
        "------WebKitFormBoundaryAbC123\r\n"
        "Content-Disposition: form-data; name=\"csv\"; filename=\"residents.csv\"\r\n"
        "Content-Type: text/csv\r\n\r\n"
        "Pseudonym,Имя\r\nKot,Анна\r\n\r\n"
        "------WebKitFormBoundaryAbC123--\r\n";
    auto f = Form::parse_multipart(body, type);
    ASSERT_TRUE(f.ok()) << f.error().message;
    EXPECT_EQ(f->get("_csrf"), "tok");
    EXPECT_EQ(f->get("csv"), "Pseudonym,Имя\r\nKot,Анна\r\n");
    EXPECT_TRUE(
        Form::parse_multipart("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--b--", "multipart/form-data; boundary=\"b\"").ok())
        << "a quoted boundary";
}

TEST(Form, AFilePartNamedBinaryKeepsItsBytesAndIsNeverAValue) {
    const std::string type = "multipart/form-data; boundary=b";
    const std::string scan = std::string("%PDF-1.4\0\xff\x01\r\n", 14);
    const std::string body =
        "--b\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nпривет\r\n"
        "--b\r\nContent-Disposition: form-data; name=\"scan\"; filename=\"ответ.pdf\"\r\nContent-Type: application/pdf\r\n\r\n" +
        scan + "\r\n--b--";
    auto f = Form::parse_multipart(body, type, {"scan"});
    ASSERT_TRUE(f.ok()) << f.error().message;
    EXPECT_EQ(f->get("text"), "привет");
    ASSERT_NE(f->file("scan"), nullptr);
    EXPECT_EQ(f->file("scan")->bytes, scan);
    EXPECT_EQ(f->file("scan")->filename, "ответ.pdf");
    EXPECT_EQ(f->file("scan")->content_type, "application/pdf");
    EXPECT_EQ(f->get("scan"), "") << "a file is never a form value";
    // Not named binary, the same bytes are refused as a value; a file's name with a control character is refused.
    EXPECT_FALSE(Form::parse_multipart(body, type).ok());
    auto bad =
        Form::parse_multipart("--b\r\nContent-Disposition: form-data; name=\"scan\"; filename=\"a\x01.pdf\"\r\n\r\nx\r\n--b--", type, {"scan"});
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().field, "scan");
    // "*": every part with a filename is a file (the CSRF check reads the other fields of any upload).
    auto any = Form::parse_multipart(body, type, {"*"});
    ASSERT_TRUE(any.ok());
    EXPECT_EQ(any->get("text"), "привет");
    EXPECT_NE(any->file("scan"), nullptr);
    // An empty file input (nothing chosen) is no file.
    auto none = Form::parse_multipart("--b\r\nContent-Disposition: form-data; name=\"scan\"; filename=\"\"\r\n\r\n\r\n--b--", type, {"scan"});
    ASSERT_TRUE(none.ok());
    EXPECT_EQ(none->file("scan"), nullptr);
}

TEST(Form, RefusesMalformedMultipartBodiesNamingWhatIsWrong) {
    const std::string type = "multipart/form-data; boundary=b";
    const std::string part = "Content-Disposition: form-data; name=\"x\"\r\n\r\n";
    struct Case {
        const char* what;
        std::string body, type;
        ErrorKind kind;
    };
    const std::vector<Case> cases = {
        {"no boundary", "--b\r\n" + part + "1\r\n--b--", "multipart/form-data", ErrorKind::bad_request},
        {"a boundary of 71 characters", "--b\r\n" + part + "1\r\n--b--", "multipart/form-data; boundary=" + std::string(71, 'b'),
         ErrorKind::bad_request},
        {"not starting with it", "x--b\r\n" + part + "1\r\n--b--", type, ErrorKind::bad_request},
        {"a part never closed", "--b\r\n" + part + "1", type, ErrorKind::bad_request},
        {"headers never ended", "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n--b--", type, ErrorKind::bad_request},
        {"a part without a name", "--b\r\nContent-Disposition: form-data\r\n\r\n1\r\n--b--", type, ErrorKind::bad_request},
        {"not form-data", "--b\r\nContent-Disposition: attachment; name=\"x\"\r\n\r\n1\r\n--b--", type, ErrorKind::bad_request},
        {"invalid UTF-8", "--b\r\n" + part + "\xff\r\n--b--", type, ErrorKind::bad_request},
        {"a NUL", "--b\r\n" + part + std::string("a\0b", 3) + "\r\n--b--", type, ErrorKind::bad_request},
    };
    for (const auto& c : cases) {
        auto f = Form::parse_multipart(c.body, c.type);
        ASSERT_FALSE(f.ok()) << c.what;
        EXPECT_EQ(f.error().kind, c.kind) << c.what;
        EXPECT_EQ(f.error().code, "bad_form") << c.what;
    }
    std::string many = "--b";
    for (int i = 0; i < 1001; ++i) many += "\r\n" + part + "1\r\n--b";
    many += "--";
    auto f = Form::parse_multipart(many, type);
    ASSERT_FALSE(f.ok());
    EXPECT_EQ(f.error().kind, ErrorKind::too_large);
}

}  // namespace
}  // namespace haven::http
