// credit quarantine: lists the input rows that could not become records.
#include <cstdio>

#include "cli_util.h"
#include "command.h"
#include "fmt/format.h"

namespace credit::cli {
namespace {

constexpr const char* kUsage =
    R"(usage: credit quarantine --db DIR [--source ID] [--limit N] [--json]

Each quarantined row with its source, record id (when it had one), file and
line, the reason, and the raw input exactly as read. Fix the input and
ingest it again; a re-ingested record id replaces nothing but itself.
)";

std::string Printable(const std::string& raw) {
  std::string out;
  for (unsigned char c : raw) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7F) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

int Run(const std::vector<std::string>& argv) {
  auto args = ParseArgs(argv, ArgSpec{{"db", "source", "limit"}, {"json"}, {}});
  if (!args.ok()) return ReportError("quarantine", args.status());
  size_t limit = SIZE_MAX;
  if (auto n = args->Get("limit")) {
    try {
      limit = std::stoul(*n);
    } catch (...) {
      return ReportError("quarantine", absl::InvalidArgumentError(
                                           "--limit takes a number"));
    }
  }
  auto engine = OpenEngine(*args, /*create=*/false);
  if (!engine.ok()) return ReportError("quarantine", engine.status());
  auto source = args->Get("source");
  size_t shown = 0;
  auto it = (*engine)->NewQuarantineIterator();
  for (; it->Valid() && shown < limit; it->Next()) {
    const v1::QuarantinedRow& row = it->value();
    if (source && row.source() != *source) continue;
    ++shown;
    if (args->Has("json")) {
      fmt::print("{}\n", ToJson(row, /*pretty=*/false));
      continue;
    }
    fmt::print("{}/{} {}:{}\n  reason: {}\n  raw: {}\n", row.source(),
               row.record_id().empty() ? "-" : row.record_id(),
               row.file().empty() ? "-" : row.file(), row.line(), row.reason(),
               Printable(row.raw()));
  }
  if (!it->status().ok()) return ReportError("quarantine", it->status());
  if (!args->Has("json")) fmt::print("{} quarantined rows\n", shown);
  return kExitOk;
}

}  // namespace

extern const Command kQuarantineCommand = {
    "quarantine", "list rows that could not be ingested, with reasons", kUsage,
    Run};

}  // namespace credit::cli
