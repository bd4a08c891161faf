#include "ingest/source_mapping.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest/row_mapper.h"
#include "ingest/row_reader.h"
#include "test_support.h"

namespace credit {
namespace {

using ::credit::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kFebrlMapping[] = R"({
  "source": "febrl",
  "format": "CSV",
  "encoding": "UTF-8",
  "trimSpaces": true,
  "recordId": "rec_id",
  "entityKind": "PERSON",
  "features": [
    {"type": "NAME", "given": "given_name", "family": "surname"},
    {"type": "DOB", "columns": ["date_of_birth"]},
    {"type": "ADDRESS", "columns": ["street_number", "address_1", "address_2", "suburb", "postcode", "state"]},
    {"type": "ID", "scheme": "OTHER", "schemeName": "soc_sec_id", "columns": ["soc_sec_id"]}
  ],
  "facts": [
    {"kind": "court_judgment", "occurredAt": "judgment_date", "amount": "amount", "status": "status"}
  ]
})";

// A valid mapping; tests break one rule at a time.
constexpr char kMinimal[] =
    R"({"source": "tax", "format": "CSV", "recordId": "id", "entityKind": "ORG")";

absl::Status ParseWith(const std::string& rest) {
  return ParseSourceMapping(std::string(kMinimal) + rest + "}",
                            "tax.mapping.json")
      .status();
}

TEST(SourceMappingTest, ParsesTheIssueExample) {
  auto mapping = ParseSourceMapping(kFebrlMapping, "febrl.mapping.json");
  CREDIT_ASSERT_OK(mapping);
  EXPECT_EQ(mapping->source(), "febrl");
  EXPECT_EQ(mapping->format(), v1::SourceMapping::CSV);
  EXPECT_TRUE(mapping->trim_spaces());
  EXPECT_EQ(mapping->entity_kind(), v1::PERSON);
  ASSERT_EQ(mapping->features_size(), 4);
  EXPECT_EQ(mapping->features(0).given(), "given_name");
  EXPECT_EQ(mapping->features(3).scheme(), v1::Feature::OTHER);
  EXPECT_EQ(mapping->features(3).scheme_name(), "soc_sec_id");
  ASSERT_EQ(mapping->facts_size(), 1);
  EXPECT_EQ(mapping->facts(0).occurred_at(), "judgment_date");
}

TEST(SourceMappingTest, SnakeCaseKeysAndLowerCaseEnumsWork) {
  auto mapping = ParseSourceMapping(
      R"({"source": "court", "format": "csv", "record_id": "case_no",
          "entity_kind_column": "kind", "entity_kind_values": {"自然人": "person"},
          "trim_spaces": true,
          "features": [{"type": "ID", "scheme": "USCC", "columns": ["uscc"],
                        "accept_unverified": true}],
          "facts": [{"kind_column": "type", "status_values": {"未履行": "ACTIVE"},
                     "when_present": "date"}]})",
      "court.json");
  CREDIT_ASSERT_OK(mapping);
  EXPECT_EQ(mapping->format(), v1::SourceMapping::CSV);
  EXPECT_EQ(mapping->record_id(), "case_no");
  EXPECT_EQ(mapping->entity_kind_values().at("自然人"), "person");
  EXPECT_TRUE(mapping->features(0).accept_unverified());
  EXPECT_EQ(mapping->facts(0).status_values().at("未履行"), "ACTIVE");
}

TEST(SourceMappingTest, UnknownKeyIsNamedWithFileAndPlace) {
  EXPECT_THAT(ParseWith(R"(, "recordID": "x")"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("tax.mapping.json"),
                             HasSubstr("unknown key 'recordID'"),
                             HasSubstr("recordId"))));
  EXPECT_THAT(ParseWith(R"(, "features": [{"type": "DOB", "colums": ["d"]}])"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("tax.mapping.json"),
                             HasSubstr("unknown key 'colums' in features[0]"),
                             HasSubstr("columns"))));
  EXPECT_THAT(ParseWith(R"(, "facts": [{"kind": "x", "statusValue": {}}])"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown key 'statusValue' in facts[0]")));
}

TEST(SourceMappingTest, BadEnumValueListsTheChoices) {
  EXPECT_THAT(
      ParseSourceMapping(R"({"source": "a", "format": "XML"})", "a.json"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("a.json"), HasSubstr("format"),
                     HasSubstr("\"XML\" is not one of CSV, JSONL"))));
  EXPECT_THAT(
      ParseWith(
          R"(, "features": [{"type": "ID", "scheme": "SSN", "columns": ["x"]}])"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("features[0].scheme"), HasSubstr("USCC"))));
}

TEST(SourceMappingTest, MalformedJsonIsAnError) {
  EXPECT_THAT(
      ParseSourceMapping(R"({"source": )", "a.json"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("a.json")));
}

struct RuleCase {
  std::string json;      // the whole mapping
  std::string expected;  // part of the error message
};

class SourceMappingRuleTest : public ::testing::TestWithParam<RuleCase> {};

TEST_P(SourceMappingRuleTest, RejectsWithAnActionableMessage) {
  EXPECT_THAT(ParseSourceMapping(GetParam().json, "m.json"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("mapping m.json: "),
                             HasSubstr(GetParam().expected))));
}

INSTANTIATE_TEST_SUITE_P(
    Rules, SourceMappingRuleTest,
    ::testing::Values(
        RuleCase{R"({"format": "CSV", "recordId": "id", "entityKind": "ORG"})",
                 "\"source\" is required"},
        RuleCase{
            R"({"source": "Tax-1", "format": "CSV", "recordId": "id", "entityKind": "ORG"})",
            "'Tax-1' must be lower-case letters"},
        RuleCase{R"({"source": "t", "recordId": "id", "entityKind": "ORG"})",
                 "\"format\" is required"},
        RuleCase{R"({"source": "t", "format": "CSV", "entityKind": "ORG"})",
                 "\"recordId\" is required"},
        RuleCase{
            R"({"source": "t", "format": "CSV", "recordId": "id", "entityKind": "ORG", "encoding": "latin1"})",
            "\"encoding\" 'latin1' is not supported"},
        RuleCase{
            R"({"source": "t", "format": "CSV", "recordId": "id", "entityKind": "ORG", "delimiter": ";;"})",
            "\"delimiter\" ';;' must be one ASCII character"},
        RuleCase{
            R"({"source": "t", "format": "CSV", "recordId": "id", "entityKind": "ORG", "delimiter": "，"})",
            "must be one ASCII character"},
        RuleCase{R"({"source": "t", "format": "CSV", "recordId": "id"})",
                 "give exactly one of \"entityKind\""},
        RuleCase{
            R"({"source": "t", "format": "CSV", "recordId": "id", "entityKind": "ORG", "entityKindColumn": "k"})",
            "give exactly one of \"entityKind\""},
        RuleCase{
            R"({"source": "t", "format": "CSV", "recordId": "id", "entityKindColumn": "k", "entityKindValues": {"公司": "COMPANY"}})",
            "maps '公司' to 'COMPANY', which is not PERSON or ORG"},
        RuleCase{
            R"({"source": "t", "format": "CSV", "recordId": "id", "entityKind": "ORG", "features": [{"columns": ["a"]}]})",
            "features[0]: \"type\" is required"},
        RuleCase{
            R"({"source": "t", "format": "CSV", "recordId": "id", "entityKind": "ORG", "features": [{"type": "NAME"}]})",
            "features[0] (NAME): needs \"columns\""},
        RuleCase{
            R"({"source": "t", "format": "CSV", "recordId": "id", "entityKind": "ORG", "features": [{"type": "NAME", "columns": ["n"], "given": "g"}]})",
            "not both"},
        RuleCase{
            R"({"source": "t", "format": "CSV", "recordId": "id", "entityKind": "ORG", "features": [{"type": "ID", "columns": ["u"]}]})",
            "features[0] (ID): \"scheme\" is required"},
        RuleCase{
            R"({"source": "t", "format": "CSV", "recordId": "id", "entityKind": "ORG", "features": [{"type": "ID", "scheme": "OTHER", "columns": ["u"]}]})",
            "scheme OTHER needs \"schemeName\""},
        RuleCase{
            R"({"source": "t", "format": "CSV", "recordId": "id", "entityKind": "ORG", "features": [{"type": "ATTRIBUTE", "columns": ["g"]}]})",
            "features[0] (ATTRIBUTE): \"name\" is required"},
        RuleCase{
            R"({"source": "t", "format": "CSV", "recordId": "id", "entityKind": "ORG", "features": [{"type": "DOB", "columns": ["d"], "dateFormat": "DD/MM/YYYY"}]})",
            "\"dateFormat\" 'DD/MM/YYYY' is not known"},
        RuleCase{
            R"({"source": "t", "format": "CSV", "recordId": "id", "entityKind": "ORG", "features": [{"type": "ADDRESS", "columns": ["a"], "dateFormat": "EXCEL_SERIAL"}]})",
            "\"dateFormat\" applies to DOB only"},
        RuleCase{
            R"({"source": "t", "format": "CSV", "recordId": "id", "entityKind": "ORG", "features": [{"type": "ADDRESS"}]})",
            "features[0] (ADDRESS): \"columns\" is required"},
        RuleCase{
            R"({"source": "t", "format": "CSV", "recordId": "id", "entityKind": "ORG", "features": [{"type": "PHONE", "columns": [""]}]})",
            "empty column name"},
        RuleCase{
            R"({"source": "t", "format": "CSV", "recordId": "id", "entityKind": "ORG", "features": [{"type": "EMAIL", "columns": ["e"], "given": "g"}]})",
            "apply to NAME only"},
        RuleCase{
            R"({"source": "t", "format": "CSV", "recordId": "id", "entityKind": "ORG", "features": [{"type": "PHONE", "columns": ["p"], "scheme": "USCC"}]})",
            "apply to ID only"},
        RuleCase{
            R"({"source": "t", "format": "CSV", "recordId": "id", "entityKind": "ORG", "features": [{"type": "PHONE", "columns": ["p"], "name": "x"}]})",
            "\"name\" applies to ATTRIBUTE only"},
        RuleCase{
            R"({"source": "t", "format": "CSV", "recordId": "id", "entityKind": "ORG", "facts": [{"amount": "a"}]})",
            "facts[0]: give exactly one of \"kind\""},
        RuleCase{
            R"({"source": "t", "format": "CSV", "recordId": "id", "entityKind": "ORG", "facts": [{"kind": "x", "kindColumn": "k"}]})",
            "facts[0]: give exactly one of \"kind\""},
        RuleCase{
            R"({"source": "t", "format": "CSV", "recordId": "id", "entityKind": "ORG", "facts": [{"kind": "Court Judgment"}]})",
            "must be lower_snake_case"},
        RuleCase{
            R"({"source": "t", "format": "CSV", "recordId": "id", "entityKind": "ORG", "facts": [{"kind": "x", "status": "s", "statusValues": {"已结": "CLOSED"}}]})",
            "maps '已结' to 'CLOSED', which is not one of ACTIVE, RESOLVED, "
            "DISPUTED, REPAIRED"}));

TEST(SourceMappingTest, LoadReadsAFileAndNamesIt) {
  credit::testing::TempDir dir;
  std::string path = dir.Sub("febrl.mapping.json");
  std::ofstream(path) << "\xEF\xBB\xBF" << kFebrlMapping;
  CREDIT_EXPECT_OK(LoadSourceMapping(path));
  std::ofstream(path) << R"({"source": "febrl", "bogus": 1})";
  EXPECT_THAT(
      LoadSourceMapping(path),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr(path), HasSubstr("unknown key 'bogus'"))));
  EXPECT_THAT(LoadSourceMapping(dir.Sub("missing.json")),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("missing.json")));
}

TEST(SourceMappingTest, MappedColumnsListsEveryColumnOnce) {
  auto mapping = ParseSourceMapping(
      R"({"source": "c", "format": "JSONL", "recordId": "id", "entityKindColumn": "k",
          "observedAt": "seen",
          "features": [{"type": "NAME", "columns": ["name"]},
                       {"type": "NAME", "given": "g", "family": "f"},
                       {"type": "ADDRESS", "columns": ["a1", "a2", "name"]}],
          "facts": [{"kindColumn": "fk", "occurredAt": "d", "amount": "amt", "severity": "sev",
                     "status": "st", "publishUntil": "pu", "attributes": ["case_no", "id"],
                     "whenPresent": "d"}]})",
      "c.json");
  CREDIT_ASSERT_OK(mapping);
  EXPECT_THAT(MappedColumns(*mapping),
              ElementsAre("id", "k", "seen", "name", "g", "f", "a1", "a2", "fk",
                          "d", "amt", "sev", "st", "pu", "case_no"));
}

// Every complete mapping shown in docs/mapping.md must load.
TEST(SourceMappingTest, ExamplesInTheDocumentationParse) {
  std::ifstream in(std::string(CREDIT_SOURCE_DIR) + "/docs/mapping.md");
  ASSERT_TRUE(in) << "docs/mapping.md not found";
  std::string line;
  std::string block;
  bool in_json = false;
  int parsed = 0;
  while (std::getline(in, line)) {
    if (!in_json && line == "```json") {
      in_json = true;
      block.clear();
    } else if (in_json && line == "```") {
      in_json = false;
      if (block.find("\"source\"") == std::string::npos) continue;
      CREDIT_EXPECT_OK(ParseSourceMapping(block, "docs/mapping.md")) << block;
      ++parsed;
    } else if (in_json) {
      block += line + "\n";
    }
  }
  EXPECT_GE(parsed, 3);
}

// The shared data directory: the compile-time path, or
// $CREDIT_SHARED_DATA_DIR when the checkout sits elsewhere.
std::string SharedDataDir() {
  if (std::filesystem::exists(CREDIT_SHARED_DATA_DIR))
    return CREDIT_SHARED_DATA_DIR;
  const char* env = std::getenv("CREDIT_SHARED_DATA_DIR");
  return env != nullptr ? env : "";
}

TEST(SourceMappingTest, FebrlMappingAgainstTheRealFebrlHeader) {
  const std::string path = SharedDataDir() + "/febrl1/dataset1.csv";
  if (!std::filesystem::exists(path)) {
    GTEST_SKIP() << "Febrl data not found at " << path
                 << "; set CREDIT_SHARED_DATA_DIR";
  }
  auto mapping = ParseSourceMapping(kFebrlMapping, "febrl.mapping.json");
  CREDIT_ASSERT_OK(mapping);
  auto reader = RowReader::Open(*mapping, path);
  CREDIT_ASSERT_OK(reader);
  EXPECT_THAT((*reader)->header(),
              ElementsAre("rec_id", "given_name", "surname", "street_number",
                          "address_1", "address_2", "suburb", "postcode",
                          "state", "date_of_birth", "soc_sec_id"));
  auto mapper = RowMapper::Create(*mapping, "febrl.mapping.json");
  CREDIT_ASSERT_OK(mapper);
  // The example's fact reads court columns that Febrl does not have.
  EXPECT_THAT(mapper->CheckColumns((*reader)->header()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("mapping febrl.mapping.json: column "
                                 "'judgment_date' is not in the input header "
                                 "(columns: rec_id, given_name, surname,")));
  // Without it the mapping fits, and every row of the file maps.
  mapping->clear_facts();
  auto febrl = RowMapper::Create(*mapping, "febrl.mapping.json");
  CREDIT_ASSERT_OK(febrl);
  CREDIT_ASSERT_OK(febrl->CheckColumns((*reader)->header()));
  std::vector<InputRow> rows;
  std::vector<v1::QuarantinedRow> rejects;
  bool more = true;
  while (more) {
    auto batch = (*reader)->ReadBatch(256, &rows, &rejects);
    CREDIT_ASSERT_OK(batch);
    more = *batch;
  }
  EXPECT_EQ(rows.size(), 1000u);
  EXPECT_TRUE(rejects.empty());
  EXPECT_EQ((*reader)->bytes_read(), (*reader)->bytes_total());
  // rec-223-org, , waller, 6, tullaroop street, willaroo, st james, 4011, wa,
  // 19081209, 6988048
  auto record = febrl->Map(rows[0]);
  CREDIT_ASSERT_OK(record);
  EXPECT_EQ(record->record_id(), "rec-223-org");
  EXPECT_EQ(record->entity_kind(), v1::PERSON);
  ASSERT_EQ(record->features_size(), 4);
  EXPECT_EQ(record->features(0).given(), "");
  EXPECT_EQ(record->features(0).family(), "waller");
  EXPECT_EQ(record->features(1).value(), "19081209");
  EXPECT_EQ(record->features(2).value(),
            "6 tullaroop street willaroo st james 4011 wa");
  EXPECT_EQ(record->features(3).value(), "6988048");
  EXPECT_EQ(record->features(3).scheme_name(), "soc_sec_id");
  EXPECT_EQ(record->raw().line(), 2u);
  for (const InputRow& row : rows) CREDIT_EXPECT_OK(febrl->Map(row));
}

}  // namespace
}  // namespace credit
