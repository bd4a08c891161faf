// A streaming RFC 4180 CSV reader.
//
// Reads quoted fields with embedded delimiters, doubled quotes and line
// breaks; LF, CRLF and lone CR line ends; strips a leading byte order mark;
// takes any one-byte delimiter and can trim spaces around fields (Febrl's
// files separate fields with ", "). Blank lines are skipped. The reader keeps
// only a window of the input in memory (chunk_size, grown only for a row
// longer than that), so files of any size stream through it.
//
// Fields are bytes as found: the reader does not decode or validate text
// (see TextDecoder). With `gb18030` set, it steps over GB18030 multi-byte
// characters so that a trailing byte equal to the delimiter is not taken
// for one.
//
// Thread-compatible.
//
// Example:
//   CREDIT_ASSIGN_OR_RETURN(auto reader, CsvReader::Open("in.csv", {}));
//   CsvRow row;
//   while (true) {
//     CREDIT_ASSIGN_OR_RETURN(bool more, reader->Next(&row));
//     if (!more) break;
//     Use(row.line, row.fields);
//   }
#ifndef CREDIT_INGEST_CSV_READER_H_
#define CREDIT_INGEST_CSV_READER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace credit {

struct CsvOptions {
  // The field separator: one byte. Default ','.
  char delimiter = ',';
  // Trim spaces and tabs around fields (outside quotes). Default false.
  bool trim_spaces = false;
  // Scan GB18030 text: never split a multi-byte character. Default false.
  bool gb18030 = false;
  // Bytes read from the file at a time. Larger: fewer system calls, more
  // memory. Default 4 MiB.
  size_t chunk_size = size_t{4} << 20;
  // A row longer than this is an error (most likely an unclosed quote that
  // would otherwise swallow the rest of the file). Default 64 MiB.
  size_t max_row_bytes = size_t{64} << 20;
};

// One row. The views stay valid until the next call to Next().
struct CsvRow {
  std::vector<std::string_view> fields;
  std::string_view raw;         // the row's bytes, without its line end
  uint64_t line = 0;            // 1-based physical line where the row starts
  bool unclosed_quote = false;  // the input ended inside a quoted field
};

class CsvReader {
 public:
  // Opens `path` for reading. NotFoundError when it does not exist,
  // InvalidArgumentError when the options are unusable.
  static absl::StatusOr<std::unique_ptr<CsvReader>> Open(
      std::string_view path, const CsvOptions& options);
  // Reads from `contents` in memory.
  static std::unique_ptr<CsvReader> FromString(std::string contents,
                                               const CsvOptions& options);

  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;
  ~CsvReader();

  // Reads the next row into `*row`. Returns false at the end of the input;
  // an error for an I/O failure or a row over max_row_bytes.
  absl::StatusOr<bool> Next(CsvRow* row);

  // Bytes of the input consumed so far, and its total size (0 if unknown).
  uint64_t bytes_read() const { return base_offset_ + pos_; }
  uint64_t bytes_total() const { return bytes_total_; }
  // The name given at Open ("" for FromString).
  const std::string& name() const { return name_; }

 private:
  CsvReader(int fd, std::string name, const CsvOptions& options);

  // Where a field's bytes are: in buffer_ or in scratch_.
  struct FieldRef {
    uint32_t offset;
    uint32_t size;
    bool in_scratch;
  };
  enum class ParseResult { kRow, kBlank, kNeedMore };

  // Parses one row starting at pos_. kNeedMore when the row may continue
  // past the buffered bytes and more input exists.
  ParseResult ParseRow(size_t* row_end, size_t* next, uint64_t* newlines,
                       bool* unclosed_quote);
  // Moves unread bytes to the front of the buffer and reads more, growing
  // the buffer when it is full. Sets eof_ at the end of input.
  absl::Status Fill();
  size_t SkipMultibyte(size_t p, size_t end) const;

  CsvOptions options_;
  int fd_ = -1;  // -1: in-memory input
  std::string name_;
  std::string buffer_;
  size_t pos_ = 0;  // start of unread bytes in buffer_
  size_t end_ = 0;  // end of valid bytes in buffer_
  bool eof_ = false;
  bool at_start_ = true;      // the BOM check is still due
  uint64_t base_offset_ = 0;  // input offset of buffer_[0]
  uint64_t bytes_total_ = 0;
  uint64_t line_ = 1;
  bool special_[256] = {};
  std::string scratch_;
  std::vector<FieldRef> refs_;
};

}  // namespace credit

#endif  // CREDIT_INGEST_CSV_READER_H_
