#include "match/pair_scorer.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "fmt/format.h"
#include "match/string_comparators.h"

namespace credit {
namespace match_internal {
namespace {

constexpr std::size_t kMaxAddressTokens = 32;

std::vector<std::uint64_t> SortedTokenHashes(
    const std::vector<std::string>& tokens) {
  std::vector<std::uint64_t> out;
  out.reserve(tokens.size());
  for (const auto& t : tokens) out.push_back(HashToken(t));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Level of two name parts: exact / JW >= 0.92 / JW >= 0.80 / different.
int NamePartLevel(const PreparedText& a, const PreparedText& b, double jw) {
  if (a.hash == b.hash) return 0;
  if (jw >= 0.92) return 1;
  if (jw >= 0.80) return 2;
  return 3;
}

// Returns an upper bound of JaroWinkler(a, b) from the code points of each
// that can occur in the other (a match needs the same code point on both).
double JaroWinklerBound(const PreparedText& a, const PreparedText& b) {
  std::size_t ma = 0, mb = 0;
  for (char32_t c : a.text) ma += (b.char_mask >> (c & 63)) & 1;
  for (char32_t c : b.text) mb += (a.char_mask >> (c & 63)) & 1;
  const double m = static_cast<double>(std::min(ma, mb));
  if (m == 0) return 0.0;
  const double jaro = (m / a.text.size() + m / b.text.size() + 1.0) / 3.0;
  return jaro + 0.4 * (1.0 - jaro);
}

// Returns JaroWinkler(a, b), or an upper bound of it when that bound is
// already below `floor` (the result then only needs to be "below floor").
double NameJw(const PreparedText& a, const PreparedText& b,
              double floor = 0.80) {
  if (a.hash == b.hash) return 1.0;
  const double bound = JaroWinklerBound(a, b);
  if (bound < floor) return bound;
  return JaroWinkler(a.text, b.text);
}

// Token similarity of two address token sets where a token also matches an
// unmatched token one edit away (both at least 4 code points long).
double FuzzyTokenSimilarity(const PreparedRecord& ra, const PreparedRecord& rb,
                            double needed) {
  const PackedArray<PreparedRecord::Token>& a = ra.address_tokens;
  const PackedArray<PreparedRecord::Token>& b = rb.address_tokens;
  const std::size_t na = std::min(a.size(), kMaxAddressTokens);
  const std::size_t nb = std::min(b.size(), kMaxAddressTokens);
  if (na == 0 || nb == 0) return 0.0;
  auto similarity = [&](std::size_t m) {
    return static_cast<double>(m) / static_cast<double>(na + nb - m);
  };
  // Count exact matches without branches (tokens are unique per record);
  // most pairs stop here.
  std::size_t exact = 0;
  for (std::size_t x = 0; x < na; ++x) {
    for (std::size_t y = 0; y < nb; ++y) exact += a[x].hash == b[y].hash;
  }
  if (exact == std::min(na, nb) || similarity(exact) < needed) {
    return similarity(exact);
  }
  std::array<bool, kMaxAddressTokens> a_used{};
  std::array<bool, kMaxAddressTokens> b_used{};
  std::size_t i = 0, j = 0, matched = 0;
  while (i < na && j < nb) {
    if (a[i].hash == b[j].hash) {
      a_used[i++] = true;
      b_used[j++] = true;
      ++matched;
    } else if (a[i].hash < b[j].hash) {
      ++i;
    } else {
      ++j;
    }
  }
  // Typos only refine agreement that exact tokens already show: below
  // `needed` the address is "different" for this comparison, and random pairs
  // (the bulk of all comparisons) stop here without the quadratic loop.
  const std::size_t open = std::min(na, nb) - matched;
  if (open == 0 || similarity(matched) < needed) return similarity(matched);
  for (std::size_t x = 0; x < na; ++x) {
    const PreparedRecord::Token& tx = a[x];
    if (a_used[x] || tx.length < 4) continue;
    for (std::size_t y = 0; y < nb; ++y) {
      const PreparedRecord::Token& ty = b[y];
      if (b_used[y] || ty.length < 4 || ty.length + 1 < tx.length ||
          tx.length + 1 < ty.length) {
        continue;
      }
      // One edit in a string of 4 or more code points keeps the first or
      // the last code point.
      if (tx.first != ty.first && tx.last != ty.last) continue;
      const std::u32string_view vx(ra.arena.data() + tx.offset, tx.length);
      const std::u32string_view vy(rb.arena.data() + ty.offset, ty.length);
      if (DamerauLevenshteinAtMost(vx, vy, 1)) {
        b_used[y] = true;
        ++matched;
        break;
      }
    }
  }
  return similarity(matched);
}

bool SharesHash(const PackedArray<PreparedRecord::HashedValue>& a,
                const PackedArray<PreparedRecord::HashedValue>& b,
                double* weight) {
  bool found = false;
  for (const auto& x : a) {
    for (const auto& y : b) {
      if (x.hash == y.hash) {
        const double w = std::min(x.exact_weight, y.exact_weight);
        *weight = found ? std::max(*weight, w) : w;
        found = true;
      }
    }
  }
  return found;
}

}  // namespace
}  // namespace match_internal

using namespace match_internal;  // NOLINT: private helpers of this file

absl::StatusOr<PairScorer> PairScorer::Create(v1::MatchModel model,
                                              const TermFrequencyProvider* tf) {
  absl::Status status = ValidateMatchModel(model);
  if (!status.ok()) return status;
  return PairScorer(std::move(model), tf);
}

PairScorer::PairScorer(v1::MatchModel model, const TermFrequencyProvider* tf)
    : model_(std::move(model)), tf_(tf) {
  prior_weight_ = PriorWeight(model_);
  for (const auto& fc : model_.comparisons()) {
    int c = 0;
    while (ComparisonName(static_cast<Comparison>(c)) != fc.name()) ++c;
    for (int l = 0; l < fc.levels_size(); ++l) {
      weights_[c][l] = LevelWeight(fc.levels(l));
    }
    exact_m_[c] = fc.levels(0).m();
    exact_u_[c] = fc.levels(0).u();
    exact_tf_[c] = fc.levels(0).tf_adjust();
  }
}

double PairScorer::ExactWeight(Comparison c, std::string_view value) const {
  const int i = static_cast<int>(c);
  if (tf_ == nullptr || !exact_tf_[i]) return weights_[i][0];
  const TermCount count = tf_->Count(c, value);
  if (count.total == 0) return weights_[i][0];
  // The level's collision rate plus the value's frequency beyond the pair
  // itself: a value only the pair shares keeps the model's weight; a common
  // value (王伟, Smith, a placeholder id) counts for less.
  const double beyond =
      std::max(static_cast<double>(count.count) - model_.tf_own_count(), 0.0);
  // Frequencies from fewer records than the population the prior assumes
  // (1 / prior: ~10k records) are shrunk towards it: in a few thousand
  // records, a firm's own five records make its name look common.
  const double population =
      std::max(static_cast<double>(count.total),
               1.0 / model_.prior_match_probability());
  const double u =
      std::min(exact_u_[i] + beyond / population, model_.tf_max_u());
  return std::log2(exact_m_[i] / std::max(u, exact_u_[i]));
}

void PairScorer::PrepareText(Comparison c, std::string_view value,
                             std::vector<char32_t>* arena, PreparedText* out,
                             std::string_view tf_term) const {
  *out = PreparedText();
  if (value.empty()) return;
  const std::u32string cps = DecodeUtf8(value);
  out->hash = HashToken(value);
  out->exact_weight = ExactWeight(c, tf_term.empty() ? value : tf_term);
  for (char32_t cp : cps) out->char_mask |= std::uint64_t{1} << (cp & 63);
  // The arena moves into the record's storage: the view is set then.
  out->arena_offset = static_cast<std::uint32_t>(arena->size());
  out->arena_length = static_cast<std::uint32_t>(cps.size());
  arena->insert(arena->end(), cps.begin(), cps.end());
}

PreparedRecord PairScorer::Prepare(const v1::Record& record) const {
  return Prepare(ExtractRecordFields(record), record.record_number());
}

PreparedRecord PairScorer::Prepare(const RecordFields& f,
                                   std::uint64_t record_number) const {
  PreparedRecord p;
  p.record_number = record_number;
  p.kind = f.kind;
  // The arrays are built here, then copied into one storage block.
  std::vector<char32_t> arena;
  PrepareText(Comparison::kFamilyName, f.family, &arena, &p.family);
  PrepareText(Comparison::kGivenName, f.given, &arena, &p.given);
  PrepareText(Comparison::kPersonName, f.person_name, &arena, &p.person_name);
  const std::vector<std::uint64_t> person_tokens =
      SortedTokenHashes(f.person_name_tokens);
  PrepareText(Comparison::kOrgName, f.org_name, &arena, &p.org_name);
  const std::vector<std::uint64_t> org_tokens =
      SortedTokenHashes(f.org_name_tokens);
  if (!f.person_pinyin.empty()) p.person_pinyin = HashToken(f.person_pinyin);
  if (!f.org_pinyin.empty()) p.org_pinyin = HashToken(f.org_pinyin);
  p.org_branch = f.org_branch;
  if (f.org_region.ends_with("市")) p.org_city = HashToken(f.org_region);
  p.dob = f.dob;
  std::vector<PreparedRecord::CheckedId> checked_ids;
  checked_ids.reserve(f.checked_ids.size());
  for (const auto& id : f.checked_ids) {
    checked_ids.push_back({id.scheme, HashToken(id.value)});
  }
  std::vector<std::uint64_t> org_codes;
  org_codes.reserve(f.org_codes.size());
  for (const auto& code : f.org_codes) org_codes.push_back(HashToken(code));
  std::sort(org_codes.begin(), org_codes.end());
  std::vector<PreparedRecord::UncheckedId> unchecked_ids;
  unchecked_ids.reserve(f.unchecked_ids.size());
  for (const auto& id : f.unchecked_ids) {
    PreparedRecord::UncheckedId u;
    u.scheme_hash = HashToken(id.scheme_key);
    // The TF term of an id includes its scheme.
    PrepareText(Comparison::kUncheckedId, id.value, &arena, &u.value,
                UncheckedIdTerm(id.scheme_key, id.value));
    unchecked_ids.push_back(u);
  }
  std::vector<PreparedRecord::HashedValue> phones;
  phones.reserve(f.phones.size());
  for (const auto& phone : f.phones) {
    phones.push_back({HashToken(phone), ExactWeight(Comparison::kPhone, phone)});
  }
  std::vector<PreparedRecord::HashedValue> emails;
  emails.reserve(f.emails.size());
  for (const auto& email : f.emails) {
    emails.push_back({HashToken(email), ExactWeight(Comparison::kEmail, email)});
  }
  std::vector<PreparedRecord::Token> address_tokens;
  if (!f.address.empty()) {
    p.address_hash = HashToken(f.address);
    p.address_exact_weight = ExactWeight(Comparison::kAddress, f.address);
    address_tokens.reserve(f.address_tokens.size());
    for (const auto& t : f.address_tokens) {
      const std::u32string cps = DecodeUtf8(t);
      if (cps.empty()) continue;
      address_tokens.push_back(
          {HashToken(t), static_cast<std::uint32_t>(arena.size()),
           static_cast<std::uint32_t>(cps.size()), cps.front(), cps.back()});
      arena.insert(arena.end(), cps.begin(), cps.end());
    }
    std::sort(address_tokens.begin(), address_tokens.end(),
              [](const auto& x, const auto& y) { return x.hash < y.hash; });
    address_tokens.erase(
        std::unique(address_tokens.begin(), address_tokens.end(),
                    [](const auto& x, const auto& y) { return x.hash == y.hash; }),
        address_tokens.end());
  }
  std::vector<PreparedRecord::Attribute> attributes;
  attributes.reserve(f.attributes.size());
  std::string names;  // every attribute name, back to back
  std::vector<std::size_t> name_offsets;
  for (const auto& [name, value] : f.attributes) {
    attributes.push_back(
        {HashToken(name), HashToken(value),
         ExactWeight(Comparison::kAttribute, AttributeTerm(name, value)), {}});
    name_offsets.push_back(names.size());
    names += name;
  }

  // One block: each array at an offset aligned for its type.
  std::size_t size = 0;
  auto reserve = [&size](std::size_t count, std::size_t align,
                         std::size_t element) {
    size = (size + align - 1) / align * align;
    const std::size_t at = size;
    size += count * element;
    return at;
  };
  auto reserve_for = [&reserve](const auto& v) {
    using T = typename std::decay_t<decltype(v)>::value_type;
    return reserve(v.size(), alignof(T), sizeof(T));
  };
  const std::size_t arena_at = reserve_for(arena);
  const std::size_t person_tokens_at = reserve_for(person_tokens);
  const std::size_t org_tokens_at = reserve_for(org_tokens);
  const std::size_t checked_ids_at = reserve_for(checked_ids);
  const std::size_t org_codes_at = reserve_for(org_codes);
  const std::size_t unchecked_ids_at = reserve_for(unchecked_ids);
  const std::size_t phones_at = reserve_for(phones);
  const std::size_t emails_at = reserve_for(emails);
  const std::size_t address_tokens_at = reserve_for(address_tokens);
  const std::size_t attributes_at = reserve_for(attributes);
  const std::size_t names_at = reserve(names.size(), 1, 1);
  p.storage = std::make_unique_for_overwrite<std::byte[]>(size);
  p.storage_bytes = static_cast<std::uint32_t>(size);
  std::byte* block = p.storage.get();
  Place(arena, block, arena_at, &p.arena);
  // The arena is in place: point the views into it.
  auto view = [&p](PreparedText* t) {
    t->text =
        std::u32string_view(p.arena.data() + t->arena_offset, t->arena_length);
  };
  view(&p.family);
  view(&p.given);
  view(&p.person_name);
  view(&p.org_name);
  for (auto& u : unchecked_ids) view(&u.value);
  std::copy(names.begin(), names.end(),
            reinterpret_cast<char*>(block + names_at));
  for (std::size_t i = 0; i < attributes.size(); ++i) {
    const std::size_t end =
        i + 1 < attributes.size() ? name_offsets[i + 1] : names.size();
    attributes[i].name =
        std::string_view(reinterpret_cast<const char*>(block + names_at) +
                             name_offsets[i],
                         end - name_offsets[i]);
  }
  Place(person_tokens, block, person_tokens_at, &p.person_tokens);
  Place(org_tokens, block, org_tokens_at, &p.org_tokens);
  Place(checked_ids, block, checked_ids_at, &p.checked_ids);
  Place(org_codes, block, org_codes_at, &p.org_codes);
  Place(unchecked_ids, block, unchecked_ids_at, &p.unchecked_ids);
  Place(phones, block, phones_at, &p.phones);
  Place(emails, block, emails_at, &p.emails);
  Place(address_tokens, block, address_tokens_at, &p.address_tokens);
  Place(attributes, block, attributes_at, &p.attributes);
  return p;
}

PairScore PairScorer::Score(const PreparedRecord& a,
                            const PreparedRecord& b) const {
  PairScore s;
  s.prior_weight = prior_weight_;
  s.total = prior_weight_;
  auto add = [&s](Comparison c, int level, double weight, int attribute = 0) {
    s.entries[s.size++] = {c, static_cast<std::uint8_t>(level),
                           static_cast<std::uint8_t>(attribute), weight};
    s.total += weight;
  };

  if ((a.kind == v1::PERSON && b.kind == v1::ORG) ||
      (a.kind == v1::ORG && b.kind == v1::PERSON)) {
    s.cannot_link = CannotLinkReason::kEntityKind;
    return s;
  }

  // Names. Persons with name parts on both sides compare part by part,
  // allowing family and given to be swapped; otherwise the full names.
  const bool a_parts = !a.family.empty() || !a.given.empty();
  const bool b_parts = !b.family.empty() || !b.given.empty();
  if (a_parts && b_parts) {
    const PreparedText* bf = &b.family;
    const PreparedText* bg = &b.given;
    double jw_f =
        (!a.family.empty() && !bf->empty()) ? NameJw(a.family, *bf) : -1;
    double jw_g =
        (!a.given.empty() && !bg->empty()) ? NameJw(a.given, *bg) : -1;
    // Consider swapped parts only when a crossed pair could agree: it must
    // share the first code point (cheap, and typos rarely hit it).
    if ((jw_f < 0.92 || jw_g < 0.92) && !a.family.empty() && !a.given.empty() &&
        !b.family.empty() && !b.given.empty() &&
        (a.family.text[0] == b.given.text[0] ||
         a.given.text[0] == b.family.text[0])) {
      const double x_f = NameJw(a.family, b.given);
      const double x_g = NameJw(a.given, b.family);
      if (x_f + x_g > jw_f + jw_g) {
        bf = &b.given;
        bg = &b.family;
        jw_f = x_f;
        jw_g = x_g;
      }
    }
    if (jw_f >= 0) {
      const int level = NamePartLevel(a.family, *bf, jw_f);
      add(Comparison::kFamilyName, level,
          level == 0 ? std::min(a.family.exact_weight, bf->exact_weight)
                     : Weight(Comparison::kFamilyName, level));
    }
    if (jw_g >= 0) {
      const int level = NamePartLevel(a.given, *bg, jw_g);
      add(Comparison::kGivenName, level,
          level == 0 ? std::min(a.given.exact_weight, bg->exact_weight)
                     : Weight(Comparison::kGivenName, level));
    }
  } else if (!a.person_name.empty() && !b.person_name.empty()) {
    int level;
    double weight;
    if (a.person_name.hash == b.person_name.hash) {
      level = 0;
      weight = std::min(a.person_name.exact_weight, b.person_name.exact_weight);
    } else {
      if (!a.person_tokens.empty() && a.person_tokens == b.person_tokens) {
        level = 1;
      } else {
        const double jw = NameJw(a.person_name, b.person_name);
        if (jw >= 0.92 ||
            (a.person_pinyin != 0 && a.person_pinyin == b.person_pinyin)) {
          level = 2;
        } else if (jw >= 0.80 ||
                   DamerauLevenshteinAtMost(a.person_name.text,
                                            b.person_name.text, 1)) {
          level = 3;
        } else {
          level = 4;
        }
      }
      weight = Weight(Comparison::kPersonName, level);
    }
    add(Comparison::kPersonName, level, weight);
  }
  if (!a.org_name.empty() && !b.org_name.empty()) {
    int level;
    double weight;
    if (a.org_name.hash == b.org_name.hash) {
      level = 0;
      weight = std::min(a.org_name.exact_weight, b.org_name.exact_weight);
    } else {
      if (!a.org_tokens.empty() && a.org_tokens == b.org_tokens) {
        level = 1;
      } else if ((a.org_pinyin != 0 && a.org_pinyin == b.org_pinyin) ||
                 NameJw(a.org_name, b.org_name, 0.95) >= 0.95) {
        level = 2;
      } else if (TokenSetSimilarity(a.org_tokens, b.org_tokens) >= 0.5) {
        level = 3;
      } else {
        level = 4;
      }
      weight = Weight(Comparison::kOrgName, level);
    }
    // A branch (分公司) and its head office are different legal subjects
    // whose names agree once the branch suffix is stripped: their names
    // agree no better than partially.
    if (a.org_branch != b.org_branch && level < 3) {
      level = 3;
      weight = Weight(Comparison::kOrgName, level);
    }
    // Trade names repeat from city to city (深圳市华信科技 and 北京市华信科技
    // are two companies; a company that moves renames itself): names that
    // carry different cities agree no better than partially either. A name
    // without its city (华信科技有限公司) is no conflict.
    if (a.org_city != 0 && b.org_city != 0 && a.org_city != b.org_city &&
        level < 3) {
      level = 3;
      weight = Weight(Comparison::kOrgName, level);
    }
    add(Comparison::kOrgName, level, weight);
  }

  // Date of birth / establishment.
  {
    const DateLevel level = CompareDates(a.dob, b.dob);
    if (level != DateLevel::kMissing) {
      add(Comparison::kDob, static_cast<int>(level),
          Weight(Comparison::kDob, static_cast<int>(level)));
    }
  }

  // Checked identifiers: any shared value agrees; a scheme both records hold
  // with no shared value is a cannot-link.
  if (!a.checked_ids.empty() && !b.checked_ids.empty()) {
    bool agree = false;
    bool conflict = false;
    for (const auto& x : a.checked_ids) {
      bool both_have = false;
      bool shared = false;
      for (const auto& y : b.checked_ids) {
        if (x.scheme != y.scheme) continue;
        both_have = true;
        if (x.hash == y.hash) shared = true;
      }
      if (!both_have) continue;
      if (shared) {
        agree = true;
      } else {
        conflict = true;
      }
    }
    if (!a.org_codes.empty() && !b.org_codes.empty()) {
      bool shared = false;
      for (std::uint64_t x : a.org_codes) {
        for (std::uint64_t y : b.org_codes) shared |= x == y;
      }
      if (shared) {
        agree = true;
      } else {
        conflict = true;
      }
    }
    if (conflict) {
      add(Comparison::kCheckedId, 1, Weight(Comparison::kCheckedId, 1));
      s.cannot_link = CannotLinkReason::kCheckedId;
    } else if (agree) {
      add(Comparison::kCheckedId, 0, Weight(Comparison::kCheckedId, 0));
    }
  }

  // Unchecked identifiers of the same scheme: best level over all pairs.
  if (!a.unchecked_ids.empty() && !b.unchecked_ids.empty()) {
    int best = 3;
    double exact_weight = 0;
    for (const auto& x : a.unchecked_ids) {
      for (const auto& y : b.unchecked_ids) {
        if (x.scheme_hash != y.scheme_hash) continue;
        int level;
        if (x.value.hash == y.value.hash) {
          level = 0;
          const double w = std::min(x.value.exact_weight, y.value.exact_weight);
          exact_weight = best == 0 ? std::max(exact_weight, w) : w;
        } else if (DamerauLevenshteinAtMost(x.value.text, y.value.text, 1)) {
          level = 1;
        } else {
          level = 2;
        }
        best = std::min(best, level);
      }
    }
    if (best < 3) {
      add(Comparison::kUncheckedId, best,
          best == 0 ? exact_weight : Weight(Comparison::kUncheckedId, best));
    }
  }

  if (!a.phones.empty() && !b.phones.empty()) {
    double w;
    if (SharesHash(a.phones, b.phones, &w)) {
      add(Comparison::kPhone, 0, w);
    } else {
      add(Comparison::kPhone, 1, Weight(Comparison::kPhone, 1));
    }
  }
  if (!a.emails.empty() && !b.emails.empty()) {
    double w;
    if (SharesHash(a.emails, b.emails, &w)) {
      add(Comparison::kEmail, 0, w);
    } else {
      add(Comparison::kEmail, 1, Weight(Comparison::kEmail, 1));
    }
  }

  if (!a.address_tokens.empty() && !b.address_tokens.empty()) {
    if (a.address_hash == b.address_hash) {
      add(Comparison::kAddress, 0,
          std::min(a.address_exact_weight, b.address_exact_weight));
    } else {
      const double sim = FuzzyTokenSimilarity(a, b, 0.25);
      const int level = sim >= 0.8 ? 1 : sim >= 0.5 ? 2 : sim >= 0.25 ? 3 : 4;
      add(Comparison::kAddress, level, Weight(Comparison::kAddress, level));
    }
  }

  int attribute_entries = 0;
  for (std::size_t i = 0; i < a.attributes.size(); ++i) {
    if (attribute_entries == kMaxAttributeComparisons) break;
    const auto& x = a.attributes[i];
    for (const auto& y : b.attributes) {
      if (x.name_hash != y.name_hash) continue;
      if (x.value_hash == y.value_hash) {
        add(Comparison::kAttribute, 0, std::min(x.exact_weight, y.exact_weight),
            static_cast<int>(i));
      } else {
        add(Comparison::kAttribute, 1, Weight(Comparison::kAttribute, 1),
            static_cast<int>(i));
      }
      ++attribute_entries;
      break;
    }
  }
  return s;
}

v1::Edge PairScorer::ToStoredEdge(const PairScore& s, const PreparedRecord& a,
                                  const PreparedRecord& b) const {
  v1::Edge edge;
  edge.set_record_a(std::min(a.record_number, b.record_number));
  edge.set_record_b(std::max(a.record_number, b.record_number));
  edge.set_model_version(model_.version());
  if (s.is_cannot_link()) {
    edge.set_kind(v1::Edge::CANNOT_LINK);
    edge.set_note(
        s.cannot_link == CannotLinkReason::kEntityKind
            ? "entity kinds differ: PERSON vs ORG"
            : "different verified values of a checksummed identifier");
  } else if (IsMatch(s)) {
    edge.set_kind(v1::Edge::MATCH);
  } else if (IsPossibleMatch(s)) {
    edge.set_kind(v1::Edge::POSSIBLE_MATCH);
  }
  edge.set_weight(s.total);
  return edge;
}

v1::Edge PairScorer::ToEdge(const PairScore& s, const PreparedRecord& a,
                            const PreparedRecord& b) const {
  v1::Edge edge = ToStoredEdge(s, a, b);
  auto* prior = edge.add_comparisons();
  prior->set_feature("prior");
  prior->set_level(fmt::format("p={}", model_.prior_match_probability()));
  prior->set_weight(s.prior_weight);
  for (int i = 0; i < s.size; ++i) {
    const ComparisonResult& r = s.entries[i];
    auto* e = edge.add_comparisons();
    if (r.comparison == Comparison::kAttribute) {
      e->set_feature(fmt::format("attribute:{}", a.attributes[r.attribute].name));
    } else {
      e->set_feature(std::string(ComparisonName(r.comparison)));
    }
    e->set_level(std::string(LevelNames(r.comparison)[r.level]));
    e->set_weight(r.weight);
  }
  return edge;
}

}  // namespace credit
