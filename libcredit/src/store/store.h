// The RocksDB database behind an engine: column families, schema version,
// atomic writes, snapshots, backups and checkpoints.
//
// The store knows RocksDB and key encoding and nothing of matching. Callers
// build a rocksdb::WriteBatch against the column family handles and commit it
// with Write(): one call, one atomic write with the WAL on.
//
// Thread safety: thread-safe (RocksDB is); Write() may be called concurrently
// but the engine serializes its writes anyway.
#ifndef CREDIT_STORE_STORE_H_
#define CREDIT_STORE_STORE_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message_lite.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "store/batch_tables.h"

namespace credit {

// The column families, in the order DESIGN.md lists them.
enum class ColumnFamily : int {
  kMeta = 0,
  kSources,
  kRecordIds,
  kRecords,
  kEdges,
  kBlocking,
  kKeyCounts,
  kEntities,
  kRecordEntity,
  kIdLineage,
  kIndicators,
  kAudit,
  kQuarantine,
};
inline constexpr int kColumnFamilyCount = 13;

// Returns the RocksDB name of `cf` ("meta", "records", ...).
const char* ColumnFamilyName(ColumnFamily cf);

// The schema this code writes. Bump it when a stored shape changes
// incompatibly, and teach Open() to migrate older versions.
inline constexpr uint32_t kSchemaVersion = 1;

struct StoreOptions {
  bool create_if_missing = true;
  std::size_t block_cache_bytes = 256u << 20;
  std::size_t write_buffer_bytes = 128u << 20;
  int background_jobs = 2;
};

// Returns a RocksDB status as an absl::Status, prefixed with `context`.
absl::Status FromRocks(const rocksdb::Status& status, std::string_view context);

// Owns a consistent read view; releases the RocksDB snapshot when destroyed.
class StoreSnapshot {
 public:
  StoreSnapshot(rocksdb::DB* db) : db_(db), snapshot_(db->GetSnapshot()) {}
  ~StoreSnapshot() { db_->ReleaseSnapshot(snapshot_); }
  StoreSnapshot(const StoreSnapshot&) = delete;
  StoreSnapshot& operator=(const StoreSnapshot&) = delete;

  // Read options bound to this snapshot.
  rocksdb::ReadOptions read_options() const {
    rocksdb::ReadOptions options;
    options.snapshot = snapshot_;
    return options;
  }

 private:
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snapshot_;
};

class Store {
 public:
  // Opens or creates the database at `path`. FailedPreconditionError when it
  // was written by a newer schema version.
  static absl::StatusOr<std::unique_ptr<Store>> Open(
      std::string_view path, const StoreOptions& options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  rocksdb::DB* db() const { return db_.get(); }
  rocksdb::ColumnFamilyHandle* cf(ColumnFamily family) const {
    return handles_[static_cast<int>(family)];
  }
  const std::string& path() const { return path_; }
  uint32_t schema_version() const { return schema_version_; }

  // Commits `batch` atomically (WAL on); fsyncs the WAL when `sync`.
  absl::Status Write(rocksdb::WriteBatch* batch, bool sync);

  // Commits `batch` atomically as table files ingested into the database
  // (batch_tables.h): for the large writes of a relink, much cheaper than
  // the log and memtables of Write. Durable when it returns. A batch that
  // cannot be written as tables (a merge into a key it also writes) goes
  // through Write instead. `replacements` (batch_tables.h) rewrite whole key
  // ranges of families the batch leaves alone, in the same atomic change.
  absl::Status WriteAsTables(
      rocksdb::WriteBatch* batch,
      const std::vector<ReplacementTable>& replacements = {});

  // Merges all tables of each of `families` in one compaction into the
  // family's last level, so that data a range deletion or newer versions
  // replaced leaves the disk now rather than whenever compaction reaches it
  // (after a relink rewrote the linking families: two copies until then).
  // Two families at a time (the calling thread and one more); costs about
  // one rewrite of the families; other writers may go on.
  absl::Status CompactFamilies(std::span<const ColumnFamily> families);
  // Merges the tables of each of `families` no larger than
  // `max_table_bytes` in one pass into the family's last level, leaving
  // the larger ones alone: the small tables a bulk load commits per batch,
  // without rewriting what the family held before. Tables that cannot be
  // merged without a larger one stay as they are.
  absl::Status MergeSmallTables(std::span<const ColumnFamily> families,
                                uint64_t max_table_bytes);

  // Returns a new snapshot for consistent reads.
  std::shared_ptr<StoreSnapshot> NewSnapshot() const;

  // Reads `key` from `family`; nullopt when absent.
  absl::StatusOr<std::optional<std::string>> Get(
      ColumnFamily family, std::string_view key,
      const rocksdb::ReadOptions& options = {}) const;
  // Reads many keys of `family` at once (RocksDB MultiGet: several times
  // cheaper per key than Get); result i is keys[i]'s value or nullopt.
  absl::StatusOr<std::vector<std::optional<std::string>>> MultiGet(
      ColumnFamily family, const std::vector<std::string>& keys,
      const rocksdb::ReadOptions& options = {}) const;
  // MultiGet with the keys split over all cores, one MultiGet each, the
  // results in key order: the block reads and decompression of a cold store
  // then overlap. One MultiGet below `min_per_core` keys per core.
  absl::StatusOr<std::vector<std::optional<std::string>>> MultiGetOnAllCores(
      ColumnFamily family, const std::vector<std::string>& keys,
      std::size_t min_per_core = 256,
      const rocksdb::ReadOptions& options = {}) const;
  // Calls `fn(key, value)` for every key of `family` that starts with
  // `prefix`, in key order, until `fn` returns false.
  absl::Status ScanPrefix(
      ColumnFamily family, std::string_view prefix,
      absl::FunctionRef<bool(std::string_view key, std::string_view value)> fn,
      const rocksdb::ReadOptions& options = {}) const;
  // Reads and parses a protobuf value; nullopt when absent, DataLossError
  // when the bytes do not parse.
  template <typename Message>
  absl::StatusOr<std::optional<Message>> GetProto(
      ColumnFamily family, std::string_view key,
      const rocksdb::ReadOptions& options = {}) const {
    auto bytes = Get(family, key, options);
    if (!bytes.ok()) return bytes.status();
    if (!bytes->has_value()) return std::optional<Message>();
    Message message;
    if (!message.ParseFromString(**bytes)) {
      return CorruptValue(family, key);
    }
    return std::optional<Message>(std::move(message));
  }

  // Reads a uint64 counter kept with the add merge operator (meta and
  // key_counts); 0 when absent.
  absl::StatusOr<uint64_t> GetCounter(ColumnFamily family, std::string_view key,
                                      const rocksdb::ReadOptions& options = {}) const;

  // Writes a new backup of the database into `backup_dir`.
  absl::Status Backup(std::string_view backup_dir);
  // Writes an openable copy into `checkpoint_dir` (which must not exist).
  absl::Status Checkpoint(std::string_view checkpoint_dir);
  // Restores the latest backup in `backup_dir` into `db_path`.
  static absl::Status Restore(std::string_view backup_dir,
                              std::string_view db_path);

  // Returns RocksDB's estimate of the number of keys in `family`.
  uint64_t EstimateKeys(ColumnFamily family) const;
  // Returns the bytes of `family`'s live table files (not its memtables).
  uint64_t TableBytes(ColumnFamily family) const;

 private:
  Store() = default;
  absl::Status CheckSchema();
  // CompactFamilies (every table) and MergeSmallTables.
  absl::Status MergeTables(std::span<const ColumnFamily> families,
                           uint64_t max_table_bytes);
  static absl::Status CorruptValue(ColumnFamily family, std::string_view key);

  std::string path_;
  std::unique_ptr<rocksdb::DB> db_;
  std::array<rocksdb::ColumnFamilyHandle*, kColumnFamilyCount> handles_{};
  rocksdb::ColumnFamilyHandle* default_handle_ = nullptr;
  uint32_t schema_version_ = 0;
  bool written_ = false;  // by Write: the destructor flushes the memtables
};

// Encodes a counter operand for rocksdb::WriteBatch::Merge on counter keys.
std::string EncodeCounter(uint64_t value);
// Encodes a signed delta (two's complement; the operator adds modulo 2^64).
inline std::string EncodeCounterDelta(int64_t delta) {
  return EncodeCounter(static_cast<uint64_t>(delta));
}

}  // namespace credit

#endif  // CREDIT_STORE_STORE_H_
