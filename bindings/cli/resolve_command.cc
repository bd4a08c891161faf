// credit resolve: links every stored record into entities.
#include <chrono>
#include <cstdio>

#include "cli_util.h"
#include "command.h"
#include "fmt/format.h"

namespace credit::cli {
namespace {

constexpr const char* kUsage =
    R"(usage: credit resolve --db DIR [--keep-frequencies] [--sync]

Ingest and delete link records as they arrive; this command relinks every
stored record from scratch, after a bulk load (`credit ingest --bulk`) or to
let term frequencies catch up with the data: a fresh term-frequency snapshot,
blocking keys, Fellegi–Sunter pair scores with the default model, clustering on match edges that never joins a
cannot-link pair (two different valid USCCs or resident ids), and stable
entity ids (merged ids keep resolving to the surviving entity). The result
depends only on the records, not on the order they were ingested in. See
docs/matching.md for the model. Reviewer decisions are kept. After an
upgrade that changed the blocking keys, ingest refuses to link into an older
store until this command has rebuilt its index once.

  --keep-frequencies  relink with the term-frequency snapshot in force: the
                      result is exactly what incremental linking has built
                      (a consistency check, or an index rebuild)
)";

int Run(const std::vector<std::string>& argv) {
  auto args = ParseArgs(argv, ArgSpec{{"db"}, {"sync", "keep-frequencies"}, {}});
  if (!args.ok()) return ReportError("resolve", args.status());
  auto engine = OpenEngine(*args, /*create=*/false);
  if (!engine.ok()) return ReportError("resolve", engine.status());
  auto start = std::chrono::steady_clock::now();
  ResolveOptions options;
  options.refresh_term_frequencies = !args->Has("keep-frequencies");
  if (args->Has("sync")) options.write.sync = 1;
  auto summary = (*engine)->ResolveAll(options);
  if (!summary.ok()) return ReportError("resolve", summary.status());
  double seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  fmt::print(
      "linked {} records into {} entities in {:.2f}s: {} candidate pairs, {} "
      "match edges, {} cannot-link, {} possible matches for review, {} entity "
      "ids retired by merges, {} blocking keys too common to use\n",
      summary->records, summary->entities, seconds, summary->candidate_pairs,
      summary->match_edges, summary->cannot_link_edges,
      summary->possible_matches, summary->retired_ids, summary->capped_keys);
  return kExitOk;
}

}  // namespace

extern const Command kResolveCommand = {
    "resolve", "link every stored record into entities (bulk)", kUsage, Run};

}  // namespace credit::cli
