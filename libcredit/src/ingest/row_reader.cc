#include "ingest/row_reader.h"

#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "fmt/format.h"
#include "util/status_macros.h"

namespace credit {
namespace {

std::string_view TrimView(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

std::string DecodeHint(const TextDecoder& decoder) {
  return decoder.is_gb18030()
             ? "check that the file really is GB18030 (\"encoding\" in the "
               "mapping)"
             : "save the file as UTF-8, or set \"encoding\": \"GB18030\" in "
               "the mapping if it is GB18030/GBK";
}

absl::StatusOr<CsvOptions> CsvOptionsFor(const v1::SourceMapping& mapping,
                                         bool gb18030) {
  CsvOptions options;
  options.trim_spaces = mapping.trim_spaces();
  options.gb18030 = gb18030;
  const std::string& d = mapping.delimiter();
  if (!d.empty()) {
    if (d.size() != 1 || static_cast<unsigned char>(d[0]) >= 0x80 ||
        d[0] == '"' || d[0] == '\n' || d[0] == '\r') {
      return absl::InvalidArgumentError(fmt::format(
          "mapping for source '{}': delimiter '{}' must be one ASCII "
          "character other than a quote or a line break",
          mapping.source(), d));
    }
    options.delimiter = d[0];
  }
  return options;
}

}  // namespace

RowReader::RowReader(const v1::SourceMapping& mapping, std::string file,
                     TextDecoder decoder)
    : source_(mapping.source()),
      record_id_column_(mapping.record_id()),
      format_(mapping.format()),
      file_(std::move(file)),
      decoder_(std::move(decoder)) {}

absl::StatusOr<std::unique_ptr<RowReader>> RowReader::Open(
    const v1::SourceMapping& mapping, std::string_view path) {
  CREDIT_ASSIGN_OR_RETURN(TextDecoder decoder,
                          TextDecoder::Create(mapping.encoding()));
  std::unique_ptr<RowReader> reader(
      new RowReader(mapping, std::string(path), std::move(decoder)));
  switch (mapping.format()) {
    case v1::SourceMapping::CSV: {
      CREDIT_ASSIGN_OR_RETURN(
          CsvOptions options,
          CsvOptionsFor(mapping, reader->decoder_.is_gb18030()));
      CREDIT_ASSIGN_OR_RETURN(reader->csv_, CsvReader::Open(path, options));
      CREDIT_RETURN_IF_ERROR(reader->ReadCsvHeader());
      break;
    }
    case v1::SourceMapping::JSONL: {
      CREDIT_ASSIGN_OR_RETURN(reader->jsonl_, JsonlReader::Open(path));
      CREDIT_RETURN_IF_ERROR(reader->ReadJsonlHeader());
      break;
    }
    default:
      return absl::InvalidArgumentError(fmt::format(
          "mapping for source '{}': \"format\" must be \"CSV\" or \"JSONL\"",
          mapping.source()));
  }
  return reader;
}

absl::StatusOr<std::unique_ptr<RowReader>> RowReader::FromString(
    const v1::SourceMapping& mapping, std::string_view name,
    std::string contents) {
  CREDIT_ASSIGN_OR_RETURN(TextDecoder decoder,
                          TextDecoder::Create(mapping.encoding()));
  std::unique_ptr<RowReader> reader(
      new RowReader(mapping, std::string(name), std::move(decoder)));
  switch (mapping.format()) {
    case v1::SourceMapping::CSV: {
      CREDIT_ASSIGN_OR_RETURN(
          CsvOptions options,
          CsvOptionsFor(mapping, reader->decoder_.is_gb18030()));
      reader->csv_ = CsvReader::FromString(std::move(contents), options);
      CREDIT_RETURN_IF_ERROR(reader->ReadCsvHeader());
      break;
    }
    case v1::SourceMapping::JSONL:
      reader->jsonl_ = JsonlReader::FromString(std::move(contents));
      CREDIT_RETURN_IF_ERROR(reader->ReadJsonlHeader());
      break;
    default:
      return absl::InvalidArgumentError(fmt::format(
          "mapping for source '{}': \"format\" must be \"CSV\" or \"JSONL\"",
          mapping.source()));
  }
  return reader;
}

absl::Status RowReader::ReadCsvHeader() {
  CREDIT_ASSIGN_OR_RETURN(bool found, csv_->Next(&csv_row_));
  if (!found) {
    return absl::InvalidArgumentError(fmt::format(
        "{}: the file is empty; a CSV input starts with a header row naming "
        "its columns",
        file_));
  }
  if (csv_row_.unclosed_quote) {
    return absl::InvalidArgumentError(fmt::format(
        "{}: line {}: the header row has a quote that is never closed", file_,
        csv_row_.line));
  }
  absl::flat_hash_set<std::string> seen;
  for (size_t i = 0; i < csv_row_.fields.size(); ++i) {
    std::string name;
    size_t offset = 0;
    if (!decoder_.Decode(csv_row_.fields[i], &name, &offset)) {
      return absl::InvalidArgumentError(fmt::format(
          "{}: line {}: header column {} is not valid {} (byte {}); {}", file_,
          csv_row_.line, i + 1, decoder_.name(), offset, DecodeHint(decoder_)));
    }
    name = std::string(TrimView(name));
    if (!seen.insert(name).second) {
      return absl::InvalidArgumentError(fmt::format(
          "{}: line {}: column '{}' appears twice in the header; column names "
          "must be unique",
          file_, csv_row_.line, name));
    }
    if (name == record_id_column_) record_id_index_ = static_cast<int>(i);
    header_.push_back(std::move(name));
  }
  return absl::OkStatus();
}

absl::Status RowReader::ReadJsonlHeader() {
  while (true) {
    InputRow row;
    bool have_row = false;
    CREDIT_ASSIGN_OR_RETURN(bool more,
                            NextJsonl(&row, &have_row, &pending_rejects_));
    if (!more) return absl::OkStatus();
    if (have_row) {
      for (const auto& [key, unused] : row.columns) header_.push_back(key);
      pending_row_ = std::move(row);
      has_pending_row_ = true;
      return absl::OkStatus();
    }
  }
}

v1::QuarantinedRow RowReader::Reject(uint64_t line, std::string_view raw,
                                     std::string reason) const {
  v1::QuarantinedRow reject;
  reject.set_source(source_);
  reject.set_file(file_);
  reject.set_line(line);
  reject.set_raw(std::string(raw));
  reject.set_reason(std::move(reason));
  return reject;
}

absl::StatusOr<bool> RowReader::NextCsv(
    InputRow* row, bool* have_row, std::vector<v1::QuarantinedRow>* rejects) {
  *have_row = false;
  CREDIT_ASSIGN_OR_RETURN(bool more, csv_->Next(&csv_row_));
  if (!more) return false;
  const CsvRow& in = csv_row_;
  auto reject = [&](std::string reason) {
    v1::QuarantinedRow r = Reject(in.line, in.raw, std::move(reason));
    if (record_id_index_ >= 0 &&
        static_cast<size_t>(record_id_index_) < in.fields.size()) {
      std::string id;
      if (decoder_.Decode(in.fields[record_id_index_], &id)) {
        r.set_record_id(std::string(TrimView(id)));
      }
    }
    rejects->push_back(std::move(r));
  };
  if (in.unclosed_quote) {
    reject(fmt::format(
        "line {}: a quoted field opened on this row is never closed, so the "
        "row runs to the end of the file; close the quote (write a quote "
        "inside a quoted field as \"\")",
        in.line));
    return true;
  }
  if (in.fields.size() != header_.size()) {
    std::string hint;
    if (in.fields.size() == 1 && header_.size() > 1) {
      hint = "; check the delimiter in the mapping";
    } else if (in.fields.size() > header_.size()) {
      hint = "; a field holding the delimiter must be quoted";
    }
    reject(fmt::format("line {}: {} fields, header has {}{}", in.line,
                       in.fields.size(), header_.size(), hint));
    return true;
  }
  row->columns.resize(header_.size());
  for (size_t i = 0; i < header_.size(); ++i) {
    size_t offset = 0;
    if (!decoder_.Decode(in.fields[i], &row->columns[i].second, &offset)) {
      reject(fmt::format(
          "line {}: column '{}' is not valid {} (byte {} of the "
          "field); {}",
          in.line, header_[i], decoder_.name(), offset, DecodeHint(decoder_)));
      return true;
    }
    row->columns[i].first = header_[i];
  }
  row->file = file_;
  row->line = in.line;
  row->raw.assign(in.raw.data(), in.raw.size());
  *have_row = true;
  return true;
}

absl::StatusOr<bool> RowReader::NextJsonl(
    InputRow* row, bool* have_row, std::vector<v1::QuarantinedRow>* rejects) {
  *have_row = false;
  std::string_view line;
  uint64_t number = 0;
  CREDIT_ASSIGN_OR_RETURN(bool more, jsonl_->NextLine(&line, &number));
  if (!more) return false;
  size_t offset = 0;
  if (!decoder_.Decode(line, &decoded_, &offset)) {
    rejects->push_back(Reject(
        number, line,
        fmt::format("line {}: not valid {} (byte {} of the line); {}", number,
                    decoder_.name(), offset, DecodeHint(decoder_))));
    return true;
  }
  absl::Status parsed = ParseJsonObject(decoded_, &row->columns);
  if (!parsed.ok()) {
    rejects->push_back(
        Reject(number, line,
               fmt::format("line {}: {}; each line must hold one JSON object",
                           number, std::string(parsed.message()))));
    return true;
  }
  row->file = file_;
  row->line = number;
  row->raw.assign(line.data(), line.size());
  *have_row = true;
  return true;
}

absl::StatusOr<bool> RowReader::ReadBatch(
    size_t max_rows, std::vector<InputRow>* rows,
    std::vector<v1::QuarantinedRow>* rejects) {
  for (auto& r : pending_rejects_) rejects->push_back(std::move(r));
  pending_rejects_.clear();
  size_t taken = 0;
  if (has_pending_row_ && taken < max_rows) {
    rows->push_back(std::move(pending_row_));
    has_pending_row_ = false;
    ++taken;
  }
  while (taken < max_rows) {
    InputRow row;
    bool have_row = false;
    bool more;
    if (csv_ != nullptr) {
      CREDIT_ASSIGN_OR_RETURN(more, NextCsv(&row, &have_row, rejects));
    } else {
      CREDIT_ASSIGN_OR_RETURN(more, NextJsonl(&row, &have_row, rejects));
    }
    if (!more) return false;
    if (have_row) {
      rows->push_back(std::move(row));
      ++taken;
    }
  }
  return true;
}

uint64_t RowReader::bytes_read() const {
  return csv_ != nullptr ? csv_->bytes_read() : jsonl_->bytes_read();
}

uint64_t RowReader::bytes_total() const {
  return csv_ != nullptr ? csv_->bytes_total() : jsonl_->bytes_total();
}

}  // namespace credit
