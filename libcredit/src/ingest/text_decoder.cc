#include "ingest/text_decoder.h"

#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/ustring.h>

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "fmt/format.h"

namespace credit {

absl::StatusOr<TextDecoder> TextDecoder::Create(std::string_view encoding) {
  std::string upper = absl::AsciiStrToUpper(std::string(encoding));
  if (upper.empty() || upper == "UTF-8" || upper == "UTF8") {
    return TextDecoder(nullptr);
  }
  if (upper == "GB18030") {
    UErrorCode status = U_ZERO_ERROR;
    UConverter* converter = ucnv_open("GB18030", &status);
    if (U_FAILURE(status)) {
      return absl::InternalError(fmt::format(
          "cannot open the ICU GB18030 converter: {}", u_errorName(status)));
    }
    // Stop at the first undecodable byte instead of substituting U+FFFD:
    // such a row is quarantined, not silently altered.
    ucnv_setToUCallBack(converter, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr,
                        nullptr, &status);
    if (U_FAILURE(status)) {
      ucnv_close(converter);
      return absl::InternalError(
          fmt::format("cannot configure the ICU GB18030 converter: {}",
                      u_errorName(status)));
    }
    return TextDecoder(converter);
  }
  return absl::InvalidArgumentError(fmt::format(
      "encoding '{}' is not supported: use \"UTF-8\" or \"GB18030\"",
      encoding));
}

TextDecoder::TextDecoder(TextDecoder&& other) noexcept
    : converter_(std::exchange(other.converter_, nullptr)),
      scratch_(std::move(other.scratch_)) {}

TextDecoder& TextDecoder::operator=(TextDecoder&& other) noexcept {
  if (this != &other) {
    if (converter_ != nullptr) ucnv_close(converter_);
    converter_ = std::exchange(other.converter_, nullptr);
    scratch_ = std::move(other.scratch_);
  }
  return *this;
}

TextDecoder::~TextDecoder() {
  if (converter_ != nullptr) ucnv_close(converter_);
}

bool TextDecoder::Decode(std::string_view bytes, std::string* out,
                         size_t* error_offset) {
  if (converter_ == nullptr) {
    size_t bad = FindInvalidUtf8(bytes);
    if (bad != std::string_view::npos) {
      if (error_offset != nullptr) *error_offset = bad;
      return false;
    }
    out->assign(bytes.data(), bytes.size());
    return true;
  }
  out->clear();
  if (bytes.empty()) return true;
  // Every GB18030 byte sequence yields at most one UTF-16 unit per byte.
  scratch_.resize(bytes.size() + 1);
  ucnv_resetToUnicode(converter_);
  UChar* target = scratch_.data();
  const char* source = bytes.data();
  UErrorCode status = U_ZERO_ERROR;
  ucnv_toUnicode(converter_, &target, scratch_.data() + scratch_.size(),
                 &source, bytes.data() + bytes.size(), nullptr,
                 /*flush=*/true, &status);
  if (U_FAILURE(status)) {
    if (error_offset != nullptr) {
      // ICU consumed the bad sequence already; point at its start.
      size_t consumed = static_cast<size_t>(source - bytes.data());
      char bad_bytes[32];
      int8_t bad_len = sizeof(bad_bytes);  // in: capacity, out: length
      UErrorCode ignored = U_ZERO_ERROR;
      ucnv_getInvalidChars(converter_, bad_bytes, &bad_len, &ignored);
      *error_offset = consumed >= static_cast<size_t>(bad_len)
                          ? consumed - static_cast<size_t>(bad_len)
                          : 0;
    }
    ucnv_resetToUnicode(converter_);
    return false;
  }
  int32_t units = static_cast<int32_t>(target - scratch_.data());
  int32_t needed = 0;
  status = U_ZERO_ERROR;
  u_strToUTF8(nullptr, 0, &needed, scratch_.data(), units, &status);
  out->resize(static_cast<size_t>(needed));
  status = U_ZERO_ERROR;
  u_strToUTF8(out->data(), needed, &needed, scratch_.data(), units, &status);
  if (U_FAILURE(status) && status != U_STRING_NOT_TERMINATED_WARNING) {
    if (error_offset != nullptr) *error_offset = 0;
    return false;
  }
  return true;
}

}  // namespace credit
