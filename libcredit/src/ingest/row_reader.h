// The file-facing entry point of ingest: reads a CSV or JSONL input, in the
// encoding a source mapping names, as InputRows in batches.
//
// Rows that are malformed at the file level (wrong column count, invalid
// UTF-8 or undecodable GB18030 bytes, an unclosed quote, a JSONL line that is
// not an object) come back as QuarantinedRows with the source, file, line,
// raw bytes and the reason; reading goes on with the next row. Whether a
// good row makes a good Record is RowMapper's business.
//
// Thread-compatible.
//
// Example:
//   CREDIT_ASSIGN_OR_RETURN(auto reader, RowReader::Open(mapping, "tax.csv"));
//   CREDIT_RETURN_IF_ERROR(mapper.CheckColumns(reader->header()));
//   std::vector<InputRow> rows;
//   std::vector<v1::QuarantinedRow> rejects;
//   bool more = true;
//   while (more) {
//     rows.clear(); rejects.clear();
//     CREDIT_ASSIGN_OR_RETURN(more, reader->ReadBatch(10000, &rows, &rejects));
//     ...
//   }
#ifndef CREDIT_INGEST_ROW_READER_H_
#define CREDIT_INGEST_ROW_READER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "credit/record.h"
#include "ingest/csv_reader.h"
#include "ingest/jsonl_reader.h"
#include "ingest/text_decoder.h"

namespace credit {

class RowReader {
 public:
  // Opens `path` as `mapping` describes (format, encoding, delimiter,
  // trim_spaces) and reads its header: the CSV header row, or the keys of
  // the first JSONL object. NotFoundError when the file does not exist;
  // InvalidArgumentError naming the file for an empty CSV file, a bad header
  // (undecodable, duplicate column names) or an unusable mapping.
  static absl::StatusOr<std::unique_ptr<RowReader>> Open(
      const v1::SourceMapping& mapping, std::string_view path);
  // Reads `contents` as if it were a file called `name`.
  static absl::StatusOr<std::unique_ptr<RowReader>> FromString(
      const v1::SourceMapping& mapping, std::string_view name,
      std::string contents);

  RowReader(const RowReader&) = delete;
  RowReader& operator=(const RowReader&) = delete;

  // Appends up to `max_rows` rows to `*rows` and the malformed rows met on
  // the way to `*rejects`. Returns false when the input is exhausted (the
  // call may still have appended rows). Errors: I/O failures and rows over
  // CsvOptions::max_row_bytes; the reader is unusable afterwards.
  absl::StatusOr<bool> ReadBatch(size_t max_rows, std::vector<InputRow>* rows,
                                 std::vector<v1::QuarantinedRow>* rejects);

  // Column names: the CSV header, or the keys of the first JSONL object
  // (sorted; empty when the input holds no object). A later JSONL line may
  // carry other keys; a key it lacks reads as empty.
  const std::vector<std::string>& header() const { return header_; }
  // Bytes consumed so far and the input's size, for progress reports.
  uint64_t bytes_read() const;
  uint64_t bytes_total() const;
  const std::string& file() const { return file_; }
  // True when every column value of the rows it returns is valid UTF-8,
  // rows with any other value having been rejected: CSV, whose every field
  // goes through the TextDecoder. (A JSONL value is what protobuf's JSON
  // parser made of the line's escapes, so it is checked later.)
  bool ChecksColumnUtf8() const {
    return format_ == v1::SourceMapping::CSV;
  }

 private:
  RowReader(const v1::SourceMapping& mapping, std::string file,
            TextDecoder decoder);
  absl::Status ReadCsvHeader();
  absl::Status ReadJsonlHeader();
  // Reads one input row: true and `*row` filled, or true and a reject
  // appended, or false at the end.
  absl::StatusOr<bool> NextCsv(InputRow* row, bool* have_row,
                               std::vector<v1::QuarantinedRow>* rejects);
  absl::StatusOr<bool> NextJsonl(InputRow* row, bool* have_row,
                                 std::vector<v1::QuarantinedRow>* rejects);
  v1::QuarantinedRow Reject(uint64_t line, std::string_view raw,
                            std::string reason) const;

  std::string source_;
  std::string record_id_column_;
  v1::SourceMapping::Format format_;
  std::string file_;
  TextDecoder decoder_;
  std::unique_ptr<CsvReader> csv_;
  std::unique_ptr<JsonlReader> jsonl_;
  std::vector<std::string> header_;
  int record_id_index_ = -1;  // CSV: header index of the record id column
  CsvRow csv_row_;
  std::string decoded_;
  // JSONL: the first object (read to learn the header) and rejects before it.
  bool has_pending_row_ = false;
  InputRow pending_row_;
  std::vector<v1::QuarantinedRow> pending_rejects_;
};

}  // namespace credit

#endif  // CREDIT_INGEST_ROW_READER_H_
