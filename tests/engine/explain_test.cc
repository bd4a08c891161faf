// Explanations, search and clerical review through the engine.
#include <cmath>

#include "credit/credit.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "engine_test_util.h"
#include "test_support.h"

namespace credit {
namespace {

using ::credit::testing::IsOk;
using ::credit::testing::StatusIs;
using ::credit::testing::TempDir;
using ::testing::HasSubstr;

using ::credit::testing::kUsccA;
using ::credit::testing::kUsccB;
using ::credit::testing::MarketKey;
using ::credit::testing::Org;

double SumOf(const google::protobuf::RepeatedPtrField<v1::ComparisonEntry>& c) {
  double total = 0;
  for (const auto& entry : c) total += entry.weight();
  return total;
}

class ExplainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto engine = Engine::Open(dir_.Sub("db"));
    ASSERT_THAT(engine, IsOk());
    engine_ = *std::move(engine);
    ::credit::testing::RegisterMarketSource(*engine_);
    // 1 and 2 share nothing; 3 bridges them; 4 has another valid code.
    ASSERT_THAT(
        engine_->Ingest("market",
                        {Org("1", "甲乙丙科技有限公司", kUsccA),
                         Org("2", "丁戊己贸易有限公司", "", "0755-86013388"),
                         Org("3", "丁戊己贸易有限公司", kUsccA, "0755-86013388"),
                         Org("4", "甲乙丙科技有限公司", kUsccB)}),
        IsOk());
  }
  uint64_t EntityOf(const std::string& id) {
    return engine_->GetEntityOfRecord("market", id)->id();
  }
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(ExplainTest, EntityIsExplainedByTheEdgesHoldingItTogether) {
  auto explanation = engine_->ExplainEntity(EntityOf("3"));
  ASSERT_THAT(explanation, IsOk());
  EXPECT_EQ(explanation->members_size(), 3);
  // Three members: a spanning forest of two edges.
  ASSERT_EQ(explanation->joining_edges_size(), 2);
  for (const auto& joined : explanation->joining_edges()) {
    const v1::Edge& edge = joined.edge();
    EXPECT_EQ(edge.kind(), v1::Edge::MATCH);
    EXPECT_GE(edge.weight(), explanation->match_threshold());
    // The per-feature weights add up to the stored weight...
    EXPECT_NEAR(SumOf(edge.comparisons()), edge.weight(), 1e-9);
    // ...and to what ExplainPair computes for the same pair now.
    auto pair = engine_->ExplainPair(joined.record_a(), joined.record_b());
    ASSERT_THAT(pair, IsOk());
    EXPECT_DOUBLE_EQ(pair->weight(), edge.weight());
    EXPECT_EQ(pair->verdict(), v1::Edge::MATCH);
    EXPECT_TRUE(pair->same_entity());
    EXPECT_TRUE(pair->compared());
  }
  // Record 4 has the same name as 1 but another valid code: a cannot-link.
  bool cannot_link_with_4 = false;
  for (const auto& e : explanation->cannot_links()) {
    cannot_link_with_4 |= e.record_a().record_id() == "4" ||
                          e.record_b().record_id() == "4";
  }
  EXPECT_TRUE(cannot_link_with_4);
}

TEST_F(ExplainTest, PairExplanationGivesTheVerdictAndWhy) {
  auto pair = engine_->ExplainPair(MarketKey("1"), MarketKey("4"));
  ASSERT_THAT(pair, IsOk());
  EXPECT_EQ(pair->verdict(), v1::Edge::CANNOT_LINK);
  EXPECT_THAT(pair->cannot_link_reason(), HasSubstr("checksummed identifier"));
  EXPECT_FALSE(pair->same_entity());
  EXPECT_NEAR(SumOf(pair->comparisons()), pair->weight(), 1e-9);
  EXPECT_EQ(pair->comparisons(0).feature(), "prior");

  auto unrelated = engine_->ExplainPair(MarketKey("1"), MarketKey("2"));
  ASSERT_THAT(unrelated, IsOk());
  EXPECT_EQ(unrelated->verdict(), v1::Edge::KIND_UNSPECIFIED);
  EXPECT_LT(unrelated->weight(), unrelated->review_threshold());

  EXPECT_THAT(engine_->ExplainPair(MarketKey("1"), MarketKey("missing")),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("market/missing")));
  EXPECT_THAT(engine_->ExplainPair(MarketKey("1"), MarketKey("1")),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(engine_->ExplainEntity(999999),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(ExplainTest, SearchFindsTheEntityBestFirst) {
  v1::Record query = Org("", "丁戊己贸易有限公司", "", "0755-86013388");
  auto result = engine_->Search(query);
  ASSERT_THAT(result, IsOk());
  ASSERT_GE(result->hits_size(), 1);
  EXPECT_EQ(result->hits(0).entity_id(), EntityOf("2"));
  EXPECT_TRUE(result->hits(0).is_match());
  EXPECT_EQ(result->hits(0).entity().members_size(), 3);
  EXPECT_NEAR(SumOf(result->hits(0).comparisons()), result->hits(0).weight(),
              1e-9);
  for (int i = 1; i < result->hits_size(); ++i) {
    EXPECT_GE(result->hits(i - 1).weight(), result->hits(i).weight());
  }
  // By identifier alone.
  auto by_code = engine_->Search(Org("", "", kUsccB));
  ASSERT_THAT(by_code, IsOk());
  ASSERT_GE(by_code->hits_size(), 1);
  EXPECT_EQ(by_code->hits(0).entity_id(), EntityOf("4"));
  // Nothing to search by, or no kind: a clear error.
  v1::Record empty;
  empty.set_entity_kind(v1::ORG);
  EXPECT_THAT(engine_->Search(empty),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("feature")));
  v1::Record no_kind = Org("", "甲乙丙科技有限公司", "");
  no_kind.clear_entity_kind();
  EXPECT_THAT(engine_->Search(no_kind),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("kind")));
}

TEST_F(ExplainTest, ReviewerDecisionsOutrankScoresAndSurviveARelink) {
  ASSERT_NE(EntityOf("1"), EntityOf("4"));
  IngestOptions reviewer;
  reviewer.access.actor = "clerk-7";
  // Forced apart: 3 leaves 1 (the code match no longer holds them).
  auto apart = engine_->ReviewPair(MarketKey("1"), MarketKey("3"), /*same=*/false,
                                   "different legal persons per the registry",
                                   reviewer);
  ASSERT_THAT(apart, IsOk());
  EXPECT_NE(EntityOf("1"), EntityOf("3"));
  EXPECT_EQ(EntityOf("2"), EntityOf("3"));
  auto pair = engine_->ExplainPair(MarketKey("1"), MarketKey("3"));
  ASSERT_THAT(pair, IsOk());
  EXPECT_EQ(pair->reviewer_decision().kind(), v1::Edge::REVIEWER_DIFFERENT);
  EXPECT_EQ(pair->reviewer_decision().reviewer(), "clerk-7");
  // Forced together: a reviewer's "same" outranks even a cannot-link.
  ASSERT_THAT(engine_->ReviewPair(MarketKey("1"), MarketKey("4"), /*same=*/true,
                                  "same company, code reissued", reviewer),
              IsOk());
  EXPECT_EQ(EntityOf("1"), EntityOf("4"));
  // A full relink keeps both decisions.
  ASSERT_THAT(engine_->ResolveAll(), IsOk());
  EXPECT_EQ(EntityOf("1"), EntityOf("4"));
  EXPECT_NE(EntityOf("1"), EntityOf("3"));
  // Withdrawn: scores decide again.
  ASSERT_THAT(engine_->ClearReview(MarketKey("1"), MarketKey("4"), reviewer), IsOk());
  ASSERT_THAT(engine_->ClearReview(MarketKey("3"), MarketKey("1"), reviewer), IsOk());
  EXPECT_NE(EntityOf("1"), EntityOf("4"));
  EXPECT_EQ(EntityOf("1"), EntityOf("3"));
  EXPECT_THAT(engine_->ClearReview(MarketKey("1"), MarketKey("4"), reviewer),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("withdraw")));
}

TEST(PossibleMatchTest, ListsPairsInTheReviewBandAcrossEntities) {
  CREDIT_REQUIRE_SHARED_DATA();
  TempDir dir;
  auto engine = Engine::Open(dir.Sub("db"));
  ASSERT_THAT(engine, IsOk());
  auto mapping = ::credit::testing::FebrlMapping();
  ASSERT_THAT((*engine)->RegisterSource(mapping), IsOk());
  ASSERT_THAT((*engine)->IngestFile("febrl", ::credit::testing::SharedDataDir() +
                                                 "/febrl3/dataset3.csv"),
              IsOk());
  auto possible = (*engine)->ListPossibleMatches(20);
  ASSERT_THAT(possible, IsOk());
  ASSERT_FALSE(possible->empty());
  for (size_t i = 0; i < possible->size(); ++i) {
    const auto& e = (*possible)[i];
    EXPECT_EQ(e.edge().kind(), v1::Edge::POSSIBLE_MATCH);
    auto pair = (*engine)->ExplainPair(e.record_a(), e.record_b());
    ASSERT_THAT(pair, IsOk());
    EXPECT_FALSE(pair->same_entity());
    EXPECT_GE(pair->weight(), pair->review_threshold());
    EXPECT_LT(pair->weight(), pair->match_threshold());
    if (i > 0) {
      EXPECT_GE((*possible)[i - 1].edge().weight(), e.edge().weight());
    }
  }
}

}  // namespace
}  // namespace credit
