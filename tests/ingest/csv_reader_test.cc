#include "ingest/csv_reader.h"

#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_support.h"

namespace credit {
namespace {

using ::credit::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct ParsedRow {
  std::vector<std::string> fields;
  std::string raw;
  uint64_t line;
  bool unclosed;
};

std::vector<ParsedRow> ReadAll(CsvReader& reader) {
  std::vector<ParsedRow> rows;
  CsvRow row;
  while (true) {
    absl::StatusOr<bool> more = reader.Next(&row);
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) break;
    rows.push_back(
        {std::vector<std::string>(row.fields.begin(), row.fields.end()),
         std::string(row.raw), row.line, row.unclosed_quote});
  }
  return rows;
}

std::vector<ParsedRow> Parse(std::string text, CsvOptions options = {}) {
  auto reader = CsvReader::FromString(std::move(text), options);
  return ReadAll(*reader);
}

TEST(CsvReaderTest, PlainRowsWithLf) {
  auto rows = Parse("a,b,c\n1,2,3\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_THAT(rows[0].fields, ElementsAre("a", "b", "c"));
  EXPECT_THAT(rows[1].fields, ElementsAre("1", "2", "3"));
  EXPECT_EQ(rows[1].line, 2u);
  EXPECT_EQ(rows[1].raw, "1,2,3");
}

TEST(CsvReaderTest, CrLfAndNoFinalNewline) {
  auto rows = Parse("a,b\r\n1,2\r\n3,4");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_THAT(rows[1].fields, ElementsAre("1", "2"));
  EXPECT_THAT(rows[2].fields, ElementsAre("3", "4"));
  EXPECT_EQ(rows[2].line, 3u);
  EXPECT_EQ(rows[1].raw, "1,2");
}

TEST(CsvReaderTest, LoneCrEndsALine) {
  auto rows = Parse("a,b\r1,2\r");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_THAT(rows[1].fields, ElementsAre("1", "2"));
  EXPECT_EQ(rows[1].line, 2u);
}

TEST(CsvReaderTest, QuotedFieldsWithDelimiterQuotesAndNewlines) {
  auto rows = Parse(
      "id,name,note\n"
      "1,\"Smith, John\",\"he said \"\"hi\"\"\"\n"
      "2,\"two\nlines\r\nhere\",x\n"
      "3,\"\",\"\"\"\"\n");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_THAT(rows[1].fields,
              ElementsAre("1", "Smith, John", "he said \"hi\""));
  EXPECT_THAT(rows[2].fields, ElementsAre("2", "two\nlines\r\nhere", "x"));
  EXPECT_EQ(rows[2].line, 3u);
  // The quoted field spans lines 3-5, so the next row starts on line 6.
  EXPECT_THAT(rows[3].fields, ElementsAre("3", "", "\""));
  EXPECT_EQ(rows[3].line, 6u);
  EXPECT_EQ(rows[2].raw, "2,\"two\nlines\r\nhere\",x");
}

TEST(CsvReaderTest, EmptyFieldsAndTrailingDelimiter) {
  auto rows = Parse("a,b,c\n,,\n1,,\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_THAT(rows[1].fields, ElementsAre("", "", ""));
  EXPECT_THAT(rows[2].fields, ElementsAre("1", "", ""));
}

TEST(CsvReaderTest, BlankLinesAreSkippedButCounted) {
  auto rows = Parse("a\n\n1\r\n\r\n2\n\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].line, 3u);
  EXPECT_EQ(rows[2].line, 5u);
}

TEST(CsvReaderTest, StripsUtf8Bom) {
  auto rows = Parse("\xEF\xBB\xBFid,name\n1,x\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields[0], "id");
}

TEST(CsvReaderTest, OtherDelimiters) {
  CsvOptions options;
  options.delimiter = ';';
  auto rows = Parse("a;b\n\"x;y\";2,5\n", options);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_THAT(rows[1].fields, ElementsAre("x;y", "2,5"));
  options.delimiter = '\t';
  rows = Parse("a\tb\n x \t y\n", options);
  EXPECT_THAT(rows[1].fields, ElementsAre(" x ", " y"));
  options.delimiter = '|';
  rows = Parse("a|b\n1|2\n", options);
  EXPECT_THAT(rows[1].fields, ElementsAre("1", "2"));
}

TEST(CsvReaderTest, TrimSpaces) {
  CsvOptions options;
  options.trim_spaces = true;
  auto rows = Parse(
      "rec_id, given_name, surname\nrec-1, , waller \n"
      "rec-2,  \"a, b\" , c\n",
      options);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_THAT(rows[0].fields, ElementsAre("rec_id", "given_name", "surname"));
  EXPECT_THAT(rows[1].fields, ElementsAre("rec-1", "", "waller"));
  EXPECT_THAT(rows[2].fields, ElementsAre("rec-2", "a, b", "c"));
}

TEST(CsvReaderTest, SpacesKeptWithoutTrim) {
  auto rows = Parse("a,b\n 1 , 2\n");
  EXPECT_THAT(rows[1].fields, ElementsAre(" 1 ", " 2"));
}

TEST(CsvReaderTest, TabDelimiterIsNotTrimmedAway) {
  CsvOptions options;
  options.delimiter = '\t';
  options.trim_spaces = true;
  auto rows = Parse("a\tb\tc\n 1 \t\t3\n", options);
  EXPECT_THAT(rows[1].fields, ElementsAre("1", "", "3"));
}

TEST(CsvReaderTest, QuoteInsideUnquotedFieldIsLiteral) {
  auto rows = Parse("a,b\n5\" pipe,x\n");
  EXPECT_THAT(rows[1].fields, ElementsAre("5\" pipe", "x"));
}

TEST(CsvReaderTest, TextAfterClosingQuoteIsKept) {
  auto rows = Parse("a,b\n\"ab\"cd,x\n");
  EXPECT_THAT(rows[1].fields, ElementsAre("abcd", "x"));
}

TEST(CsvReaderTest, UnclosedQuoteRunsToEndAndIsFlagged) {
  auto rows = Parse("a,b\n1,\"oops\n2,3\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_TRUE(rows[1].unclosed);
  EXPECT_EQ(rows[1].line, 2u);
  EXPECT_EQ(rows[1].fields.size(), 2u);
  EXPECT_FALSE(rows[0].unclosed);
}

TEST(CsvReaderTest, Gb18030TrailByteEqualToDelimiterIsNotSplit) {
  // "亅" is 81 7C in GB18030: its trailing byte is '|'.
  CsvOptions options;
  options.delimiter = '|';
  options.gb18030 = true;
  auto rows = Parse("a|b\n\x81\x7C|x\n", options);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_THAT(rows[1].fields, ElementsAre("\x81\x7C", "x"));
  // Without GB18030 awareness the same bytes split in three.
  options.gb18030 = false;
  rows = Parse("a|b\n\x81\x7C|x\n", options);
  EXPECT_EQ(rows[1].fields.size(), 3u);
}

TEST(CsvReaderTest, OpenMissingFileIsNotFound) {
  EXPECT_THAT(CsvReader::Open("/nonexistent/dir/x.csv", {}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("x.csv")));
}

// Writes `text` to a file and reads it back with a tiny chunk size, so that
// rows, quoted fields, CRLF pairs and the BOM straddle chunk boundaries.
std::vector<ParsedRow> ParseFile(const std::string& text, size_t chunk_size,
                                 CsvOptions options = {}) {
  credit::testing::TempDir dir;
  std::string path = dir.Sub("in.csv");
  std::ofstream(path, std::ios::binary) << text;
  options.chunk_size = chunk_size;
  auto reader = CsvReader::Open(path, options);
  EXPECT_TRUE(reader.ok()) << reader.status();
  auto rows = ReadAll(**reader);
  EXPECT_EQ((*reader)->bytes_read(), text.size());
  EXPECT_EQ((*reader)->bytes_total(), text.size());
  return rows;
}

std::string Quote(const std::string& field) {
  std::string out = "\"";
  for (char c : field) {
    if (c == '"')
      out += "\"\"";
    else
      out += c;
  }
  return out + "\"";
}

TEST(CsvReaderTest, RandomTablesRoundTripAcrossChunkSizes) {
  std::mt19937 rng(42);
  const std::string alphabet = "ab ,\"\n\r;x\xE4\xB8\xAD";
  for (int round = 0; round < 30; ++round) {
    const int columns = 1 + static_cast<int>(rng() % 4);
    const int rows = 1 + static_cast<int>(rng() % 8);
    std::vector<std::vector<std::string>> table;
    std::vector<uint64_t> lines;
    std::string text = round % 2 ? "\xEF\xBB\xBF" : "";
    uint64_t line = 1;
    for (int r = 0; r < rows; ++r) {
      std::vector<std::string> row;
      lines.push_back(line);
      for (int c = 0; c < columns; ++c) {
        std::string field;
        int len = static_cast<int>(rng() % 6);
        for (int k = 0; k < len; ++k)
          field += alphabet[rng() % alphabet.size()];
        // A one-column row that is empty would be a blank line: quote it.
        bool quote = field.find_first_of(",\"\n\r") != std::string::npos ||
                     (columns == 1 && field.empty()) || rng() % 3 == 0;
        if (c > 0) text += ',';
        text += quote ? Quote(field) : field;
        for (char ch : field) line += ch == '\n' ? 1 : 0;
        row.push_back(field);
      }
      text += rng() % 2 ? "\r\n" : "\n";
      ++line;
      table.push_back(row);
    }
    for (size_t chunk :
         {size_t{1}, size_t{2}, size_t{3}, size_t{7}, size_t{4096}}) {
      auto parsed = ParseFile(text, chunk);
      ASSERT_EQ(parsed.size(), table.size())
          << "round " << round << " chunk " << chunk;
      for (size_t r = 0; r < table.size(); ++r) {
        EXPECT_EQ(parsed[r].fields, table[r])
            << "round " << round << " row " << r;
        EXPECT_EQ(parsed[r].line, lines[r])
            << "round " << round << " row " << r;
      }
    }
  }
}

// Arbitrary bytes (quotes, line ends, spaces, GB18030 lead bytes) must parse
// the same whether the input is in memory or streamed in tiny chunks.
TEST(CsvReaderTest, StreamingMatchesInMemoryOnArbitraryInput) {
  std::mt19937 rng(7);
  const std::string alphabet = std::string("a ,|\"\n\r\t\x81\x7C\x30\xEF\xBB\xBF", 14);
  for (int round = 0; round < 200; ++round) {
    std::string text;
    const int len = static_cast<int>(rng() % 40);
    for (int k = 0; k < len; ++k) text += alphabet[rng() % alphabet.size()];
    CsvOptions options;
    options.trim_spaces = rng() % 2;
    options.gb18030 = rng() % 2;
    options.delimiter = rng() % 2 ? ',' : '|';
    auto expected = Parse(text, options);
    for (size_t chunk : {size_t{1}, size_t{3}, size_t{8}}) {
      auto streamed = ParseFile(text, chunk, options);
      ASSERT_EQ(streamed.size(), expected.size()) << "round " << round;
      for (size_t r = 0; r < expected.size(); ++r) {
        EXPECT_EQ(streamed[r].fields, expected[r].fields) << "round " << round;
        EXPECT_EQ(streamed[r].raw, expected[r].raw) << "round " << round;
        EXPECT_EQ(streamed[r].line, expected[r].line) << "round " << round;
        EXPECT_EQ(streamed[r].unclosed, expected[r].unclosed) << "round " << round;
      }
    }
  }
}

TEST(CsvReaderTest, RowLongerThanLimitIsAnError) {
  credit::testing::TempDir dir;
  std::string path = dir.Sub("long.csv");
  std::ofstream(path, std::ios::binary)
      << "a\n\"" << std::string(1000, 'x') << "\n";
  CsvOptions options;
  options.chunk_size = 16;
  options.max_row_bytes = 256;
  auto reader = CsvReader::Open(path, options);
  CREDIT_ASSERT_OK(reader);
  CsvRow row;
  CREDIT_ASSERT_OK((*reader)->Next(&row));
  EXPECT_THAT((*reader)->Next(&row),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("line 2 is longer than 256 bytes")));
}

}  // namespace
}  // namespace credit
