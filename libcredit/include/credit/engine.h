// credit/engine.h: the libcredit engine, the one object an application holds.
//
// An Engine owns one RocksDB database holding sources, records, entities with
// their profiles, quarantined input and the audit log. It ingests records from
// registered sources, links the records that describe the same subject into
// entities, and answers reads.
//
// Thread safety: an Engine is thread-safe. Writes (register, ingest, delete)
// are serialized inside the engine; reads run concurrently with them and each
// read sees a consistent snapshot, never half of an ingest call.
//
// Durability: everything one ingest or delete call changes, including its
// audit event, is committed in one atomic RocksDB write: after a crash it is
// either all there or not at all.
//
// Example:
//   auto engine = credit::Engine::Open("/tmp/credit-db");
//   if (!engine.ok()) return engine.status();
//   auto mapping = credit::LoadSourceMapping("tax.mapping.json");
//   CREDIT_RETURN_IF_ERROR((*engine)->RegisterSource(*mapping));
//   auto report = (*engine)->IngestFile("tax", "tax.csv");
//   auto entity = (*engine)->GetEntityOfRecord("tax", "123");
#ifndef CREDIT_ENGINE_H_
#define CREDIT_ENGINE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "credit/indicator.h"
#include "credit/options.h"
#include "credit/plugin.h"
#include "credit/record.h"

namespace credit {

// A forward iterator over a consistent snapshot of the store. Thread-compatible:
// use one iterator from one thread at a time. It holds the snapshot until destroyed.
// REQUIRES: the Engine outlives the iterator.
template <typename T>
class SnapshotIterator {
 public:
  virtual ~SnapshotIterator() = default;
  // Returns true while value() is a valid item.
  virtual bool Valid() const = 0;
  // Advances to the next item. REQUIRES: Valid().
  virtual void Next() = 0;
  // Returns the current item. REQUIRES: Valid().
  virtual const T& value() const = 0;
  // Returns the first error met (a corrupt value), or OK. Check after the loop.
  virtual absl::Status status() const = 0;
};

using RecordIterator = SnapshotIterator<v1::Record>;
using EntityIterator = SnapshotIterator<v1::Entity>;
using QuarantineIterator = SnapshotIterator<v1::QuarantinedRow>;

// What a ResolveAll() call did.
struct ResolveSummary {
  std::uint64_t records = 0;          // records linked
  std::uint64_t entities = 0;         // entities after linking
  std::uint64_t retired_ids = 0;      // entity ids merged into another
  std::uint64_t candidate_pairs = 0;  // pairs scored (sharing a blocking key)
  std::uint64_t match_edges = 0;      // pairs above the match threshold
  std::uint64_t cannot_link_edges = 0;
  std::uint64_t possible_matches = 0;  // pairs in the clerical-review band
  std::uint64_t capped_keys = 0;  // blocking keys too common to use
};

class Engine {
 public:
  // Opens (or creates, per `options`) the database at `path`.
  // Errors: FailedPreconditionError when the database was written by a newer
  // schema version, or when there is none and `path` is a file or a
  // directory of other files (no database is created among them);
  // NotFoundError when it does not exist and create_if_missing is false;
  // IOError/DataLossError from RocksDB.
  static absl::StatusOr<std::unique_ptr<Engine>> Open(
      std::string_view path, const Options& options = {});

  virtual ~Engine() = default;
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // --- Sources -------------------------------------------------------------

  // Registers `mapping.source()` with its mapping, or replaces the mapping of
  // an already registered source. InvalidArgumentError for a bad mapping.
  virtual absl::Status RegisterSource(const v1::SourceMapping& mapping) = 0;
  // Returns every registered source, ordered by id.
  virtual absl::StatusOr<std::vector<v1::SourceConfig>> ListSources() const = 0;
  // Returns the source `id`, or NotFoundError.
  virtual absl::StatusOr<v1::SourceConfig> GetSource(std::string_view id) const = 0;

  // --- Ingest --------------------------------------------------------------

  // Ingests typed records for the registered `source` in one atomic write,
  // and links them (unless options.link is false): their blocking keys are
  // indexed, their edges scored, and the components they touch reclustered,
  // in the same write. The report lists the entity changes (created,
  // merged, split, updated, deleted).
  // A record with a missing id, invalid UTF-8 or an id repeated within this
  // call is quarantined with the reason; the rest are written. A record id
  // ingested before is replaced (an update), never duplicated. Normalized
  // features are computed here; any `normalized` field on input is replaced.
  // Errors: NotFoundError for an unregistered source; FailedPrecondition
  // when linking into a store whose blocking index an older libcredit wrote
  // with other blocking keys (ResolveAll() once rebuilds it; store-only
  // ingest still works); storage errors (then nothing of the call was
  // written).
  virtual absl::StatusOr<v1::IngestReport> Ingest(
      std::string_view source, std::vector<v1::Record> records,
      const IngestOptions& options = {}) = 0;

  // Ingests input rows through the source's registered mapping, exactly as the
  // file adapters do. Rows the mapping cannot turn into a Record are
  // quarantined with their raw bytes, line and reason.
  virtual absl::StatusOr<v1::IngestReport> IngestRows(
      std::string_view source, const std::vector<InputRow>& rows,
      const IngestOptions& options = {}) = 0;

  // Reads `path` (CSV or JSONL, per the source's mapping) and ingests it in
  // batches of options.batch_size rows, each batch one atomic write. The
  // returned report sums all batches.
  virtual absl::StatusOr<v1::IngestReport> IngestFile(
      std::string_view source, std::string_view path,
      const FileIngestOptions& options = {}) = 0;

  // Deletes record (`source`, `record_id`) and re-forms its entity: what the
  // record alone held together splits (unmerge), in the same write.
  // NotFoundError when no such record exists; FailedPrecondition, as for
  // Ingest(), before the relink of a store indexed by an older libcredit.
  virtual absl::StatusOr<v1::IngestReport> DeleteRecord(
      std::string_view source, std::string_view record_id,
      const IngestOptions& options = {}) = 0;

  // Links every stored record from scratch: takes a fresh term-frequency
  // snapshot over all records, rebuilds the blocking index, scores every
  // candidate pair (Fellegi–Sunter, default model), and reclusters with
  // stable entity ids (an entity keeps its id when it grows; on a merge the
  // oldest id survives and the others resolve to it through id lineage).
  // The result depends only on the stored records, not on the order they
  // arrived in. Everything is written in one atomic write with an audit
  // event. Use it after a bulk load (IngestOptions::link = false) and to
  // refresh term frequencies; ingest and delete calls link incrementally
  // with the snapshot the last call took, and give exactly the entities this
  // call would give with that snapshot. It is also the upgrade step for a
  // store whose blocking index an older libcredit wrote with other keys:
  // until it runs, linking into that store fails with FailedPrecondition.
  virtual absl::StatusOr<ResolveSummary> ResolveAll(
      const ResolveOptions& options = {}) = 0;

  // Trains the match model on the stored records, as Splink does: u from
  // random pairs, m by expectation–maximisation on the candidate pairs,
  // starting from the model in force. The trained model gets the next
  // version, is stored, and every record is relinked with it (ResolveAll
  // with fresh term frequencies) in the same write. Returns the new model.
  // InvalidArgumentError when there is too little data (fewer than 2
  // records, or no candidate pairs).
  virtual absl::StatusOr<v1::MatchModel> TrainModel(
      const TrainModelOptions& options = {}) = 0;
  // The match model in force (the default one until TrainModel()).
  virtual v1::MatchModel GetModel() const = 0;

  // --- Reads ---------------------------------------------------------------

  // Returns the stored record, or NotFoundError.
  virtual absl::StatusOr<v1::Record> GetRecord(
      std::string_view source, std::string_view record_id) const = 0;
  // Returns entity `id`. A retired id (merged away) returns the entity it now
  // belongs to, with `redirected_from` set to `id`. NotFoundError otherwise.
  virtual absl::StatusOr<v1::Entity> GetEntity(std::uint64_t id) const = 0;
  // Returns the entity holding record (`source`, `record_id`), or NotFoundError.
  virtual absl::StatusOr<v1::Entity> GetEntityOfRecord(
      std::string_view source, std::string_view record_id) const = 0;

  // Returns an iterator over all records, ordered by internal record number.
  virtual std::unique_ptr<RecordIterator> NewRecordIterator() const = 0;
  // Returns an iterator over all entities, ordered by id.
  virtual std::unique_ptr<EntityIterator> NewEntityIterator() const = 0;
  // Returns an iterator over quarantined rows, ordered by (source, record id, time).
  virtual std::unique_ptr<QuarantineIterator> NewQuarantineIterator() const = 0;

  // Returns counts per source, per column family and of the quarantine.
  virtual absl::StatusOr<v1::Stats> GetStats() const = 0;

  // --- Explanations, search and clerical review ----------------------------

  // The edges that hold entity `id` together (the spanning forest the
  // clusterer built, each edge with its per-feature levels and weights),
  // plus the refused, cannot-link and possible-match edges touching it.
  // A retired id explains the entity it was merged into.
  virtual absl::StatusOr<v1::EntityExplanation> ExplainEntity(
      std::uint64_t id) const = 0;
  // The full score of two stored records as linking computes it now: the
  // comparison vector, thresholds, verdict, a reviewer decision if any, and
  // whether they share a blocking key. NotFoundError for a missing record.
  virtual absl::StatusOr<v1::PairExplanation> ExplainPair(
      const v1::RecordKey& a, const v1::RecordKey& b) const = 0;
  // Candidate entities for `query` (a record that is not stored: any
  // features, normalized here), scored like linking scores, best first.
  virtual absl::StatusOr<v1::SearchResult> Search(
      v1::Record query, const SearchOptions& options = {}) const = 0;
  // Pairs in the clerical-review band (between the review and the match
  // threshold) whose records are in different entities, heaviest first.
  virtual absl::StatusOr<std::vector<v1::ExplainedEdge>> ListPossibleMatches(
      std::size_t limit = 100) const = 0;
  // Records a reviewer's decision that `a` and `b` are the same subject
  // (`same`) or different ones. The decision outranks scores (and a "same"
  // outranks a computed cannot-link); the touched entities are reclustered
  // in the same write, which is audited with options.access.actor and the
  // note. The report lists the entity changes.
  virtual absl::StatusOr<v1::IngestReport> ReviewPair(
      const v1::RecordKey& a, const v1::RecordKey& b, bool same,
      std::string_view note, const IngestOptions& options = {}) = 0;
  // Withdraws a reviewer's decision on the pair; scores decide again.
  // NotFoundError when there is none.
  virtual absl::StatusOr<v1::IngestReport> ClearReview(
      const v1::RecordKey& a, const v1::RecordKey& b,
      const IngestOptions& options = {}) = 0;

  // --- Credit indicators ---------------------------------------------------
  //
  // Indicators are evaluated for an entity whenever its members or their
  // facts change, in the same write as the change, and stored per (entity,
  // indicator) with the indicator's name and version, the as-of date (the
  // day of the write) and the evidence. See credit/indicator.h and
  // docs/indicators.md.

  // Registers an in-process C++ indicator. Errors as
  // IndicatorRegistry::Register (duplicate name, bad name, unknown input).
  virtual absl::Status RegisterIndicator(
      std::shared_ptr<const Indicator> indicator) = 0;
  // Loads a shared-object plugin (credit/plugin.h) and registers its
  // indicators, all or none. A plugin built for another ABI is refused
  // before any of its code runs. Plugins are not remembered by the store.
  virtual absl::StatusOr<PluginInfo> LoadPlugin(std::string_view path) = 0;
  // Makes `rules` the database's declarative rules: validated as a whole,
  // stored (so every later Open registers them), and registered in place of
  // the rules set before. Stored results are not recomputed: call
  // EvaluateIndicators() for that. Returns the indicator names.
  virtual absl::StatusOr<std::vector<std::string>> SetRules(
      const v1::RuleSet& rules, const IngestOptions& options = {}) = 0;
  // The declarative rules in force (empty when none were set).
  virtual v1::RuleSet GetRules() const = 0;
  // Names of every registered indicator, in evaluation order.
  virtual std::vector<std::string> ListIndicators() const = 0;
  // The stored results of entity `id` (a retired id reads its survivor's).
  // With `as_of`, computes them for that date instead, without storing:
  // facts known now, counted as they would have been that day.
  virtual absl::StatusOr<std::vector<v1::IndicatorResult>> GetIndicators(
      std::uint64_t id, const std::optional<v1::Date>& as_of = {}) const = 0;
  // Re-evaluates every entity as of today (after a rule change) in batches
  // of options.batch_size, each one atomic write. Returns the entity count.
  virtual absl::StatusOr<std::uint64_t> EvaluateIndicators(
      const EvaluateOptions& options = {}) = 0;
  // Sets the status of fact `fact_index` of a record (DISPUTED while the
  // subject disputes it, ACTIVE or RESOLVED when a dispute is settled,
  // REPAIRED after credit repair) with the reason, re-evaluates the
  // entity's indicators, and audits it, in one write. The status stands
  // when the source sends the record again with that fact unchanged; a
  // fact the source changed takes the source's status. InvalidArgumentError
  // for a fact index out of range or an empty reason.
  virtual absl::StatusOr<v1::IngestReport> SetFactStatus(
      const v1::RecordKey& record, std::uint32_t fact_index,
      v1::Fact::Status status, std::string_view reason,
      const IngestOptions& options = {}) = 0;

  // --- Operations ----------------------------------------------------------

  // Writes a new backup into `backup_dir` (RocksDB BackupEngine; incremental
  // when the directory already holds backups).
  virtual absl::Status Backup(std::string_view backup_dir) = 0;
  // Writes an openable copy of the database to `checkpoint_dir`, which must
  // not exist (RocksDB Checkpoint; hard links where possible).
  virtual absl::Status Checkpoint(std::string_view checkpoint_dir) = 0;
  // Restores the latest backup in `backup_dir` into `db_path`: a new or
  // empty directory, or a credit database (replaced). FailedPrecondition
  // when that database is open (in this or another process), or when
  // `db_path` is a file or a directory of other files (a restore deletes
  // every file in it).
  static absl::Status RestoreBackup(std::string_view backup_dir,
                                    std::string_view db_path);

 protected:
  Engine() = default;
};

// Reads a source mapping from a JSON file (protobuf JSON: lowerCamel or
// snake_case keys). InvalidArgumentError names an unknown key or a bad value,
// with the file name.
absl::StatusOr<v1::SourceMapping> LoadSourceMapping(std::string_view path);
// Parses a source mapping from JSON text; `origin` names it in errors.
absl::StatusOr<v1::SourceMapping> ParseSourceMapping(std::string_view json,
                                                     std::string_view origin);

}  // namespace credit

#endif  // CREDIT_ENGINE_H_
