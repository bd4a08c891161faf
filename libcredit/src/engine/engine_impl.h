// The Engine implementation: the one place that knows store, ingest,
// normalize, profile and audit together.
#ifndef CREDIT_ENGINE_ENGINE_IMPL_H_
#define CREDIT_ENGINE_ENGINE_IMPL_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "audit/audit_log.h"
#include "credit/clock.h"
#include "credit/engine.h"
#include "profile/profile_builder.h"
#include "store/store.h"

namespace credit {

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
      const IngestOptions& options) override;

  absl::StatusOr<v1::Record> GetRecord(
      std::string_view source, std::string_view record_id) const override;
  absl::StatusOr<v1::Entity> GetEntity(std::uint64_t id) const override;
  absl::StatusOr<v1::Entity> GetEntityOfRecord(
      std::string_view source, std::string_view record_id) const override;
  std::unique_ptr<RecordIterator> NewRecordIterator() const override;
  std::unique_ptr<EntityIterator> NewEntityIterator() const override;
  std::unique_ptr<QuarantineIterator> NewQuarantineIterator() const override;
  absl::StatusOr<v1::Stats> GetStats() const override;

  absl::Status Backup(std::string_view backup_dir) override;
  absl::Status Checkpoint(std::string_view checkpoint_dir) override;

 private:
  EngineImpl(std::unique_ptr<Store> store, const Options& options,
             AuditLog audit);

  // Ingests `records` plus rows already rejected by an adapter, as one write.
  absl::StatusOr<v1::IngestReport> IngestBatch(
      const v1::SourceConfig& source, std::vector<v1::Record> records,
      std::vector<v1::QuarantinedRow> rejects, const IngestOptions& options);
  // `problems[i]` is why records[i] must be quarantined, or "".
  absl::StatusOr<v1::IngestReport> IngestBatchLocked(
      const v1::SourceConfig& source, std::vector<v1::Record> records,
      const std::vector<std::string>& problems,
      std::vector<v1::QuarantinedRow> rejects, const IngestOptions& options)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
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
  // Writes the counters and audit event, then commits `batch`.
  absl::Status Commit(rocksdb::WriteBatch* batch, v1::AuditEvent event,
                      const IngestOptions& options)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  absl::StatusOr<v1::Entity> ResolveEntity(
      uint64_t id, const rocksdb::ReadOptions& read) const;
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
};

}  // namespace credit

#endif  // CREDIT_ENGINE_ENGINE_IMPL_H_
