// Result<T>: an expected failure as a value (g++ 12 has no std::expected).
// Exceptions are kept for broken infrastructure; anything a user can cause is an Error.
#pragma once

#include <any>
#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace haven {

// What went wrong, in words a client can act on. `code` is stable (scripts match on it),
// `message` is for people, `field` names the input at fault when there is one.
// None of them may carry a personal value.
enum class ErrorKind {
    bad_request,        // 400: malformed input
    unauthorized,       // 401
    forbidden,          // 403
    not_found,          // 404
    conflict,           // 409
    too_large,          // 413
    unsupported_media,  // 415: wrong Content-Type
    invalid,            // 422: well-formed but breaks a rule
    too_many,           // 429
    unavailable,        // 503
};

struct Error {
    ErrorKind kind = ErrorKind::bad_request;
    std::string code;
    std::string message;
    std::string field;
    int retry_after_seconds = 0;  // with too_many / unavailable: sent as Retry-After
    // What a caller can act on beyond the words, as the domain's own value (a refused booking: spaces::Clash).
    // Read with error_detail<T>; the pipeline never renders it, the handler that asked does.
    std::any detail = {};
    // With validation_failed: what is wrong with the field, as a stable word the pages put in the reader's
    // language ("problem.<problem>" in the catalogue: required, too_long, date, future, ...), and the limit it
    // names when it names one. Empty: the pages say only that the field is not valid as written.
    std::string problem = {};
    int64_t limit = 0;
};

// The error's detail if it is a T, else nullptr.
template <class T>
const T* error_detail(const Error& error) {
    return std::any_cast<T>(&error.detail);
}

inline Error make_error(ErrorKind kind, std::string code, std::string message, std::string field = {}) {
    return Error{kind, std::move(code), std::move(message), std::move(field)};
}

// 422 naming the field at fault: the answer to input that is well-formed but breaks a rule. `message` is the
// API's words; `problem` (and `limit`) what the pages say, in the reader's language (see Error::problem).
inline Error invalid(std::string field, std::string message, std::string problem = {}, int64_t limit = 0) {
    Error e{ErrorKind::invalid, "validation_failed", std::move(message), std::move(field)};
    e.problem = std::move(problem);
    e.limit = limit;
    return e;
}

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}
    Result(Error error) : v_(std::move(error)) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() { return value(); }
    const Error& error() const { return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), ok_(false) {}
    bool ok() const { return ok_; }
    explicit operator bool() const { return ok_; }
    const Error& error() const { return error_; }

private:
    Error error_;
    bool ok_ = true;
};

using Status = Result<void>;

}  // namespace haven

// Returns early with the error of a failed Result; otherwise yields its value.
#define HAVEN_TRY(var, expr)                             \
    auto var##_result = (expr);                          \
    if (!var##_result.ok()) return var##_result.error(); \
    auto var = std::move(var##_result).value()

// Returns early with the error of a failed Status (or of a Result whose value is not wanted).
#define HAVEN_CHECK(expr)                                                                \
    do {                                                                                 \
        if (auto haven_check_ = (expr); !haven_check_.ok()) return haven_check_.error(); \
    } while (0)
