#include "web/widgets.hpp"

#include <gtest/gtest.h>

namespace haven::web {
namespace {

http::Request posted(std::string body, std::string locale) {
    http::Request r;
    r.method = "POST";
    r.path = "/people/1";
    r.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
    r.body = std::move(body);
    r.locale = std::move(locale);
    return r;
}

TEST(Localized, AValidationErrorNamesTheFieldAsThePageLabelsItInTheReadersLanguage) {
    auto ru = posted("", "ru"), en = posted("", "en");
    const Error future = invalid("birth_date", "birth_date is in the future.", "future");
    EXPECT_EQ(localized(page_context(ru), future), "Дата рождения: позже сегодняшнего дня.");
    EXPECT_EQ(localized(page_context(en), future), "Date of birth: after today.");
    // A list's element is its list; a nested field its last name; a limit is said.
    EXPECT_EQ(localized(page_context(en), invalid("legal_names[2]", "legal_names[2] holds control characters.", "text")).rfind("Name: ", 0), 0u);
    EXPECT_EQ(localized(page_context(en), invalid("recurrence.until", "x", "date")).rfind("Until: ", 0), 0u);
    EXPECT_EQ(localized(page_context(en), invalid("capacity", "x", "range", 500)), "Places: a whole number from 1 to 500.");
    // Unknown field, unknown problem: still words of the page's language, never the internal name or the API's text.
    const std::string unknown = localized(page_context(ru), invalid("zz_internal", "zz_internal is wrong.", "no_such_problem"));
    EXPECT_EQ(unknown, "Одно из полей: заполнено неверно: проверьте.");
    // Other errors keep their catalogue entry.
    EXPECT_EQ(localized(page_context(en), make_error(ErrorKind::forbidden, "forbidden", "No.")), "You are not allowed to do this.");
}

TEST(Localized, NoFieldLabelOrProblemShowsAnInternalName) {
    const auto& m = Messages::shipped();
    for (const auto& locale : m.locales())
        for (const auto& [key, text] : *m.catalogue(locale))
            if (key.rfind("field.", 0) == 0 || key.rfind("problem.", 0) == 0) {
                // Snake-case words are internal names; the pages must not show them.
                for (size_t i = 1; i + 1 < text.size(); ++i)
                    EXPECT_FALSE(text[i] == '_' && std::isalpha(uint8_t(text[i - 1])) && std::isalpha(uint8_t(text[i + 1])))
                        << locale << " " << key << ": " << text;
            }
}

Result<http::Response> form_page(const http::Request& request) {
    auto ctx = page_context(request);
    return page(ctx, 200, "people.person_title", [&](Html& h) {
        field(h, ctx, "pseudonym", "people.pseudonym", "text", "stored");
        field(h, ctx, "birth_date", "people.birth_date", "date", "1980-01-01");
        field(h, ctx, "password", "login.password", "password");
        textarea(h, ctx, "notes", "people.notes", "stored notes");
        select_field(h, ctx, "status", "people.status", {{"applicant", "A"}, {"resident", "R"}}, "applicant");
        h.element("i", {}, echoed_check(request, "needs", "legal", false) ? "legal-ticked" : "legal-unticked");
        h.element("i", {}, echoed_check(request, "consent", "record", true) ? "other-form-kept" : "other-form-lost");
    });
}

TEST(ShowAgain, AFailedFormComesBackWithWhatWasTypedTheReasonAndTheFieldMarked) {
    auto r = posted(
        "pseudonym=%D0%90%D0%BD%D0%BD%D0%B0&birth_date=2999-01-01&password=hunter2hunter2&notes=line+one%0Aline+two&status=resident&needs=legal",
        "ru");
    auto shown = show_again(r, invalid("birth_date", "birth_date is in the future.", "future"), [&] { return form_page(r); });
    ASSERT_TRUE(shown.ok());
    EXPECT_EQ(shown->status, 422);
    const std::string& b = shown->body;
    EXPECT_NE(b.find("value=\"Анна\""), std::string::npos);
    EXPECT_EQ(b.find("stored"), std::string::npos);
    EXPECT_NE(b.find("value=\"2999-01-01\""), std::string::npos);
    EXPECT_NE(b.find("line one\nline two</textarea>"), std::string::npos);
    EXPECT_NE(b.find("<option value=\"resident\" selected=\"selected\">"), std::string::npos);
    EXPECT_NE(b.find("legal-ticked"), std::string::npos);
    EXPECT_NE(b.find("other-form-kept"), std::string::npos);
    EXPECT_EQ(b.find("hunter2"), std::string::npos);  // a password is never sent back
    EXPECT_NE(b.find("aria-invalid=\"true\" aria-describedby=\"birth_date-error\""), std::string::npos);
    EXPECT_NE(b.find("id=\"birth_date-error\">Дата рождения: позже сегодняшнего дня.</p>"), std::string::npos);
    EXPECT_NE(b.find("role=\"alert\">Дата рождения: позже сегодняшнего дня."), std::string::npos);
}

TEST(ShowAgain, AnErrorAboutTheCallerIsNotAFormToShowAgain) {
    auto r = posted("pseudonym=x", "en");
    bool rendered = false;
    auto shown = show_again(r, make_error(ErrorKind::forbidden, "forbidden", "No."), [&] {
        rendered = true;
        return form_page(r);
    });
    EXPECT_FALSE(shown.ok());
    EXPECT_EQ(shown.error().code, "forbidden");
    EXPECT_FALSE(rendered);
    EXPECT_FALSE(r.echo.active);
}

}  // namespace
}  // namespace haven::web
