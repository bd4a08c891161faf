#include "match/blocking_keys.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "match/pair_scorer.h"
#include "match/record_fields.h"
#include "normalize/record_normalizer.h"
#include "record_builder.h"
#include "resolve/component_clusterer.h"

namespace credit {
namespace {

using ::credit::testing::RecordBuilder;
using ::testing::Contains;
using ::testing::IsEmpty;
using ::testing::Not;

std::vector<BlockingKey> KeysOf(const v1::Record& r) {
  return BlockingKeys(ExtractRecordFields(r));
}

bool ShareKey(const v1::Record& a, const v1::Record& b) {
  const auto ka = KeysOf(a);
  const auto kb = KeysOf(b);
  for (const auto& k : ka) {
    if (std::find(kb.begin(), kb.end(), k) != kb.end()) return true;
  }
  return false;
}

TEST(SoundexTest, KnownCodes) {
  EXPECT_EQ(Soundex("Robert"), "R163");
  EXPECT_EQ(Soundex("Rupert"), "R163");
  EXPECT_EQ(Soundex("Ashcraft"), "A261");
  EXPECT_EQ(Soundex("Tymczak"), "T522");
  EXPECT_EQ(Soundex("Pfister"), "P236");
  EXPECT_EQ(Soundex("lee"), "L000");
  EXPECT_EQ(Soundex("王伟"), "");
}

TEST(PostcodeTokenTest, FindsTheLastShortNumber) {
  const std::vector<std::string> t = {"12", "wattle", "street", "2026", "nsw"};
  EXPECT_EQ(PostcodeToken(t), "2026");
  const std::vector<std::string> none = {"12", "wattle"};
  EXPECT_EQ(PostcodeToken(none), "");
}

TEST(BlockingKeysTest, UsccAndBareOrganisationCodeMeet) {
  const v1::Record uscc =
      RecordBuilder(v1::ORG, 1)
          .FullName("腾讯科技")
          .Id(v1::Feature::USCC, "91440300708461136T", true, "708461136")
          .Build();
  const v1::Record code =
      RecordBuilder(v1::ORG, 2)
          .FullName("深圳腾讯")
          .Id(v1::Feature::ORG_CODE, "708461136", true, "708461136")
          .Build();
  EXPECT_THAT(KeysOf(uscc),
              Contains(BlockingKey{BlockingKeyType::kOrgCode, "708461136"}));
  EXPECT_THAT(KeysOf(uscc), Contains(BlockingKey{BlockingKeyType::kCheckedId,
                                                 "USCC:91440300708461136T"}));
  EXPECT_TRUE(ShareKey(uscc, code));
}

TEST(BlockingKeysTest, KeysAreSortedAndDistinct) {
  const auto keys = KeysOf(RecordBuilder(v1::PERSON, 1)
                               .PersonName("smith", "john")
                               .Phone("0291234567")
                               .Phone("0291234567")
                               .Build());
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
  EXPECT_EQ(std::adjacent_find(keys.begin(), keys.end()), keys.end());
}

// Febrl-style defects: each duplicate must still share a key with its
// original.
TEST(BlockingKeysTest, DuplicatesWithTypicalDefectsStillMeet) {
  auto person = [](std::uint64_t n, const std::string& family,
                   const std::string& given, int y, int m, int d,
                   const std::string& ssid, const std::string& address) {
    RecordBuilder b(v1::PERSON, n);
    b.PersonName(family, given);
    if (y != 0) b.Dob(y, m, d);
    if (!ssid.empty()) b.Id(v1::Feature::OTHER, ssid, false, "", "soc_sec_id");
    if (!address.empty()) b.Address(address);
    return b.Build();
  };
  const v1::Record original =
      person(1, "harrington", "kayla", 1915, 6, 12, "9004242",
             "maltby circuit coolaroo 3465 nsw");
  // Typo in family name, id typo, address kept: given prefix + date.
  EXPECT_TRUE(ShareKey(
      original, person(2, "harringtom", "kayla", 1915, 6, 12, "9004243", "")));
  // Typo in given name and date: family + birth year.
  EXPECT_TRUE(ShareKey(original,
                       person(3, "harrington", "kaila", 1915, 6, 21, "", "")));
  // Swapped parts: sorted tokens and phonetic key.
  EXPECT_TRUE(
      ShareKey(original, person(4, "kayla", "harrington", 0, 0, 0, "", "")));
  // Missing names, typo in id: date + postcode.
  EXPECT_TRUE(ShareKey(original, person(5, "", "", 1915, 6, 12, "9004224",
                                        "maltby circuit coolaroo 3465 nsw")));
  // Typos in both names, no date: phonetic key.
  EXPECT_TRUE(
      ShareKey(original, person(6, "harington", "kaylah", 0, 0, 0, "", "")));
  // Only the id in common.
  EXPECT_TRUE(ShareKey(original, person(7, "x", "y", 0, 0, 0, "9004242", "")));
}

// An ORG record from raw values, normalized as ingest does.
v1::Record NormalizedOrg(std::uint64_t number, const std::string& name,
                         const std::string& address = "") {
  v1::Record record;
  record.set_entity_kind(v1::ORG);
  record.set_record_number(number);
  record.set_source("test");
  record.set_record_id(std::to_string(number));
  auto* feature = record.add_features();
  feature->set_type(v1::Feature::NAME);
  feature->set_value(name);
  if (!address.empty()) {
    feature = record.add_features();
    feature->set_type(v1::Feature::ADDRESS);
    feature->set_value(address);
  }
  NormalizeRecord(&record);
  return record;
}

std::vector<std::string> PinyinKeysOf(const v1::Record& record) {
  std::vector<std::string> values;
  for (const BlockingKey& key : KeysOf(record)) {
    if (key.type == BlockingKeyType::kPinyin) values.push_back(key.value);
  }
  return values;
}

// A homophone typo in a firm's name (利智 typed as 利志) still meets its
// twin through the pinyin key when both name the city, in the name or the
// address; homophone firms of different cities do not (they would be
// scored as candidates for nothing: three quarters of the pairs the
// unscoped key found at 1M records).
TEST(BlockingKeysTest, OrgPinyinKeyIsScopedToTheCity) {
  const v1::Record original = NormalizedOrg(1, "郑州市利智印刷有限责任公司");
  const v1::Record typo = NormalizedOrg(
      2, "利志印刷有限责任公司", "郑州市金水区东风路505号发中创业园2810室");
  const v1::Record bracketed = NormalizedOrg(3, "利志印刷（郑州）有限公司");
  const v1::Record elsewhere = NormalizedOrg(4, "昆明市利志印刷有限公司");
  ASSERT_EQ(original.features(0).normalized().pinyin(),
            elsewhere.features(0).normalized().pinyin());
  EXPECT_THAT(PinyinKeysOf(original),
              ::testing::ElementsAre("o:lizhiyinshua|郑州市"));
  EXPECT_TRUE(ShareKey(original, typo));
  EXPECT_TRUE(ShareKey(original, bracketed));
  EXPECT_FALSE(ShareKey(original, elsewhere));
  // A name and an address naming different cities: a key for each.
  EXPECT_THAT(
      PinyinKeysOf(NormalizedOrg(5, "郑州市利智印刷有限责任公司",
                                 "昆明市五华区建设路989号")),
      ::testing::ElementsAre("o:lizhiyinshua|昆明市", "o:lizhiyinshua|郑州市"));
  // Naming no city: the unscoped key, which meets only records naming none.
  const v1::Record nowhere = NormalizedOrg(6, "利志印刷有限公司");
  EXPECT_THAT(PinyinKeysOf(nowhere), ::testing::ElementsAre("o:lizhiyinshua"));
  EXPECT_TRUE(ShareKey(nowhere, NormalizedOrg(7, "利智印刷有限公司")));
}

// Family + birth year: for a Latin family name the key is as it was (a
// typo in the given name and in the date still meet, see above); a Han
// family name is one of a few hundred, so its key carries the given name's
// first character.
TEST(BlockingKeysTest, HanFamilyBirthYearKeyCarriesTheGivenInitial) {
  auto family_year_keys = [](const v1::Record& record) {
    std::vector<std::string> values;
    for (const BlockingKey& key : KeysOf(record)) {
      if (key.type == BlockingKeyType::kFamilyBirthYear) {
        values.push_back(key.value);
      }
    }
    return values;
  };
  EXPECT_THAT(family_year_keys(RecordBuilder(v1::PERSON, 1)
                                   .PersonName("王", "建新")
                                   .Dob(1980, 5, 1)
                                   .Build()),
              ::testing::ElementsAre("王建|1980"));
  EXPECT_THAT(family_year_keys(RecordBuilder(v1::PERSON, 2)
                                   .PersonName("harrington", "kayla")
                                   .Dob(1915, 6, 12)
                                   .Build()),
              ::testing::ElementsAre("harrington|1915"));
  // No given name: a Han family and a year alone make no key.
  EXPECT_THAT(family_year_keys(RecordBuilder(v1::PERSON, 3)
                                   .PersonName("王", "")
                                   .Dob(1980, 5, 1)
                                   .Build()),
              IsEmpty());
  // A typo in the second character of the given name and in the day still
  // meet; a different given name with the same family and year does not.
  const v1::Record wang = RecordBuilder(v1::PERSON, 4)
                              .PersonName("王", "建新")
                              .Dob(1980, 5, 1)
                              .Build();
  EXPECT_TRUE(ShareKey(wang, RecordBuilder(v1::PERSON, 5)
                                 .PersonName("王", "建兴")
                                 .Dob(1980, 5, 11)
                                 .Build()));
  EXPECT_FALSE(ShareKey(wang, RecordBuilder(v1::PERSON, 6)
                                  .PersonName("王", "丽")
                                  .Dob(1980, 7, 3)
                                  .Build()));
}

// 1,000 different people share an accountant's phone: the phone key is capped
// and reported, so blocking proposes no pairs, and even when every pair is
// scored the common phone is weak evidence and no giant entity forms.
TEST(BlockingKeysTest, GiantSharedPhoneDoesNotMergeEverything) {
  constexpr int kPeople = 1000;
  std::vector<v1::Record> records;
  std::vector<std::vector<BlockingKey>> keys;
  InMemoryTermFrequencies tf;
  std::mt19937 rng(42);
  auto word = [&rng](int length) {
    std::string w;
    for (int k = 0; k < length; ++k)
      w.push_back(static_cast<char>('a' + rng() % 26));
    return w;
  };
  for (int i = 0; i < kPeople; ++i) {
    records.push_back(
        RecordBuilder(v1::PERSON, i + 1)
            .PersonName(word(7), word(6))
            .Dob(1940 + rng() % 60, 1 + rng() % 12, 1 + rng() % 28)
            .Phone("02155550000")
            .Build());
    keys.push_back(KeysOf(records.back()));
    tf.Add(records.back());
  }
  const CandidatePairs candidates = FindCandidatePairs(keys);
  EXPECT_THAT(candidates.pairs, IsEmpty());
  EXPECT_THAT(
      candidates.capped_keys,
      Contains(std::pair<BlockingKey, std::size_t>(
          BlockingKey{BlockingKeyType::kPhone, "02155550000"}, kPeople)));

  // Without the cap every pair is a candidate; scoring still keeps them apart.
  const CandidatePairs uncapped =
      FindCandidatePairs(keys, CandidateOptions{.max_postings = 100000});
  EXPECT_EQ(uncapped.pairs.size(),
            static_cast<std::size_t>(kPeople) * (kPeople - 1) / 2);
  auto scorer = PairScorer::Create(DefaultMatchModel(), &tf);
  ASSERT_TRUE(scorer.ok());
  std::vector<PreparedRecord> prepared;
  for (const auto& r : records) prepared.push_back(scorer->Prepare(r));
  std::vector<ClusterEdge> edges;
  for (const auto& [i, j] : uncapped.pairs) {
    const PairScore s = scorer->Score(prepared[i], prepared[j]);
    if (scorer->IsMatch(s)) {
      edges.push_back({i + 1ull, j + 1ull, s.total, v1::Edge::MATCH});
    }
  }
  EXPECT_THAT(edges, IsEmpty());
  std::vector<std::uint64_t> numbers;
  for (int i = 0; i < kPeople; ++i) numbers.push_back(i + 1);
  const Clustering c = ComponentClusterer::Cluster(numbers, edges);
  EXPECT_EQ(c.components.size(), static_cast<std::size_t>(kPeople));
}

TEST(FindCandidatePairsTest, PairsAreDistinctOrderedAndCapped) {
  std::vector<std::vector<BlockingKey>> keys = {
      {{BlockingKeyType::kPhone, "1"}, {BlockingKeyType::kEmail, "a@b"}},
      {{BlockingKeyType::kPhone, "1"}, {BlockingKeyType::kEmail, "a@b"}},
      {{BlockingKeyType::kPhone, "1"}},
      {{BlockingKeyType::kEmail, "z@b"}},
  };
  CandidatePairs c = FindCandidatePairs(keys);
  EXPECT_EQ(c.pairs, (std::vector<std::pair<std::uint32_t, std::uint32_t>>{
                         {0, 1}, {0, 2}, {1, 2}}));
  c = FindCandidatePairs(keys, CandidateOptions{.max_postings = 2});
  EXPECT_EQ(c.pairs,
            (std::vector<std::pair<std::uint32_t, std::uint32_t>>{{0, 1}}));
  ASSERT_EQ(c.capped_keys.size(), 1u);
  EXPECT_EQ(c.capped_keys[0].first.type, BlockingKeyType::kPhone);
  EXPECT_THAT(c.capped_keys, Not(IsEmpty()));
}

// The plain definition of the candidate search: a map from key to records,
// every pair of an uncapped key's records.
CandidatePairs ReferenceCandidatePairs(
    const std::vector<std::vector<BlockingKey>>& keys,
    const CandidateOptions& options) {
  std::map<BlockingKey, std::vector<std::uint32_t>> postings;
  for (std::uint32_t i = 0; i < keys.size(); ++i) {
    for (const BlockingKey& key : keys[i]) postings[key].push_back(i);
  }
  CandidatePairs out;
  std::set<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (const auto& [key, list] : postings) {
    if (list.size() > options.max_postings) {
      out.capped_keys.push_back({key, list.size()});
      continue;
    }
    for (std::size_t x = 0; x < list.size(); ++x) {
      for (std::size_t y = x + 1; y < list.size(); ++y) {
        if (list[x] != list[y]) pairs.insert({list[x], list[y]});
      }
    }
  }
  out.pairs.assign(pairs.begin(), pairs.end());
  return out;
}

// `n` records with up to five keys each from small vocabularies, so that
// keys are shared by many records and, in the larger sets, some pass a cap
// of 40.
std::vector<std::vector<BlockingKey>> RandomKeys(std::size_t n,
                                                 std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::vector<BlockingKey>> keys(n);
  for (auto& record : keys) {
    const int count = static_cast<int>(rng() % 6);
    for (int k = 0; k < count; ++k) {
      const auto type = static_cast<BlockingKeyType>(1 + rng() % 4);
      const std::uint32_t vocabulary = rng() % 4 == 0 ? 3 : n / 4 + 1;
      record.push_back({type, "v" + std::to_string(rng() % vocabulary)});
    }
    std::sort(record.begin(), record.end());
    record.erase(std::unique(record.begin(), record.end()), record.end());
  }
  return keys;
}

void ExpectSameAsReference(const std::vector<std::vector<BlockingKey>>& keys,
                           const CandidatePairs& found,
                           const CandidateOptions& options) {
  const CandidatePairs expected = ReferenceCandidatePairs(keys, options);
  EXPECT_EQ(found.pairs, expected.pairs);
  EXPECT_EQ(found.capped_keys, expected.capped_keys);
}

// Small and large inputs (the large one is sorted on all cores), with the
// real hash and with one under which every key of a type collides: the
// search must still keep different keys apart.
TEST(FindCandidatePairsTest, EqualsThePlainDefinition) {
  const CandidateOptions options{.max_postings = 40};
  for (std::size_t n : {std::size_t{50}, std::size_t{3000},
                        std::size_t{40000}}) {
    SCOPED_TRACE(n);
    const auto keys = RandomKeys(n, static_cast<std::uint32_t>(n));
    const CandidatePairs found = FindCandidatePairs(keys, options);
    EXPECT_FALSE(found.pairs.empty());
    if (n > 1000) {
      EXPECT_FALSE(found.capped_keys.empty());
    }
    ExpectSameAsReference(keys, found, options);
    ExpectSameAsReference(
        keys,
        match_internal::FindCandidatePairsHashedBy(
            keys, options,
            [](const BlockingKey& key) {
              return static_cast<std::uint64_t>(key.type);
            }),
        options);
  }
}

}  // namespace
}  // namespace credit
