#include "ingest/row_mapper.h"

#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest/source_mapping.h"
#include "test_support.h"

namespace credit {
namespace {

using ::credit::testing::StatusIs;
using ::testing::AllOf;
using ::testing::DoubleEq;
using ::testing::HasSubstr;

InputRow Row(std::vector<std::pair<std::string, std::string>> columns) {
  InputRow row;
  row.columns = std::move(columns);
  row.file = "in.csv";
  row.line = 7;
  row.raw = "raw bytes";
  return row;
}

RowMapper MakeMapper(const std::string& json) {
  auto mapping = ParseSourceMapping(json, "test.json");
  EXPECT_TRUE(mapping.ok()) << mapping.status();
  auto mapper = RowMapper::Create(*mapping, "test.json");
  EXPECT_TRUE(mapper.ok()) << mapper.status();
  return std::move(*mapper);
}

constexpr char kCourt[] = R"({
  "source": "court", "format": "CSV", "recordId": "case_no",
  "entityKindColumn": "party_type",
  "entityKindValues": {"被执行企业": "ORG"},
  "observedAt": "published",
  "features": [
    {"type": "NAME", "columns": ["party"]},
    {"type": "ID", "scheme": "USCC", "columns": ["uscc"], "acceptUnverified": true},
    {"type": "ADDRESS", "columns": ["province", "city", "street"]},
    {"type": "DOB", "columns": ["born"], "dateFormat": "excel_serial"},
    {"type": "ATTRIBUTE", "name": "industry", "columns": ["industry"]}
  ],
  "facts": [
    {"kind": "dishonest_debtor", "occurredAt": "filed", "amount": "amount",
     "severity": "level", "status": "state", "publishUntil": "until",
     "attributes": ["case_no", "court"],
     "statusValues": {"未履行": "ACTIVE", "已履行": "resolved"}},
    {"kindColumn": "penalty_kind", "occurredAt": "penalty_date", "whenPresent": "penalty_date"}
  ]
})";

std::vector<std::pair<std::string, std::string>> CourtColumns() {
  return {{"case_no", " (2023)粤03执123号 "},
          {"party_type", "企业"},
          {"published", "2023-06-01"},
          {"party", "深圳市某某科技有限公司"},
          {"uscc", "91440300MA5XXXXX1"},
          {"province", "广东省"},
          {"city", ""},
          {"street", "南山区科技园 1 号"},
          {"born", "43000"},
          {"industry", "I65"},
          {"filed", "2023年5月1日"},
          {"amount", "¥1,234.50"},
          {"level", "３"},
          {"state", "未履行"},
          {"until", "2026-05-01"},
          {"court", "深圳中院"},
          {"penalty_kind", ""},
          {"penalty_date", ""},
          {"unused", "kept"}};
}

TEST(RowMapperTest, MapsAFullRow) {
  RowMapper mapper = MakeMapper(kCourt);
  auto record = mapper.Map(Row(CourtColumns()));
  CREDIT_ASSERT_OK(record);
  EXPECT_EQ(record->source(), "court");
  EXPECT_EQ(record->record_id(), "(2023)粤03执123号");
  EXPECT_EQ(record->entity_kind(), v1::ORG);
  // 2023-06-01 is 19509 days after 1970-01-01.
  EXPECT_EQ(record->observed_at_micros(), int64_t{19509} * 86400 * 1000000);

  ASSERT_EQ(record->features_size(), 5);
  EXPECT_EQ(record->features(0).type(), v1::Feature::NAME);
  EXPECT_EQ(record->features(0).value(), "深圳市某某科技有限公司");
  EXPECT_EQ(record->features(1).scheme(), v1::Feature::USCC);
  EXPECT_EQ(record->features(1).value(), "91440300MA5XXXXX1");
  EXPECT_TRUE(record->features(1).accept_unverified());
  EXPECT_EQ(record->features(2).value(), "广东省 南山区科技园 1 号");
  EXPECT_EQ(record->features(3).date_format(), "EXCEL_SERIAL");
  EXPECT_EQ(record->features(3).value(), "43000");
  EXPECT_EQ(record->features(4).attribute(), "industry");
  EXPECT_EQ(record->features(4).value(), "I65");
  EXPECT_FALSE(record->features(0).has_normalized());

  // The second fact's `whenPresent` column is empty: only one fact.
  ASSERT_EQ(record->facts_size(), 1);
  const v1::Fact& fact = record->facts(0);
  EXPECT_EQ(fact.kind(), "dishonest_debtor");
  EXPECT_EQ(fact.occurred_at().year(), 2023);
  EXPECT_EQ(fact.occurred_at().month(), 5);
  EXPECT_EQ(fact.occurred_at().day(), 1);
  EXPECT_THAT(fact.amount(), DoubleEq(1234.5));
  EXPECT_EQ(fact.severity(), 3);
  EXPECT_EQ(fact.status(), v1::Fact::ACTIVE);
  EXPECT_EQ(fact.publish_until().year(), 2026);
  EXPECT_EQ(fact.attributes().at("case_no"), "(2023)粤03执123号");
  EXPECT_EQ(fact.attributes().at("court"), "深圳中院");

  EXPECT_EQ(record->raw().file(), "in.csv");
  EXPECT_EQ(record->raw().line(), 7u);
  EXPECT_EQ(record->raw().bytes(), "raw bytes");
  EXPECT_EQ(record->raw().columns().at("unused"), "kept");
  EXPECT_EQ(record->raw().columns().at("case_no"), " (2023)粤03执123号 ");
  EXPECT_EQ(record->raw().columns_size(), 19);
}

TEST(RowMapperTest, WhenPresentFactAppearsWhenItsColumnIsSet) {
  RowMapper mapper = MakeMapper(kCourt);
  auto columns = CourtColumns();
  for (auto& [name, value] : columns) {
    if (name == "penalty_kind") value = "administrative_penalty";
    if (name == "penalty_date") value = "2022-01-02";
  }
  auto record = mapper.Map(Row(columns));
  CREDIT_ASSERT_OK(record);
  ASSERT_EQ(record->facts_size(), 2);
  EXPECT_EQ(record->facts(1).kind(), "administrative_penalty");
  EXPECT_EQ(record->facts(1).occurred_at().year(), 2022);
  EXPECT_EQ(record->facts(1).status(), v1::Fact::ACTIVE);
}

TEST(RowMapperTest, MissingDataIsOmittedNotAnError) {
  RowMapper mapper = MakeMapper(kCourt);
  auto record = mapper.Map(Row({{"case_no", "c1"}, {"party_type", "PERSON"}}));
  CREDIT_ASSERT_OK(record);
  EXPECT_EQ(record->entity_kind(), v1::PERSON);
  EXPECT_EQ(record->features_size(), 0);
  EXPECT_EQ(record->facts_size(), 0);
  EXPECT_EQ(record->observed_at_micros(), 0);
}

TEST(RowMapperTest, MissingRecordIdIsAnError) {
  RowMapper mapper = MakeMapper(kCourt);
  EXPECT_THAT(mapper.Map(Row({{"case_no", "  "}, {"party_type", "ORG"}})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("missing record id in column 'case_no'")));
}

TEST(RowMapperTest, EntityKindWords) {
  RowMapper mapper = MakeMapper(kCourt);
  auto kind_of = [&](const std::string& word) {
    auto record = mapper.Map(Row({{"case_no", "c"}, {"party_type", word}}));
    return record.ok() ? record->entity_kind() : v1::ENTITY_KIND_UNSPECIFIED;
  };
  EXPECT_EQ(kind_of("person"), v1::PERSON);
  EXPECT_EQ(kind_of("Org"), v1::ORG);
  EXPECT_EQ(kind_of("个人"), v1::PERSON);
  EXPECT_EQ(kind_of("自然人"), v1::PERSON);
  EXPECT_EQ(kind_of("企业"), v1::ORG);
  EXPECT_EQ(kind_of("单位"), v1::ORG);
  EXPECT_EQ(kind_of("法人"), v1::ORG);
  EXPECT_EQ(kind_of("被执行企业"), v1::ORG);
  EXPECT_THAT(mapper.Map(Row({{"case_no", "c9"}, {"party_type", "其他"}})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("record court/c9"),
                             HasSubstr("column 'party_type'"),
                             HasSubstr("entity kind '其他' is not known"))));
  EXPECT_THAT(
      mapper.Map(Row({{"case_no", "c9"}, {"party_type", ""}})),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("column 'party_type': the entity kind is empty")));
}

TEST(RowMapperTest, MappedWordsWinOverDefaults) {
  RowMapper mapper = MakeMapper(
      R"({"source": "s", "format": "CSV", "recordId": "id", "entityKindColumn": "k",
          "entityKindValues": {"法人": "PERSON"}})");
  auto record = mapper.Map(Row({{"id", "1"}, {"k", "法人"}}));
  CREDIT_ASSERT_OK(record);
  EXPECT_EQ(record->entity_kind(), v1::PERSON);
}

TEST(RowMapperTest, NameFromParts) {
  RowMapper mapper = MakeMapper(
      R"({"source": "s", "format": "CSV", "recordId": "id", "entityKind": "PERSON",
          "features": [{"type": "NAME", "given": "g", "family": "f"}]})");
  auto record = mapper.Map(Row({{"id", "1"}, {"g", " kayla "}, {"f", ""}}));
  CREDIT_ASSERT_OK(record);
  ASSERT_EQ(record->features_size(), 1);
  EXPECT_EQ(record->features(0).given(), "kayla");
  EXPECT_EQ(record->features(0).family(), "");
  EXPECT_EQ(record->features(0).value(), "");
  record = mapper.Map(Row({{"id", "1"}, {"g", ""}, {"f", "　"}}));
  CREDIT_ASSERT_OK(record);
  EXPECT_EQ(record->features_size(), 0);
}

constexpr char kFacts[] =
    R"({"source": "s", "format": "CSV", "recordId": "id", "entityKind": "ORG",
  "facts": [{"kind": "tax_arrears", "occurredAt": "d", "amount": "a", "severity": "sev",
             "status": "st", "statusValues": {"已缴清": "RESOLVED"}}]})";

absl::StatusOr<v1::Record> MapFact(const std::string& column,
                                   const std::string& value) {
  static const RowMapper* mapper = new RowMapper(MakeMapper(kFacts));
  return mapper->Map(Row({{"id", "r1"}, {column, value}}));
}

TEST(RowMapperTest, FactStatus) {
  auto status_of = [](const std::string& word) {
    auto record = MapFact("st", word);
    return record.ok() && record->facts_size() == 1
               ? record->facts(0).status()
               : v1::Fact::STATUS_UNSPECIFIED;
  };
  EXPECT_EQ(status_of("已缴清"), v1::Fact::RESOLVED);
  EXPECT_EQ(status_of("disputed"), v1::Fact::DISPUTED);
  EXPECT_EQ(status_of("Repaired"), v1::Fact::REPAIRED);
  EXPECT_THAT(MapFact("st", "欠缴"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("record s/r1"), HasSubstr("column 'st'"),
                             HasSubstr("status '欠缴' is not known"))));
  // No status column value: the fact is in force.
  auto record = MapFact("a", "100");
  CREDIT_ASSERT_OK(record);
  EXPECT_EQ(record->facts(0).status(), v1::Fact::ACTIVE);
}

TEST(RowMapperTest, FactDatesAndSeverity) {
  auto record = MapFact("d", "2023-02");
  CREDIT_ASSERT_OK(record);
  EXPECT_EQ(record->facts(0).occurred_at().month(), 2);
  EXPECT_EQ(record->facts(0).occurred_at().day(), 0);
  EXPECT_THAT(MapFact("d", "2023-02-30"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("record s/r1: column 'd'"),
                             HasSubstr("2023-02-30"))));
  record = MapFact("sev", "5");
  CREDIT_ASSERT_OK(record);
  EXPECT_EQ(record->facts(0).severity(), 5);
  EXPECT_THAT(MapFact("sev", "6"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("column 'sev': severity '6' must be a whole "
                                 "number from 0 to 5")));
  EXPECT_THAT(MapFact("sev", "high"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("severity 'high'")));
}

TEST(RowMapperTest, BadAmountNamesColumnAndValue) {
  EXPECT_THAT(MapFact("a", "12x"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("record s/r1: column 'a'"),
                             HasSubstr("'12x' is not an amount"))));
}

TEST(RowMapperTest, FactWithOnlyEmptyColumnsIsOmitted) {
  auto record = MapFact("other", "x");
  CREDIT_ASSERT_OK(record);
  EXPECT_EQ(record->facts_size(), 0);
}

TEST(RowMapperTest, FactKindFromColumnMustNotBeEmpty) {
  RowMapper mapper = MakeMapper(
      R"({"source": "s", "format": "CSV", "recordId": "id", "entityKind": "ORG",
          "facts": [{"kindColumn": "k", "amount": "a"}]})");
  EXPECT_THAT(
      mapper.Map(Row({{"id", "1"}, {"k", ""}, {"a", "5"}})),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("record s/1: column 'k': the fact kind is empty")));
  auto record = mapper.Map(Row({{"id", "1"}, {"k", "license"}, {"a", "5"}}));
  CREDIT_ASSERT_OK(record);
  EXPECT_EQ(record->facts(0).kind(), "license");
}

TEST(RowMapperTest, FactWithoutColumnsIsOnEveryRow) {
  RowMapper mapper = MakeMapper(
      R"({"source": "s", "format": "CSV", "recordId": "id", "entityKind": "ORG",
          "facts": [{"kind": "commendation"}]})");
  auto record = mapper.Map(Row({{"id", "1"}}));
  CREDIT_ASSERT_OK(record);
  ASSERT_EQ(record->facts_size(), 1);
  EXPECT_EQ(record->facts(0).kind(), "commendation");
}

TEST(RowMapperTest, AttributesDecideOnlyWhenTheFactHasNoOtherColumns) {
  RowMapper mapper = MakeMapper(
      R"({"source": "s", "format": "CSV", "recordId": "id", "entityKind": "ORG",
          "facts": [{"kind": "license", "attributes": ["license_no"]},
                    {"kind": "administrative_penalty", "occurredAt": "d",
                     "attributes": ["id"]}]})");
  auto record = mapper.Map(Row({{"id", "1"}, {"license_no", ""}, {"d", ""}}));
  CREDIT_ASSERT_OK(record);
  EXPECT_EQ(record->facts_size(), 0);
  record = mapper.Map(Row({{"id", "1"}, {"license_no", "L-9"}, {"d", ""}}));
  CREDIT_ASSERT_OK(record);
  ASSERT_EQ(record->facts_size(), 1);
  EXPECT_EQ(record->facts(0).attributes().at("license_no"), "L-9");
  record =
      mapper.Map(Row({{"id", "1"}, {"license_no", ""}, {"d", "2020-01-01"}}));
  CREDIT_ASSERT_OK(record);
  ASSERT_EQ(record->facts_size(), 1);
  EXPECT_EQ(record->facts(0).kind(), "administrative_penalty");
  EXPECT_EQ(record->facts(0).attributes().at("id"), "1");
}

TEST(RowMapperTest, ObservedAtMustBeAFullDate) {
  RowMapper mapper = MakeMapper(kCourt);
  EXPECT_THAT(
      mapper.Map(Row(
          {{"case_no", "c"}, {"party_type", "ORG"}, {"published", "2023"}})),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr(
                   "column 'published': observation date '2023' needs a day")));
}

TEST(RowMapperTest, CheckColumnsNamesTheMissingColumn) {
  RowMapper mapper = MakeMapper(kFacts);
  CREDIT_EXPECT_OK(mapper.CheckColumns({"id", "d", "a", "sev", "st", "extra"}));
  EXPECT_THAT(
      mapper.CheckColumns({"id", "d", "amount", "sev", "st"}),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("mapping test.json: column 'a' is not in the "
                         "input header (columns: id, d, amount, sev, st)")));
  auto mapping = ParseSourceMapping(kFacts, "x");
  CREDIT_ASSERT_OK(mapping);
  auto unnamed = RowMapper::Create(*mapping);
  CREDIT_ASSERT_OK(unnamed);
  EXPECT_THAT(unnamed->CheckColumns({"id"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("mapping for source 's': column 'd'")));
}

TEST(RowMapperTest, CreateValidates) {
  v1::SourceMapping mapping;
  mapping.set_source("s");
  EXPECT_THAT(RowMapper::Create(mapping, "m.json"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("mapping m.json: \"format\" is required")));
}

struct AmountCase {
  std::string text;
  double expected;
};

class ParseAmountTest : public ::testing::TestWithParam<AmountCase> {};

TEST_P(ParseAmountTest, Parses) {
  auto amount = ParseAmount(GetParam().text);
  CREDIT_ASSERT_OK(amount);
  EXPECT_THAT(*amount, DoubleEq(GetParam().expected));
}

INSTANTIATE_TEST_SUITE_P(
    Forms, ParseAmountTest,
    ::testing::Values(AmountCase{"1234", 1234}, AmountCase{"1234.5", 1234.5},
                      AmountCase{"1,234.50", 1234.5},
                      AmountCase{"12,345,678", 12345678},
                      AmountCase{"¥1234", 1234}, AmountCase{"￥1,234.00", 1234},
                      AmountCase{"１２３４．５", 1234.5},
                      AmountCase{"1234元", 1234},
                      AmountCase{"12.5万元", 125000}, AmountCase{"3万", 30000},
                      AmountCase{"1.2亿", 120000000}, AmountCase{" -50 ", -50},
                      AmountCase{"CNY 99", 99}, AmountCase{"RMB1,000", 1000},
                      AmountCase{".5", 0.5}, AmountCase{"0", 0}));

TEST(ParseAmountTest, RejectsNonNumbers) {
  for (const char* text : {"", "abc", "12x", "1,23", "12,3456", ",123", "1..2",
                           "1.2.3", "--5", "万", "1e5", "0x10", "1 234", "."}) {
    EXPECT_THAT(ParseAmount(text), StatusIs(absl::StatusCode::kInvalidArgument,
                                            HasSubstr("is not an amount")))
        << text;
  }
}

}  // namespace
}  // namespace credit
