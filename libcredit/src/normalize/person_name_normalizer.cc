// Person names (NormalizePersonName, NormalizePersonNameParts in
// credit/normalize.h): CJK surname / given split with compound surnames,
// Latin given / family tokens, mixed-script names tokenized by script.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "credit/normalize.h"
#include "normalize/text_normalizer.h"

namespace credit {
namespace {

using normalize_internal::ContainsHan;
using normalize_internal::IsHan;
using normalize_internal::NextCodePoint;
using normalize_internal::StripMarksInPlace;

// Compound (two-character) surnames, simplified.
bool IsCompoundSurname(std::string_view two) {
  static const auto* kSurnames = new absl::flat_hash_set<std::string>{
      "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容",
      "长孙", "宇文", "司徒", "司空", "夏侯", "令狐", "端木", "独孤", "南宫",
      "西门", "轩辕", "百里", "呼延", "澹台", "闻人", "太史", "申屠", "公羊",
      "赫连", "万俟", "钟离", "宗政", "濮阳", "淳于", "单于", "仲孙", "羊舌",
      "微生", "梁丘", "左丘", "东郭", "拓跋", "第五", "鲜于", "闾丘", "巫马",
      "公冶", "子车", "颛孙", "谷梁", "乐正", "漆雕", "壤驷", "公西", "段干",
      "东门", "南门", "司寇", "亓官", "公良", "母丘", "公输", "太叔"};
  return kSurnames->contains(absl::string_view(two.data(), two.size()));
}

bool IsLatinSeparator(char c) {
  return c == ' ' || c == ',' || c == '-' || c == '.' || c == ';' ||
         c == '/' || c == '(' || c == ')' || c == '"';
}

// Splits Latin text into lower-case, mark-free tokens; apostrophes vanish
// (O'Brien → obrien).
std::vector<std::string> LatinTokens(std::string_view folded) {
  std::vector<std::string> tokens;
  tokens.reserve(6);
  std::string current;
  auto flush = [&] {
    if (!current.empty()) {
      StripMarksInPlace(&current);
      tokens.push_back(std::move(current));
    }
    current.clear();
  };
  for (char c : folded) {
    if (IsLatinSeparator(c)) {
      flush();
    } else if (c != '\'') {
      current.push_back(c);
    }
  }
  flush();
  return tokens;
}

std::string Join(const std::vector<std::string>& parts, size_t begin,
                 size_t end, std::string_view separator) {
  std::string out;
  for (size_t i = begin; i < end && i < parts.size(); ++i) {
    if (!out.empty()) out.append(separator);
    out.append(parts[i]);
  }
  return out;
}

// Returns true when the first word of the raw input is written in capitals
// and a later one is not ("ZHANG Wei"): the family name comes first.
bool FamilyFirstByCase(std::string_view raw) {
  std::vector<std::string_view> words;
  words.reserve(6);
  size_t start = std::string_view::npos;
  for (size_t i = 0; i <= raw.size(); ++i) {
    bool sep = i == raw.size() || raw[i] == ' ' || raw[i] == '\t';
    if (!sep && start == std::string_view::npos) start = i;
    if (sep && start != std::string_view::npos) {
      words.push_back(raw.substr(start, i - start));
      start = std::string_view::npos;
    }
  }
  if (words.size() < 2) return false;
  auto all_upper = [](std::string_view w) {
    int letters = 0;
    for (char c : w) {
      if (c >= 'a' && c <= 'z') return false;
      if (c >= 'A' && c <= 'Z') ++letters;
    }
    return letters >= 2;
  };
  if (!all_upper(words[0])) return false;
  for (size_t i = 1; i < words.size(); ++i) {
    if (!all_upper(words[i])) return true;
  }
  return false;
}

// Splits text into runs of Han characters and Latin tokens.
std::vector<std::string> ScriptTokens(std::string_view text) {
  std::vector<std::string> tokens;
  std::string current;
  int current_han = -1;
  auto flush = [&] {
    if (!current.empty()) {
      if (current_han != 1) StripMarksInPlace(&current);
      tokens.push_back(std::move(current));
    }
    current.clear();
    current_han = -1;
  };
  for (size_t pos = 0; pos < text.size();) {
    size_t start = pos;
    UChar32 c = NextCodePoint(text, &pos);
    if (c < 0x80 && (IsLatinSeparator(static_cast<char>(c)) || c == '\'')) {
      if (c != '\'') flush();
      continue;
    }
    if (c == 0xB7) {  // middle dot separates name parts
      flush();
      continue;
    }
    int han = IsHan(c) ? 1 : 0;
    if (current_han != -1 && han != current_han) flush();
    current_han = han;
    current.append(text.substr(start, pos - start));
  }
  flush();
  return tokens;
}

std::string PinyinNoSpaces(std::string_view text) {
  std::string pinyin = PinyinKey(text, PinyinStyle::kName);
  std::string out;
  out.reserve(pinyin.size());
  for (char c : pinyin) {
    if (c != ' ') out.push_back(c);
  }
  return out;
}

// Splits one run of Han characters into surname and given name.
void SplitHan(std::string_view han, std::string* family, std::string* given) {
  size_t pos = 0;
  NextCodePoint(han, &pos);
  size_t first = pos;
  if (pos < han.size()) {
    NextCodePoint(han, &pos);
    if (IsCompoundSurname(han.substr(0, pos))) first = pos;
  }
  *family = std::string(han.substr(0, first));
  *given = std::string(han.substr(first));
}

void FinishCjk(PersonName* name) {
  name->cjk = true;
  name->tokens.clear();
  if (!name->family.empty()) name->tokens.push_back(name->family);
  if (!name->given.empty()) name->tokens.push_back(name->given);
  // Names repeat across records and sources: cache name → pinyin per
  // thread (bounded; cleared when full).
  thread_local absl::flat_hash_map<std::string, std::string> cache;
  constexpr size_t kMaxCached = 1 << 16;
  std::string key = name->family;
  key.push_back('\x1f');
  key.append(name->given);
  auto it = cache.find(key);
  if (it != cache.end()) {
    name->pinyin = it->second;
    return;
  }
  name->pinyin = PinyinNoSpaces(name->family) + PinyinNoSpaces(name->given);
  if (cache.size() >= kMaxCached) cache.clear();
  cache.emplace(std::move(key), name->pinyin);
}

}  // namespace

PersonName NormalizePersonName(std::string_view full) {
  PersonName name;
  std::string folded = normalize_internal::FoldForComparison(full);
  if (folded.empty()) return name;
  if (!ContainsHan(folded)) {
    std::vector<std::string> tokens;
    size_t comma = folded.find(',');
    if (comma != std::string::npos) {
      // "Family, Given"
      std::vector<std::string> family =
          LatinTokens(std::string_view(folded).substr(0, comma));
      std::vector<std::string> given =
          LatinTokens(std::string_view(folded).substr(comma + 1));
      name.family = Join(family, 0, family.size(), " ");
      name.given = Join(given, 0, given.size(), " ");
      tokens = family;
      tokens.insert(tokens.end(), given.begin(), given.end());
    } else {
      std::vector<std::string> words = LatinTokens(folded);
      if (words.empty()) return name;
      if (FamilyFirstByCase(full)) {
        name.family = words[0];
        name.given = Join(words, 1, words.size(), " ");
        tokens = std::move(words);
      } else {
        name.family = words.back();
        name.given = Join(words, 0, words.size() - 1, " ");
        // Family first: rotate the last word to the front.
        std::rotate(words.begin(), words.end() - 1, words.end());
        tokens = std::move(words);
      }
    }
    name.tokens = std::move(tokens);
    name.key = name.given.empty() ? name.family
                                  : name.family + " " + name.given;
    return name;
  }
  std::vector<std::string> parts = ScriptTokens(folded);
  if (parts.empty()) return name;
  bool all_han = true;
  for (const std::string& part : parts) {
    if (!ContainsHan(part)) all_han = false;
  }
  if (all_han && parts.size() == 1) {
    SplitHan(parts[0], &name.family, &name.given);
  } else if (all_han && folded.find("·") != std::string::npos) {
    // Transliterated names: 约翰·史密斯, given name(s) first.
    name.family = parts.back();
    name.given = Join(parts, 0, parts.size() - 1, "");
  } else if (all_han) {
    // Spaces inside a CJK name are noise: 张 建新.
    SplitHan(Join(parts, 0, parts.size(), ""), &name.family, &name.given);
  } else {
    // Mixed script (张 Wei, Tom 李小明): the first Han run is the Chinese
    // name and leads with the surname; everything else is given name.
    size_t han = 0;
    while (!ContainsHan(parts[han])) ++han;
    std::string rest;
    SplitHan(parts[han], &name.family, &rest);
    std::vector<std::string> given_parts;
    if (!rest.empty()) given_parts.push_back(rest);
    for (size_t i = 0; i < parts.size(); ++i) {
      if (i != han) given_parts.push_back(parts[i]);
    }
    name.given = Join(given_parts, 0, given_parts.size(), " ");
  }
  FinishCjk(&name);
  if (all_han) {
    name.key = name.family + name.given;
  } else {
    name.key = name.given.empty() ? name.family
                                  : name.family + " " + name.given;
    name.tokens = parts;
  }
  return name;
}

PersonName NormalizePersonNameParts(std::string_view given,
                                    std::string_view family) {
  if (family.empty() && given.empty()) return PersonName();
  if (family.empty()) {
    // Only a given name (the family column is empty). One Latin word stays a
    // given name, so "Daisy" never disagrees with the family name "Hughes";
    // anything longer (or CJK) is more likely a full name in the wrong
    // column, and is parsed as one.
    std::string g = normalize_internal::FoldForComparison(given);
    std::vector<std::string> tokens;
    if (!ContainsHan(g)) tokens = LatinTokens(g);
    if (tokens.size() != 1) return NormalizePersonName(given);
    PersonName name;
    name.given = tokens[0];
    name.tokens = tokens;
    name.key = name.given;
    return name;
  }
  if (given.empty()) {
    PersonName name;
    std::string f = normalize_internal::FoldForComparison(family);
    if (ContainsHan(f)) {
      name.family = f;
      FinishCjk(&name);
      name.key = f;
      return name;
    }
    std::vector<std::string> tokens = LatinTokens(f);
    name.family = Join(tokens, 0, tokens.size(), " ");
    name.tokens = tokens;
    name.key = name.family;
    return name;
  }
  PersonName name;
  std::string f = normalize_internal::FoldForComparison(family);
  std::string g = normalize_internal::FoldForComparison(given);
  if (ContainsHan(f) || ContainsHan(g)) {
    auto strip_spaces = [](const std::string& s) {
      std::string out;
      for (char c : s) {
        if (c != ' ') out.push_back(c);
      }
      return out;
    };
    name.family = ContainsHan(f) ? strip_spaces(f) : f;
    name.given = ContainsHan(g) ? strip_spaces(g) : g;
    FinishCjk(&name);
    bool all_han = ContainsHan(f) && ContainsHan(g) &&
                   ScriptTokens(f).size() == 1 && ScriptTokens(g).size() == 1;
    name.key = all_han ? name.family + name.given
                       : name.family + " " + name.given;
    return name;
  }
  std::vector<std::string> family_tokens = LatinTokens(f);
  std::vector<std::string> given_tokens = LatinTokens(g);
  name.family = Join(family_tokens, 0, family_tokens.size(), " ");
  name.given = Join(given_tokens, 0, given_tokens.size(), " ");
  name.tokens = family_tokens;
  name.tokens.insert(name.tokens.end(), given_tokens.begin(),
                     given_tokens.end());
  name.key = name.family.empty() ? name.given
             : name.given.empty() ? name.family
                                  : name.family + " " + name.given;
  return name;
}

}  // namespace credit
