// UTF-8 text helpers for the data generator: splitting into characters,
// full-width forms, character-table substitutions and RFC 4180 CSV fields.
//
// All functions are pure and thread-safe.
//
// Example:
//   std::string s = credit::datagen::ToFullWidth("(深圳)12");  //
//   "（深圳）１２"
#ifndef CREDIT_EXAMPLES_DATAGEN_TEXT_H_
#define CREDIT_EXAMPLES_DATAGEN_TEXT_H_

#include <string>
#include <string_view>
#include <vector>

namespace credit::datagen {

// Returns the UTF-8 characters of `s` (one string_view per code point).
// Invalid bytes come back as single-byte pieces.
std::vector<std::string_view> SplitChars(std::string_view s);

// Returns `s` with printable ASCII (digits, letters, brackets, ...) replaced
// by their full-width forms U+FF01..U+FF5E. Spaces stay as they are.
std::string ToFullWidth(std::string_view s);

// Returns `s` with only ASCII digits made full-width.
std::string DigitsToFullWidth(std::string_view s);

// Returns `s` with every character found in `from` replaced by the character
// at the same position of `to`. `from` and `to` hold whole characters.
std::string ReplaceChars(std::string_view s, std::string_view from,
                         std::string_view to);

// Appends `field` to `out` as one RFC 4180 CSV field: quoted (with doubled
// quotes) when it holds a comma, a quote, CR or LF.
void AppendCsvField(std::string& out, std::string_view field);

// Returns `s` as a JSON string literal, quotes included.
std::string JsonQuote(std::string_view s);

}  // namespace credit::datagen

#endif  // CREDIT_EXAMPLES_DATAGEN_TEXT_H_
