// String comparators on Unicode code points: Jaro–Winkler, Damerau–Levenshtein
// (optimal string alignment, with an early-exit bounded variant) and token-set
// similarity.
//
// Strings are compared as sequences of code points (char32_t), so "王伟" and
// "王玮" are one substitution apart, not three bytes. Decode UTF-8 once with
// DecodeUtf8() and keep the result (PreparedRecord does), then compare as often
// as needed: the comparators do not allocate for strings of up to
// kComparatorStackLength code points.
//
// Thread-safe: pure functions.
//
// Example:
//   std::u32string a = credit::DecodeUtf8("martha");
//   std::u32string b = credit::DecodeUtf8("marhta");
//   double jw = credit::JaroWinkler(a, b);          // 0.961
//   int d = credit::DamerauLevenshtein(a, b);       // 1
//   bool close = credit::DamerauLevenshteinAtMost(a, b, 1);  // true
#ifndef CREDIT_MATCH_STRING_COMPARATORS_H_
#define CREDIT_MATCH_STRING_COMPARATORS_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace credit {

// Strings up to this many code points are compared with stack buffers only.
inline constexpr std::size_t kComparatorStackLength = 64;

// Returns the code points of UTF-8 `text`. Invalid or truncated sequences
// decode to U+FFFD, one per bad byte, so every input has a result.
std::u32string DecodeUtf8(std::string_view text);

// Appends the UTF-8 encoding of `cps` to `out`.
void AppendUtf8(std::u32string_view cps, std::string* out);

// Returns the Jaro–Winkler similarity of `a` and `b` in [0, 1] (prefix scale
// 0.1, prefix up to 4 code points, boost applied above Jaro 0.7). Two empty
// strings are 1; one empty string gives 0.
double JaroWinkler(std::u32string_view a, std::u32string_view b);

// Returns the Jaro similarity (no Winkler prefix boost).
double Jaro(std::u32string_view a, std::u32string_view b);

// Returns the optimal-string-alignment distance: insertions, deletions,
// substitutions and transpositions of adjacent code points, each costing 1
// (no substring is edited twice).
int DamerauLevenshtein(std::u32string_view a, std::u32string_view b);

// Returns true when DamerauLevenshtein(a, b) <= `max_distance`, stopping as
// soon as every cell of a row exceeds the bound (and before any work when the
// lengths alone differ by more). REQUIRES: max_distance >= 0.
bool DamerauLevenshteinAtMost(std::u32string_view a, std::u32string_view b,
                              int max_distance);

// Returns |A ∩ B| / |A ∪ B| for two sets given as sorted, de-duplicated token
// hashes (see HashToken). Two empty sets are 1; one empty set gives 0.
double TokenSetSimilarity(std::span<const std::uint64_t> a,
                          std::span<const std::uint64_t> b);

// Returns a 64-bit hash of `text` (FNV-1a, then a finalising mix), stable
// across processes and platforms. Used for token sets and exact comparisons;
// collisions are negligible at 64 bits.
std::uint64_t HashToken(std::string_view text);
std::uint64_t HashToken(std::u32string_view text);

}  // namespace credit

#endif  // CREDIT_MATCH_STRING_COMPARATORS_H_
