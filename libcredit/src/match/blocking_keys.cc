#include "match/blocking_keys.h"

#include <algorithm>
#include <cstdio>
#include <span>

#include "absl/hash/hash.h"
#include "match/string_comparators.h"
#include "normalize/text_normalizer.h"
#include "util/parallel_for.h"

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
    // A Han family name is one of a few hundred (the commonest hundred are
    // most of the population), so family + birth year alone would gather
    // thousands of people per key nationally; it carries the given name's
    // first character too.
    if (!normalize_internal::ContainsHan(f.family)) {
      add(BlockingKeyType::kFamilyBirthYear,
          f.family + "|" + std::to_string(f.dob.year));
    } else if (!f.given.empty()) {
      add(BlockingKeyType::kFamilyBirthYear,
          f.family + PrefixCodePoints(f.given, 1) + "|" +
              std::to_string(f.dob.year));
    }
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
    // The pinyin key finds homophone typos (利志 for 利智), the commonest
    // error of a name typed through a pinyin input method. Trade names are
    // short and reused, so the same syllables name firms in every city:
    // unscoped, this key paired more records than any other (6.3M pairs at
    // 1M generated records, 2.4M of them found by no other key, and all but
    // 11k of those different firms). A firm's records agree on its city, so
    // the key is scoped to each city the record names, in its name or its
    // address.
    if (!f.org_pinyin.empty()) {
      const std::string pinyin = "o:" + f.org_pinyin;
      if (f.org_region.empty() && f.address_city.empty()) {
        add(BlockingKeyType::kPinyin, pinyin);
      }
      if (!f.org_region.empty()) {
        add(BlockingKeyType::kPinyin, pinyin + "|" + f.org_region);
      }
      if (!f.address_city.empty() && f.address_city != f.org_region) {
        add(BlockingKeyType::kPinyin, pinyin + "|" + f.address_city);
      }
    }
    if (!f.address_region.empty()) {
      add(BlockingKeyType::kOrgNameRegion,
          PrefixCodePoints(f.org_name, 4) + "|" + f.address_region);
    }
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

namespace {

// One key of one record, found by its hash first.
struct KeyPosting {
  std::uint64_t hash;
  std::uint32_t record;  // index into the input
  std::uint32_t slot;    // index into that record's keys
};

bool HashThenRecord(const KeyPosting& x, const KeyPosting& y) {
  return x.hash != y.hash ? x.hash < y.hash : x.record < y.record;
}

// Lists the pairs of records sharing a key among `postings` (sorted by
// HashThenRecord, whole runs of equal hash only): each pair once as
// lower index << 32 | higher index, sorted, and the keys past the cap.
// Reorders a run whose hash several keys share.
void ListPairs(std::span<KeyPosting> postings,
               std::span<const std::vector<BlockingKey>> keys,
               const CandidateOptions& options,
               std::vector<std::uint64_t>* pairs,
               std::vector<std::pair<BlockingKey, std::size_t>>* capped) {
  auto key_of = [&](const KeyPosting& p) -> const BlockingKey& {
    return keys[p.record][p.slot];
  };
  std::vector<std::uint32_t> list;
  std::size_t run = 0;
  while (run < postings.size()) {
    std::size_t run_end = run + 1;
    bool one_key = true;
    for (; run_end < postings.size() &&
           postings[run_end].hash == postings[run].hash;
         ++run_end) {
      one_key = one_key && key_of(postings[run_end]) == key_of(postings[run]);
    }
    if (!one_key) {
      // Different keys under one hash: order by key, then record.
      std::sort(postings.begin() + run, postings.begin() + run_end,
                [&](const KeyPosting& x, const KeyPosting& y) {
                  const BlockingKey& kx = key_of(x);
                  const BlockingKey& ky = key_of(y);
                  return kx != ky ? kx < ky : x.record < y.record;
                });
    }
    // One key at a time; its records are in index order.
    for (std::size_t group = run, next; group < run_end; group = next) {
      const BlockingKey& key = key_of(postings[group]);
      list.clear();
      for (next = group; next < run_end && key_of(postings[next]) == key;
           ++next) {
        list.push_back(postings[next].record);
      }
      if (list.size() > options.max_postings) {
        capped->push_back({key, list.size()});
        continue;
      }
      // (A record listing one key twice pairs with no one through it.)
      for (std::size_t x = 0; x < list.size(); ++x) {
        for (std::size_t y = x + 1; y < list.size(); ++y) {
          if (list[x] != list[y]) {
            pairs->push_back(std::uint64_t{list[x]} << 32 | list[y]);
          }
        }
      }
    }
    run = run_end;
  }
  std::sort(pairs->begin(), pairs->end());
  pairs->erase(std::unique(pairs->begin(), pairs->end()), pairs->end());
}

}  // namespace

CandidatePairs FindCandidatePairs(
    std::span<const std::vector<BlockingKey>> keys,
    const CandidateOptions& options) {
  return match_internal::FindCandidatePairsHashedBy(
      keys, options,
      [](const BlockingKey& key) { return absl::Hash<BlockingKey>{}(key); });
}

namespace match_internal {

CandidatePairs FindCandidatePairsHashedBy(
    std::span<const std::vector<BlockingKey>> keys,
    const CandidateOptions& options,
    absl::FunctionRef<std::uint64_t(const BlockingKey&)> hash) {
  // Every (key, record) posting, sorted by the key's hash: a key's records
  // are then one run, in record order, without a map of millions of
  // strings. Equal hashes of different keys (rare) are told apart by
  // comparing the keys themselves.
  std::vector<std::size_t> offset(keys.size() + 1, 0);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    offset[i + 1] = offset[i] + keys[i].size();
  }
  std::vector<KeyPosting> postings(offset.back());
  ParallelFor(keys.size(), 8192, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      for (std::size_t j = 0; j < keys[i].size(); ++j) {
        postings[offset[i] + j] = {hash(keys[i][j]),
                                   static_cast<std::uint32_t>(i),
                                   static_cast<std::uint32_t>(j)};
      }
    }
  });
  SortOnAllCores(postings, HashThenRecord);

  // The runs of equal hash, split between the threads at run boundaries;
  // each thread lists the pairs of its share.
  const std::size_t parts = BulkThreadCount();
  std::vector<std::size_t> bounds(parts + 1, postings.size());
  bounds[0] = 0;
  for (std::size_t p = 1; p < parts; ++p) {
    std::size_t b = std::max(bounds[p - 1], postings.size() * p / parts);
    while (b > bounds[p - 1] && b < postings.size() &&
           postings[b].hash == postings[b - 1].hash) {
      ++b;
    }
    bounds[p] = b;
  }
  std::vector<std::vector<std::uint64_t>> part_pairs(parts);
  std::vector<std::vector<std::pair<BlockingKey, std::size_t>>> part_capped(
      parts);
  ParallelForEach(parts, [&](std::size_t p) {
    ListPairs(std::span(postings).subspan(bounds[p], bounds[p + 1] - bounds[p]),
              keys, options, &part_pairs[p], &part_capped[p]);
  });
  postings = {};

  CandidatePairs out;
  std::vector<std::uint64_t> pairs = std::move(part_pairs[0]);
  for (std::size_t p = 1; p < parts; ++p) {
    std::vector<std::uint64_t> merged;
    merged.reserve(pairs.size() + part_pairs[p].size());
    std::merge(pairs.begin(), pairs.end(), part_pairs[p].begin(),
               part_pairs[p].end(), std::back_inserter(merged));
    part_pairs[p] = {};
    pairs = std::move(merged);
  }
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  out.pairs.reserve(pairs.size());
  for (std::uint64_t p : pairs) {
    out.pairs.emplace_back(static_cast<std::uint32_t>(p >> 32),
                           static_cast<std::uint32_t>(p & 0xffffffffu));
  }
  for (auto& capped : part_capped) {
    for (auto& entry : capped) out.capped_keys.push_back(std::move(entry));
  }
  std::sort(out.capped_keys.begin(), out.capped_keys.end());
  return out;
}

}  // namespace match_internal

}  // namespace credit
