// credit_e2e_harness: end-to-end measurements over a data set written by
// credit_datagen (one <source>.csv + <source>.mapping.json per source and
// truth.csv). See bench/README.md.
//
//   credit_e2e_harness --data DIR --work DIR --out result.json
//       [--batch-size 5000] [--delta-batch-size 1000] [--delta-share 0.1]
//       [--incremental-runs 3] [--lookups 2000]
//
// Measures, in one run so the ratios are fair on a shared machine:
//   - incremental ingest with N records in store: the first 90 % of every
//     source is bulk-loaded, then the last 10 % (the delta) is ingested and
//     linked through the engine (records/s, per-batch p50/p99); the delta
//     runs three times on checkpoint copies of the base, the median counts;
//     once more through an engine with Options::preload_linking_cache (its
//     open timed apart)
//   - the relink of the whole store, and a bulk load of all files into a
//     fresh store, which must give the same entities
//   - the "raw write" baselines: the same mapped records serialized into a
//     plain RocksDB with WriteBatches of the same sizes
//   - get-entity p50/p99 on random records
//   - peak RSS and on-disk bytes per record
//   - pairwise precision/recall/F1 of the entities against truth.csv
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "credit/credit.h"
#include "fmt/format.h"
#include "ingest/row_mapper.h"
#include "ingest/row_reader.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t index = static_cast<size_t>(p * (values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

uint64_t DirectoryBytes(const fs::path& dir) {
  uint64_t total = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) total += entry.file_size();
  }
  return total;
}

long PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

[[noreturn]] void Die(const std::string& message) {
  fmt::print(stderr, "credit_e2e_harness: {}\n", message);
  std::exit(1);
}

template <typename T>
T OrDie(absl::StatusOr<T> value) {
  if (!value.ok()) Die(std::string(value.status().message()));
  return *std::move(value);
}

struct Source {
  std::string id;
  fs::path csv;
  credit::v1::SourceMapping mapping;
};

std::vector<Source> FindSources(const fs::path& data) {
  std::vector<Source> sources;
  for (const auto& entry : fs::directory_iterator(data)) {
    std::string name = entry.path().filename().string();
    const std::string suffix = ".mapping.json";
    if (name.size() <= suffix.size() ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
      continue;
    }
    Source source;
    source.mapping = OrDie(credit::LoadSourceMapping(entry.path().string()));
    source.id = source.mapping.source();
    source.csv = data / (name.substr(0, name.size() - suffix.size()) + ".csv");
    sources.push_back(std::move(source));
  }
  std::sort(sources.begin(), sources.end(),
            [](const Source& a, const Source& b) { return a.id < b.id; });
  if (sources.empty()) Die("no *.mapping.json in " + data.string());
  return sources;
}

// Pairwise precision / recall / F1 of predicted clusters against truth.
struct Accuracy {
  double precision = 0, recall = 0, f1 = 0;
  uint64_t true_pairs = 0, predicted_pairs = 0, correct_pairs = 0;
};

Accuracy Score(const std::map<std::string, uint64_t>& predicted,
               const std::map<std::string, std::string>& truth) {
  auto pairs = [](uint64_t n) { return n * (n - 1) / 2; };
  std::map<uint64_t, uint64_t> by_entity;
  std::map<std::string, uint64_t> by_subject;
  std::map<std::pair<uint64_t, std::string>, uint64_t> by_both;
  for (const auto& [key, entity] : predicted) {
    auto subject = truth.find(key);
    if (subject == truth.end()) continue;
    ++by_entity[entity];
    ++by_subject[subject->second];
    ++by_both[{entity, subject->second}];
  }
  Accuracy a;
  for (const auto& [_, n] : by_entity) a.predicted_pairs += pairs(n);
  for (const auto& [_, n] : by_subject) a.true_pairs += pairs(n);
  for (const auto& [_, n] : by_both) a.correct_pairs += pairs(n);
  a.precision = a.predicted_pairs ? double(a.correct_pairs) / a.predicted_pairs : 1;
  a.recall = a.true_pairs ? double(a.correct_pairs) / a.true_pairs : 1;
  a.f1 = a.precision + a.recall > 0
             ? 2 * a.precision * a.recall / (a.precision + a.recall)
             : 0;
  return a;
}

// Calls `each(index, row)` for every well-formed row of `source`, in file
// order; the index counts rows, so every pass sees the same numbering.
void ForEachRow(const Source& source,
                const std::function<void(uint64_t, credit::InputRow&)>& each) {
  auto reader = OrDie(credit::RowReader::Open(source.mapping, source.csv.string()));
  std::vector<credit::InputRow> rows;
  std::vector<credit::v1::QuarantinedRow> rejects;
  uint64_t index = 0;
  bool more = true;
  while (more) {
    rows.clear();
    rejects.clear();
    more = OrDie(reader->ReadBatch(10000, &rows, &rejects));
    for (auto& row : rows) each(index++, row);
  }
}

// The harness's split of a source: rows [0, base) are bulk-loaded before the
// measurement, rows [base, total) are the incremental delta.
struct Split {
  uint64_t base = 0;
  uint64_t total = 0;
};

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> flags = {{"batch-size", "5000"},
                                              {"delta-batch-size", "1000"},
                                              {"delta-share", "0.1"},
                                              {"incremental-runs", "3"},
                                              {"lookups", "2000"}};
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string name = argv[i];
    if (name.rfind("--", 0) != 0) Die("unexpected argument " + name);
    flags[name.substr(2)] = argv[i + 1];
  }
  for (const char* required : {"data", "work", "out"}) {
    if (flags.count(required) == 0) {
      Die(fmt::format("missing --{} (usage: --data DIR --work DIR --out FILE "
                      "[--batch-size N] [--delta-batch-size N] [--delta-share F] "
                      "[--incremental-runs N] [--lookups N] [--block-cache-mb N])",
                      required));
    }
  }
  const fs::path data = flags["data"];
  const fs::path work = flags["work"];
  const size_t batch_size = std::stoul(flags["batch-size"]);
  const size_t delta_batch_size = std::stoul(flags["delta-batch-size"]);
  const double delta_share = std::stod(flags["delta-share"]);
  const size_t lookups = std::stoul(flags["lookups"]);
  const int incremental_runs = std::stoi(flags["incremental-runs"]);
  if (incremental_runs < 1) Die("--incremental-runs must be at least 1");
  if (batch_size == 0 || delta_batch_size == 0) Die("batch sizes must be positive");
  if (!(delta_share > 0 && delta_share < 1)) Die("--delta-share must be in (0, 1)");
  fs::remove_all(work);
  fs::create_directories(work);
  std::vector<Source> sources = FindSources(data);
  std::vector<Split> splits;
  for (const auto& source : sources) {
    Split split;
    ForEachRow(source, [&](uint64_t, credit::InputRow&) { ++split.total; });
    split.base = split.total - static_cast<uint64_t>(split.total * delta_share + 0.5);
    splits.push_back(split);
  }

  credit::Options engine_options;
  if (flags.count("block-cache-mb") != 0) {
    engine_options.block_cache_bytes = std::stoul(flags["block-cache-mb"]) << 20;
  }
  auto engine = OrDie(
      credit::Engine::Open((work / "credit-db").string(), engine_options));

  // 1. The store the incremental ingest runs against: the base rows of every
  // source, bulk-loaded and linked. Not a headline figure.
  uint64_t base_records = 0;
  std::vector<std::vector<credit::InputRow>> delta_rows(sources.size());
  auto base_start = Clock::now();
  for (size_t s = 0; s < sources.size(); ++s) {
    const Source& source = sources[s];
    if (auto status = engine->RegisterSource(source.mapping); !status.ok()) {
      Die(std::string(status.message()));
    }
    credit::IngestOptions store_only;
    store_only.link = false;
    std::vector<credit::InputRow> batch;
    auto flush = [&] {
      if (batch.empty()) return;
      base_records += OrDie(engine->IngestRows(source.id, batch, store_only)).accepted();
      batch.clear();
    };
    ForEachRow(source, [&](uint64_t index, credit::InputRow& row) {
      if (index >= splits[s].base) {
        delta_rows[s].push_back(std::move(row));
        return;
      }
      batch.push_back(std::move(row));
      if (batch.size() == batch_size) flush();
    });
    flush();
  }
  OrDie(engine->ResolveAll());
  const double base_seconds = Seconds(Clock::now() - base_start);
  fmt::print(stderr, "base: {} records bulk-loaded and linked in {:.1f} s\n",
             base_records, base_seconds);

  // 2. The measurement: the delta rows ingested and linked incrementally,
  // in batches of delta_batch_size, into a store that holds the base. One
  // run over 10k rows lasts ~2 s at 100k, short enough for the machine's
  // drift to move the scale curve by a third, so the delta is ingested
  // `incremental_runs` times, each into its own checkpoint copy of the base
  // store through a freshly opened engine, and the median run is the
  // headline. The last run goes into the main store, which the later steps
  // use.
  struct DeltaRun {
    uint64_t records = 0;
    double seconds = 0;
    std::vector<double> batch_seconds;
  };
  auto ingest_delta = [&](credit::Engine& target, bool report_progress) {
    DeltaRun run;
    for (size_t s = 0; s < sources.size(); ++s) {
      const auto& rows = delta_rows[s];
      for (size_t begin = 0; begin < rows.size(); begin += delta_batch_size) {
        std::vector<credit::InputRow> batch(
            rows.begin() + begin,
            rows.begin() + std::min(rows.size(), begin + delta_batch_size));
        auto start = Clock::now();
        run.records += OrDie(target.IngestRows(sources[s].id, batch)).accepted();
        run.batch_seconds.push_back(Seconds(Clock::now() - start));
        if (report_progress && run.batch_seconds.size() % 20 == 0) {
          double window = 0;
          for (size_t i = run.batch_seconds.size() - 20;
               i < run.batch_seconds.size(); ++i) {
            window += run.batch_seconds[i];
          }
          fmt::print(stderr,
                     "incremental: {} {:>9} records in store, last 20 batches "
                     "{:>6.0f} rec/s\n",
                     sources[s].id, base_records + run.records,
                     20.0 * delta_batch_size / window);
        }
      }
    }
    // Only the engine calls count; copying the batches is the harness's.
    for (double seconds : run.batch_seconds) run.seconds += seconds;
    return run;
  };
  std::vector<fs::path> copies;
  for (int run = 1; run < incremental_runs; ++run) {
    copies.push_back(work / fmt::format("incremental-copy-{}", run));
    if (auto s = engine->Checkpoint(copies.back().string()); !s.ok()) {
      Die(std::string(s.message()));
    }
  }
  const fs::path preload_copy = work / "incremental-copy-preloaded";
  if (auto s = engine->Checkpoint(preload_copy.string()); !s.ok()) {
    Die(std::string(s.message()));
  }
  engine.reset();
  std::vector<DeltaRun> runs;
  for (const fs::path& copy : copies) {
    auto copy_engine =
        OrDie(credit::Engine::Open(copy.string(), engine_options));
    runs.push_back(ingest_delta(*copy_engine, /*report_progress=*/false));
    copy_engine.reset();
    fs::remove_all(copy);
  }
  // The same delta once more through an engine that prepared every stored
  // record when it opened (Options::preload_linking_cache, what a
  // long-running service would use): the open is timed on its own. Not
  // first: the first run after the base pays for compactions the base still
  // owed (it was the slowest of the three in every run so far).
  double preload_open_seconds = 0;
  DeltaRun preloaded_run;
  {
    credit::Options preload_options = engine_options;
    preload_options.preload_linking_cache = true;
    preload_options.linking_cache_records = 2 * base_records;
    auto open_start = Clock::now();
    auto preloaded_engine =
        OrDie(credit::Engine::Open(preload_copy.string(), preload_options));
    preload_open_seconds = Seconds(Clock::now() - open_start);
    preloaded_run = ingest_delta(*preloaded_engine, /*report_progress=*/false);
  }
  fs::remove_all(preload_copy);
  const double preloaded_rate =
      preloaded_run.records / std::max(1e-9, preloaded_run.seconds);
  fmt::print(stderr,
             "incremental with the linking cache preloaded ({:.1f} s at "
             "open): {:.0f} rec/s\n",
             preload_open_seconds, preloaded_rate);
  engine = OrDie(
      credit::Engine::Open((work / "credit-db").string(), engine_options));
  runs.push_back(ingest_delta(*engine, /*report_progress=*/true));
  delta_rows.clear();
  std::vector<double> run_rates;
  std::vector<double> batch_seconds;  // every run's batches, for p50/p99
  for (const DeltaRun& run : runs) {
    run_rates.push_back(run.records / std::max(1e-9, run.seconds));
    batch_seconds.insert(batch_seconds.end(), run.batch_seconds.begin(),
                         run.batch_seconds.end());
  }
  fmt::print(stderr, "incremental runs: {:.0f} rec/s\n",
             fmt::join(run_rates, " "));
  // The median run by time (the lower middle one for an even count).
  std::vector<const DeltaRun*> by_time;
  for (const DeltaRun& run : runs) by_time.push_back(&run);
  std::sort(by_time.begin(), by_time.end(),
            [](const DeltaRun* a, const DeltaRun* b) {
              return a->seconds < b->seconds;
            });
  const DeltaRun& median_run = *by_time[(by_time.size() - 1) / 2];
  const uint64_t delta_records = median_run.records;
  const double ingest_seconds = median_run.seconds;
  const uint64_t records = base_records + delta_records;

  // Record -> entity, and the partition as sets of record keys.
  auto export_entities = [](credit::Engine& e) {
    std::map<std::string, uint64_t> assignment;
    for (auto it = e.NewEntityIterator(); it->Valid(); it->Next()) {
      for (const auto& member : it->value().members()) {
        assignment[member.source() + "/" + member.record_id()] = it->value().id();
      }
    }
    return assignment;
  };
  auto partition_of = [](const std::map<std::string, uint64_t>& assignment) {
    std::map<uint64_t, std::set<std::string>> by_entity;
    for (const auto& [key, id] : assignment) by_entity[id].insert(key);
    std::set<std::set<std::string>> partition;
    for (auto& [id, members] : by_entity) partition.insert(std::move(members));
    return partition;
  };
  const std::map<std::string, uint64_t> incremental_assignment =
      export_entities(*engine);

  // 3. Relink all records (fresh term frequencies, whole store).
  auto resolve_start = Clock::now();
  auto summary = OrDie(engine->ResolveAll());
  const double resolve_seconds = Seconds(Clock::now() - resolve_start);

  // 4. Bulk load of all files into a fresh store, as `credit ingest --bulk`
  // does it: stored without linking or entities, then one ResolveAll. It must give the
  // same entities as the relinked store of 3.
  double bulk_store_seconds = 0, bulk_link_seconds = 0;
  bool bulk_equals_incremental = false;
  {
    auto bulk = OrDie(
        credit::Engine::Open((work / "bulk-db").string(), engine_options));
    auto start = Clock::now();
    for (const auto& source : sources) {
      if (auto s = bulk->RegisterSource(source.mapping); !s.ok()) {
        Die(std::string(s.message()));
      }
      credit::FileIngestOptions options;
      options.batch_size = batch_size;
      options.ingest.link = false;
      options.ingest.defer_entities = true;
      OrDie(bulk->IngestFile(source.id, source.csv.string(), options));
    }
    bulk_store_seconds = Seconds(Clock::now() - start);
    start = Clock::now();
    OrDie(bulk->ResolveAll());
    bulk_link_seconds = Seconds(Clock::now() - start);
    bulk_equals_incremental =
        partition_of(export_entities(*bulk)) == partition_of(export_entities(*engine));
  }
  fs::remove_all(work / "bulk-db");

  // 5. Raw write baselines: the same mapped records, serialized, written
  // straight into RocksDB in batches of the same size. Only filling the
  // batches and writing them is timed. "raw-bulk" takes every record in batch_size batches (against the
  // bulk load); "raw-incremental" takes the base the same way, untimed, then
  // the delta in delta_batch_size batches (against the incremental ingest).
  auto open_raw = [&](const char* name) {
    rocksdb::Options raw_options;
    raw_options.create_if_missing = true;
    rocksdb::DB* db = nullptr;
    if (!rocksdb::DB::Open(raw_options, (work / name).string(), &db).ok()) {
      Die(std::string("cannot open the raw baseline database ") + name);
    }
    return std::unique_ptr<rocksdb::DB>(db);
  };
  auto raw_bulk = open_raw("raw-bulk");
  auto raw_incremental = open_raw("raw-incremental");
  double raw_bulk_seconds = 0, raw_delta_seconds = 0;
  auto timed_write = [](rocksdb::DB& db, rocksdb::WriteBatch& write) {
    auto start = Clock::now();
    if (!db.Write(rocksdb::WriteOptions(), &write).ok()) Die("raw write failed");
    return Seconds(Clock::now() - start);
  };
  for (size_t s = 0; s < sources.size(); ++s) {
    const Source& source = sources[s];
    auto mapper = OrDie(credit::RowMapper::Create(source.mapping));
    rocksdb::WriteBatch bulk_write, incremental_write;
    size_t bulk_rows = 0, incremental_rows = 0;
    bool in_delta = false;
    auto flush_incremental = [&] {
      if (incremental_rows == 0) return;
      double seconds = timed_write(*raw_incremental, incremental_write);
      if (in_delta) raw_delta_seconds += seconds;
      incremental_write.Clear();
      incremental_rows = 0;
    };
    ForEachRow(source, [&](uint64_t index, credit::InputRow& row) {
      if (index == splits[s].base) {
        flush_incremental();
        in_delta = true;
      }
      auto record = mapper.Map(row);
      if (!record.ok()) return;
      std::string key = source.id + '\0' + record->record_id();
      std::string value = record->SerializeAsString();
      // Filling the WriteBatch is part of the write, as it was before
      // b993cc7 (the engine fills its batches inside the timed calls too).
      auto start = Clock::now();
      bulk_write.Put(key, value);
      raw_bulk_seconds += Seconds(Clock::now() - start);
      start = Clock::now();
      incremental_write.Put(key, value);
      if (in_delta) raw_delta_seconds += Seconds(Clock::now() - start);
      if (++bulk_rows == batch_size) {
        raw_bulk_seconds += timed_write(*raw_bulk, bulk_write);
        bulk_write.Clear();
        bulk_rows = 0;
      }
      if (++incremental_rows == (in_delta ? delta_batch_size : batch_size)) {
        flush_incremental();
      }
    });
    if (bulk_rows > 0) raw_bulk_seconds += timed_write(*raw_bulk, bulk_write);
    flush_incremental();
  }
  raw_bulk.reset();
  raw_incremental.reset();

  // 3. Export the record -> entity assignment; read truth.
  std::map<std::string, uint64_t> predicted;
  std::vector<std::pair<std::string, std::string>> keys;
  for (auto it = engine->NewEntityIterator(); it->Valid(); it->Next()) {
    for (const auto& member : it->value().members()) {
      predicted[member.source() + "/" + member.record_id()] = it->value().id();
      keys.emplace_back(member.source(), member.record_id());
    }
  }
  std::map<std::string, std::string> truth;
  {
    std::ifstream in(data / "truth.csv");
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      // source,record_id,subject_id; record ids may be quoted.
      size_t first = line.find(',');
      size_t last = line.rfind(',');
      if (first == std::string::npos || first == last) continue;
      std::string id = line.substr(first + 1, last - first - 1);
      if (id.size() >= 2 && id.front() == '"') id = id.substr(1, id.size() - 2);
      truth[line.substr(0, first) + "/" + id] = line.substr(last + 1);
    }
  }
  Accuracy accuracy = Score(predicted, truth);
  Accuracy incremental_accuracy = Score(incremental_assignment, truth);

  // 4. get-entity latency on random records.
  std::mt19937_64 random(42);
  std::vector<double> get_micros;
  for (size_t i = 0; i < lookups && !keys.empty(); ++i) {
    const auto& key = keys[random() % keys.size()];
    auto start = Clock::now();
    auto entity = engine->GetEntityOfRecord(key.first, key.second);
    get_micros.push_back(Seconds(Clock::now() - start) * 1e6);
    if (!entity.ok()) Die(std::string(entity.status().message()));
  }
  engine.reset();
  const uint64_t disk_bytes = DirectoryBytes(work / "credit-db");

  const double rate = delta_records / std::max(1e-9, ingest_seconds);
  const double bulk_seconds = bulk_store_seconds + bulk_link_seconds;
  auto ratio = [](double a, double b) { return b > 0 ? a / b : 0.0; };
  std::string json = fmt::format(
      "{{\n  \"records\": {},\n  \"method\": \"delta\",\n"
      "  \"base_records\": {},\n  \"delta_records\": {},\n"
      "  \"batch_size\": {},\n  \"delta_batch_size\": {},\n"
      "  \"base_load_seconds\": {:.3f},\n"
      "  \"incremental_seconds\": {:.3f},\n  \"incremental_records_per_s\": {:.0f},\n"
      "  \"incremental_run_records_per_s\": [{:.0f}],\n"
      "  \"preload_open_seconds\": {:.3f},\n"
      "  \"preloaded_incremental_records_per_s\": {:.0f},\n"
      "  \"preloaded_incremental_vs_raw_ratio\": {:.2f},\n"
      "  \"batch_p50_ms\": {:.2f},\n  \"batch_p99_ms\": {:.2f},\n"
      "  \"resolve_all_seconds\": {:.3f},\n  \"entities\": {},\n"
      "  \"candidate_pairs\": {},\n"
      "  \"raw_delta_seconds\": {:.3f},\n  \"incremental_vs_raw_ratio\": {:.2f},\n"
      "  \"raw_write_seconds\": {:.3f},\n  \"bulk_vs_raw_ratio\": {:.2f},\n"
      "  \"get_entity_p50_us\": {:.1f},\n  \"get_entity_p99_us\": {:.1f},\n"
      "  \"peak_rss_mb\": {:.1f},\n  \"disk_bytes_per_record\": {:.0f},\n"
      "  \"precision\": {:.4f},\n  \"recall\": {:.4f},\n  \"f1\": {:.4f},\n"
      "  \"incremental_precision\": {:.4f},\n  \"incremental_recall\": {:.4f},\n"
      "  \"incremental_f1\": {:.4f},\n"
      "  \"bulk_store_seconds\": {:.3f},\n  \"bulk_link_seconds\": {:.3f},\n"
      "  \"bulk_equals_incremental\": {}\n}}\n",
      records, base_records, delta_records, batch_size, delta_batch_size,
      base_seconds, ingest_seconds, rate, fmt::join(run_rates, ", "),
      preload_open_seconds, preloaded_rate,
      ratio(preloaded_run.seconds, raw_delta_seconds),
      Percentile(batch_seconds, 0.5) * 1e3, Percentile(batch_seconds, 0.99) * 1e3,
      resolve_seconds, summary.entities, summary.candidate_pairs,
      raw_delta_seconds, ratio(ingest_seconds, raw_delta_seconds),
      raw_bulk_seconds, ratio(bulk_seconds, raw_bulk_seconds),
      Percentile(get_micros, 0.5), Percentile(get_micros, 0.99),
      PeakRssKb() / 1024.0, records ? double(disk_bytes) / records : 0.0,
      accuracy.precision, accuracy.recall, accuracy.f1,
      incremental_accuracy.precision, incremental_accuracy.recall,
      incremental_accuracy.f1, bulk_store_seconds, bulk_link_seconds,
      bulk_equals_incremental ? "true" : "false");
  std::ofstream(flags["out"]) << json;
  fmt::print(
      "records {:>9}  incremental ({} into a store of {}) {:>6.0f} rec/s "
      "(batch p50 {:.1f} ms, p99 {:.1f} ms), {:.1f}x raw\n"
      "incremental with the linking cache preloaded: {:.0f} rec/s, {:.1f}x "
      "raw ({:.1f} s to open)\n"
      "bulk load: store {:.2f} s + link {:.2f} s = {:.0f} rec/s, {:.1f}x raw; "
      "same entities as base + incremental + relink: {}\n"
      "relink {:.2f} s ({} entities)  get-entity p50 {:.0f} us p99 {:.0f} us  "
      "peak RSS {:.0f} MB  disk {:.0f} B/record  P {:.4f} R {:.4f} F1 {:.4f}\n"
      "as ingested (before the relink): P {:.4f} R {:.4f} F1 {:.4f}\n",
      records, delta_records, base_records, rate,
      Percentile(batch_seconds, 0.5) * 1e3, Percentile(batch_seconds, 0.99) * 1e3,
      ratio(ingest_seconds, raw_delta_seconds), preloaded_rate,
      ratio(preloaded_run.seconds, raw_delta_seconds), preload_open_seconds,
      bulk_store_seconds,
      bulk_link_seconds, records / std::max(1e-9, bulk_seconds),
      ratio(bulk_seconds, raw_bulk_seconds),
      bulk_equals_incremental ? "yes" : "NO", resolve_seconds, summary.entities,
      Percentile(get_micros, 0.5), Percentile(get_micros, 0.99),
      PeakRssKb() / 1024.0, records ? double(disk_bytes) / records : 0.0,
      accuracy.precision, accuracy.recall, accuracy.f1,
      incremental_accuracy.precision, incremental_accuracy.recall,
      incremental_accuracy.f1);
  return bulk_equals_incremental ? 0 : 1;
}
