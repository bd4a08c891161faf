#include "ingest/jsonl_reader.h"

#include <fcntl.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "fmt/format.h"

namespace credit {
namespace ingest_internal {

// Writes `number` as JSON does, without ".0" for integral values.
void AppendNumber(double number, std::string* out) {
  if (std::isfinite(number) && number == std::trunc(number) &&
      std::fabs(number) < 9007199254740992.0) {
    fmt::format_to(std::back_inserter(*out), "{}",
                   static_cast<int64_t>(number));
  } else {
    fmt::format_to(std::back_inserter(*out), "{}", number);
  }
}

void AppendJsonString(std::string_view text, std::string* out) {
  out->push_back('"');
  for (char c : text) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          fmt::format_to(std::back_inserter(*out), "\\u{:04x}",
                         static_cast<unsigned>(c));
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

// Writes `value` as compact JSON with object keys sorted, so the text is the
// same on every run (protobuf's own printer follows map order, which is not
// stable).
void AppendJson(const google::protobuf::Value& value, std::string* out) {
  using google::protobuf::Value;
  switch (value.kind_case()) {
    case Value::kNullValue:
    case Value::KIND_NOT_SET:
      out->append("null");
      break;
    case Value::kNumberValue:
      AppendNumber(value.number_value(), out);
      break;
    case Value::kStringValue:
      AppendJsonString(value.string_value(), out);
      break;
    case Value::kBoolValue:
      out->append(value.bool_value() ? "true" : "false");
      break;
    case Value::kStructValue: {
      std::vector<const std::string*> keys;
      for (const auto& [key, unused] : value.struct_value().fields()) {
        keys.push_back(&key);
      }
      std::sort(
          keys.begin(), keys.end(),
          [](const std::string* a, const std::string* b) { return *a < *b; });
      out->push_back('{');
      for (size_t i = 0; i < keys.size(); ++i) {
        if (i > 0) out->push_back(',');
        AppendJsonString(*keys[i], out);
        out->push_back(':');
        AppendJson(value.struct_value().fields().at(*keys[i]), out);
      }
      out->push_back('}');
      break;
    }
    case Value::kListValue: {
      out->push_back('[');
      const auto& list = value.list_value().values();
      for (int i = 0; i < list.size(); ++i) {
        if (i > 0) out->push_back(',');
        AppendJson(list[i], out);
      }
      out->push_back(']');
      break;
    }
  }
}

std::string ValueText(const google::protobuf::Value& value) {
  using google::protobuf::Value;
  switch (value.kind_case()) {
    case Value::kNullValue:
    case Value::KIND_NOT_SET:
      return "";
    case Value::kStringValue:
      return value.string_value();
    case Value::kBoolValue:
      return value.bool_value() ? "true" : "false";
    default: {
      std::string out;
      AppendJson(value, &out);
      return out;
    }
  }
}

// A JSON number keeps ~15 significant digits once parsed (it becomes a
// double): 440305198501011234 and ...235 would both read back as
// 4.4030519850101126e+17, one record silently replacing the other. So a
// number literal with more digits than that is quoted before parsing, and
// its text is kept exactly. Returns `json` unchanged when none is.
std::string QuoteLongNumbers(std::string_view json) {
  constexpr int kMaxExactDigits = 15;
  std::string out;
  bool changed = false;
  bool in_string = false;
  size_t copied = 0;  // json[0, copied) is in `out` (when changed)
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      continue;
    }
    if (c != '-' && (c < '0' || c > '9')) continue;
    // A number token: [-]digits[.digits][(e|E)[+-]digits].
    size_t end = i + (c == '-' ? 1 : 0);
    int digits = 0;
    bool in_exponent = false;
    while (end < json.size()) {
      const char d = json[end];
      if (d >= '0' && d <= '9') {
        if (!in_exponent) ++digits;
      } else if (d == 'e' || d == 'E') {
        in_exponent = true;
      } else if (d != '.' && d != '+' && d != '-') {
        break;
      }
      ++end;
    }
    if (digits > kMaxExactDigits) {
      out.append(json.substr(copied, i - copied));
      out.push_back('"');
      out.append(json.substr(i, end - i));
      out.push_back('"');
      copied = end;
      changed = true;
    }
    i = end - 1;
  }
  if (!changed) return std::string(json);
  out.append(json.substr(copied));
  return out;
}

}  // namespace ingest_internal

absl::Status ParseJsonObject(
    std::string_view json,
    std::vector<std::pair<std::string, std::string>>* columns) {
  columns->clear();
  std::string_view trimmed = json;
  while (!trimmed.empty() &&
         (trimmed.front() == ' ' || trimmed.front() == '\t')) {
    trimmed.remove_prefix(1);
  }
  if (trimmed.empty() || trimmed.front() != '{') {
    return absl::InvalidArgumentError(
        "the line is not a JSON object (it must start with '{')");
  }
  google::protobuf::Struct object;
  google::protobuf::util::JsonParseOptions options;
  const std::string exact = ingest_internal::QuoteLongNumbers(json);
  auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(exact.data(), exact.size()), &object,
      options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        fmt::format("the line is not a valid JSON object: {}",
                    std::string(status.message())));
  }
  columns->reserve(static_cast<size_t>(object.fields_size()));
  for (const auto& [key, value] : object.fields()) {
    columns->emplace_back(key, ingest_internal::ValueText(value));
  }
  std::sort(columns->begin(), columns->end());
  return absl::OkStatus();
}

JsonlReader::~JsonlReader() {
  if (fd_ >= 0) ::close(fd_);
}

absl::StatusOr<std::unique_ptr<JsonlReader>> JsonlReader::Open(
    std::string_view path, size_t chunk_size) {
  std::string name(path);
  int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    std::string message =
        fmt::format("cannot open input file {}: {}", name, std::strerror(err));
    if (err == ENOENT) return absl::NotFoundError(message);
    return absl::InvalidArgumentError(message);
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    ::close(fd);
    return absl::InvalidArgumentError(
        fmt::format("input {} is not a readable file", name));
  }
#ifdef POSIX_FADV_SEQUENTIAL
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  std::unique_ptr<JsonlReader> reader(new JsonlReader(fd, std::move(name)));
  reader->bytes_total_ =
      S_ISREG(st.st_mode) ? static_cast<uint64_t>(st.st_size) : 0;
  reader->buffer_.resize(std::max<size_t>(chunk_size, 16));
  return reader;
}

std::unique_ptr<JsonlReader> JsonlReader::FromString(std::string contents) {
  std::unique_ptr<JsonlReader> reader(new JsonlReader(-1, ""));
  reader->bytes_total_ = contents.size();
  reader->end_ = contents.size();
  reader->buffer_ = std::move(contents);
  reader->eof_ = true;
  return reader;
}

absl::Status JsonlReader::Fill() {
  if (fd_ < 0) {
    eof_ = true;
    return absl::OkStatus();
  }
  if (pos_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + pos_, end_ - pos_);
    base_offset_ += pos_;
    end_ -= pos_;
    pos_ = 0;
  }
  if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
  while (true) {
    ssize_t n = ::read(fd_, buffer_.data() + end_, buffer_.size() - end_);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return absl::DataLossError(
          fmt::format("reading {}: {}", name_, std::strerror(errno)));
    }
    if (n == 0) eof_ = true;
    end_ += static_cast<size_t>(n);
    return absl::OkStatus();
  }
}

absl::StatusOr<bool> JsonlReader::NextLine(std::string_view* line,
                                           uint64_t* number) {
  while (true) {
    if (at_start_) {
      if (end_ - pos_ < 3 && !eof_) {
        absl::Status s = Fill();
        if (!s.ok()) return s;
        continue;
      }
      at_start_ = false;
      if (std::string_view(buffer_.data() + pos_, end_ - pos_).substr(0, 3) ==
          "\xEF\xBB\xBF") {
        pos_ += 3;
      }
    }
    if (pos_ == end_) {
      if (eof_) return false;
      absl::Status s = Fill();
      if (!s.ok()) return s;
      continue;
    }
    const char* start = buffer_.data() + pos_;
    const char* nl =
        static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
    size_t length;
    size_t consumed;
    if (nl == nullptr) {
      if (!eof_) {
        absl::Status s = Fill();
        if (!s.ok()) return s;
        continue;
      }
      length = end_ - pos_;
      consumed = length;
    } else {
      length = static_cast<size_t>(nl - start);
      consumed = length + 1;
    }
    ++line_;
    pos_ += consumed;
    std::string_view text(start, length);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.find_first_not_of(" \t") == std::string_view::npos) continue;
    *line = text;
    *number = line_;
    return true;
  }
}

}  // namespace credit
