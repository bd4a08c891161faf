// credit_e2e_harness: end-to-end measurements over a data set written by
// credit_datagen (one <source>.csv + <source>.mapping.json per source and
// truth.csv). See bench/README.md.
//
//   credit_e2e_harness --data DIR --work DIR --out result.json
//       [--batch-size 5000] [--lookups 2000]
//
// Measures, in one run so the ratios are fair on a shared machine:
//   - incremental ingest through the engine (records/s, per-batch p50/p99)
//   - the "raw write" baseline: the same mapped records serialized into a
//     plain RocksDB with WriteBatches of the same size
//   - get-entity p50/p99 on random records
//   - peak RSS and on-disk bytes per record
//   - pairwise precision/recall/F1 of the entities against truth.csv
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
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

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> flags = {
      {"batch-size", "5000"}, {"lookups", "2000"}};
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string name = argv[i];
    if (name.rfind("--", 0) != 0) Die("unexpected argument " + name);
    flags[name.substr(2)] = argv[i + 1];
  }
  for (const char* required : {"data", "work", "out"}) {
    if (flags.count(required) == 0) {
      Die(fmt::format("missing --{} (usage: --data DIR --work DIR --out FILE "
                      "[--batch-size N] [--lookups N] [--block-cache-mb N])",
                      required));
    }
  }
  const fs::path data = flags["data"];
  const fs::path work = flags["work"];
  const size_t batch_size = std::stoul(flags["batch-size"]);
  const size_t lookups = std::stoul(flags["lookups"]);
  fs::remove_all(work);
  fs::create_directories(work);
  std::vector<Source> sources = FindSources(data);

  // 1. Incremental ingest through the engine.
  credit::Options engine_options;
  if (flags.count("block-cache-mb") != 0) {
    engine_options.block_cache_bytes = std::stoul(flags["block-cache-mb"]) << 20;
  }
  auto engine = OrDie(
      credit::Engine::Open((work / "credit-db").string(), engine_options));
  std::vector<double> batch_seconds;
  uint64_t records = 0;
  auto ingest_start = Clock::now();
  for (const auto& source : sources) {
    if (auto s = engine->RegisterSource(source.mapping); !s.ok()) {
      Die(std::string(s.message()));
    }
    credit::FileIngestOptions options;
    options.batch_size = batch_size;
    auto last = Clock::now();
    options.progress = [&](const credit::IngestProgress& progress) {
      auto now = Clock::now();
      batch_seconds.push_back(Seconds(now - last));
      last = now;
      // A line per 20 batches, so a long run shows how the rate moves as the
      // store grows (the headline figure is only the average).
      if (batch_seconds.size() % 20 == 0) {
        double window = 0;
        for (size_t i = batch_seconds.size() - 20; i < batch_seconds.size(); ++i) {
          window += batch_seconds[i];
        }
        fmt::print(stderr,
                   "incremental: {} {:>9} records in store, last 20 batches "
                   "{:>6.0f} rec/s, {:.0f} s so far\n",
                   source.id, records + progress.accepted,
                   20.0 * batch_size / window, Seconds(now - ingest_start));
      }
    };
    auto report = OrDie(engine->IngestFile(source.id, source.csv.string(), options));
    records += report.accepted();
  }
  const double ingest_seconds = Seconds(Clock::now() - ingest_start);

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

  // 1b. Relink all records (fresh term frequencies, whole store).
  auto resolve_start = Clock::now();
  auto summary = OrDie(engine->ResolveAll());
  const double resolve_seconds = Seconds(Clock::now() - resolve_start);

  // 1c. Bulk load of the same files into a fresh store: stored without
  // linking, then one ResolveAll. It must give the same entities as 1b.
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
      OrDie(bulk->IngestFile(source.id, source.csv.string(), options));
    }
    bulk_store_seconds = Seconds(Clock::now() - start);
    start = Clock::now();
    OrDie(bulk->ResolveAll());
    bulk_link_seconds = Seconds(Clock::now() - start);
    bulk_equals_incremental =
        partition_of(export_entities(*bulk)) == partition_of(export_entities(*engine));
  }

  // 2. Raw write baseline: the same mapped records, serialized, same batches.
  std::vector<std::vector<std::pair<std::string, std::string>>> raw_batches;
  for (const auto& source : sources) {
    auto reader = OrDie(credit::RowReader::Open(source.mapping, source.csv.string()));
    auto mapper = OrDie(credit::RowMapper::Create(source.mapping));
    bool more = true;
    while (more) {
      std::vector<credit::InputRow> rows;
      std::vector<credit::v1::QuarantinedRow> rejects;
      more = OrDie(reader->ReadBatch(batch_size, &rows, &rejects));
      std::vector<std::pair<std::string, std::string>> batch;
      for (const auto& row : rows) {
        auto record = mapper.Map(row);
        if (!record.ok()) continue;
        batch.emplace_back(source.id + '\0' + record->record_id(),
                           record->SerializeAsString());
      }
      if (!batch.empty()) raw_batches.push_back(std::move(batch));
    }
  }
  rocksdb::Options raw_options;
  raw_options.create_if_missing = true;
  rocksdb::DB* raw_db_ptr = nullptr;
  if (!rocksdb::DB::Open(raw_options, (work / "raw-db").string(), &raw_db_ptr).ok()) {
    Die("cannot open the raw baseline database");
  }
  std::unique_ptr<rocksdb::DB> raw_db(raw_db_ptr);
  auto raw_start = Clock::now();
  for (const auto& batch : raw_batches) {
    rocksdb::WriteBatch write;
    for (const auto& [key, value] : batch) write.Put(key, value);
    if (!raw_db->Write(rocksdb::WriteOptions(), &write).ok()) Die("raw write failed");
  }
  const double raw_seconds = Seconds(Clock::now() - raw_start);
  raw_db.reset();

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

  const double rate = records / ingest_seconds;
  std::string json = fmt::format(
      "{{\n  \"records\": {},\n  \"batch_size\": {},\n"
      "  \"incremental_seconds\": {:.3f},\n  \"incremental_records_per_s\": {:.0f},\n"
      "  \"batch_p50_ms\": {:.2f},\n  \"batch_p99_ms\": {:.2f},\n"
      "  \"resolve_all_seconds\": {:.3f},\n  \"entities\": {},\n"
      "  \"candidate_pairs\": {},\n"
      "  \"raw_write_seconds\": {:.3f},\n  \"incremental_vs_raw_ratio\": {:.2f},\n"
      "  \"get_entity_p50_us\": {:.1f},\n  \"get_entity_p99_us\": {:.1f},\n"
      "  \"peak_rss_mb\": {:.1f},\n  \"disk_bytes_per_record\": {:.0f},\n"
      "  \"precision\": {:.4f},\n  \"recall\": {:.4f},\n  \"f1\": {:.4f},\n"
      "  \"incremental_precision\": {:.4f},\n  \"incremental_recall\": {:.4f},\n"
      "  \"incremental_f1\": {:.4f},\n"
      "  \"bulk_store_seconds\": {:.3f},\n  \"bulk_link_seconds\": {:.3f},\n"
      "  \"bulk_equals_incremental\": {}\n}}\n",
      records, batch_size, ingest_seconds, rate,
      Percentile(batch_seconds, 0.5) * 1e3, Percentile(batch_seconds, 0.99) * 1e3,
      resolve_seconds, summary.entities, summary.candidate_pairs,
      raw_seconds, raw_seconds > 0 ? ingest_seconds / raw_seconds : 0.0,
      Percentile(get_micros, 0.5), Percentile(get_micros, 0.99),
      PeakRssKb() / 1024.0, records ? double(disk_bytes) / records : 0.0,
      accuracy.precision, accuracy.recall, accuracy.f1,
      incremental_accuracy.precision, incremental_accuracy.recall,
      incremental_accuracy.f1, bulk_store_seconds, bulk_link_seconds,
      bulk_equals_incremental ? "true" : "false");
  std::ofstream(flags["out"]) << json;
  fmt::print(
      "records {:>9}  ingest {:>8.0f} rec/s (batch p50 {:.1f} ms, p99 {:.1f} ms)  "
      "raw-write ratio {:.1f}x\nresolve-all {:.2f} s ({} entities)  get-entity p50 {:.0f} us p99 {:.0f} us  "
      "peak RSS {:.0f} MB  disk {:.0f} B/record  P {:.4f} R {:.4f} F1 {:.4f}\n",
      records, rate, Percentile(batch_seconds, 0.5) * 1e3,
      Percentile(batch_seconds, 0.99) * 1e3,
      raw_seconds > 0 ? ingest_seconds / raw_seconds : 0.0, resolve_seconds,
      summary.entities, Percentile(get_micros, 0.5),
      Percentile(get_micros, 0.99), PeakRssKb() / 1024.0,
      records ? double(disk_bytes) / records : 0.0, accuracy.precision,
      accuracy.recall, accuracy.f1);
  fmt::print(
      "as ingested (incremental, no term-frequency snapshot): P {:.4f} R {:.4f} "
      "F1 {:.4f}\nbulk load: store {:.2f} s + link {:.2f} s = {:.0f} rec/s; "
      "same entities as incremental + relink: {}\n",
      incremental_accuracy.precision, incremental_accuracy.recall,
      incremental_accuracy.f1, bulk_store_seconds, bulk_link_seconds,
      records / std::max(1e-9, bulk_store_seconds + bulk_link_seconds),
      bulk_equals_incremental ? "yes" : "NO");
  return bulk_equals_incremental ? 0 : 1;
}
