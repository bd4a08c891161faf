#include "ingest/csv_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "fmt/format.h"

namespace credit {
namespace {

bool IsSpace(char c, char delimiter) {
  return (c == ' ' || c == '\t') && c != delimiter;
}

}  // namespace

CsvReader::CsvReader(int fd, std::string name, const CsvOptions& options)
    : options_(options), fd_(fd), name_(std::move(name)) {
  special_[static_cast<unsigned char>(options_.delimiter)] = true;
  special_[static_cast<unsigned char>('\n')] = true;
  special_[static_cast<unsigned char>('\r')] = true;
  if (options_.gb18030) {
    for (int c = 0x81; c <= 0xFE; ++c) special_[c] = true;
  }
}

CsvReader::~CsvReader() {
  if (fd_ >= 0) ::close(fd_);
}

absl::StatusOr<std::unique_ptr<CsvReader>> CsvReader::Open(
    std::string_view path, const CsvOptions& options) {
  if (options.chunk_size == 0 || options.max_row_bytes == 0) {
    return absl::InvalidArgumentError(
        "CsvOptions: chunk_size and max_row_bytes must be positive");
  }
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
  std::unique_ptr<CsvReader> reader(
      new CsvReader(fd, std::move(name), options));
  reader->bytes_total_ =
      S_ISREG(st.st_mode) ? static_cast<uint64_t>(st.st_size) : 0;
  reader->buffer_.resize(options.chunk_size);
  return reader;
}

std::unique_ptr<CsvReader> CsvReader::FromString(std::string contents,
                                                 const CsvOptions& options) {
  std::unique_ptr<CsvReader> reader(new CsvReader(-1, "", options));
  reader->bytes_total_ = contents.size();
  reader->end_ = contents.size();
  reader->buffer_ = std::move(contents);
  reader->eof_ = true;
  return reader;
}

absl::Status CsvReader::Fill() {
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
  if (end_ == buffer_.size()) {
    if (buffer_.size() >= options_.max_row_bytes) {
      return absl::InvalidArgumentError(fmt::format(
          "{}: the row starting at line {} is longer than {} bytes; a quoted "
          "field is probably never closed (check the quotes on that line)",
          name_, line_, options_.max_row_bytes));
    }
    buffer_.resize(std::min(buffer_.size() * 2, std::max(options_.max_row_bytes,
                                                         buffer_.size() + 1)));
  }
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

// Returns the position after the GB18030 character whose lead byte is at
// `p`: four bytes for lead, digit, lead, digit; two for lead and a trailing
// byte; one for a stray byte (the decoder rejects it later). Returns `end`
// when the buffer ends before the character can be told and more input may
// follow.
size_t CsvReader::SkipMultibyte(size_t p, size_t end) const {
  const auto* b = reinterpret_cast<const unsigned char*>(buffer_.data());
  if (p + 4 > end && !eof_) return end;
  auto lead = [](unsigned char c) { return c >= 0x81 && c <= 0xFE; };
  auto digit = [](unsigned char c) { return c >= 0x30 && c <= 0x39; };
  if (p + 1 < end && digit(b[p + 1])) {
    if (p + 3 < end && lead(b[p + 2]) && digit(b[p + 3])) return p + 4;
    return p + 1;
  }
  if (p + 1 < end && ((b[p + 1] >= 0x40 && b[p + 1] <= 0x7E) ||
                      (b[p + 1] >= 0x80 && b[p + 1] <= 0xFE))) {
    return p + 2;
  }
  return p + 1;
}

CsvReader::ParseResult CsvReader::ParseRow(size_t* row_end, size_t* next,
                                           uint64_t* newlines,
                                           bool* unclosed_quote) {
  const char* b = buffer_.data();
  const size_t end = end_;
  const char d = options_.delimiter;
  const bool trim = options_.trim_spaces;
  size_t p = pos_;
  refs_.clear();
  scratch_.clear();
  *newlines = 0;
  *unclosed_quote = false;

  // Consumes the line end at `p` (which is \n or \r); false if more input is
  // needed to tell CRLF from a lone CR.
  auto line_end = [&](size_t at) -> bool {
    if (b[at] == '\r') {
      if (at + 1 < end) {
        *next = at + 1 + (b[at + 1] == '\n' ? 1 : 0);
      } else if (!eof_) {
        return false;
      } else {
        *next = at + 1;
      }
    } else {
      *next = at + 1;
    }
    return true;
  };

  if (b[p] == '\n' || b[p] == '\r') {
    *row_end = p;
    return line_end(p) ? ParseResult::kBlank : ParseResult::kNeedMore;
  }

  while (true) {
    if (trim) {
      while (p < end && IsSpace(b[p], d)) ++p;
    }
    if (p == end && !eof_) return ParseResult::kNeedMore;
    if (p < end && b[p] == '"') {
      ++p;
      const size_t content_begin = p;
      size_t seg = p;
      bool use_scratch = false;
      uint32_t scratch_begin = 0;
      size_t content_end = 0;
      while (true) {
        const char* q =
            static_cast<const char*>(std::memchr(b + p, '"', end - p));
        if (q == nullptr) {
          if (!eof_) return ParseResult::kNeedMore;
          *newlines +=
              static_cast<uint64_t>(std::count(b + seg, b + end, '\n'));
          if (use_scratch) scratch_.append(b + seg, end - seg);
          content_end = end;
          p = end;
          *unclosed_quote = true;
          break;
        }
        const size_t qp = static_cast<size_t>(q - b);
        if (qp + 1 == end && !eof_) return ParseResult::kNeedMore;
        *newlines += static_cast<uint64_t>(std::count(b + seg, q, '\n'));
        if (qp + 1 < end && b[qp + 1] == '"') {
          if (!use_scratch) {
            use_scratch = true;
            scratch_begin = static_cast<uint32_t>(scratch_.size());
            seg = content_begin;
          }
          scratch_.append(b + seg, qp + 1 - seg);
          p = qp + 2;
          seg = p;
          continue;
        }
        if (use_scratch) scratch_.append(b + seg, qp - seg);
        content_end = qp;
        p = qp + 1;
        break;
      }
      if (!*unclosed_quote) {
        size_t after = p;
        if (trim) {
          while (after < end && IsSpace(b[after], d)) ++after;
        }
        if (after == end && !eof_) return ParseResult::kNeedMore;
        if (after < end && b[after] != d && b[after] != '\n' &&
            b[after] != '\r') {
          // Text after the closing quote ("ab"cd): kept literally, as most
          // CSV readers do, rather than dropping the row.
          size_t tail_end = after;
          while (tail_end < end) {
            unsigned char c = static_cast<unsigned char>(b[tail_end]);
            if (!special_[c]) {
              ++tail_end;
            } else if (c >= 0x81) {
              tail_end = SkipMultibyte(tail_end, end);
            } else {
              break;
            }
          }
          if (tail_end == end && !eof_) return ParseResult::kNeedMore;
          if (!use_scratch) {
            use_scratch = true;
            scratch_begin = static_cast<uint32_t>(scratch_.size());
            scratch_.append(b + content_begin, content_end - content_begin);
          }
          size_t tail_trim = tail_end;
          if (trim) {
            while (tail_trim > p && IsSpace(b[tail_trim - 1], d)) --tail_trim;
          }
          scratch_.append(b + p, tail_trim - p);
          after = tail_end;
        }
        p = after;
      }
      if (use_scratch) {
        refs_.push_back({scratch_begin,
                         static_cast<uint32_t>(scratch_.size() - scratch_begin),
                         true});
      } else {
        refs_.push_back({static_cast<uint32_t>(content_begin),
                         static_cast<uint32_t>(content_end - content_begin),
                         false});
      }
    } else {
      const size_t start = p;
      while (p < end) {
        unsigned char c = static_cast<unsigned char>(b[p]);
        if (!special_[c]) {
          ++p;
        } else if (c >= 0x81) {
          p = SkipMultibyte(p, end);
        } else {
          break;
        }
      }
      if (p == end && !eof_) return ParseResult::kNeedMore;
      size_t field_end = p;
      if (trim) {
        while (field_end > start && IsSpace(b[field_end - 1], d)) --field_end;
      }
      refs_.push_back({static_cast<uint32_t>(start),
                       static_cast<uint32_t>(field_end - start), false});
    }
    if (p < end && b[p] == d) {
      ++p;
      continue;
    }
    *row_end = p;
    if (p == end) {
      *next = end;
      return ParseResult::kRow;
    }
    return line_end(p) ? ParseResult::kRow : ParseResult::kNeedMore;
  }
}

absl::StatusOr<bool> CsvReader::Next(CsvRow* row) {
  while (true) {
    if (at_start_) {
      if (end_ - pos_ < 4 && !eof_) {
        absl::Status s = Fill();
        if (!s.ok()) return s;
        continue;
      }
      at_start_ = false;
      std::string_view head(buffer_.data() + pos_, end_ - pos_);
      if (head.substr(0, 3) == "\xEF\xBB\xBF") {
        pos_ += 3;
      } else if (options_.gb18030 && head.substr(0, 4) == "\x84\x31\x95\x33") {
        pos_ += 4;
      }
    }
    if (pos_ == end_) {
      if (eof_) return false;
      absl::Status s = Fill();
      if (!s.ok()) return s;
      continue;
    }
    size_t row_end = 0;
    size_t next = 0;
    uint64_t newlines = 0;
    bool unclosed = false;
    ParseResult result = ParseRow(&row_end, &next, &newlines, &unclosed);
    if (result == ParseResult::kNeedMore) {
      absl::Status s = Fill();
      if (!s.ok()) return s;
      continue;
    }
    if (result == ParseResult::kBlank) {
      ++line_;
      pos_ = next;
      continue;
    }
    row->line = line_;
    row->unclosed_quote = unclosed;
    row->raw = std::string_view(buffer_.data() + pos_, row_end - pos_);
    row->fields.resize(refs_.size());
    for (size_t i = 0; i < refs_.size(); ++i) {
      const FieldRef& ref = refs_[i];
      const char* base = ref.in_scratch ? scratch_.data() : buffer_.data();
      row->fields[i] = std::string_view(base + ref.offset, ref.size);
    }
    line_ += 1 + newlines;
    pos_ = next;
    return true;
  }
}

}  // namespace credit
