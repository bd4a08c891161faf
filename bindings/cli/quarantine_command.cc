// credit quarantine: lists the input rows that could not become records.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "cli_util.h"
#include "command.h"
#include "fmt/format.h"
#include "fmt/ranges.h"

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
  uint64_t limit = UINT64_MAX;
  if (auto n = args->Get("limit")) {
    auto parsed = ParseCount(*n, "--limit");
    if (!parsed.ok()) return ReportError("quarantine", parsed.status());
    limit = *parsed;
  }
  auto engine = OpenEngine(*args, /*create=*/false);
  if (!engine.ok()) return ReportError("quarantine", engine.status());
  auto source = args->Get("source");
  if (source) {
    auto sources = (*engine)->ListSources();
    if (!sources.ok()) return ReportError("quarantine", sources.status());
    std::vector<std::string> ids;
    for (const auto& s : *sources) ids.push_back(s.id());
    if (std::find(ids.begin(), ids.end(), *source) == ids.end()) {
      return ReportError(
          "quarantine",
          absl::NotFoundError(fmt::format(
              "no source '{}' in this database (sources: {})", *source,
              ids.empty() ? std::string("none") : fmt::format("{}", fmt::join(ids, ", ")))));
    }
  }
  uint64_t shown = 0, matching = 0;
  auto it = (*engine)->NewQuarantineIterator();
  for (; it->Valid(); it->Next()) {
    const v1::QuarantinedRow& row = it->value();
    if (source && row.source() != *source) continue;
    ++matching;  // counted past the limit, for the summary
    if (shown >= limit) continue;
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
  if (!args->Has("json")) {
    if (shown < matching) {
      fmt::print("{} of {} quarantined rows shown\n", shown, matching);
    } else {
      fmt::print("{} quarantined rows\n", matching);
    }
  }
  return kExitOk;
}

}  // namespace

extern const Command kQuarantineCommand = {
    "quarantine", "list rows that could not be ingested, with reasons", kUsage,
    Run};

}  // namespace credit::cli
