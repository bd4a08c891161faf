// credit/options.h: plain option structs for the engine and its calls.
//
// Every field has a default and a comment naming the trade-off. The structs are
// copyable values and carry no state; they are thread-compatible.
//
// Example:
//   credit::Options options;
//   options.sync = true;  // fsync every ingest call
//   auto engine = credit::Engine::Open("/var/lib/credit", options);
#ifndef CREDIT_OPTIONS_H_
#define CREDIT_OPTIONS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>

namespace credit {

class Clock;

// Options for opening an engine.
struct Options {
  // Create the database when `path` does not exist. Default true.
  bool create_if_missing = true;
  // Default for IngestOptions::sync: fsync the write-ahead log on every ingest
  // call (~200 µs per call here). Default false: a crash of the machine (not of
  // the process) may lose the last calls, never half of one.
  bool sync = false;
  // Shared RocksDB block cache; the memtables are charged to it too so memory
  // stays bounded. Default 256 MiB.
  std::size_t block_cache_bytes = 256u << 20;
  // Total memtable budget across column families. Default 128 MiB.
  std::size_t write_buffer_bytes = 128u << 20;
  // RocksDB background flush and compaction threads. Default 2.
  int background_jobs = 2;
  // Incremental linking keeps the comparison form of the stored records it
  // reads as candidates in memory, up to this many records (~1 KB each at
  // the bench data's shape), so a later ingest that meets them again does
  // not read, parse and prepare them from the store. Least recently used
  // records go first. Default 200,000.
  std::size_t linking_cache_records = 200'000;
  // Fill that cache with the stored records (the newest first, up to
  // linking_cache_records) when the engine opens and after every
  // ResolveAll(), and keep them until they change: an ingest then reads no
  // stored candidate at all. For a long-running service with memory to
  // spare: ~6 s and ~1 GB per million stored records on two cores, and
  // ingest into a 1M store took 0.8x the time (bench/README.md). Size
  // linking_cache_records above the stored records plus what is ingested
  // before the next open or relink. Default false: the cache fills as
  // ingests go.
  bool preload_linking_cache = false;
  // Register the declarative rules stored by Engine::SetRules() at open.
  // false: start with no indicators (to try other rules without touching
  // the stored ones).
  bool register_stored_rules = true;
  // Time source for record and audit timestamps; nullptr = the system clock.
  // Not owned; must outlive the engine. Tests inject a fake clock.
  Clock* clock = nullptr;
};

// Who reads or writes, and why. Recorded in the audit log.
struct AccessContext {
  std::string actor = "system";
  std::string purpose;
};

// Options for one ingest call.
struct IngestOptions {
  // fsync before returning; -1 = use Options::sync.
  int sync = -1;
  // Fill IngestReport::accepted_keys with every accepted record's key.
  bool report_keys = false;
  // Link the records into entities now (incremental linking). false: store
  // them as their own entities and leave linking to the next ResolveAll(),
  // which is faster for a bulk load; until then they are invisible to the
  // linking of later ingests.
  bool link = true;
  // With link = false: store new records without any entity, for a
  // ResolveAll() that follows at once (what `credit ingest --bulk` does).
  // That skips the single-record entity (and profile) per record that the
  // relink replaces at once: a fifth of a bulk load of 1M records. Until
  // the ResolveAll(), the store is marked as holding records that await
  // linking: GetEntityOfRecord() of one fails with FailedPrecondition, and
  // entity reads, exports and indicators do not see them. A record that
  // already has an entity keeps it (an update rebuilds its profile).
  bool defer_entities = false;
  // Who is writing, recorded in the audit event.
  AccessContext access;
};

// Options for Engine::ResolveAll().
struct ResolveOptions {
  // Take a fresh term-frequency snapshot over all stored records (the usual
  // case: after a bulk load, or to let frequencies catch up with new data).
  // false: relink everything with the snapshot in force, which gives exactly
  // the entities incremental linking has built (a consistency check, or a
  // rebuild of the blocking index and edges).
  bool refresh_term_frequencies = true;
  // Durability and the audit actor, as for an ingest.
  IngestOptions write;
};

// Options for Engine::TrainModel().
struct TrainModelOptions {
  // Random record pairs sampled to estimate u (almost all non-matches).
  std::size_t random_pairs = 200'000;
  // Training is deterministic for a given seed.
  std::uint64_t seed = 0x5eed;
  // EM iterations at most.
  int max_iterations = 50;
  // Durability and the audit actor of the relink that follows.
  IngestOptions write;
};

// Options for Engine::EvaluateIndicators().
struct EvaluateOptions {
  // Entities per atomic write.
  std::size_t batch_size = 1000;
  // Called after every committed batch with (entities done, entities total).
  std::function<void(std::uint64_t, std::uint64_t)> progress;
  IngestOptions write;
};

// Options for Engine::Search().
struct SearchOptions {
  // At most this many entities, best first.
  std::size_t limit = 10;
  // Only entities whose best pair weighs at least this much; NaN (the
  // default) means the model's review threshold.
  double min_weight = std::numeric_limits<double>::quiet_NaN();
};

// Progress of a long file ingest, reported after every batch.
struct IngestProgress {
  std::uint64_t rows_read = 0;
  std::uint64_t bytes_read = 0;
  std::uint64_t bytes_total = 0;  // 0 when unknown (a pipe)
  std::uint64_t accepted = 0;
  std::uint64_t quarantined = 0;
};

// Options for ingesting files through a source's mapping.
struct FileIngestOptions {
  // Rows per atomic write. Larger batches spread the per-write cost; each
  // batch is all-or-nothing on a crash. Default 5,000.
  std::size_t batch_size = 5000;
  // Called after every committed batch; may be empty.
  std::function<void(const IngestProgress&)> progress;
  IngestOptions ingest;
};

}  // namespace credit

#endif  // CREDIT_OPTIONS_H_
