// credit ingest: reads input files through a source mapping into the store.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <set>

#include "cli_util.h"
#include "command.h"
#include "fmt/format.h"

namespace credit::cli {
namespace {

constexpr const char* kUsage =
    R"(usage: credit ingest --db DIR --mapping FILE [flags] INPUT...

Registers (or updates) the source described by the mapping file and ingests
each INPUT file through it. Every batch of rows is one atomic write that also
links the batch's records into entities (incremental linking). Rows that
cannot become records are quarantined with the reason (see `credit
quarantine`); the rest are ingested.

With --bulk, the records are stored without linking (and without
entities) and one `credit resolve` pass links everything at the end (faster
for a first load, and it takes fresh term frequencies); the entities are the
same ones incremental linking gives with those frequencies.

A first load of several sources: ingest each with --no-link (stored, each
record its own entity for now), then run `credit resolve` once. --bulk on
every source would relink all stored records after each one. With
--no-link --defer-entities the new records get no entity at all until that
resolve (faster; until then, asking for the entity of one says to run it).

flags:
  --db DIR          database directory (created when missing)
  --mapping FILE    source mapping JSON (see docs/mapping.md)
  --batch-size N    rows per atomic write (default 5000)
  --sync            fsync every batch (slower, survives power loss)
  --bulk            store first, link all at the end in one pass
  --no-link         store only; link later with `credit resolve`
  --defer-entities  with --no-link: no entity for new records until then
  --quiet           no progress line
  --warnings N      print up to N feature warnings (default 10)

Progress (rows/s, ETA) goes to stderr; the summary to stdout. Exits 1 when
a file cannot be read (the files before it stay ingested, as the summary
says) or when rows were read but every one was quarantined.
)";

class ProgressPrinter {
 public:
  explicit ProgressPrinter(bool enabled) : enabled_(enabled) {}

  void Update(const std::string& file, const IngestProgress& progress) {
    if (!enabled_) return;
    auto now = Clock::now();
    if (now - last_ < std::chrono::milliseconds(500)) return;
    last_ = now;
    double seconds =
        std::chrono::duration<double>(now - start_).count() + 1e-9;
    double rate = progress.rows_read / seconds;
    std::string eta = "?";
    if (progress.bytes_total > 0 && progress.bytes_read > 0) {
      double remaining = seconds * (progress.bytes_total - progress.bytes_read) /
                         progress.bytes_read;
      eta = fmt::format("{:.0f}s", remaining);
    }
    fmt::print(stderr, "\r{}: {} rows, {:.0f} rows/s, {:.0f}%, ETA {}   ",
               file, progress.rows_read, rate,
               progress.bytes_total > 0
                   ? 100.0 * progress.bytes_read / progress.bytes_total
                   : 0.0,
               eta);
    printed_ = true;
  }

  void Finish() {
    if (printed_) fmt::print(stderr, "\n");
    printed_ = false;
  }

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  bool printed_ = false;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_ = Clock::now();
};

int Run(const std::vector<std::string>& argv) {
  ArgSpec spec{{"db", "mapping", "batch-size", "warnings"},
               {"sync", "quiet", "bulk", "no-link", "defer-entities"},
               {}};
  auto args = ParseArgs(argv, spec);
  if (!args.ok()) return ReportError("ingest", args.status());
  auto mapping_path = args->Require("mapping");
  if (!mapping_path.ok()) return ReportError("ingest", mapping_path.status());
  if (args->positional().empty()) {
    return ReportError("ingest", absl::InvalidArgumentError(
                                     "missing INPUT file (see --help)"));
  }
  FileIngestOptions options;
  size_t max_warnings = 10;
  if (auto n = args->Get("batch-size")) {
    auto size = ParseCount(*n, "--batch-size");
    if (!size.ok()) return ReportError("ingest", size.status());
    if (*size == 0) {
      return ReportError("ingest", absl::InvalidArgumentError(
                                       "--batch-size takes a positive number "
                                       "of rows, not 0"));
    }
    options.batch_size = *size;
  }
  if (auto n = args->Get("warnings")) {
    auto count = ParseCount(*n, "--warnings");
    if (!count.ok()) return ReportError("ingest", count.status());
    max_warnings = *count;
  }
  const bool bulk = args->Has("bulk");
  const bool no_link = args->Has("no-link");
  if (bulk && no_link) {
    return ReportError("ingest", absl::InvalidArgumentError(
                                     "--bulk links at the end and --no-link "
                                     "does not link: give one of them"));
  }
  if (args->Has("defer-entities") && !no_link) {
    return ReportError("ingest", absl::InvalidArgumentError(
                                     "--defer-entities goes with --no-link "
                                     "(--bulk defers them already)"));
  }
  options.ingest.link = !bulk && !no_link;
  // The relink below gives every record its entity: no single-record
  // entities first.
  options.ingest.defer_entities = bulk || args->Has("defer-entities");
  auto mapping = LoadSourceMapping(*mapping_path);
  if (!mapping.ok()) return ReportError("ingest", mapping.status());
  auto engine = OpenEngine(*args, /*create=*/true);
  if (!engine.ok()) return ReportError("ingest", engine.status());
  if (auto s = (*engine)->RegisterSource(*mapping); !s.ok()) {
    return ReportError("ingest", s);
  }

  ProgressPrinter printer(!args->Has("quiet") && isatty(STDERR_FILENO));
  uint64_t accepted = 0, updated = 0, quarantined = 0, invalid = 0;
  std::set<uint64_t> entities;
  std::vector<std::string> warnings;
  auto start = std::chrono::steady_clock::now();
  size_t files_done = 0;
  for (const auto& input : args->positional()) {
    options.progress = [&](const IngestProgress& p) {
      printer.Update(input, p);
    };
    auto report = (*engine)->IngestFile(mapping->source(), input, options);
    printer.Finish();
    if (!report.ok()) {
      // The files before this one are in: say so, not only what failed.
      if (files_done > 0) {
        fmt::print("source {}: {} of {} files ingested before {} failed: {} "
                   "accepted ({} updates), {} quarantined\n",
                   mapping->source(), files_done, args->positional().size(),
                   input, accepted, updated, quarantined);
      }
      return ReportError("ingest", report.status());
    }
    ++files_done;
    accepted += report->accepted();
    updated += report->updated();
    quarantined += report->quarantined();
    invalid += report->invalid_features();
    entities.insert(report->affected_entities().begin(),
                    report->affected_entities().end());
    for (const auto& w : report->warnings()) {
      if (warnings.size() < max_warnings) warnings.push_back(w);
    }
  }
  std::string linked;
  if (no_link) {
    linked = ", stored without linking (run `credit resolve` after the last "
             "source)";
  }
  if (bulk) {
    auto summary = (*engine)->ResolveAll();
    if (!summary.ok()) return ReportError("ingest", summary.status());
    linked = fmt::format(", linked all {} records into {} entities",
                         summary->records, summary->entities);
  }
  double seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  fmt::print(
      "source {}: {} accepted ({} updates), {} quarantined, {} entities "
      "touched, {} invalid feature values kept as unverified{}, {:.2f}s\n",
      mapping->source(), accepted, updated, quarantined, entities.size(),
      invalid, linked, seconds);
  for (const auto& w : warnings) fmt::print("  warning: {}\n", w);
  if (invalid > warnings.size()) {
    fmt::print("  ... {} more warnings\n", invalid - warnings.size());
  }
  if (quarantined > 0) {
    fmt::print("  see `credit quarantine --db {}` for the quarantined rows\n",
               *args->Get("db"));
  }
  if (accepted == 0 && quarantined > 0) {
    // Nothing went in: a wrong encoding or mapping, most likely. A script
    // must not take that for success.
    fmt::print(stderr,
               "credit ingest: no row was ingested, all {} were quarantined\n",
               quarantined);
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

extern const Command kIngestCommand = {
    "ingest", "ingest CSV/JSONL files through a source mapping", kUsage, Run};

}  // namespace credit::cli
