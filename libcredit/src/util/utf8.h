// UTF-8 validation for input that must become protobuf strings.
#ifndef CREDIT_UTIL_UTF8_H_
#define CREDIT_UTIL_UTF8_H_

#include <cstddef>
#include <string_view>

namespace credit {

// Returns the byte offset of the first invalid UTF-8 sequence in `text`
// (overlong forms, surrogates and code points above U+10FFFF are invalid),
// or std::string_view::npos when `text` is valid.
std::size_t FindInvalidUtf8(std::string_view text);

inline bool IsValidUtf8(std::string_view text) {
  return FindInvalidUtf8(text) == std::string_view::npos;
}

}  // namespace credit

#endif  // CREDIT_UTIL_UTF8_H_
