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

#include <string>
#include <string_view>
#include <vector>

#include "unicode/umachine.h"

namespace credit::normalize_internal {

// Returns true when every byte of `text` is ASCII.
bool IsAscii(std::string_view text);

// Returns true for a code point of the Han script (CJK ideographs).
bool IsHan(UChar32 c);

// Returns true when `text` contains a Han character.
bool ContainsHan(std::string_view text);

// Decodes the code point at `*pos` in `text` and advances `*pos`. Invalid
// UTF-8 decodes as U+FFFD. REQUIRES: *pos < text.size().
UChar32 NextCodePoint(std::string_view text, size_t* pos);

// Appends `c` to `out` as UTF-8.
void AppendCodePoint(UChar32 c, std::string* out);

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
