#include "ingest/row_reader.h"

#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest/row_mapper.h"
#include "ingest/source_mapping.h"
#include "test_support.h"

namespace credit {
namespace {

using ::credit::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

v1::SourceMapping Mapping(const std::string& extra = "") {
  auto mapping = ParseSourceMapping(
      R"({"source": "tax", "format": "CSV", "recordId": "id", "entityKind": "ORG")" +
          extra + "}",
      "tax.mapping.json");
  EXPECT_TRUE(mapping.ok()) << mapping.status();
  return *mapping;
}

struct Batch {
  std::vector<InputRow> rows;
  std::vector<v1::QuarantinedRow> rejects;
};

Batch ReadAll(RowReader& reader, size_t batch_size = 2) {
  Batch all;
  while (true) {
    size_t before = all.rows.size();
    auto more = reader.ReadBatch(batch_size, &all.rows, &all.rejects);
    EXPECT_TRUE(more.ok()) << more.status();
    EXPECT_LE(all.rows.size() - before, batch_size);
    if (!more.ok() || !*more) break;
  }
  return all;
}

TEST(RowReaderTest, CsvRowsCarryColumnsLineFileAndRawBytes) {
  auto reader = RowReader::FromString(
      Mapping(), "tax.csv", "id,name\n1,\"A, Ltd\"\n2,B\n3,\"multi\nline\"\n");
  CREDIT_ASSERT_OK(reader);
  EXPECT_THAT((*reader)->header(), ElementsAre("id", "name"));
  Batch all = ReadAll(**reader);
  ASSERT_EQ(all.rows.size(), 3u);
  EXPECT_TRUE(all.rejects.empty());
  EXPECT_THAT(all.rows[0].columns,
              ElementsAre(Pair("id", "1"), Pair("name", "A, Ltd")));
  EXPECT_EQ(all.rows[0].file, "tax.csv");
  EXPECT_EQ(all.rows[0].line, 2u);
  EXPECT_EQ(all.rows[0].raw, "1,\"A, Ltd\"");
  EXPECT_EQ(all.rows[2].line, 4u);
  EXPECT_THAT(all.rows[2].columns,
              ElementsAre(Pair("id", "3"), Pair("name", "multi\nline")));
}

TEST(RowReaderTest, WrongColumnCountIsRejectedWithLine) {
  auto reader = RowReader::FromString(
      Mapping(), "tax.csv", "id,name,city\n1,a,x\n2,b\n3,c,y,extra\n4,d,z\n");
  CREDIT_ASSERT_OK(reader);
  Batch all = ReadAll(**reader);
  ASSERT_EQ(all.rows.size(), 2u);
  EXPECT_EQ(all.rows[1].line, 5u);
  ASSERT_EQ(all.rejects.size(), 2u);
  const v1::QuarantinedRow& short_row = all.rejects[0];
  EXPECT_EQ(short_row.source(), "tax");
  EXPECT_EQ(short_row.file(), "tax.csv");
  EXPECT_EQ(short_row.line(), 3u);
  EXPECT_EQ(short_row.raw(), "2,b");
  EXPECT_EQ(short_row.record_id(), "2");
  EXPECT_EQ(short_row.reason(), "line 3: 2 fields, header has 3");
  EXPECT_THAT(all.rejects[1].reason(),
              AllOf(HasSubstr("line 4: 4 fields, header has 3"),
                    HasSubstr("must be quoted")));
}

TEST(RowReaderTest, OneFieldRowsHintAtTheDelimiter) {
  auto reader = RowReader::FromString(Mapping(), "t.csv", "id,name\n1;a\n");
  CREDIT_ASSERT_OK(reader);
  Batch all = ReadAll(**reader);
  ASSERT_EQ(all.rejects.size(), 1u);
  EXPECT_THAT(all.rejects[0].reason(), HasSubstr("check the delimiter"));
}

TEST(RowReaderTest, InvalidUtf8RejectsTheRowNotTheFile) {
  auto reader = RowReader::FromString(Mapping(), "t.csv",
                                      "id,name\n1,ok\n2,bad\xFF\xFE\n3,fine\n");
  CREDIT_ASSERT_OK(reader);
  Batch all = ReadAll(**reader);
  ASSERT_EQ(all.rows.size(), 2u);
  ASSERT_EQ(all.rejects.size(), 1u);
  EXPECT_EQ(all.rejects[0].line(), 3u);
  EXPECT_EQ(all.rejects[0].raw(), "2,bad\xFF\xFE");
  EXPECT_EQ(all.rejects[0].record_id(), "2");
  EXPECT_THAT(all.rejects[0].reason(),
              AllOf(HasSubstr("line 3: column 'name' is not valid UTF-8"),
                    HasSubstr("GB18030")));
}

TEST(RowReaderTest, UnclosedQuoteIsRejected) {
  auto reader =
      RowReader::FromString(Mapping(), "t.csv", "id,name\n1,a\n2,\"b\n3,c\n");
  CREDIT_ASSERT_OK(reader);
  Batch all = ReadAll(**reader);
  ASSERT_EQ(all.rows.size(), 1u);
  ASSERT_EQ(all.rejects.size(), 1u);
  EXPECT_EQ(all.rejects[0].line(), 3u);
  EXPECT_THAT(all.rejects[0].reason(), HasSubstr("never closed"));
}

TEST(RowReaderTest, DelimiterTrimAndBomFromMapping) {
  auto reader = RowReader::FromString(
      Mapping(R"(, "delimiter": "\t", "trimSpaces": true)"), "t.tsv",
      "\xEF\xBB\xBFid\t name \n 1 \t a b \n");
  CREDIT_ASSERT_OK(reader);
  EXPECT_THAT((*reader)->header(), ElementsAre("id", "name"));
  Batch all = ReadAll(**reader);
  ASSERT_EQ(all.rows.size(), 1u);
  EXPECT_THAT(all.rows[0].columns,
              ElementsAre(Pair("id", "1"), Pair("name", "a b")));
}

TEST(RowReaderTest, HeaderProblemsAreErrorsNamingTheFile) {
  EXPECT_THAT(RowReader::FromString(Mapping(), "empty.csv", ""),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("empty.csv"), HasSubstr("header row"))));
  EXPECT_THAT(RowReader::FromString(Mapping(), "dup.csv", "id,name,id\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("dup.csv"),
                             HasSubstr("column 'id' appears twice"))));
  EXPECT_THAT(
      RowReader::FromString(Mapping(), "bad.csv", "id,n\xFF\n"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("bad.csv"), HasSubstr("header column 2"))));
  EXPECT_THAT(
      RowReader::Open(Mapping(), "/nonexistent/tax.csv"),
      StatusIs(absl::StatusCode::kNotFound, HasSubstr("/nonexistent/tax.csv")));
}

TEST(RowReaderTest, Gb18030FixtureIsConvertedToUtf8) {
  const std::string path =
      std::string(CREDIT_SOURCE_DIR) + "/tests/ingest/testdata/gb18030.csv";
  auto reader = RowReader::Open(Mapping(R"(, "encoding": "gb18030")"), path);
  CREDIT_ASSERT_OK(reader);
  EXPECT_THAT((*reader)->header(), ElementsAre("id", "名称", "地址"));
  Batch all = ReadAll(**reader);
  EXPECT_TRUE(all.rejects.empty());
  ASSERT_EQ(all.rows.size(), 2u);
  EXPECT_THAT(
      all.rows[0].columns,
      ElementsAre(Pair("id", "1"), Pair("名称", "深圳市腾讯计算机系统有限公司"),
                  Pair("地址", "广东省深圳市南山区, 高新科技园")));
  EXPECT_THAT(all.rows[1].columns,
              ElementsAre(Pair("id", "2"), Pair("名称", "张三"),
                          Pair("地址", "北京市𠀀路")));
  // The raw bytes stay as read: GB18030, not UTF-8.
  EXPECT_EQ(all.rows[1].raw.substr(0, 6), "2,\xD5\xC5\xC8\xFD");
  EXPECT_EQ((*reader)->bytes_read(), (*reader)->bytes_total());
}

TEST(RowReaderTest, Gb18030UndecodableRowIsRejected) {
  auto reader = RowReader::FromString(
      Mapping(R"(, "encoding": "GB18030", "delimiter": "|")"), "t.csv",
      "id|name\n1|\x81\x7C\n2|\xFF\n");
  CREDIT_ASSERT_OK(reader);
  Batch all = ReadAll(**reader);
  ASSERT_EQ(all.rows.size(), 1u);
  // 81 7C is one character whose second byte is '|'.
  EXPECT_THAT(all.rows[0].columns,
              ElementsAre(Pair("id", "1"), Pair("name", "亅")));
  ASSERT_EQ(all.rejects.size(), 1u);
  EXPECT_THAT(all.rejects[0].reason(),
              HasSubstr("line 3: column 'name' is not valid GB18030"));
}

v1::SourceMapping JsonlMapping(const std::string& extra = "") {
  auto mapping = ParseSourceMapping(
      R"({"source": "court", "format": "JSONL", "recordId": "id", "entityKind": "ORG")" +
          extra + "}",
      "court.mapping.json");
  EXPECT_TRUE(mapping.ok()) << mapping.status();
  return *mapping;
}

TEST(RowReaderTest, JsonlRowsNestedValuesAndBadLines) {
  auto reader = RowReader::FromString(
      JsonlMapping(), "court.jsonl",
      "not json\n"
      "{\"id\": \"A1\", \"amount\": 1200, \"party\": {\"name\": \"某公司\", "
      "\"roles\": [\"被告\"]}}\n"
      "\n"
      "[1, 2]\n"
      "{\"id\": \"A2\", \"amount\": 3.5, \"extra\": true}\n"
      "{\"id\": \"A3\", \"name\": \"bad \xFF\"}\n"
      "{\"id\": \"A4\"\n");
  CREDIT_ASSERT_OK(reader);
  EXPECT_THAT((*reader)->header(), ElementsAre("amount", "id", "party"));
  Batch all = ReadAll(**reader, 1);
  ASSERT_EQ(all.rows.size(), 2u);
  EXPECT_THAT(
      all.rows[0].columns,
      ElementsAre(Pair("amount", "1200"), Pair("id", "A1"),
                  Pair("party", R"({"name":"某公司","roles":["被告"]})")));
  EXPECT_EQ(all.rows[0].line, 2u);
  EXPECT_EQ(all.rows[0].file, "court.jsonl");
  EXPECT_THAT(all.rows[1].columns,
              ElementsAre(Pair("amount", "3.5"), Pair("extra", "true"),
                          Pair("id", "A2")));
  EXPECT_EQ(all.rows[1].line, 5u);
  ASSERT_EQ(all.rejects.size(), 4u);
  EXPECT_EQ(all.rejects[0].line(), 1u);
  EXPECT_EQ(all.rejects[0].raw(), "not json");
  EXPECT_THAT(all.rejects[0].reason(),
              HasSubstr("line 1: the line is not a JSON object"));
  EXPECT_EQ(all.rejects[1].line(), 4u);
  EXPECT_EQ(all.rejects[2].line(), 6u);
  EXPECT_THAT(all.rejects[2].reason(), HasSubstr("not valid UTF-8"));
  EXPECT_EQ(all.rejects[3].line(), 7u);
  EXPECT_THAT(all.rejects[3].reason(), HasSubstr("not a valid JSON object"));
  for (const auto& reject : all.rejects) {
    EXPECT_EQ(reject.source(), "court");
    EXPECT_EQ(reject.file(), "court.jsonl");
  }
}

TEST(RowReaderTest, JsonlMissingKeyReadsAsEmpty) {
  auto reader = RowReader::FromString(
      JsonlMapping(R"(, "features": [{"type": "NAME", "columns": ["name"]}])"),
      "c.jsonl", "{\"id\": \"1\", \"name\": \"x\"}\n{\"id\": \"2\"}\n");
  CREDIT_ASSERT_OK(reader);
  auto mapper = RowMapper::Create(
      JsonlMapping(R"(, "features": [{"type": "NAME", "columns": ["name"]}])"));
  CREDIT_ASSERT_OK(mapper);
  CREDIT_ASSERT_OK(mapper->CheckColumns((*reader)->header()));
  Batch all = ReadAll(**reader);
  ASSERT_EQ(all.rows.size(), 2u);
  auto second = mapper->Map(all.rows[1]);
  CREDIT_ASSERT_OK(second);
  EXPECT_EQ(second->record_id(), "2");
  EXPECT_EQ(second->features_size(), 0);
}

TEST(RowReaderTest, JsonlGb18030) {
  auto reader =
      RowReader::FromString(JsonlMapping(R"(, "encoding": "GB18030")"),
                            "g.jsonl", "{\"id\": \"\xD5\xC5\xC8\xFD\"}\n");
  CREDIT_ASSERT_OK(reader);
  Batch all = ReadAll(**reader);
  ASSERT_EQ(all.rows.size(), 1u);
  EXPECT_THAT(all.rows[0].columns, ElementsAre(Pair("id", "张三")));
  EXPECT_EQ(all.rows[0].raw, "{\"id\": \"\xD5\xC5\xC8\xFD\"}");
}

TEST(RowReaderTest, EmptyJsonlHasNoHeaderAndNoRows) {
  auto reader = RowReader::FromString(JsonlMapping(), "e.jsonl", "\n\n");
  CREDIT_ASSERT_OK(reader);
  EXPECT_TRUE((*reader)->header().empty());
  Batch all = ReadAll(**reader);
  EXPECT_TRUE(all.rows.empty());
}

TEST(RowReaderTest, StreamsALargerFileInBatches) {
  credit::testing::TempDir dir;
  const std::string path = dir.Sub("big.csv");
  {
    std::ofstream out(path, std::ios::binary);
    out << "id,name,amount\n";
    for (int i = 0; i < 20000; ++i) {
      out << i << ",\"name " << i << ", ltd\"," << i * 3 << "\r\n";
    }
  }
  auto reader = RowReader::Open(Mapping(), path);
  CREDIT_ASSERT_OK(reader);
  std::vector<InputRow> rows;
  std::vector<v1::QuarantinedRow> rejects;
  size_t total = 0;
  int batches = 0;
  bool more = true;
  while (more) {
    rows.clear();
    auto result = (*reader)->ReadBatch(1000, &rows, &rejects);
    CREDIT_ASSERT_OK(result);
    more = *result;
    for (const InputRow& row : rows) {
      ASSERT_EQ(row.columns[0].second, std::to_string(total));
      ASSERT_EQ(row.line, total + 2);
      ++total;
    }
    ++batches;
    EXPECT_LE((*reader)->bytes_read(), (*reader)->bytes_total());
  }
  EXPECT_EQ(total, 20000u);
  EXPECT_TRUE(rejects.empty());
  EXPECT_GE(batches, 20);
  EXPECT_EQ((*reader)->bytes_read(), (*reader)->bytes_total());
}

TEST(RowReaderTest, MapsEndToEndWithMapper) {
  v1::SourceMapping mapping = Mapping(
      R"(, "features": [{"type": "NAME", "columns": ["name"]}],
         "facts": [{"kind": "tax_arrears", "amount": "owed"}])");
  auto reader = RowReader::FromString(
      mapping, "t.csv", "id,name,owed,note\nT1,某公司,\"1,500\",x\n");
  CREDIT_ASSERT_OK(reader);
  auto mapper = RowMapper::Create(mapping);
  CREDIT_ASSERT_OK(mapper);
  CREDIT_ASSERT_OK(mapper->CheckColumns((*reader)->header()));
  Batch all = ReadAll(**reader);
  ASSERT_EQ(all.rows.size(), 1u);
  auto record = mapper->Map(all.rows[0]);
  CREDIT_ASSERT_OK(record);
  EXPECT_EQ(record->facts(0).amount(), 1500);
  EXPECT_EQ(record->raw().columns().at("note"), "x");
  EXPECT_EQ(record->raw().bytes(), "T1,某公司,\"1,500\",x");
  EXPECT_EQ(record->raw().line(), 2u);
  EXPECT_EQ(record->raw().file(), "t.csv");
}

}  // namespace
}  // namespace credit
