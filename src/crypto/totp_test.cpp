#include "crypto/totp.hpp"

#include <gtest/gtest.h>

#include "crypto/password.hpp"
#include "crypto/random.hpp"

namespace haven::crypto {
namespace {

TEST(Sha1, Rfc3174Vectors) {
    EXPECT_EQ(hex(sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
    EXPECT_EQ(hex(sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    EXPECT_EQ(hex(sha1(std::string(1000000, 'a'))), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

TEST(Hmac, Rfc2202Vector) { EXPECT_EQ(hex(hmac_sha1(std::string(20, '\x0b'), "Hi There")), "b617318655057264e28bc0b6fb378c8ef146be00"); }

// RFC 6238 Appendix B, SHA1 column, 8 digits.
TEST(Totp, Rfc6238Vectors) {
    const std::string secret = "12345678901234567890";
    struct Case {
        int64_t t;
        const char* code;
    };
    const Case cases[] = {{59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
                          {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}};
    for (const auto& c : cases) EXPECT_EQ(totp_code(secret, c.t, 8), c.code) << c.t;
}

TEST(Totp, MatchesOneStepEitherSide) {
    const std::string secret = new_totp_secret();
    const int64_t now = 1'800'000'000;
    EXPECT_EQ(totp_match(secret, totp_code(secret, now), now), now / 30);
    EXPECT_TRUE(totp_match(secret, totp_code(secret, now - 30), now).has_value());
    EXPECT_TRUE(totp_match(secret, totp_code(secret, now + 30), now).has_value());
    EXPECT_FALSE(totp_match(secret, totp_code(secret, now - 90), now).has_value());
    EXPECT_FALSE(totp_match(secret, "12345", now).has_value());
    EXPECT_FALSE(totp_match(secret, "abcdef", now).has_value());
}

TEST(Base32, RoundTrips) {
    EXPECT_EQ(base32_encode("foobar"), "MZXW6YTBOI");
    EXPECT_EQ(base32_decode("mzxw 6ytb oi"), "foobar");
    EXPECT_EQ(base32_decode("MZXW1"), std::nullopt);
    const std::string s = new_totp_secret();
    EXPECT_EQ(base32_decode(base32_encode(s)), s);
}

TEST(Qr, EncodesTheUri) {
    auto qr = qr_path(totp_uri("anna", new_totp_secret()));
    EXPECT_GE(qr.size, 21);
    EXPECT_NE(qr.d.find("h1v1h-1z"), std::string::npos);
}

TEST(RecoveryCodes, AreDistinctAndNormalise) {
    auto codes = new_recovery_codes();
    ASSERT_EQ(codes.size(), 10u);
    EXPECT_EQ(codes[0].size(), 14u);
    EXPECT_NE(codes[0], codes[1]);
    EXPECT_EQ(normalise_recovery_code(" K7DQ-m2xp 9FHA"), "k7dqm2xp9fha");
}

TEST(Password, HashesAndRefusesWeakOnes) {
    auto h = hash_password("correct horse battery");
    EXPECT_TRUE(verify_password(h, "correct horse battery"));
    EXPECT_FALSE(verify_password(h, "correct horse batterY"));
    struct Case {
        const char* password;
        bool ok;
    };
    const Case cases[] = {{"short", false},        {"password1234", false},         {"PASSWORD1234", false},   {"qwerty123456", false},
                          {"пароль123456", false}, {"anna-the-coordinator", false}, {"стол лампа окно", true}, {"blue kettle marches", true}};
    for (const auto& c : cases) EXPECT_EQ(check_new_password(c.password, "anna").ok(), c.ok) << c.password;
    EXPECT_EQ(check_new_password("short", "x").error().field, "password");
}

}  // namespace
}  // namespace haven::crypto
