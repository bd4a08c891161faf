// credit stats: counts per source, per column family, and the quarantine.
#include <cstdio>

#include "cli_util.h"
#include "command.h"
#include "fmt/format.h"

namespace credit::cli {
namespace {

constexpr const char* kUsage =
    R"(usage: credit stats --db DIR [--json]

Records and quarantined rows per source, entity count, audit events, the
blocking keys past the cap, and per column family RocksDB's estimate of its
keys, the bytes of its table files and those bytes per record (data still
in memtables and the write-ahead log is not counted).
)";

int Run(const std::vector<std::string>& argv) {
  auto args = ParseArgs(argv, ArgSpec{{"db"}, {"json"}, {}});
  if (!args.ok()) return ReportError("stats", args.status());
  auto engine = OpenEngine(*args, /*create=*/false);
  if (!engine.ok()) return ReportError("stats", engine.status());
  auto stats = (*engine)->GetStats();
  if (!stats.ok()) return ReportError("stats", stats.status());
  if (args->Has("json")) {
    fmt::print("{}\n", ToJson(*stats, /*pretty=*/true));
    return kExitOk;
  }
  fmt::print("{:<20} {:>10} {:>12}\n", "source", "records", "quarantined");
  for (const auto& source : stats->sources()) {
    fmt::print("{:<20} {:>10} {:>12}\n", source.source(), source.records(),
               source.quarantined());
  }
  fmt::print("{:<20} {:>10} {:>12}\n", "total", stats->records(),
             stats->quarantined());
  fmt::print("\nentities: {}\naudit events: {}\nschema version: {}\n",
             stats->entities(), stats->audit_events(),
             stats->schema_version());
  if (stats->awaiting_link()) {
    fmt::print("awaiting link: records stored without entities; run "
               "`credit resolve`\n");
  }
  fmt::print("\nblocking keys too common to use (past the cap): {}\n",
             stats->capped_blocking_keys());
  for (const auto& capped : stats->capped_keys()) {
    fmt::print("  {}  ({} records)\n", capped.key(), capped.records());
  }
  // Bytes per record tell what each kind of data costs on disk.
  fmt::print("\nper column family: keys (estimate), table bytes, bytes per "
             "record:\n");
  std::map<std::string, uint64_t> sorted(stats->column_family_keys().begin(),
                                         stats->column_family_keys().end());
  auto per_record = [&](std::uint64_t bytes) {
    return stats->records() == 0
               ? 0.0
               : static_cast<double>(bytes) / stats->records();
  };
  std::uint64_t total_bytes = 0;
  for (const auto& [name, keys] : sorted) {
    auto it = stats->column_family_bytes().find(name);
    const std::uint64_t bytes =
        it == stats->column_family_bytes().end() ? 0 : it->second;
    total_bytes += bytes;
    fmt::print("  {:<16} {:>10} {:>14} {:>8.0f}\n", name, keys, bytes,
               per_record(bytes));
  }
  fmt::print("  {:<16} {:>10} {:>14} {:>8.0f}\n", "total", "", total_bytes,
             per_record(total_bytes));
  return kExitOk;
}

}  // namespace

extern const Command kStatsCommand = {
    "stats", "counts per source, column family and quarantine", kUsage, Run};

}  // namespace credit::cli
