#include "text.h"

namespace credit::datagen {
namespace {

size_t CharLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::vector<std::string_view> SplitChars(std::string_view s) {
  std::vector<std::string_view> chars;
  chars.reserve(s.size() / 3 + 1);
  size_t i = 0;
  while (i < s.size()) {
    size_t n = CharLength(static_cast<unsigned char>(s[i]));
    if (i + n > s.size()) n = 1;
    chars.push_back(s.substr(i, n));
    i += n;
  }
  return chars;
}

std::string ToFullWidth(std::string_view s) {
  std::string out;
  out.reserve(s.size() * 3);
  for (char c : s) {
    if (c > 0x20 && c < 0x7F) {
      AppendUtf8(out, static_cast<char32_t>(0xFF01 + (c - 0x21)));
    } else {
      out += c;
    }
  }
  return out;
}

std::string DigitsToFullWidth(std::string_view s) {
  std::string out;
  out.reserve(s.size() * 3);
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      AppendUtf8(out, static_cast<char32_t>(0xFF10 + (c - '0')));
    } else {
      out += c;
    }
  }
  return out;
}

std::string ReplaceChars(std::string_view s, std::string_view from,
                         std::string_view to) {
  std::vector<std::string_view> f = SplitChars(from);
  std::vector<std::string_view> t = SplitChars(to);
  std::string out;
  out.reserve(s.size());
  for (std::string_view c : SplitChars(s)) {
    bool replaced = false;
    for (size_t i = 0; i < f.size() && i < t.size(); ++i) {
      if (f[i] == c) {
        out += t[i];
        replaced = true;
        break;
      }
    }
    if (!replaced) out += c;
  }
  return out;
}

void AppendCsvField(std::string& out, std::string_view field) {
  bool needs_quotes = false;
  for (char c : field) {
    if (c == ',' || c == '"' || c == '\r' || c == '\n') {
      needs_quotes = true;
      break;
    }
  }
  if (!needs_quotes) {
    out += field;
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string JsonQuote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[(c >> 4) & 0xF];
          out += kHex[c & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

}  // namespace credit::datagen
