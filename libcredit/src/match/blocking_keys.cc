#include "match/blocking_keys.h"

#include <algorithm>
#include <cstdio>

#include "absl/container/flat_hash_map.h"
#include "match/string_comparators.h"

namespace credit {
namespace match_internal {
namespace {

// Returns the first `n` code points of UTF-8 `text`.
std::string PrefixCodePoints(std::string_view text, std::size_t n) {
  std::u32string cps = DecodeUtf8(text);
  if (cps.size() > n) cps.resize(n);
  std::string out;
  AppendUtf8(cps, &out);
  return out;
}

std::string DobString(const CompactDate& d) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04d%02d%02d", d.year, d.month, d.day);
  return buf;
}

}  // namespace
}  // namespace match_internal

using match_internal::DobString;
using match_internal::PrefixCodePoints;

std::string_view BlockingKeyTypeName(BlockingKeyType type) {
  switch (type) {
    case BlockingKeyType::kCheckedId:
      return "checked_id";
    case BlockingKeyType::kOrgCode:
      return "org_code";
    case BlockingKeyType::kUncheckedId:
      return "unchecked_id";
    case BlockingKeyType::kFullName:
      return "full_name";
    case BlockingKeyType::kSortedNameTokens:
      return "sorted_name_tokens";
    case BlockingKeyType::kPinyin:
      return "pinyin";
    case BlockingKeyType::kFamilyBirthYear:
      return "family_birth_year";
    case BlockingKeyType::kFamilyPrefixDob:
      return "family_prefix_dob";
    case BlockingKeyType::kGivenPrefixDob:
      return "given_prefix_dob";
    case BlockingKeyType::kPhoneticName:
      return "phonetic_name";
    case BlockingKeyType::kDobPostcode:
      return "dob_postcode";
    case BlockingKeyType::kPhone:
      return "phone";
    case BlockingKeyType::kEmail:
      return "email";
    case BlockingKeyType::kNameAddress:
      return "name_address";
    case BlockingKeyType::kOrgNameRegion:
      return "org_name_region";
    case BlockingKeyType::kDobInitials:
      return "dob_initials";
    case BlockingKeyType::kUncheckedIdDeletion:
      return "unchecked_id_deletion";
  }
  return "unknown";
}

std::string Soundex(std::string_view text) {
  // Letter codes a..z; '0' = vowel-like (separates), '-' = h/w (transparent).
  static constexpr char kCodes[] = "01230120022455012623010202";
  std::string out;
  char last = 0;
  for (char raw : text) {
    char c = raw;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c < 'a' || c > 'z') continue;
    const char code = (c == 'h' || c == 'w') ? '-' : kCodes[c - 'a'];
    if (out.empty()) {
      out.push_back(static_cast<char>(c - 'a' + 'A'));
      last = code;
      continue;
    }
    if (code == '-') continue;
    if (code != '0' && code != last) out.push_back(code);
    last = code;
    if (out.size() == 4) break;
  }
  if (out.empty()) return out;
  while (out.size() < 4) out.push_back('0');
  return out;
}

std::string_view PostcodeToken(std::span<const std::string> tokens) {
  for (auto it = tokens.rbegin(); it != tokens.rend(); ++it) {
    const std::string& t = *it;
    if (t.size() < 4 || t.size() > 6) continue;
    if (std::all_of(t.begin(), t.end(),
                    [](char c) { return c >= '0' && c <= '9'; })) {
      return t;
    }
  }
  return {};
}

std::vector<BlockingKey> BlockingKeys(const RecordFields& f) {
  std::vector<BlockingKey> keys;
  auto add = [&keys](BlockingKeyType type, std::string value) {
    if (!value.empty()) keys.push_back({type, std::move(value)});
  };
  for (const auto& id : f.checked_ids) {
    add(BlockingKeyType::kCheckedId,
        std::string(v1::Feature::IdScheme_Name(id.scheme)) + ":" + id.value);
  }
  for (const auto& code : f.org_codes) add(BlockingKeyType::kOrgCode, code);
  for (const auto& id : f.unchecked_ids) {
    add(BlockingKeyType::kUncheckedId, id.scheme_key + "|" + id.value);
    const std::u32string cps = DecodeUtf8(id.value);
    if (cps.size() >= kMinIdLengthForDeletionKeys &&
        cps.size() <= kMaxIdLengthForDeletionKeys) {
      for (std::size_t k = 0; k < cps.size(); ++k) {
        std::u32string variant = cps;
        variant.erase(k, 1);
        std::string value = id.scheme_key + "|";
        AppendUtf8(variant, &value);
        add(BlockingKeyType::kUncheckedIdDeletion, std::move(value));
      }
    }
  }
  for (const auto& p : f.phones) add(BlockingKeyType::kPhone, p);
  for (const auto& e : f.emails) add(BlockingKeyType::kEmail, e);

  const std::string dob = f.dob.complete() ? DobString(f.dob) : std::string();
  const std::string postcode(PostcodeToken(f.address_tokens));

  // Person names.
  if (!f.person_name.empty()) {
    add(BlockingKeyType::kFullName, "p:" + f.person_name);
    std::vector<std::string> tokens = f.person_name_tokens;
    if (tokens.size() > 1) {
      std::sort(tokens.begin(), tokens.end());
      std::string joined;
      for (const auto& t : tokens) {
        if (!joined.empty()) joined += ' ';
        joined += t;
      }
      add(BlockingKeyType::kSortedNameTokens, "p:" + joined);
    }
    if (!f.person_pinyin.empty()) {
      add(BlockingKeyType::kPinyin, "p:" + f.person_pinyin);
    }
  }
  if (!f.family.empty() && f.dob.known()) {
    add(BlockingKeyType::kFamilyBirthYear,
        f.family + "|" + std::to_string(f.dob.year));
  }
  if (!dob.empty()) {
    if (!f.family.empty()) {
      add(BlockingKeyType::kFamilyPrefixDob,
          PrefixCodePoints(f.family, 3) + "|" + dob);
    }
    if (!f.given.empty()) {
      add(BlockingKeyType::kGivenPrefixDob,
          PrefixCodePoints(f.given, 3) + "|" + dob);
    }
    if (!postcode.empty())
      add(BlockingKeyType::kDobPostcode, dob + "|" + postcode);
    if (!f.family.empty() && !f.given.empty()) {
      std::string fi = PrefixCodePoints(f.family, 1);
      std::string gi = PrefixCodePoints(f.given, 1);
      if (gi < fi) std::swap(fi, gi);
      add(BlockingKeyType::kDobInitials, dob + "|" + fi + gi);
    }
  }
  {
    std::string sf = Soundex(f.family);
    std::string sg = Soundex(f.given);
    if (!sf.empty() && !sg.empty()) {
      if (sg < sf) std::swap(sf, sg);
      add(BlockingKeyType::kPhoneticName, sf + sg);
    }
  }
  if (!postcode.empty()) {
    if (!f.family.empty()) {
      add(BlockingKeyType::kNameAddress, "f:" + f.family + "|" + postcode);
    }
    if (!f.given.empty()) {
      add(BlockingKeyType::kNameAddress, "g:" + f.given + "|" + postcode);
    }
  }

  // Organisation names.
  if (!f.org_name.empty()) {
    add(BlockingKeyType::kFullName, "o:" + f.org_name);
    std::vector<std::string> tokens = f.org_name_tokens;
    if (tokens.size() > 1) {
      std::sort(tokens.begin(), tokens.end());
      std::string joined;
      for (const auto& t : tokens) {
        if (!joined.empty()) joined += ' ';
        joined += t;
      }
      add(BlockingKeyType::kSortedNameTokens, "o:" + joined);
    }
    if (!f.org_pinyin.empty())
      add(BlockingKeyType::kPinyin, "o:" + f.org_pinyin);
    if (!f.address_region.empty()) {
      add(BlockingKeyType::kOrgNameRegion,
          PrefixCodePoints(f.org_name, 4) + "|" + f.address_region);
    }
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

CandidatePairs FindCandidatePairs(
    std::span<const std::vector<BlockingKey>> keys,
    const CandidateOptions& options) {
  absl::flat_hash_map<std::string, std::vector<std::uint32_t>> postings;
  std::string packed;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    for (const BlockingKey& k : keys[i]) {
      packed.assign(1, static_cast<char>(k.type));
      packed += k.value;
      postings[packed].push_back(static_cast<std::uint32_t>(i));
    }
  }
  CandidatePairs out;
  std::vector<std::uint64_t> pairs;
  for (const auto& [key, list] : postings) {
    if (list.size() > options.max_postings) {
      out.capped_keys.push_back(
          {BlockingKey{static_cast<BlockingKeyType>(key[0]), key.substr(1)},
           list.size()});
      continue;
    }
    for (std::size_t x = 0; x < list.size(); ++x) {
      for (std::size_t y = x + 1; y < list.size(); ++y) {
        const std::uint64_t lo = std::min(list[x], list[y]);
        const std::uint64_t hi = std::max(list[x], list[y]);
        if (lo != hi) pairs.push_back(lo << 32 | hi);
      }
    }
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  out.pairs.reserve(pairs.size());
  for (std::uint64_t p : pairs) {
    out.pairs.emplace_back(static_cast<std::uint32_t>(p >> 32),
                           static_cast<std::uint32_t>(p & 0xffffffffu));
  }
  std::sort(out.capped_keys.begin(), out.capped_keys.end());
  return out;
}

}  // namespace credit
