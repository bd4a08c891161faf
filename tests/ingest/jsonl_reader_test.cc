#include "ingest/jsonl_reader.h"

#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_support.h"

namespace credit {
namespace {

using ::credit::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

using Columns = std::vector<std::pair<std::string, std::string>>;

TEST(ParseJsonObjectTest, ScalarsBecomeText) {
  Columns columns;
  CREDIT_ASSERT_OK(ParseJsonObject(
      R"({"id": "A1", "n": 12, "x": 2.5, "big": 1e3, "neg": -3, "t": true,)"
      R"( "f": false, "z": null, "name": "深圳"})",
      &columns));
  EXPECT_THAT(
      columns,
      ElementsAre(Pair("big", "1000"), Pair("f", "false"), Pair("id", "A1"),
                  Pair("n", "12"), Pair("name", "深圳"), Pair("neg", "-3"),
                  Pair("t", "true"), Pair("x", "2.5"), Pair("z", "")));
}

TEST(ParseJsonObjectTest, LongNumbersKeepTheirDigits) {
  // As doubles, the two ids would be one: 4.4030519850101126e+17.
  Columns columns;
  CREDIT_ASSERT_OK(ParseJsonObject(
      R"({"id":440305198501011234,"next": -440305198501011235,)"
      R"( "s": "\" 12345678901234567890", "n": 123456789012345,)"
      R"( "f": 1.23456789012345678, "in": {"uscc": 91350203123456789}})",
      &columns));
  EXPECT_THAT(
      columns,
      ElementsAre(Pair("f", "1.23456789012345678"), Pair("id", "440305198501011234"),
                  Pair("in", R"({"uscc":"91350203123456789"})"),
                  Pair("n", "123456789012345"),
                  Pair("next", "-440305198501011235"),
                  Pair("s", R"(" 12345678901234567890)")));
}

TEST(ParseJsonObjectTest, NestedValuesBecomeCompactSortedJson) {
  Columns columns;
  CREDIT_ASSERT_OK(ParseJsonObject(
      R"({"addr": {"zip": "518000", "city": "深圳", "n": [1, 2.5, "a\"b", null, true]},)"
      R"( "tags": [], "o": {}})",
      &columns));
  EXPECT_THAT(
      columns,
      ElementsAre(
          Pair(
              "addr",
              R"({"city":"深圳","n":[1,2.5,"a\"b",null,true],"zip":"518000"})"),
          Pair("o", "{}"), Pair("tags", "[]")));
}

TEST(ParseJsonObjectTest, RejectsNonObjects) {
  Columns columns;
  EXPECT_THAT(ParseJsonObject("[1, 2]", &columns),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not a JSON object")));
  EXPECT_THAT(ParseJsonObject("\"text\"", &columns),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not a JSON object")));
  EXPECT_THAT(ParseJsonObject("{\"a\": ", &columns),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not a valid JSON object")));
  EXPECT_THAT(ParseJsonObject("{\"a\": 1} trailing", &columns),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
}

TEST(JsonlReaderTest, SplitsLinesSkipsBlanksAndCountsLines) {
  auto reader =
      JsonlReader::FromString("\xEF\xBB\xBF{\"a\":1}\r\n\n  \n{\"a\":2}");
  std::vector<std::pair<std::string, uint64_t>> lines;
  std::string_view line;
  uint64_t number = 0;
  while (true) {
    auto more = reader->NextLine(&line, &number);
    CREDIT_ASSERT_OK(more);
    if (!*more) break;
    lines.emplace_back(std::string(line), number);
  }
  EXPECT_THAT(lines, ElementsAre(Pair("{\"a\":1}", 1u), Pair("{\"a\":2}", 4u)));
}

TEST(JsonlReaderTest, ReadsFilesInSmallChunks) {
  credit::testing::TempDir dir;
  std::string path = dir.Sub("in.jsonl");
  std::string text;
  for (int i = 0; i < 50; ++i)
    text += "{\"id\": \"" + std::to_string(i) + "\"}\n";
  std::ofstream(path, std::ios::binary) << text;
  auto reader = JsonlReader::Open(path, /*chunk_size=*/5);
  CREDIT_ASSERT_OK(reader);
  std::string_view line;
  uint64_t number = 0;
  int count = 0;
  while (true) {
    auto more = (*reader)->NextLine(&line, &number);
    CREDIT_ASSERT_OK(more);
    if (!*more) break;
    EXPECT_EQ(line, "{\"id\": \"" + std::to_string(count) + "\"}");
    EXPECT_EQ(number, static_cast<uint64_t>(count + 1));
    ++count;
  }
  EXPECT_EQ(count, 50);
  EXPECT_EQ((*reader)->bytes_read(), text.size());
  EXPECT_EQ((*reader)->bytes_total(), text.size());
}

TEST(JsonlReaderTest, MissingFileIsNotFound) {
  EXPECT_THAT(JsonlReader::Open("/nonexistent/x.jsonl"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("x.jsonl")));
}

}  // namespace
}  // namespace credit
