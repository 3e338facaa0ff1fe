#include "crypto/web_push.hpp"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <sodium.h>

#include <boost/json.hpp>

#include "crypto/random.hpp"
#include "crypto/vault.hpp"

// The e2e (e2e/specs/network.mjs) checks the same header with an independent JWT implementation (jose); here,
// the parts RFC 8292 names, and the signature against the public key with OpenSSL's verifier.
namespace haven::crypto {
namespace {

std::string unb64(std::string_view s) {
    std::string out(s.size(), '\0');
    size_t n = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), s.data(), s.size(), nullptr, &n, nullptr,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return "<not base64url>";
    out.resize(n);
    return out;
}

bool verifies(const std::string& point, const std::string& data, const std::string& rs) {
    OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
    OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX* pctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
    EVP_PKEY* key = nullptr;
    EVP_PKEY_fromdata_init(pctx);
    EVP_PKEY_fromdata(pctx, &key, EVP_PKEY_PUBLIC_KEY, params);
    ECDSA_SIG* sig = ECDSA_SIG_new();
    ECDSA_SIG_set0(sig, BN_bin2bn(reinterpret_cast<const unsigned char*>(rs.data()), 32, nullptr),
                   BN_bin2bn(reinterpret_cast<const unsigned char*>(rs.data()) + 32, 32, nullptr));
    unsigned char* der = nullptr;
    const int der_size = i2d_ECDSA_SIG(sig, &der);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const bool ok = key && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
                    EVP_DigestVerify(ctx, der, size_t(der_size), reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
    EVP_MD_CTX_free(ctx);
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
    EVP_PKEY_free(key);
    EVP_PKEY_CTX_free(pctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    return ok;
}

TEST(WebPush, TheKeyIsTheSameForTheSameSeedAndAnUncompressedP256Point) {
    init();
    const std::string a(32, 'a'), b(32, 'b');
    auto ka = vapid_public_key(SecretKey(a));
    auto again = vapid_public_key(SecretKey(a));
    auto kb = vapid_public_key(SecretKey(b));
    ASSERT_TRUE(ka && again && kb);
    EXPECT_EQ(*ka, *again);
    EXPECT_NE(*ka, *kb);
    const std::string point = unb64(*ka);
    ASSERT_EQ(point.size(), 65u);
    EXPECT_EQ(point[0], '\x04');
}

TEST(WebPush, AnAllOnesSeedIsOutsideTheGroupAndStillGivesAValidKey) {
    init();
    const std::string over(32, '\xFF');
    auto k = vapid_public_key(SecretKey(over));
    ASSERT_TRUE(k);
    EXPECT_EQ(unb64(*k).size(), 65u);
}

TEST(WebPush, TheAuthorizationNamesTheOriginExpiryAndContactAndVerifiesUnderTheKey) {
    init();
    const SecretKey seed(random_bytes(32));
    auto header = vapid_authorization(seed, "https://Push.Example.ORG:8443/wpush/v2/abc?x=1", "mailto:haven@example.org", 1800000000);
    ASSERT_TRUE(header) << header.error().message;
    ASSERT_EQ(header->rfind("vapid t=", 0), 0u);
    const size_t comma = header->find(", k=");
    ASSERT_NE(comma, std::string::npos);
    const std::string jwt = header->substr(8, comma - 8), k = header->substr(comma + 4);
    EXPECT_EQ(k, *vapid_public_key(seed));
    const size_t dot1 = jwt.find('.'), dot2 = jwt.rfind('.');
    ASSERT_NE(dot1, dot2);
    const auto head = boost::json::parse(unb64(jwt.substr(0, dot1))).as_object();
    EXPECT_EQ(head.at("alg").as_string(), "ES256");
    EXPECT_EQ(head.at("typ").as_string(), "JWT");
    const auto claims = boost::json::parse(unb64(jwt.substr(dot1 + 1, dot2 - dot1 - 1))).as_object();
    EXPECT_EQ(claims.at("aud").as_string(), "https://push.example.org:8443");
    EXPECT_EQ(claims.at("exp").as_int64(), 1800000000);
    EXPECT_EQ(claims.at("sub").as_string(), "mailto:haven@example.org");
    const std::string rs = unb64(jwt.substr(dot2 + 1));
    ASSERT_EQ(rs.size(), 64u);
    EXPECT_TRUE(verifies(unb64(k), jwt.substr(0, dot2), rs));
    std::string flipped = rs;
    flipped[10] ^= 1;
    EXPECT_FALSE(verifies(unb64(k), jwt.substr(0, dot2), flipped));
    EXPECT_FALSE(verifies(unb64(*vapid_public_key(SecretKey(random_bytes(32)))), jwt.substr(0, dot2), rs));
}

TEST(WebPush, OnlyHttpUrlsHaveAnOriginAndAQuoteCannotBreakTheClaims) {
    EXPECT_EQ(url_origin("https://fcm.googleapis.com/fcm/send/x"), "https://fcm.googleapis.com");
    EXPECT_EQ(url_origin("HTTP://127.0.0.1:9/p"), "http://127.0.0.1:9");
    EXPECT_EQ(url_origin("ftp://x/y"), "");
    EXPECT_EQ(url_origin("https://user@host/"), "");
    EXPECT_EQ(url_origin("https:///x"), "");
    EXPECT_FALSE(vapid_authorization(SecretKey(random_bytes(32)), "javascript:alert(1)", "mailto:a@b", 1));
    auto h = vapid_authorization(SecretKey(random_bytes(32)), "https://p.example/x", "mailto:\"a\\\"@b", 1);
    ASSERT_TRUE(h);
    const std::string jwt = h->substr(8, h->find(", k=") - 8);
    const size_t dot1 = jwt.find('.'), dot2 = jwt.rfind('.');
    EXPECT_EQ(boost::json::parse(unb64(jwt.substr(dot1 + 1, dot2 - dot1 - 1))).at("sub").as_string(), "mailto:\"a\\\"@b");
}

}  // namespace
}  // namespace haven::crypto
