// Turns the bytes of an input field into UTF-8: validates UTF-8 input, and
// converts GB18030 input with ICU.
//
// Thread-compatible: a TextDecoder holds an ICU converter, so give each
// reader its own.
//
// Example:
//   CREDIT_ASSIGN_OR_RETURN(TextDecoder decoder,
//   TextDecoder::Create("GB18030")); std::string utf8; if
//   (!decoder.Decode(field_bytes, &utf8)) { ... quarantine the row ... }
#ifndef CREDIT_INGEST_TEXT_DECODER_H_
#define CREDIT_INGEST_TEXT_DECODER_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "util/utf8.h"

struct UConverter;

namespace credit {

class TextDecoder {
 public:
  // Returns a decoder for `encoding`: "" or "UTF-8" (also "utf8") or
  // "GB18030" (case-insensitive). InvalidArgumentError for anything else.
  static absl::StatusOr<TextDecoder> Create(std::string_view encoding);

  TextDecoder(TextDecoder&&) noexcept;
  TextDecoder& operator=(TextDecoder&&) noexcept;
  TextDecoder(const TextDecoder&) = delete;
  TextDecoder& operator=(const TextDecoder&) = delete;
  ~TextDecoder();

  // True for GB18030 input: lead bytes 0x81..0xFE start multi-byte
  // characters whose trailing bytes may be ASCII.
  bool is_gb18030() const { return converter_ != nullptr; }

  // Replaces `*out` with `bytes` as UTF-8. Returns false, leaving in
  // `*error_offset` the offset of the first bad byte, when `bytes` is not
  // valid in the input encoding.
  bool Decode(std::string_view bytes, std::string* out,
              size_t* error_offset = nullptr);

  // Returns "UTF-8" or "GB18030".
  std::string_view name() const { return is_gb18030() ? "GB18030" : "UTF-8"; }

 private:
  explicit TextDecoder(UConverter* converter) : converter_(converter) {}

  UConverter* converter_ = nullptr;  // owned; null for UTF-8
  std::u16string scratch_;
};

}  // namespace credit

#endif  // CREDIT_INGEST_TEXT_DECODER_H_
