// The deterministic multi-agency data generator behind examples/data/ and the
// benchmark data sets.
//
// It invents subjects (enterprises and persons) one at a time from the seed
// and the subject's index, writes the rows each agency source holds about
// them, with realistic corruption, and forgets them: memory stays bounded by
// the per-source shuffle window whatever the size. Every output file is a
// pure function of the Options (never of the clock or the platform): facts
// are dated relative to the fixed reference date 2026-06-30.
//
// Output in `out_dir`: `<source>.csv` and `<source>.mapping.json` per
// source, `truth.csv` (source,record_id,subject_id for every row) and
// `generic.csv` (the generic values injected on purpose: shared accountant
// phones and placeholder identifiers).
//
// Thread safety: Generate() is reentrant; concurrent calls must use
// different output directories.
//
// Example:
//   credit::datagen::Options options;
//   options.out_dir = "/tmp/sample";
//   options.subjects = 300;
//   credit::datagen::Stats stats;
//   std::string error;
//   if (!credit::datagen::Generate(options, &stats, &error)) { ... }
#ifndef CREDIT_EXAMPLES_DATAGEN_GENERATOR_H_
#define CREDIT_EXAMPLES_DATAGEN_GENERATOR_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace credit::datagen {

struct Options {
  // Directory the files are written to; created if missing. Required.
  std::string out_dir;
  // Number of subjects to invent. When 0, `records` decides; when both are
  // 0, 300 subjects.
  uint64_t subjects = 0;
  // Stop after exactly this many rows over all sources (0: no limit).
  uint64_t records = 0;
  uint64_t seed = 1;
  // Probability that a subject's presence in a source gets extra rows
  // (re-registrations, repeated listings, job changes); each extra row adds
  // another with probability dup_rate / 2, so cluster sizes are geometric.
  double dup_rate = 0.25;
  // Upper bound of those extra rows per subject and source (the largest
  // within-source cluster has max_dups + 1 rows).
  uint32_t max_dups = 4;
  // Probability that a given identity field of a row (name, identifier,
  // address, phone, date format) is corrupted. The market registry, the
  // authoritative source, gets a fraction of it.
  double corruption = 0.15;
  // Share of generic values: enterprises registered with a shared accountant
  // phone; rows with a placeholder identifier or phone (half this rate).
  double generic_rate = 0.02;
  // Share of subjects that are persons (the rest are enterprises).
  double person_share = 0.3;
  // Sources to write (ids from AllSources()); empty: all of them.
  std::vector<std::string> sources;
  // Rows each source keeps in its shuffle buffer, so a subject's rows do not
  // sit next to each other. Bounded memory: window x sources rows.
  uint32_t shuffle_window = 4096;
};

struct SourceStats {
  std::string source;
  uint64_t rows = 0;
};

struct Stats {
  uint64_t subjects = 0;
  uint64_t enterprises = 0;
  uint64_t persons = 0;
  uint64_t records = 0;
  std::vector<SourceStats> sources;
};

// Returns the ids of the sources the generator knows, in output order.
std::vector<std::string_view> AllSources();

// Writes the data set described by `options`. Returns true on success and
// fills `stats`; on failure returns false with a message in `error` naming the
// file or option at fault.
bool Generate(const Options& options, Stats* stats, std::string* error);

}  // namespace credit::datagen

#endif  // CREDIT_EXAMPLES_DATAGEN_GENERATOR_H_
