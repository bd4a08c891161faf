#include "match/pair_scorer.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "match/model_trainer.h"
#include "record_builder.h"
#include "test_support.h"

namespace credit {
namespace {

using ::credit::testing::RecordBuilder;
using ::credit::testing::StatusIs;
using ::testing::HasSubstr;

PairScorer DefaultScorer(const TermFrequencyProvider* tf = nullptr) {
  auto scorer = PairScorer::Create(DefaultMatchModel(), tf);
  EXPECT_TRUE(scorer.ok()) << scorer.status();
  return *std::move(scorer);
}

const ComparisonResult* Find(const PairScore& s, Comparison c) {
  for (int i = 0; i < s.size; ++i) {
    if (s.entries[i].comparison == c) return &s.entries[i];
  }
  return nullptr;
}

std::string LevelOf(const PairScore& s, Comparison c) {
  const ComparisonResult* r = Find(s, c);
  return r == nullptr ? "missing" : std::string(LevelNames(c)[r->level]);
}

v1::Record Person(std::uint64_t n, const std::string& family,
                  const std::string& given) {
  return RecordBuilder(v1::PERSON, n)
      .PersonName(family, given)
      .Dob(1980, 3, 12)
      .Address("12 wattle street bondi 2026 nsw")
      .Build();
}

TEST(MatchModelTest, DefaultModelIsValid) {
  CREDIT_EXPECT_OK(ValidateMatchModel(DefaultMatchModel()));
}

TEST(MatchModelTest, ValidationNamesTheProblem) {
  v1::MatchModel m = DefaultMatchModel();
  m.mutable_comparisons(0)->mutable_levels(1)->set_name("close");
  EXPECT_THAT(ValidateMatchModel(m),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("expected 'jaro_winkler_0.92'")));
  m = DefaultMatchModel();
  m.mutable_comparisons()->RemoveLast();
  EXPECT_THAT(ValidateMatchModel(m),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'attribute' is missing")));
  m = DefaultMatchModel();
  m.mutable_comparisons(4)->mutable_levels(0)->set_u(0);
  EXPECT_THAT(PairScorer::Create(m).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("dob")));
}

TEST(MatchModelTest, SerializesAndScoresIdentically) {
  v1::MatchModel model = DefaultMatchModel();
  std::string bytes;
  ASSERT_TRUE(model.SerializeToString(&bytes));
  v1::MatchModel parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  auto a_scorer = PairScorer::Create(model);
  auto b_scorer = PairScorer::Create(parsed);
  CREDIT_ASSERT_OK(a_scorer);
  CREDIT_ASSERT_OK(b_scorer);
  const v1::Record x = Person(1, "smith", "john");
  const v1::Record y = Person(2, "smyth", "jon");
  EXPECT_EQ(a_scorer->Score(a_scorer->Prepare(x), a_scorer->Prepare(y)).total,
            b_scorer->Score(b_scorer->Prepare(x), b_scorer->Prepare(y)).total);
}

TEST(PairScorerTest, IdenticalPersonsMatchAndExplanationsAddUp) {
  PairScorer scorer = DefaultScorer();
  const PreparedRecord a = scorer.Prepare(Person(1, "smith", "john"));
  const PreparedRecord b = scorer.Prepare(Person(2, "smith", "john"));
  const PairScore s = scorer.Score(a, b);
  EXPECT_TRUE(scorer.IsMatch(s));
  EXPECT_EQ(LevelOf(s, Comparison::kFamilyName), "exact");
  EXPECT_EQ(LevelOf(s, Comparison::kDob), "exact");
  EXPECT_EQ(LevelOf(s, Comparison::kAddress), "exact");
  double sum = s.prior_weight;
  for (int i = 0; i < s.size; ++i) sum += s.entries[i].weight;
  EXPECT_EQ(sum, s.total);  // exactly, not approximately

  const v1::Edge edge = scorer.ToEdge(s, b, a);
  EXPECT_EQ(edge.record_a(), 1u);
  EXPECT_EQ(edge.record_b(), 2u);
  EXPECT_EQ(edge.kind(), v1::Edge::MATCH);
  ASSERT_GT(edge.comparisons_size(), 1);
  EXPECT_EQ(edge.comparisons(0).feature(), "prior");
  double edge_sum = 0;
  for (const auto& c : edge.comparisons()) edge_sum += c.weight();
  EXPECT_EQ(edge_sum, edge.weight());
  EXPECT_EQ(edge.weight(), s.total);
}

// The store keeps edges without the comparison vector; everything else is
// the explained edge's.
TEST(PairScorerTest, StoredEdgeIsTheEdgeWithoutItsComparisons) {
  PairScorer scorer = DefaultScorer();
  const PreparedRecord a = scorer.Prepare(Person(1, "smith", "john"));
  const PreparedRecord b = scorer.Prepare(Person(2, "smith", "john"));
  const PairScore s = scorer.Score(a, b);
  v1::Edge explained = scorer.ToEdge(s, a, b);
  const v1::Edge stored = scorer.ToStoredEdge(s, a, b);
  EXPECT_EQ(stored.comparisons_size(), 0);
  ASSERT_GT(explained.comparisons_size(), 0);
  explained.clear_comparisons();
  EXPECT_EQ(stored.SerializeAsString(), explained.SerializeAsString());
}

TEST(PairScorerTest, SymmetricWeights) {
  PairScorer scorer = DefaultScorer();
  const PreparedRecord a = scorer.Prepare(Person(1, "smith", "john"));
  const PreparedRecord b = scorer.Prepare(RecordBuilder(v1::PERSON, 2)
                                              .PersonName("john", "smith")
                                              .Dob(1980, 12, 3)
                                              .Build());
  EXPECT_DOUBLE_EQ(scorer.Score(a, b).total, scorer.Score(b, a).total);
}

TEST(PairScorerTest, SwappedNamePartsStillAgree) {
  PairScorer scorer = DefaultScorer();
  const PreparedRecord a = scorer.Prepare(Person(1, "nguyen", "thomas"));
  const PreparedRecord b = scorer.Prepare(Person(2, "thomas", "nguyen"));
  const PairScore s = scorer.Score(a, b);
  EXPECT_EQ(LevelOf(s, Comparison::kFamilyName), "exact");
  EXPECT_EQ(LevelOf(s, Comparison::kGivenName), "exact");
}

TEST(PairScorerTest, TypoLevelsSitBetweenExactAndDifferent) {
  PairScorer scorer = DefaultScorer();
  const PreparedRecord a = scorer.Prepare(Person(1, "harrington", "kayla"));
  const PreparedRecord typo = scorer.Prepare(Person(2, "harringtom", "kayla"));
  const PreparedRecord other = scorer.Prepare(Person(3, "nguyen", "kayla"));
  const PairScore s_typo = scorer.Score(a, typo);
  const PairScore s_other = scorer.Score(a, other);
  EXPECT_EQ(LevelOf(s_typo, Comparison::kFamilyName), "jaro_winkler_0.92");
  EXPECT_EQ(LevelOf(s_other, Comparison::kFamilyName), "different");
  EXPECT_GT(Find(s_typo, Comparison::kFamilyName)->weight, 0);
  EXPECT_LT(Find(s_other, Comparison::kFamilyName)->weight, 0);
}

TEST(PairScorerTest, ChineseFullNamesCompareByCodePoint) {
  PairScorer scorer = DefaultScorer();
  const PreparedRecord a =
      scorer.Prepare(RecordBuilder(v1::PERSON, 1).FullName("欧阳建国").Build());
  const PreparedRecord b =
      scorer.Prepare(RecordBuilder(v1::PERSON, 2).FullName("欧阳建国").Build());
  const PreparedRecord c =
      scorer.Prepare(RecordBuilder(v1::PERSON, 3).FullName("欧阳建图").Build());
  EXPECT_EQ(LevelOf(scorer.Score(a, b), Comparison::kPersonName), "exact");
  // 3 of 4 code points agree: Jaro–Winkler 0.883.
  EXPECT_EQ(LevelOf(scorer.Score(a, c), Comparison::kPersonName), "similar");
  // Homophones (the usual CJK typo) are close: same pinyin.
  const PreparedRecord w1 = scorer.Prepare(
      RecordBuilder(v1::PERSON, 4).FullName("王伟", "wang wei").Build());
  const PreparedRecord w2 = scorer.Prepare(
      RecordBuilder(v1::PERSON, 5).FullName("王玮", "wang wei").Build());
  const PreparedRecord w3 = scorer.Prepare(
      RecordBuilder(v1::PERSON, 6).FullName("王刚", "wang gang").Build());
  EXPECT_EQ(LevelOf(scorer.Score(w1, w2), Comparison::kPersonName), "close");
  EXPECT_EQ(LevelOf(scorer.Score(w1, w3), Comparison::kPersonName), "similar");
}

TEST(PairScorerTest, TermFrequencyLowersWeightOfCommonValues) {
  InMemoryTermFrequencies tf;
  for (int i = 0; i < 500; ++i) {
    tf.Add(
        RecordBuilder(v1::PERSON, 100 + i).PersonName("wang", "wei").Build());
  }
  for (int i = 0; i < 500; ++i) {
    tf.Add(
        RecordBuilder(v1::PERSON, 1000 + i)
            .PersonName("name" + std::to_string(i), "given" + std::to_string(i))
            .Build());
  }
  tf.Add(
      RecordBuilder(v1::PERSON, 5000).PersonName("ouyang", "jianguo").Build());
  PairScorer scorer = DefaultScorer(&tf);
  PairScorer plain = DefaultScorer();
  auto weight = [](const PairScorer& s, const std::string& f,
                   const std::string& g) {
    const PairScore score = s.Score(
        s.Prepare(RecordBuilder(v1::PERSON, 1).PersonName(f, g).Build()),
        s.Prepare(RecordBuilder(v1::PERSON, 2).PersonName(f, g).Build()));
    return Find(score, Comparison::kFamilyName)->weight;
  };
  const double common = weight(scorer, "wang", "wei");
  const double rare = weight(scorer, "ouyang", "jianguo");
  EXPECT_LT(common, rare);
  EXPECT_LT(common, weight(plain, "wang", "wei"));
  // Half the records carry "wang": u = 0.003 + 498/10,000 (1,001 records
  // are fewer than the prior's population, 1 / 1e-4), m = 0.88.
  EXPECT_NEAR(common, std::log2(0.88 / (0.003 + 498.0 / 10000.0)), 1e-9);
}

TEST(PairScorerTest, FrequenciesOfASmallStoreAreShrunkTowardsThePriorsPopulation) {
  // A firm's own five records in a store of `total` records.
  auto weight = [](int total) {
    InMemoryTermFrequencies tf;
    for (int i = 0; i < total; ++i) {
      tf.Add(RecordBuilder(v1::ORG, 100 + i)
                 .FullName(i < 5 ? "甲乙丙科技" : "公司" + std::to_string(i))
                 .Build());
    }
    PairScorer scorer = DefaultScorer(&tf);
    const PairScore score = scorer.Score(
        scorer.Prepare(RecordBuilder(v1::ORG, 1).FullName("甲乙丙科技").Build()),
        scorer.Prepare(RecordBuilder(v1::ORG, 2).FullName("甲乙丙科技").Build()));
    return Find(score, Comparison::kOrgName)->weight;
  };
  // u = 1e-5 + 3 / max(total, 10,000), m = 0.75.
  EXPECT_NEAR(weight(1000), std::log2(0.75 / (1e-5 + 3.0 / 10000.0)), 1e-9);
  EXPECT_NEAR(weight(20000), std::log2(0.75 / (1e-5 + 3.0 / 20000.0)), 1e-9);
  EXPECT_GT(weight(1000), 11.0);  // was log2(0.75 / 0.00301) = 8.0
}

TEST(PairScorerTest, DifferentVerifiedResidentIdsAreACannotLink) {
  PairScorer scorer = DefaultScorer();
  const PreparedRecord a = scorer.Prepare(
      RecordBuilder(v1::PERSON, 1)
          .PersonName("王", "伟")
          .Dob(1980, 3, 12)
          .Id(v1::Feature::RESIDENT_ID, "11010519800312001X", true)
          .Build());
  const PreparedRecord b = scorer.Prepare(
      RecordBuilder(v1::PERSON, 2)
          .PersonName("王", "伟")
          .Dob(1980, 3, 12)
          .Id(v1::Feature::RESIDENT_ID, "110105198003120028", true)
          .Build());
  const PairScore s = scorer.Score(a, b);
  EXPECT_EQ(s.cannot_link, CannotLinkReason::kCheckedId);
  EXPECT_FALSE(scorer.IsMatch(s));
  EXPECT_EQ(scorer.ToEdge(s, a, b).kind(), v1::Edge::CANNOT_LINK);
  EXPECT_EQ(LevelOf(s, Comparison::kCheckedId), "different");
}

TEST(PairScorerTest, UsccMeetsItsBareOrganisationCode) {
  PairScorer scorer = DefaultScorer();
  const PreparedRecord uscc = scorer.Prepare(
      RecordBuilder(v1::ORG, 1)
          .FullName("腾讯科技")
          .Id(v1::Feature::USCC, "91440300708461136T", true, "708461136")
          .Build());
  const PreparedRecord code = scorer.Prepare(
      RecordBuilder(v1::ORG, 2)
          .FullName("腾讯科技")
          .Id(v1::Feature::ORG_CODE, "708461136", true, "708461136")
          .Build());
  const PreparedRecord other_code = scorer.Prepare(
      RecordBuilder(v1::ORG, 3)
          .FullName("腾讯科技")
          .Id(v1::Feature::ORG_CODE, "708461144", true, "708461144")
          .Build());
  const PairScore same = scorer.Score(uscc, code);
  EXPECT_FALSE(same.is_cannot_link());
  EXPECT_EQ(LevelOf(same, Comparison::kCheckedId), "exact");
  EXPECT_TRUE(scorer.IsMatch(same));
  EXPECT_EQ(scorer.Score(uscc, other_code).cannot_link,
            CannotLinkReason::kCheckedId);
}

TEST(PairScorerTest, BranchAndHeadOfficeNamesAgreeOnlyPartially) {
  PairScorer scorer = DefaultScorer();
  v1::Record head = RecordBuilder(v1::ORG, 1).FullName("华为技术").Build();
  v1::Record branch = RecordBuilder(v1::ORG, 2).FullName("华为技术").Build();
  branch.mutable_features(0)->mutable_normalized()->set_branch(true);
  v1::Record branch2 = branch;
  branch2.set_record_number(3);
  const PreparedRecord h = scorer.Prepare(head);
  const PreparedRecord b = scorer.Prepare(branch);
  const PreparedRecord b2 = scorer.Prepare(branch2);
  EXPECT_EQ(LevelOf(scorer.Score(h, b), Comparison::kOrgName),
            "token_overlap_0.5");
  EXPECT_EQ(LevelOf(scorer.Score(b, b2), Comparison::kOrgName), "exact");
}

TEST(PairScorerTest, NamesCarryingDifferentCitiesAgreeOnlyPartially) {
  PairScorer scorer = DefaultScorer();
  auto org = [&](std::uint64_t n, const std::string& region) {
    v1::Record record = RecordBuilder(v1::ORG, n).FullName("华信科技").Build();
    record.mutable_features(0)->mutable_normalized()->set_region(region);
    return scorer.Prepare(record);
  };
  const PreparedRecord shenzhen = org(1, "深圳市");
  const PreparedRecord beijing = org(2, "北京市");
  EXPECT_EQ(LevelOf(scorer.Score(shenzhen, beijing), Comparison::kOrgName),
            "token_overlap_0.5");
  // The same city, a name without one, or a province only: no conflict.
  for (const char* region : {"深圳市", "", "广东省"}) {
    EXPECT_EQ(LevelOf(scorer.Score(shenzhen, org(3, region)),
                      Comparison::kOrgName),
              "exact")
        << region;
  }
}

TEST(PairScorerTest, UnverifiedLegacyIdsAreOnlyModerateEvidence) {
  PairScorer scorer = DefaultScorer();
  auto org = [&](std::uint64_t n, const std::string& id) {
    return scorer.Prepare(RecordBuilder(v1::ORG, n)
                              .FullName("华为技术")
                              .LegacyId(v1::Feature::USCC, id)
                              .Build());
  };
  const PreparedRecord a = org(1, "914403001922038216");
  const PreparedRecord typo = org(2, "914403001922038261");
  const PreparedRecord other = org(3, "915101007203545680");
  const PairScore s_typo = scorer.Score(a, typo);
  const PairScore s_other = scorer.Score(a, other);
  EXPECT_FALSE(s_other.is_cannot_link());
  EXPECT_EQ(LevelOf(s_typo, Comparison::kUncheckedId), "one_edit");
  EXPECT_EQ(LevelOf(s_other, Comparison::kUncheckedId), "different");
  const double different = Find(s_other, Comparison::kUncheckedId)->weight;
  EXPECT_LT(different, 0);
  EXPECT_GT(different, -6);  // moderate, unlike a cannot-link
  EXPECT_GT(Find(s_typo, Comparison::kUncheckedId)->weight, different);
  EXPECT_GT(scorer.Score(a, org(4, "914403001922038216")).total, s_typo.total);
}

TEST(PairScorerTest, UncheckedIdsCompareOnlyWithinTheirScheme) {
  PairScorer scorer = DefaultScorer();
  const PreparedRecord a = scorer.Prepare(
      RecordBuilder(v1::PERSON, 1)
          .Id(v1::Feature::OTHER, "1234567", false, "", "soc_sec_id")
          .Build());
  const PreparedRecord b = scorer.Prepare(
      RecordBuilder(v1::PERSON, 2)
          .Id(v1::Feature::OTHER, "7654321", false, "", "member_no")
          .Build());
  EXPECT_EQ(LevelOf(scorer.Score(a, b), Comparison::kUncheckedId), "missing");
}

TEST(PairScorerTest, PersonAndOrganisationNeverMatch) {
  PairScorer scorer = DefaultScorer();
  const PreparedRecord p = scorer.Prepare(RecordBuilder(v1::PERSON, 1)
                                              .FullName("张三")
                                              .Phone("13800138000")
                                              .Build());
  const PreparedRecord o = scorer.Prepare(
      RecordBuilder(v1::ORG, 2).FullName("张三").Phone("13800138000").Build());
  const PairScore s = scorer.Score(p, o);
  EXPECT_EQ(s.cannot_link, CannotLinkReason::kEntityKind);
  EXPECT_FALSE(scorer.IsMatch(s));
}

TEST(PairScorerTest, AttributesCompareExactlyWithTermFrequencies) {
  InMemoryTermFrequencies tf;
  for (int i = 0; i < 100; ++i) {
    tf.Add(RecordBuilder(v1::PERSON, i)
               .Attribute("gender", i % 2 ? "m" : "f")
               .Build());
    tf.Add(RecordBuilder(v1::PERSON, 1000 + i)
               .Attribute("occupation", i == 0 ? "luthier" : "clerk")
               .Build());
  }
  PairScorer scorer = DefaultScorer(&tf);
  auto score = [&](const std::string& name, const std::string& x,
                   const std::string& y) {
    return scorer.Score(
        scorer.Prepare(RecordBuilder(v1::PERSON, 1).Attribute(name, x).Build()),
        scorer.Prepare(
            RecordBuilder(v1::PERSON, 2).Attribute(name, y).Build()));
  };
  const PairScore gender = score("gender", "m", "m");
  const PairScore luthier = score("occupation", "luthier", "luthier");
  const PairScore clerk = score("occupation", "clerk", "clerk");
  const PairScore differ = score("gender", "m", "f");
  EXPECT_EQ(LevelOf(gender, Comparison::kAttribute), "exact");
  EXPECT_EQ(LevelOf(differ, Comparison::kAttribute), "different");
  EXPECT_GT(Find(luthier, Comparison::kAttribute)->weight,
            Find(gender, Comparison::kAttribute)->weight);
  EXPECT_GT(Find(gender, Comparison::kAttribute)->weight,
            Find(clerk, Comparison::kAttribute)->weight);
  EXPECT_LT(Find(differ, Comparison::kAttribute)->weight, 0);
  // Attributes with different names are not compared.
  EXPECT_EQ(score("gender", "m", "m").size, 1);
  const v1::Edge edge = scorer.ToEdge(
      gender,
      scorer.Prepare(
          RecordBuilder(v1::PERSON, 1).Attribute("gender", "m").Build()),
      scorer.Prepare(
          RecordBuilder(v1::PERSON, 2).Attribute("gender", "m").Build()));
  EXPECT_EQ(edge.comparisons(1).feature(), "attribute:gender");
}

TEST(PairScorerTest, MissingDataContributesNothing) {
  PairScorer scorer = DefaultScorer();
  const PreparedRecord a = scorer.Prepare(
      RecordBuilder(v1::PERSON, 1).PersonName("smith", "").Build());
  const PreparedRecord b = scorer.Prepare(RecordBuilder(v1::PERSON, 2)
                                              .PersonName("smith", "john")
                                              .Dob(1990, 1, 1)
                                              .Build());
  const PairScore s = scorer.Score(a, b);
  EXPECT_EQ(s.size, 1);
  EXPECT_EQ(LevelOf(s, Comparison::kGivenName), "missing");
  EXPECT_EQ(LevelOf(s, Comparison::kDob), "missing");
}

TEST(PairScorerTest, InvalidFeaturesAreIgnored) {
  PairScorer scorer = DefaultScorer();
  v1::Record r = RecordBuilder(v1::PERSON, 1).Dob(1980, 1, 1).Build();
  r.mutable_features(0)->mutable_normalized()->set_valid(false);
  const PreparedRecord a = scorer.Prepare(r);
  EXPECT_FALSE(a.dob.known());
}

// Every array and text of a prepared record lies in its one storage block,
// and a record keeps scoring the same after moves (the block stays put).
TEST(PairScorerTest, PreparedRecordLivesInItsStorageBlockThroughMoves) {
  PairScorer scorer = DefaultScorer();
  auto full = [](std::uint64_t n, const std::string& phone) {
    return RecordBuilder(v1::PERSON, n)
        .PersonName("欧阳", "建新")
        .FullName("欧阳 建新", "ouyang jianxin")
        .Dob(1975, 4, 30)
        .Id(v1::Feature::RESIDENT_ID, "11010519491231002X", true)
        .Id(v1::Feature::PASSPORT, "E12345678", false)
        .Id(v1::Feature::OTHER, "SB-0042", false, "", "soc_sec_id")
        .Phone(phone)
        .Phone("13800138000")
        .Email("jx@example.cn")
        .Address("广东省 深圳市 南山区 科技中一路 35号", "440305")
        .Attribute("gender", "m")
        .Attribute("occupation", "engineer")
        .Build();
  };
  const v1::Record x = full(1, "075586013388");
  const v1::Record y = full(2, "075586013399");
  const PairScore expected = scorer.Score(scorer.Prepare(x), scorer.Prepare(y));

  std::vector<PreparedRecord> moved;
  for (int i = 0; i < 20; ++i) moved.push_back(scorer.Prepare(x));  // regrows
  PreparedRecord a = std::move(moved[7]);
  const PreparedRecord b = scorer.Prepare(y);
  const PairScore again = scorer.Score(a, b);
  EXPECT_EQ(again.total, expected.total);
  ASSERT_EQ(again.size, expected.size);
  for (int i = 0; i < again.size; ++i) {
    EXPECT_EQ(again.entries[i].comparison, expected.entries[i].comparison);
    EXPECT_EQ(again.entries[i].level, expected.entries[i].level);
  }
  EXPECT_EQ(LevelOf(again, Comparison::kCheckedId), "exact");
  EXPECT_EQ(LevelOf(again, Comparison::kPhone), "exact");

  const auto* begin = reinterpret_cast<const char*>(a.storage.get());
  const auto* end = begin + a.storage_bytes;
  auto inside = [&](const void* data, std::size_t bytes) {
    const auto* p = static_cast<const char*>(data);
    return p >= begin && p + bytes <= end;
  };
  EXPECT_TRUE(inside(a.family.text.data(), a.family.text.size() * 4));
  EXPECT_TRUE(inside(a.given.text.data(), a.given.text.size() * 4));
  EXPECT_TRUE(inside(a.person_name.text.data(), a.person_name.text.size() * 4));
  ASSERT_EQ(a.unchecked_ids.size(), 2u);
  for (const auto& id : a.unchecked_ids) {
    EXPECT_TRUE(inside(&id, sizeof(id)));
    EXPECT_TRUE(inside(id.value.text.data(), id.value.text.size() * 4));
  }
  EXPECT_TRUE(inside(a.checked_ids.data(), sizeof(a.checked_ids[0])));
  EXPECT_EQ(a.phones.size(), 2u);
  EXPECT_TRUE(inside(a.phones.data(), 2 * sizeof(a.phones[0])));
  EXPECT_TRUE(inside(a.address_tokens.data(),
                     a.address_tokens.size() * sizeof(a.address_tokens[0])));
  ASSERT_EQ(a.attributes.size(), 2u);
  EXPECT_EQ(a.attributes[0].name, "gender");
  EXPECT_EQ(a.attributes[1].name, "occupation");
  EXPECT_TRUE(inside(a.attributes[1].name.data(), a.attributes[1].name.size()));
  const v1::Edge edge = scorer.ToEdge(again, a, b);
  EXPECT_THAT(edge.comparisons(edge.comparisons_size() - 1).feature(),
              HasSubstr("attribute:"));

  // Prefetch hints are harmless on any record, an empty one included.
  const PreparedRecord empty;
  PairScorer::PrefetchRecord(empty);
  PairScorer::PrefetchStorage(empty);
  PairScorer::PrefetchRecord(a);
  PairScorer::PrefetchStorage(a);
  EXPECT_EQ(scorer.Score(empty, a).size, 0);
}

}  // namespace
}  // namespace credit
