// credit_datagen: writes a deterministic multi-agency data set (CSV files,
// their source mappings and the ground truth). See --help.
#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "generator.h"

namespace {

constexpr std::string_view kUsage = R"(Usage: credit_datagen --out DIR [options]

Writes a deterministic multi-agency data set about enterprises and persons:
  DIR/<source>.csv            rows of one agency (UTF-8, RFC 4180, header row)
  DIR/<source>.mapping.json   its credit.v1.SourceMapping
  DIR/truth.csv               source,record_id,subject_id for every row
  DIR/generic.csv             generic values injected on purpose (shared
                              accountant phones, placeholder identifiers)
The same seed and options give byte-identical files; facts are dated
relative to the fixed reference date 2026-06-30.

Options:
  --out DIR            output directory (created if missing; required)
  --subjects N         number of subjects to invent (default 300)
  --records N          instead: stop after exactly N rows over all sources
  --seed S             random seed (default 1)
  --dup-rate R         chance of extra rows for a subject in a source (0.25)
  --max-dups N         at most N extra rows per subject and source (4)
  --corruption R       chance that an identity field is corrupted (0.15)
  --generic-rate R     share of shared phones / placeholder ids (0.02)
  --person-share R     share of subjects that are persons (0.3)
  --sources a,b,c      sources to write (default: all of
                       market,tax,court,environment,social)
  --quiet              no summary on stderr
  --help               this text
)";

bool ParseUint(std::string_view s, uint64_t* out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

bool ParseRate(std::string_view s, double* out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

std::vector<std::string> SplitList(std::string_view s) {
  std::vector<std::string> items;
  while (!s.empty()) {
    size_t comma = s.find(',');
    std::string_view item = s.substr(0, comma);
    if (!item.empty()) items.emplace_back(item);
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return items;
}

int Fail(const std::string& message) {
  fmt::print(stderr,
             "credit_datagen: {}\n(run credit_datagen --help for usage)\n",
             message);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  credit::datagen::Options options;
  bool quiet = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      fmt::print("{}", kUsage);
      return 0;
    }
    if (arg == "--quiet") {
      quiet = true;
      continue;
    }
    std::string_view value;
    size_t eq = arg.find('=');
    if (eq != std::string_view::npos && arg.starts_with("--")) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return Fail(fmt::format("option {} needs a value", arg));
    }
    bool ok = true;
    if (arg == "--out") {
      options.out_dir = std::string(value);
    } else if (arg == "--subjects") {
      ok = ParseUint(value, &options.subjects) && options.subjects > 0;
    } else if (arg == "--records") {
      ok = ParseUint(value, &options.records) && options.records > 0;
    } else if (arg == "--seed") {
      ok = ParseUint(value, &options.seed);
    } else if (arg == "--dup-rate") {
      ok = ParseRate(value, &options.dup_rate);
    } else if (arg == "--max-dups") {
      uint64_t n = 0;
      ok = ParseUint(value, &n) && n <= 100;
      options.max_dups = static_cast<uint32_t>(n);
    } else if (arg == "--corruption") {
      ok = ParseRate(value, &options.corruption);
    } else if (arg == "--generic-rate") {
      ok = ParseRate(value, &options.generic_rate);
    } else if (arg == "--person-share") {
      ok = ParseRate(value, &options.person_share);
    } else if (arg == "--sources") {
      options.sources = SplitList(value);
    } else {
      return Fail(fmt::format("unknown option {}", arg));
    }
    if (!ok) return Fail(fmt::format("bad value '{}' for {}", value, arg));
  }
  if (options.subjects != 0 && options.records != 0) {
    return Fail("pass either --subjects or --records, not both");
  }
  auto start = std::chrono::steady_clock::now();
  credit::datagen::Stats stats;
  std::string error;
  if (!credit::datagen::Generate(options, &stats, &error)) {
    fmt::print(stderr, "credit_datagen: {}\n", error);
    return 1;
  }
  if (!quiet) {
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    fmt::print(
        stderr,
        "{} subjects ({} enterprises, {} persons), {} records in {:.2f} s\n",
        stats.subjects, stats.enterprises, stats.persons, stats.records,
        seconds);
    for (const auto& s : stats.sources)
      fmt::print(stderr, "  {:<12} {}\n", s.source, s.rows);
  }
  return 0;
}
