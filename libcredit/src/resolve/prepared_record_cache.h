// PreparedRecordCache: the comparison form (PreparedRecord) of stored
// records, kept from one ingest call to the next.
//
// An incremental ingest scores every new record against the records that
// share a blocking key with it. The same candidates come back batch after
// batch (a common surname, a busy street), and each time the linker read
// them from the store, parsed and prepared them again: a MultiGet, a ZSTD
// block and a protobuf parse per candidate. The cache keeps the prepared
// form so a later batch only pays for the candidates it has not seen. With
// 980k records in store it took 0.77x of the time of a 20k-record ingest in
// batches of 1,000 (bench/README.md).
//
// A PreparedRecord depends on the record and on the linking model (weights
// and term-frequency snapshot), so the owner must Erase() every record it
// ingests again or deletes and Clear() the cache when the model changes. (A
// fact's status change rewrites the record but not what linking reads: the
// prepared form leaves out facts.) Entries
// are shared_ptrs: an entry evicted while a linker still scores with it
// lives until the linker lets go.
//
// Eviction is by generations (GenerationalCache), each holding up to half
// of what the resident entries leave of the capacity.
//
// Resident entries (InsertResident, what Options::preload_linking_cache
// loads) are never evicted: only Erase() and Clear() drop them. They count
// against the capacity, and the generations share what they leave (at
// least 2 entries).
//
// Thread-compatible: the engine uses it under its write lock.
#ifndef CREDIT_RESOLVE_PREPARED_RECORD_CACHE_H_
#define CREDIT_RESOLVE_PREPARED_RECORD_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <memory>

#include "absl/container/flat_hash_map.h"
#include "match/pair_scorer.h"
#include "resolve/generational_cache.h"

namespace credit {

class PreparedRecordCache {
 public:
  // Holds at most `capacity` entries (at least 2).
  explicit PreparedRecordCache(std::size_t capacity);
  PreparedRecordCache(const PreparedRecordCache&) = delete;
  PreparedRecordCache& operator=(const PreparedRecordCache&) = delete;

  // The prepared form of record `number`, or null when it is not cached.
  std::shared_ptr<const PreparedRecord> Find(std::uint64_t number);
  // Whether record `number` is cached. Unlike Find, it changes nothing, so
  // threads may call it at once while nothing else uses the cache.
  bool Contains(std::uint64_t number) const {
    return resident_.contains(number) || generations_.Contains(number);
  }
  // Caches `prepared` as the form of record `number` (replacing any).
  void Insert(std::uint64_t number,
              std::shared_ptr<const PreparedRecord> prepared);
  // Caches `prepared` as the form of record `number` (replacing any) until
  // it is erased or the cache cleared; eviction never drops it.
  void InsertResident(std::uint64_t number,
                      std::shared_ptr<const PreparedRecord> prepared);
  // Forgets record `number` (it was written or deleted).
  void Erase(std::uint64_t number);
  // Forgets everything (the linking model changed).
  void Clear();

  std::size_t size() const { return resident_.size() + generations_.size(); }
  std::size_t resident_size() const { return resident_.size(); }
  std::size_t capacity() const { return capacity_; }

 private:
  using Entry = std::shared_ptr<const PreparedRecord>;
  struct CountOne {
    std::size_t operator()(const Entry&) const { return 1; }
  };
  // Entries per generation: half of what the resident entries leave.
  std::size_t GenerationSize() const;

  std::size_t capacity_;
  absl::flat_hash_map<std::uint64_t, Entry> resident_;
  GenerationalCache<std::uint64_t, Entry, CountOne> generations_;
};

}  // namespace credit

#endif  // CREDIT_RESOLVE_PREPARED_RECORD_CACHE_H_
