// Unicode helpers shared by the normalizers: UTF-8 iteration, script tests,
// and the per-thread ICU objects behind NormalizeText, ToSimplified and
// PinyinKey (declared in credit/normalize.h).
//
// ICU transliterators are not thread-safe and cost milliseconds to create,
// so one prototype of each is built once per process and every thread works
// on its own clone, created on the thread's first use. Traditional→Simplified
// and pinyin results are cached per code point and per thread: ICU's Han-Latin
// costs ~10 µs a character, a cache hit a hash lookup.
// Thread-safe.
#ifndef CREDIT_NORMALIZE_TEXT_NORMALIZER_H_
#define CREDIT_NORMALIZE_TEXT_NORMALIZER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "unicode/umachine.h"
#include "unicode/utf8.h"

namespace credit::normalize_internal {

// The small helpers below are inline on purpose: libcredit is a shared
// library built with -fPIC, where calls to its exported functions go
// through the PLT and are never inlined (semantic interposition).

// Returns true when every byte of `text` is ASCII.
inline bool IsAscii(std::string_view text) {
  for (char ch : text) {
    if (static_cast<unsigned char>(ch) >= 0x80) return false;
  }
  return true;
}

// Returns true for a code point of the Han script, outside the CJK Unified
// Ideographs blocks by an ICU property lookup.
bool IsHanSlow(UChar32 c);

// Returns true for a code point of the Han script (CJK ideographs).
inline bool IsHan(UChar32 c) {
  if (c < 0x2E80) return false;
  if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
      (c >= 0x20000 && c <= 0x3134F)) {
    return true;
  }
  return IsHanSlow(c);
}

// Returns true when `text` contains a Han character.
bool ContainsHan(std::string_view text);

// Decodes the code point at `*pos` in `text` and advances `*pos`. Invalid
// UTF-8 decodes as U+FFFD. REQUIRES: *pos < text.size().
inline UChar32 NextCodePoint(std::string_view text, size_t* pos) {
  unsigned char lead = static_cast<unsigned char>(text[*pos]);
  if (lead < 0x80) {
    ++*pos;
    return lead;
  }
  int32_t i = static_cast<int32_t>(*pos);
  int32_t length = static_cast<int32_t>(text.size());
  UChar32 c;
  U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), i, length, c);
  *pos = static_cast<size_t>(i);
  return c < 0 ? 0xFFFD : c;
}

// Appends `c` to `out` as UTF-8 (U+FFFD for a surrogate or a value past
// U+10FFFF).
inline void AppendCodePoint(UChar32 c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
    return;
  }
  if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) c = 0xFFFD;
  char buffer[4];
  size_t length;
  if (c < 0x800) {
    buffer[0] = static_cast<char>(0xC0 | (c >> 6));
    buffer[1] = static_cast<char>(0x80 | (c & 0x3F));
    length = 2;
  } else if (c < 0x10000) {
    buffer[0] = static_cast<char>(0xE0 | (c >> 12));
    buffer[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    buffer[2] = static_cast<char>(0x80 | (c & 0x3F));
    length = 3;
  } else {
    buffer[0] = static_cast<char>(0xF0 | (c >> 18));
    buffer[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    buffer[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    buffer[3] = static_cast<char>(0x80 | (c & 0x3F));
    length = 4;
  }
  out->append(buffer, length);
}

// Returns the code points of `text` as separate UTF-8 strings.
std::vector<std::string> SplitCodePoints(std::string_view text);

// Returns ToSimplified(NormalizeText(text)) without the second copy for
// ASCII text: the comparison form every text normalizer starts from.
std::string FoldForComparison(std::string_view text);

// Removes combining marks from `*text` in place (no-op for ASCII).
void StripMarksInPlace(std::string* text);

// Returns `text` with combining marks removed after canonical decomposition
// (josé → jose, müller → muller). ASCII text is returned unchanged.
std::string StripMarks(std::string_view text);

// Returns the toneless pinyin syllable of Han character `c` in `style`
// (0 = general, 1 = names), cached per thread; "" when ICU has none.
const std::string& PinyinOf(UChar32 c, int style);

}  // namespace credit::normalize_internal

#endif  // CREDIT_NORMALIZE_TEXT_NORMALIZER_H_
