#include "http/router.hpp"

#include <gtest/gtest.h>

#include "http/target.hpp"

namespace haven::http {
namespace {

Handler named(std::string name) {
    return [name](Request&) -> Result<Response> { return Response::text(200, name); };
}

std::string call(const Router& r, const char* method, const char* path, std::string* param = nullptr) {
    auto t = parse_target(path);
    EXPECT_TRUE(t.ok()) << path;
    auto m = r.match(method, t->segments);
    if (!m.route) return m.allow.empty() ? "404" : "405:" + m.allow;
    Request q;
    if (param && m.params.count("id")) *param = m.params["id"];
    return m.route->handler(q)->body;
}

TEST(Router, MatchesLiteralsParamsAndMethods) {
    Router r;
    r.get("/", "public", named("root"));
    r.get("/items", "public", named("list"));
    r.get("/items/{id}", "public", named("show"));
    r.get("/items/new", "public", named("new"));
    r.post("/items", "public", named("create"));
    std::string id;
    EXPECT_EQ(call(r, "GET", "/"), "root");
    EXPECT_EQ(call(r, "GET", "/items"), "list");
    EXPECT_EQ(call(r, "POST", "/items"), "create");
    EXPECT_EQ(call(r, "GET", "/items/new"), "new");  // literal beats parameter
    EXPECT_EQ(call(r, "GET", "/items/42", &id), "show");
    EXPECT_EQ(id, "42");
    EXPECT_EQ(call(r, "GET", "/items/%D1%8F", &id), "show");
    EXPECT_EQ(id, "я");
    EXPECT_EQ(call(r, "HEAD", "/items"), "list");
    EXPECT_EQ(call(r, "DELETE", "/items"), "405:GET, POST");
    EXPECT_EQ(call(r, "GET", "/items/42/x"), "404");
    EXPECT_EQ(call(r, "GET", "/items/"), "404");
    EXPECT_EQ(call(r, "GET", "/nothing"), "404");
}

TEST(Router, RefusesDuplicatesAndBadPatterns) {
    Router r;
    r.get("/a/{id}", "public", named("a"));
    EXPECT_THROW(r.get("/a/{other}", "public", named("b")), std::logic_error);
    EXPECT_THROW(r.get("a", "public", named("c")), std::logic_error);
    EXPECT_THROW(r.get("/a//b", "public", named("d")), std::logic_error);
    EXPECT_NO_THROW(r.post("/a/{id}", "public", named("e")));
}

}  // namespace
}  // namespace haven::http
