// A streaming reader of JSON Lines input: one JSON object per line.
//
// Lines are split here; each object is parsed with protobuf's JSON support
// into a google::protobuf::Struct (ParseJsonObject). Values become text:
// strings as they are, numbers without a trailing ".0" when integral,
// booleans as true/false, null as "", nested objects and arrays as their
// compact JSON (keys sorted). Blank lines are skipped; a leading UTF-8 byte
// order mark and a CR before each LF are dropped. A number with more than
// 15 digits (which a double cannot hold exactly: 440305198501011234 would
// read back as 4.4030519850101126e+17) keeps its digits as written.
//
// Thread-compatible.
//
// Example:
//   CREDIT_ASSIGN_OR_RETURN(auto reader, JsonlReader::Open("in.jsonl"));
//   std::string_view line;
//   uint64_t number;
//   while (true) {
//     CREDIT_ASSIGN_OR_RETURN(bool more, reader->NextLine(&line, &number));
//     if (!more) break;
//     std::vector<std::pair<std::string, std::string>> columns;
//     absl::Status s = ParseJsonObject(line, &columns);
//   }
#ifndef CREDIT_INGEST_JSONL_READER_H_
#define CREDIT_INGEST_JSONL_READER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace credit {

// Parses the UTF-8 JSON object `json` into (key, value-as-text) pairs sorted
// by key. InvalidArgumentError when `json` is not one JSON object.
absl::Status ParseJsonObject(
    std::string_view json,
    std::vector<std::pair<std::string, std::string>>* columns);

class JsonlReader {
 public:
  // Opens `path`. NotFoundError when it does not exist.
  static absl::StatusOr<std::unique_ptr<JsonlReader>> Open(
      std::string_view path, size_t chunk_size = size_t{4} << 20);
  // Reads from `contents` in memory.
  static std::unique_ptr<JsonlReader> FromString(std::string contents);

  JsonlReader(const JsonlReader&) = delete;
  JsonlReader& operator=(const JsonlReader&) = delete;
  ~JsonlReader();

  // Sets `*line` to the next non-blank line (without its line end; valid
  // until the next call) and `*number` to its 1-based line number. Returns
  // false at the end of the input.
  absl::StatusOr<bool> NextLine(std::string_view* line, uint64_t* number);

  uint64_t bytes_read() const { return base_offset_ + pos_; }
  uint64_t bytes_total() const { return bytes_total_; }

 private:
  JsonlReader(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  absl::Status Fill();

  int fd_ = -1;
  std::string name_;
  std::string buffer_;
  size_t pos_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  bool at_start_ = true;
  uint64_t base_offset_ = 0;
  uint64_t bytes_total_ = 0;
  uint64_t line_ = 0;
};

}  // namespace credit

#endif  // CREDIT_INGEST_JSONL_READER_H_
