// Incremental linking: what one ingest or delete call does to the entities.
//
// Entities are a pure function of the pairwise edges (component_clusterer.h),
// and an edge is a pure function of the two records, the model and the
// term-frequency snapshot. So an ingest only has to
//   1. update the blocking postings of the records it adds, changes or
//      removes (blocking column family). Whether a key is past the cap is
//      read off its posting list, scanned no further than cap + 1 entries:
//      cheaper than a counter per key, which would double the writes of
//      every ingest. key_counts lists only the keys past the cap. A list
//      an earlier call read may come from the caller's PostingsCache;
//   2. re-derive the edges of those records: drop their computed edges and
//      score them again against every record sharing an uncapped key. When a
//      key crosses the frequency cap (in either direction), every record
//      under it is re-derived too, so the capped-key rule is the same as in
//      a bulk run whatever the arrival order;
//   3. recluster the connected components (over match and reviewer edges)
//      that hold those records, together with every old entity they touch;
//   4. name the new components with the stable-id rule (entity_ids.h).
// The result equals a bulk ResolveAll() over the same records with the same
// model and term-frequency snapshot, in any arrival order; the tests prove it.
//
// Writes go into the caller's WriteBatch (blocking, key_counts, edges); the
// caller writes records, entities, profiles and record_entity from the
// returned LinkOutcome, so everything lands in one atomic write.
//
// Thread-compatible: one linker per write, used under the engine's write
// lock (reads see the store as of the last committed write).
#ifndef CREDIT_RESOLVE_INCREMENTAL_LINKER_H_
#define CREDIT_RESOLVE_INCREMENTAL_LINKER_H_

#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/node_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "credit/v1/entity.pb.h"
#include "credit/v1/ingest.pb.h"
#include "credit/v1/match.pb.h"
#include "credit/v1/record.pb.h"
#include "match/blocking_keys.h"
#include "match/pair_scorer.h"
#include "resolve/component_clusterer.h"
#include "resolve/postings_cache.h"
#include "resolve/prepared_record_cache.h"
#include "rocksdb/write_batch.h"
#include "store/prefix_scanner.h"
#include "store/store.h"

namespace credit {

// Helpers shared with the bulk path, which writes the same layout.
// The compact back-reference stored at DirectedEdgeKey(b, a).
std::string EncodeEdgeReference(v1::Edge::Kind kind, double weight);
// Writes `edge` (record_a < record_b) in both directions.
void PutEdge(const Store& store, const v1::Edge& edge,
             rocksdb::WriteBatch* batch);
// Returns every stored edge whose kind is in `kinds`, ordered by
// (record_a, record_b). Only the 9-byte back-references are read to find
// them; just the matching edges are fetched and parsed in full.
absl::StatusOr<std::vector<v1::Edge>> ReadEdgesOfKinds(
    const Store& store, std::initializer_list<v1::Edge::Kind> kinds,
    const rocksdb::ReadOptions& read = {});
// Parses a stored record as linking reads it: ids, kind, features and
// times, without the facts and the raw input (often most of its bytes).
// False when `bytes` is not a record.
bool ParseForLinking(std::string_view bytes, v1::Record* out);

struct LinkOutcome {
  // Entities that are new or whose members or member records changed:
  // id -> member record numbers (sorted).
  std::map<std::uint64_t, std::vector<std::uint64_t>> changed;
  // The stored state of every old entity the change touched (by id),
  // without its profile (which is rebuilt).
  std::map<std::uint64_t, v1::Entity> old_entities;
  // Old entity ids that no longer exist: retired -> survivor.
  std::map<std::uint64_t, std::uint64_t> retired;
  // Old entity ids whose last member was removed.
  std::vector<std::uint64_t> emptied;
  // record number -> entity id, for records whose entity is new or changed.
  std::map<std::uint64_t, std::uint64_t> entity_of;
  std::vector<v1::EntityChange> changes;
  // The key of every record of a changed entity (by record number).
  std::map<std::uint64_t, v1::RecordKey> keys_of;
  std::uint64_t next_entity_id = 1;
  std::uint64_t pairs_scored = 0;
  std::uint64_t keys_crossing_cap = 0;  // keys that passed the cap now
};

class IncrementalLinker {
 public:
  // `store`, `scorer` and `batch` must outlive the linker. `prepared`, when
  // given, holds prepared stored records from earlier calls; it must have
  // been filled with this `scorer`'s model, and the linker adds the stored
  // records it prepares (never the staged ones). `postings`, when given,
  // holds stored posting lists from earlier calls, read instead of the
  // store (see RememberPostings).
  IncrementalLinker(const Store* store, const PairScorer* scorer,
                    const CandidateOptions& options,
                    rocksdb::WriteBatch* batch,
                    PreparedRecordCache* prepared = nullptr,
                    PostingsCache* postings = nullptr);
  IncrementalLinker(const IncrementalLinker&) = delete;
  IncrementalLinker& operator=(const IncrementalLinker&) = delete;

  // Stages `record` (record_number set, features normalized). `previous` is
  // the stored version it replaces, or null for a new record. Both must
  // outlive the linker.
  void Stage(const v1::Record* record, const v1::Record* previous);
  // Stages the removal of the stored record `record`.
  void StageRemoval(const v1::Record* record);

  // Stages a reviewer's decision between stored records `a` and `b` (an
  // edge of kind REVIEWER_SAME or REVIEWER_DIFFERENT), or, with nullopt, its
  // withdrawal (then the pair is scored again).
  void StageReview(std::uint64_t a, std::uint64_t b,
                   std::optional<v1::Edge> edge);

  // Re-derives edges, reclusters and writes blocking, key_counts and edges
  // into the batch. Call once, after staging.
  absl::StatusOr<LinkOutcome> Finish(std::uint64_t next_entity_id);

  // Puts into `cache` the stored postings of every key this call examined,
  // as the call's write leaves them. Call after Finish, and only once that
  // write has landed: before, the cache would describe a store that may
  // never be.
  void RememberPostings(PostingsCache* cache) const;

 private:
  struct Cached {
    std::unique_ptr<v1::Record> owned;  // loaded from the store
    // Null when only the prepared form came from the PreparedRecordCache
    // (enough to score the record as a candidate).
    const v1::Record* record = nullptr;
    std::optional<std::vector<BlockingKey>> keys;  // see KeysOf
    std::shared_ptr<const PreparedRecord> prepared;
  };
  using Pair = std::pair<std::uint64_t, std::uint64_t>;  // first < second

  static Pair MakePair(std::uint64_t a, std::uint64_t b) {
    return a < b ? Pair{a, b} : Pair{b, a};
  }
  // The cache entry of `number`, prepared, and with the record itself when
  // `with_record` (to derive its keys).
  absl::StatusOr<Cached*> Load(std::uint64_t number, bool with_record = false);
  // The blocking keys of a cached record (loaded with its record), derived
  // on first use.
  static const std::vector<BlockingKey>& KeysOf(Cached* entry);
  // Fills the cache entry of `number` from the stored `bytes`.
  absl::StatusOr<Cached*> Prepare(std::uint64_t number, std::string_view bytes);
  // Loads every record of `numbers` that is not cached yet with one
  // MultiGet (much cheaper per record than a Get each). Without
  // `with_records`, a prepared form from the PreparedRecordCache will do.
  absl::Status Prefetch(const std::vector<std::uint64_t>& numbers,
                        bool with_records);
  // A key's postings before and after the staged changes. The stored list
  // is read up to cap + 1 + (postings removed now) entries only: past that
  // the key is capped before and after, and its records are never needed.
  struct KeyState {
    bool capped_before = false;
    bool capped_after = false;
    std::uint64_t count_after = 0;  // exact when !capped_after
    std::vector<std::uint64_t> postings_after;  // empty when capped_after
  };
  absl::StatusOr<const KeyState*> Examine(const BlockingKey& key);
  // Examines every key of `keys` not examined yet, scanning on all cores.
  absl::Status ExamineAll(const std::vector<BlockingKey>& keys);
  // How far a key's stored postings are read (see KeyState).
  std::size_t ScanLimit(const BlockingKey& key) const;
  // The stored postings of `key`, at most ScanLimit(key), in record-number
  // order. Thread-safe for distinct scanners.
  absl::StatusOr<std::vector<std::uint64_t>> ScanPostings(
      PrefixScanner* scanner, const BlockingKey& key) const;
  // Calls scan(scanner, i) for every i in [0, n) on all cores, each thread
  // with a scanner of `family` of its own; returns the first error in index
  // order. One thread below a few hundred scans.
  absl::Status ScanOnAllCores(
      ColumnFamily family, std::size_t n,
      absl::FunctionRef<absl::Status(PrefixScanner*, std::size_t)> scan) const;
  // Records the state of `key` given its `scanned` stored postings.
  const KeyState* AddKeyState(const BlockingKey& key,
                              const std::vector<std::uint64_t>& scanned);
  // The state of `key` from the postings cache, or null when the cache
  // cannot tell (no entry, or a capped key this call removes postings from:
  // whether it stays capped takes a scan).
  const KeyState* AddCachedKeyState(const BlockingKey& key);
  // A record's stored edges: (other record, edge), by other record.
  using StoredEdges = std::vector<std::pair<std::uint64_t, ClusterEdge>>;
  // The stored edges of `number`, as `scanner` reads them. Thread-safe for
  // distinct scanners.
  absl::StatusOr<StoredEdges> ScanStoredEdges(PrefixScanner* scanner,
                                              std::uint64_t number) const;
  // The stored edges of each of `numbers`, scanned on all cores.
  absl::StatusOr<std::vector<StoredEdges>> ScanStoredEdgesOfAll(
      const std::vector<std::uint64_t>& numbers) const;
  // The current edges of `number`: its `stored` edges with this call's
  // edits applied.
  std::vector<ClusterEdge> WithEdits(std::uint64_t number,
                                     const StoredEdges& stored) const;
  // The current edges of `number` (stored, with staged edits applied).
  absl::StatusOr<std::vector<ClusterEdge>> EdgesOf(std::uint64_t number);
  // The stored entity of each record of `numbers` (nullopt: none yet).
  absl::StatusOr<std::vector<std::optional<std::uint64_t>>> StoredEntitiesOf(
      const std::vector<std::uint64_t>& numbers);
  // Reads the old entities `ids` not read yet into outcome->old_entities,
  // their members into `old_members` and `outcome->keys_of`, and appends
  // their live members to `frontier`.
  absl::Status ExpandEntities(
      const std::vector<std::uint64_t>& ids, LinkOutcome* outcome,
      std::map<std::uint64_t, std::set<std::uint64_t>>* old_members,
      std::vector<std::uint64_t>* frontier);
  // Re-derives the edges of `number`, whose edges as stored are `stored`.
  absl::Status DeriveEdges(std::uint64_t number, const StoredEdges& stored,
                           absl::flat_hash_set<Pair>* scored,
                           LinkOutcome* outcome);

  const Store* store_;
  const PairScorer* scorer_;
  CandidateOptions options_;
  rocksdb::WriteBatch* batch_;
  PreparedRecordCache* shared_prepared_;  // may be null
  PostingsCache* shared_postings_;        // may be null
  // One iterator each for the many blocking-key and edge-list scans.
  PrefixScanner blocking_scanner_;
  PrefixScanner edge_scanner_;

  absl::node_hash_map<std::uint64_t, Cached> cache_;  // pointer-stable
  std::set<std::uint64_t> staged_;   // new or changed records
  std::set<std::uint64_t> removed_;  // records being deleted
  std::set<std::uint64_t> reviewed_;  // records of a staged review
  std::set<std::uint64_t> review_withdrawn_;  // re-derived after a withdrawal
  // Posting changes of this call, per key.
  absl::node_hash_map<BlockingKey, std::set<std::uint64_t>> added_postings_;
  absl::node_hash_map<BlockingKey, std::set<std::uint64_t>> removed_postings_;
  std::set<BlockingKey> touched_keys_;
  absl::node_hash_map<BlockingKey, KeyState> key_states_;  // pointer-stable
  // Edge edits of this call: nullopt = deleted.
  absl::flat_hash_map<Pair, std::optional<v1::Edge>> edge_edits_;
  absl::flat_hash_map<std::uint64_t, std::set<std::uint64_t>> edited_neighbors_;
};

}  // namespace credit

#endif  // CREDIT_RESOLVE_INCREMENTAL_LINKER_H_
