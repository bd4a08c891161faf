// The Engine implementation: the one place that knows store, ingest,
// normalize, profile and audit together.
#ifndef CREDIT_ENGINE_ENGINE_IMPL_H_
#define CREDIT_ENGINE_ENGINE_IMPL_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "audit/audit_log.h"
#include "credit/clock.h"
#include "credit/engine.h"
#include "match/pair_scorer.h"
#include "match/term_frequency.h"
#include "profile/profile_builder.h"
#include "resolve/incremental_linker.h"
#include "rocksdb/write_batch.h"
#include "store/store.h"

namespace credit {

// Blocking keys and postings an engine keeps between linking calls (8
// bytes a posting plus ~60 a key: ~50 MB when full): at ~4 postings a key,
// the keys of the last ~80k ingested records.
inline constexpr std::size_t kPostingsCacheCapacity = 2'000'000;

// A bulk load's store-only batch (IngestFile with link = false and
// defer_entities) of at least this many records is committed as table
// files (Store::WriteAsTables) instead of through the write-ahead log and
// memtables: its records, with increasing numbers, go straight to the last
// level, where the log path wrote them three times (log, flush,
// compactions). The five sources of the 1M bench set in batches of 5,000:
// 20.4 -> 17.3 s (bench/README.md). Smaller batches would leave more, and
// smaller, table files than they save.
inline constexpr std::size_t kMinBulkRecordsAsTables = 1000;
// The tables such a batch leaves in meta, audit and quarantine hold a few
// keys (its rejects at most a batch's rows): merged at the end of the file
// when no larger than this.
inline constexpr std::uint64_t kMaxBulkSmallTableBytes = 4u << 20;

// An ingest builds the profiles of fewer entities than this on one thread
// (a thread start costs more than a few profiles), and reads and parses
// fewer member records than kMinParallelReads on one thread.
inline constexpr std::size_t kMinParallelProfiles = 64;
inline constexpr std::size_t kMinParallelReads = 512;

// The scoring state every edge is a function of: the match model and the
// term-frequency snapshot taken by the last ResolveAll(). Immutable once
// built; replaced whole, so readers hold a shared_ptr to one consistent state.
struct LinkingModel {
  v1::MatchModel model;
  InMemoryTermFrequencies tf;
  std::optional<PairScorer> scorer;  // points into `tf`: never move this
};

class EngineImpl final : public Engine {
 public:
  static absl::StatusOr<std::unique_ptr<Engine>> Open(std::string_view path,
                                                      const Options& options);

  absl::Status RegisterSource(const v1::SourceMapping& mapping) override;
  absl::StatusOr<std::vector<v1::SourceConfig>> ListSources() const override;
  absl::StatusOr<v1::SourceConfig> GetSource(std::string_view id) const override;

  absl::StatusOr<v1::IngestReport> Ingest(
      std::string_view source, std::vector<v1::Record> records,
      const IngestOptions& options) override;
  absl::StatusOr<v1::IngestReport> IngestRows(
      std::string_view source, const std::vector<InputRow>& rows,
      const IngestOptions& options) override;
  absl::StatusOr<v1::IngestReport> IngestFile(
      std::string_view source, std::string_view path,
      const FileIngestOptions& options) override;
  absl::StatusOr<v1::IngestReport> DeleteRecord(
      std::string_view source, std::string_view record_id,
      const IngestOptions& options) override;

  absl::StatusOr<ResolveSummary> ResolveAll(
      const ResolveOptions& options) override;

  absl::Status RegisterIndicator(
      std::shared_ptr<const Indicator> indicator) override;
  absl::StatusOr<PluginInfo> LoadPlugin(std::string_view path) override;
  absl::StatusOr<std::vector<std::string>> SetRules(
      const v1::RuleSet& rules, const IngestOptions& options) override;
  v1::RuleSet GetRules() const override;
  std::vector<std::string> ListIndicators() const override;
  absl::StatusOr<std::vector<v1::IndicatorResult>> GetIndicators(
      std::uint64_t id, const std::optional<v1::Date>& as_of) const override;
  absl::StatusOr<std::uint64_t> EvaluateIndicators(
      const EvaluateOptions& options) override;
  absl::StatusOr<v1::IngestReport> SetFactStatus(
      const v1::RecordKey& record, std::uint32_t fact_index,
      v1::Fact::Status status, std::string_view reason,
      const IngestOptions& options) override;
  absl::StatusOr<v1::MatchModel> TrainModel(
      const TrainModelOptions& options) override;
  v1::MatchModel GetModel() const override;
  absl::StatusOr<v1::Record> GetRecord(
      std::string_view source, std::string_view record_id) const override;
  absl::StatusOr<v1::Entity> GetEntity(std::uint64_t id) const override;
  absl::StatusOr<v1::Entity> GetEntityOfRecord(
      std::string_view source, std::string_view record_id) const override;
  std::unique_ptr<RecordIterator> NewRecordIterator() const override;
  std::unique_ptr<EntityIterator> NewEntityIterator() const override;
  std::unique_ptr<QuarantineIterator> NewQuarantineIterator() const override;
  absl::StatusOr<v1::Stats> GetStats() const override;
  absl::StatusOr<v1::EntityExplanation> ExplainEntity(
      std::uint64_t id) const override;
  absl::StatusOr<v1::PairExplanation> ExplainPair(
      const v1::RecordKey& a, const v1::RecordKey& b) const override;
  absl::StatusOr<v1::SearchResult> Search(
      v1::Record query, const SearchOptions& options) const override;
  absl::StatusOr<std::vector<v1::ExplainedEdge>> ListPossibleMatches(
      std::size_t limit) const override;
  absl::StatusOr<v1::IngestReport> ReviewPair(
      const v1::RecordKey& a, const v1::RecordKey& b, bool same,
      std::string_view note, const IngestOptions& options) override;
  absl::StatusOr<v1::IngestReport> ClearReview(
      const v1::RecordKey& a, const v1::RecordKey& b,
      const IngestOptions& options) override;

  absl::Status Backup(std::string_view backup_dir) override;
  absl::Status Checkpoint(std::string_view checkpoint_dir) override;

 private:
  EngineImpl(std::unique_ptr<Store> store, const Options& options,
             AuditLog audit);

  // Ingests `records` plus rows already rejected by an adapter, as one write.
  // Sets each record's source, finds what makes a record unusable (one
  // problem per record, empty when none) and normalizes the others. Pure:
  // runs outside the write lock, on any thread.
  // `columns_checked`: the records' raw columns came from a reader that
  // refused non-UTF-8 values already (RowReader::ChecksColumnUtf8).
  std::vector<std::string> PrepareBatch(const v1::SourceConfig& source,
                                        std::vector<v1::Record>* records,
                                        bool columns_checked = false) const;
  absl::StatusOr<v1::IngestReport> IngestBatch(
      const v1::SourceConfig& source, std::vector<v1::Record> records,
      std::vector<v1::QuarantinedRow> rejects, const IngestOptions& options);
  // `problems[i]` is why records[i] must be quarantined, or "".
  // With `spent`, the accepted records are moved there at the end instead
  // of being destroyed here, so that the thread that built them can free
  // them (IngestFile): with glibc's malloc, freeing another thread's
  // allocations was slower than building them.
  // With `bulk_tables`, a store-only batch with deferred entities of at
  // least kMinBulkRecordsAsTables records is committed as table files; the
  // caller then compacts the small families it leaves in many tables
  // (CompactBulkFamilies). Sets `*wrote_tables` when it did.
  // With `file_ids`, the record ids of the earlier batches of one file
  // (id -> line): a record id repeated anywhere in the file is quarantined,
  // whatever the batch size; without it, within this batch.
  using SeenRecordIds = absl::flat_hash_map<std::string, uint64_t>;
  absl::StatusOr<v1::IngestReport> IngestBatchLocked(
      const v1::SourceConfig& source, std::vector<v1::Record> records,
      const std::vector<std::string>& problems,
      std::vector<v1::QuarantinedRow> rejects, const IngestOptions& options,
      std::vector<v1::Record>* spent = nullptr, bool bulk_tables = false,
      bool* wrote_tables = nullptr, SeenRecordIds* file_ids = nullptr)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Merges the tables of the small families that bulk batches committed as
  // tables leave behind (see IngestBatchLocked).
  absl::Status CompactBulkFamilies();
  // Adds `row` to the quarantine column family in `batch`.
  void QuarantineRow(v1::QuarantinedRow row, rocksdb::WriteBatch* batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Records written by the current batch, by their record_ids key.
  using RecordOverlay = absl::flat_hash_map<std::string, const v1::Record*>;
  // Rebuilds the profile of `entity` from its members; `overlay` holds
  // records written in the current batch (by record number).
  absl::Status RebuildProfile(
      v1::Entity* entity, const RecordOverlay& overlay,
      const SourceTrust& trust) const;
  absl::StatusOr<SourceTrust> LoadSourceTrust() const;
  // The member records of `entity`: from `overlay` (records of the current
  // batch) or the store; `storage` keeps the loaded ones alive.
  absl::StatusOr<std::vector<const v1::Record*>> LoadMembers(
      const v1::Entity& entity, const RecordOverlay& overlay,
      std::vector<v1::Record>* storage,
      const rocksdb::ReadOptions& read = {}) const;
  // Fills in the comparison vector of a scored edge read from the store
  // (which keeps only kind and weight; PairScorer::ToStoredEdge) by scoring
  // its two records again. Reviewer edges are left as they are.
  absl::Status AddComparisons(v1::Edge* edge,
                              const rocksdb::ReadOptions& read) const;
  // Reads and parses the stored records `numbers` with one MultiGet, keyed
  // by number; absent ones are left out. For profiles and indicators: the
  // raw input is not parsed, nor are the facts when no indicator is
  // registered (parsing and freeing them was ~10 % of an ingest).
  absl::StatusOr<absl::flat_hash_map<uint64_t, v1::Record>> LoadRecords(
      const std::vector<uint64_t>& numbers) const;
  // Evaluates every registered indicator for `entity` as of `as_of`.
  std::vector<v1::IndicatorResult> EvaluateEntity(
      const v1::Entity& entity, const std::vector<const v1::Record*>& members,
      const v1::Date& as_of) const;
  // Evaluates every registered indicator for `entity` as of `as_of` and
  // replaces the stored results of entity `entity.id()` in `batch`.
  void EvaluateAndStoreIndicators(
      const v1::Entity& entity, const std::vector<const v1::Record*>& members,
      const v1::Date& as_of, rocksdb::WriteBatch* batch) const;
  // Evaluates every registered indicator on `entity` and passes each
  // result's key and serialized value to `put`. Thread-safe.
  void EvaluateIndicatorsInto(
      const v1::Entity& entity, const std::vector<const v1::Record*>& members,
      const v1::Date& as_of,
      absl::FunctionRef<void(std::string_view, std::string_view)> put) const;
  // Removes every stored result of entity `id` in `batch`.
  void DeleteIndicatorResults(uint64_t id, rocksdb::WriteBatch* batch) const;
  // An entity built off the write path (on any core), to be written in
  // order by WriteBuiltEntity.
  struct BuiltEntity {
    uint64_t id = 0;
    std::string value;  // the serialized entity, profile included
    std::vector<std::pair<std::string, std::string>> indicators;
  };
  // Gives `entity` (members set) its profile from `members`, serializes it
  // into out->value and, `with_indicators` (HasIndicators()), evaluates the
  // indicators into out->indicators. Thread-safe.
  void BuildEntity(v1::Entity* entity,
                   const std::vector<const v1::Record*>& members,
                   const SourceTrust& trust, const v1::Date& today,
                   bool with_indicators, BuiltEntity* out) const;
  // Puts the built entity in `batch` and, `with_indicators`, replaces its
  // indicator results.
  void WriteBuiltEntity(const BuiltEntity& built, bool with_indicators,
                        rocksdb::WriteBatch* batch) const;
  // Today's date (UTC) by the engine's clock: the as-of date of stored results.
  v1::Date Today() const;
  // Registers the rules stored by SetRules (at Open).
  absl::Status LoadStoredRules();
  bool HasIndicators() const { return !indicators_.List().empty(); }
  // Writes the counters and audit event, then commits `batch`.
  // With `as_tables`, the batch is ingested as table files together with
  // `replacements` (a relink's large write; Store::WriteAsTables).
  absl::Status Commit(rocksdb::WriteBatch* batch, v1::AuditEvent event,
                      const IngestOptions& options, bool as_tables = false,
                      const std::vector<ReplacementTable>& replacements = {})
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // ResolveAll under the write lock; with `new_model`, that model is stored
  // and used (TrainModel).
  absl::StatusOr<ResolveSummary> ResolveAllLocked(
      const ResolveOptions& options, std::optional<v1::MatchModel> new_model)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // The entity changes of an ingest without linking (IngestOptions::link
  // false): a new record becomes its own entity (none with
  // `defer_entities`), an updated one keeps its entity. `previous[i]` is
  // the stored version accepted[i] replaces. Sets *deferred when a record
  // was left without an entity.
  absl::StatusOr<LinkOutcome> StoreOnlyOutcome(
      const std::vector<v1::Record>& accepted,
      const std::vector<std::optional<v1::Record>>& previous,
      bool defer_entities, bool* deferred)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Writes what incremental linking decided: entities (with rebuilt
  // profiles), retirements, record_entity, counters and the change set.
  absl::Status ApplyLinkOutcome(const LinkOutcome& outcome,
                                const RecordOverlay& overlay,
                                const SourceTrust& trust, int64_t now,
                                rocksdb::WriteBatch* batch,
                                v1::IngestReport* report)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  std::shared_ptr<const LinkingModel> linking() const;
  // Builds a LinkingModel from `model` and serialized term frequencies
  // ("" = none).
  static absl::StatusOr<std::shared_ptr<const LinkingModel>> MakeLinkingModel(
      const v1::MatchModel& model, std::string_view tf_snapshot);
  absl::StatusOr<v1::Entity> ResolveEntity(
      uint64_t id, const rocksdb::ReadOptions& read) const;
  // Writes a reviewer edge (or removes it: `edge` kind unset) and
  // reclusters the records it touches, as one audited write.
  absl::StatusOr<v1::IngestReport> ApplyReview(
      const v1::RecordKey& a, const v1::RecordKey& b,
      std::optional<v1::Edge> edge, const IngestOptions& options);
  // Record number of a stored record; NotFoundError names it.
  absl::StatusOr<uint64_t> RecordNumberOf(
      const v1::RecordKey& key, const rocksdb::ReadOptions& read = {}) const;
  // The stored record numbered `number`; DataLossError when missing.
  absl::StatusOr<v1::Record> RecordByNumber(
      uint64_t number, const rocksdb::ReadOptions& read = {}) const;
  // The prepared-record cache for linking with `linking`: emptied first
  // when the model changed since it was filled.
  PreparedRecordCache* PreparedCacheFor(
      const std::shared_ptr<const LinkingModel>& linking)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Options::preload_linking_cache: fills the prepared-record cache with
  // the newest stored records, as resident entries, parsed and prepared on
  // all cores. Does nothing while the store cannot link (it awaits a
  // relink, which preloads when it is done). `stored`, when given, is every
  // stored record in number order, as a relink just read them (parsed for
  // profiles): prepared from there instead of read again.
  absl::Status PreloadLinkingCacheLocked(
      const std::vector<v1::Record>* stored = nullptr)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // OK when incremental linking may run: the store's blocking index and
  // edges were written with this library's keys (kBlockingKeysVersion).
  // Else FailedPrecondition, saying a relink rebuilds them.
  absl::Status CheckLinkable() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  bool SyncFor(const IngestOptions& options) const {
    return options.sync < 0 ? options_.sync : options.sync > 0;
  }

  std::unique_ptr<Store> store_;
  Options options_;
  Clock* clock_;

  mutable absl::Mutex write_mu_;
  AuditLog audit_ ABSL_GUARDED_BY(write_mu_);
  uint64_t next_record_number_ ABSL_GUARDED_BY(write_mu_) = 1;
  uint64_t next_entity_id_ ABSL_GUARDED_BY(write_mu_) = 1;
  uint64_t quarantine_sequence_ ABSL_GUARDED_BY(write_mu_) = 0;
  // The write batch of IngestBatchLocked, kept from call to call so its
  // buffer is reused (see there) while it stays under this size.
  static constexpr size_t kMaxKeptIngestBatchBytes = 64 << 20;
  rocksdb::WriteBatch ingest_batch_ ABSL_GUARDED_BY(write_mu_);
  // The blocking-key version the store's index and edges were written
  // under (kBlockingKeysVersion when current; see CheckLinkable).
  uint32_t blocking_keys_version_ ABSL_GUARDED_BY(write_mu_) = 0;
  IndicatorRegistry indicators_;  // thread-safe
  v1::RuleSet rules_ ABSL_GUARDED_BY(write_mu_);
  // Candidates prepared by earlier ingests (prepared_record_cache.h), for
  // the model in prepared_cache_model_ (held, so its address is not reused
  // by a later model). Ingesting or deleting a record erases its entry.
  // Options::linking_cache_records entries; with
  // Options::preload_linking_cache, the stored records are resident
  // (PreloadLinkingCacheLocked).
  PreparedRecordCache prepared_cache_ ABSL_GUARDED_BY(write_mu_);
  // Stored posting lists of blocking keys from earlier linking calls;
  // cleared by every relink.
  PostingsCache postings_cache_ ABSL_GUARDED_BY(write_mu_){kPostingsCacheCapacity};
  std::shared_ptr<const LinkingModel> prepared_cache_model_
      ABSL_GUARDED_BY(write_mu_);
  mutable absl::Mutex linking_mu_;
  std::shared_ptr<const LinkingModel> linking_ ABSL_GUARDED_BY(linking_mu_);
};

}  // namespace credit

#endif  // CREDIT_ENGINE_ENGINE_IMPL_H_
