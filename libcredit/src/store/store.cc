#include "store/store.h"

#include <sys/resource.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <vector>

#include "fmt/format.h"
#include "rocksdb/cache.h"
#include "rocksdb/memtablerep.h"
#include "store/batch_tables.h"
#include "store/blocking_prefix_transform.h"
#include "util/status_macros.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/merge_operator.h"
#include "rocksdb/metadata.h"
#include "rocksdb/options.h"
#include "rocksdb/slice_transform.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/backup_engine.h"
#include "rocksdb/utilities/checkpoint.h"
#include "rocksdb/write_buffer_manager.h"
#include "store/key_codec.h"
#include "util/parallel_for.h"

namespace credit {
namespace {

constexpr const char* kSchemaVersionKey = "schema_version";

constexpr const char* kColumnFamilyNames[kColumnFamilyCount] = {
    "meta",
    "sources",
    "record_ids",
    "records",
    "edges",
    "blocking",
    "key_counts",
    "entities",
    "record_entity",
    "id_lineage",
    "indicators",
    "audit",
    "quarantine",
};

uint64_t DecodeFixed64(const rocksdb::Slice& s) {
  uint64_t value = 0;
  for (size_t i = 0; i < 8 && i < s.size(); ++i) {
    value = (value << 8) | static_cast<unsigned char>(s[i]);
  }
  return value;
}

// Adds uint64 operands (8 bytes big-endian) modulo 2^64. Missing or
// malformed existing values count as 0. Clears the output first: RocksDB
// 7.8.3 may hand in the caller's string as the output buffer.
class CounterAddOperator : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice& /*key*/, const rocksdb::Slice* existing,
             const rocksdb::Slice& value, std::string* new_value,
             rocksdb::Logger* /*logger*/) const override {
    uint64_t sum = existing != nullptr && existing->size() == 8
                       ? DecodeFixed64(*existing)
                       : 0;
    if (value.size() == 8) sum += DecodeFixed64(value);
    new_value->clear();
    *new_value = EncodeCounter(sum);
    return true;
  }
  const char* Name() const override { return "credit.CounterAdd"; }
};

}  // namespace

const char* ColumnFamilyName(ColumnFamily cf) {
  return kColumnFamilyNames[static_cast<int>(cf)];
}

std::string EncodeCounter(uint64_t value) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(value & 0xFF);
    value >>= 8;
  }
  return out;
}

absl::Status FromRocks(const rocksdb::Status& status,
                       std::string_view context) {
  if (status.ok()) return absl::OkStatus();
  std::string message = fmt::format("{}: {}", context, status.ToString());
  if (status.IsNotFound()) return absl::NotFoundError(message);
  if (status.IsCorruption()) return absl::DataLossError(message);
  if (status.IsInvalidArgument()) return absl::InvalidArgumentError(message);
  if (status.IsNotSupported()) return absl::UnimplementedError(message);
  if (status.IsBusy() || status.IsTimedOut() || status.IsTryAgain()) {
    return absl::UnavailableError(message);
  }
  if (status.IsIOError()) {
    // A held LOCK file is the common case: another process has it open.
    if (message.find("/LOCK:") != std::string::npos) {
      return absl::UnavailableError(fmt::format(
          "{}: the database is in use: another process (or another engine "
          "in this one) has it open, and one at a time may; try again when "
          "it is done ({})",
          context, status.ToString()));
    }
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

namespace {

// True when `path` holds a RocksDB database (its CURRENT file).
bool HoldsDatabase(std::string_view path) {
  return std::filesystem::exists(std::filesystem::path(path) / "CURRENT");
}

// Why `path` cannot be made into a new database (a file, or a directory
// holding files of something else), or "" when it can. A database created
// among other files would mix with them, and a restore would delete them.
std::string CannotCreateDatabaseAt(std::string_view path) {
  const std::filesystem::path dir(path);
  std::error_code error;
  if (!std::filesystem::exists(dir, error)) return "";
  if (!std::filesystem::is_directory(dir, error)) {
    return fmt::format("'{}' is a file, not a database directory", path);
  }
  // RocksDB's own files without a CURRENT are a creation that was cut
  // short (a crash): creating the database again is what it was doing.
  auto is_rocksdb_file = [](const std::string& name) {
    return name == "LOCK" || name == "IDENTITY" || name.starts_with("LOG") ||
           name.starts_with("MANIFEST-") || name.starts_with("OPTIONS-") ||
           name.ends_with(".log") || name.ends_with(".dbtmp");
  };
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (!is_rocksdb_file(entry.path().filename().string())) {
      return fmt::format(
          "'{}' is a directory that holds other files but no credit "
          "database; give a new or empty directory",
          path);
    }
  }
  return "";
}

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> Store::Open(
    std::string_view path, const StoreOptions& options) {
  std::unique_ptr<Store> store(new Store());
  store->path_ = std::string(path);
  bool exists = HoldsDatabase(path);
  if (!exists && !options.create_if_missing) {
    if (std::filesystem::is_regular_file(store->path_)) {
      return absl::NotFoundError(fmt::format(
          "no credit database at '{}': it is a file, not a database "
          "directory",
          path));
    }
    return absl::NotFoundError(fmt::format(
        "no credit database at '{}' (ingesting into it creates one, e.g. "
        "`credit ingest --db {} ...`)",
        path, path));
  }
  if (!exists) {
    if (std::string why = CannotCreateDatabaseAt(path); !why.empty()) {
      return absl::FailedPreconditionError(
          fmt::format("cannot create a credit database: {}", why));
    }
    // RocksDB creates the database directory but not its parents.
    std::error_code error;
    std::filesystem::create_directories(store->path_, error);
    if (error) {
      return absl::FailedPreconditionError(fmt::format(
          "cannot create the database directory '{}': {}", path,
          error.message()));
    }
  }

  auto cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  // Partitioned index and filters: a table's filter is cached in blocks of
  // ~4 KB, found through a small pinned top level. A whole filter of a large
  // table (the blocking family holds millions of tiny keys per table) grew
  // past the cache shard's capacity beyond ~200k records, was never cached,
  // and every prefix seek read and checksummed it from the file again: over
  // half of an ingest's time at 300k records.
  table.index_type = rocksdb::BlockBasedTableOptions::kTwoLevelIndexSearch;
  table.partition_filters = true;
  table.metadata_block_size = 4096;
  table.pin_top_level_index_and_filter = true;
  table.format_version = 5;

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = options.create_if_missing;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = options.background_jobs;
  db_options.write_buffer_manager =
      std::make_shared<rocksdb::WriteBufferManager>(options.write_buffer_bytes,
                                                    cache);
  db_options.keep_log_file_num = 4;
  // RocksDB keeps every table file open by default. A bulk load commits a
  // table per batch (engine_impl.h, kMinBulkRecordsAsTables): ~200 record
  // tables per million records, past a default limit of 1,024 descriptors
  // at a few million. Past half the process's limit, table files are
  // closed and reopened as they are used instead of failing to open.
  struct rlimit files;
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY) {
    db_options.max_open_files = static_cast<int>(
        std::clamp<rlim_t>(files.rlim_cur / 2, 64, 1'000'000));
  }
  // The hash memtables of blocking and edges take one writer at a time;
  // libcredit has one writer anyway (Engine's write lock).
  db_options.allow_concurrent_memtable_write = false;

  auto counter_operator = std::make_shared<CounterAddOperator>();
  // RocksDB's "default" family always exists; libcredit keeps nothing in it.
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName,
                           rocksdb::ColumnFamilyOptions());
  for (int i = 0; i < kColumnFamilyCount; ++i) {
    auto family = static_cast<ColumnFamily>(i);
    rocksdb::ColumnFamilyOptions cf_options;
    cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    cf_options.compression = rocksdb::kLZ4Compression;
    cf_options.bottommost_compression = rocksdb::kZSTD;
    if (family == ColumnFamily::kMeta || family == ColumnFamily::kKeyCounts) {
      cf_options.merge_operator = counter_operator;
    }
    if (family == ColumnFamily::kIndicators || family == ColumnFamily::kEdges) {
      // Scans list one entity's indicators / one record's edges.
      cf_options.prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(8));
    }
    if (family == ColumnFamily::kBlocking) {
      // Scans list one blocking key's postings; nothing reads a single
      // posting key, so the filter holds prefixes only (half the size).
      cf_options.prefix_extractor = store_internal::NewBlockingPrefixTransform();
      rocksdb::BlockBasedTableOptions prefix_only = table;
      prefix_only.whole_key_filtering = false;
      cf_options.table_factory.reset(
          rocksdb::NewBlockBasedTableFactory(prefix_only));
    }
    if (family == ColumnFamily::kBlocking || family == ColumnFamily::kEdges) {
      // Every write and almost every read of these two is within one prefix:
      // a hash of small skiplists, one per prefix, beats one big skiplist
      // (whose inserts and seeks were ~20 % of an ingest). A full scan
      // (ResolveAll's reviewer edges) still works, more slowly.
      cf_options.memtable_factory.reset(rocksdb::NewHashSkipListRepFactory());
    }
    descriptors.emplace_back(ColumnFamilyName(family), cf_options);
  }

  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw_db = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(db_options, store->path_,
                                             descriptors, &handles, &raw_db);
  if (!status.ok()) {
    if (status.IsInvalidArgument() &&
        status.ToString().find("Column famil") != std::string::npos) {
      return absl::FailedPreconditionError(fmt::format(
          "credit database '{}' has column families this libcredit does not "
          "know ({}): it was written by a newer version; open it with that "
          "version or restore a backup made by this one",
          path, status.ToString()));
    }
    return FromRocks(status, fmt::format("open credit database '{}'", path));
  }
  store->db_.reset(raw_db);
  store->default_handle_ = handles[0];
  for (int i = 0; i < kColumnFamilyCount; ++i) {
    store->handles_[i] = handles[i + 1];
  }
  auto schema = store->CheckSchema();
  if (!schema.ok()) return schema;
  return store;
}

Store::~Store() {
  if (db_ == nullptr) return;
  if (written_) {
    // Persist the memtables now: otherwise the next Open replays the whole
    // write-ahead log (seconds after a large ingest) before it can read.
    std::vector<rocksdb::ColumnFamilyHandle*> families(handles_.begin(),
                                                       handles_.end());
    db_->Flush(rocksdb::FlushOptions(), families).PermitUncheckedError();
  }
  for (auto* handle : handles_) {
    if (handle != nullptr) {
      db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
    }
  }
  if (default_handle_ != nullptr) {
    db_->DestroyColumnFamilyHandle(default_handle_).PermitUncheckedError();
  }
  db_->Close().PermitUncheckedError();
}

absl::Status Store::CheckSchema() {
  auto stored = Get(ColumnFamily::kMeta, kSchemaVersionKey);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) {
    // A new database, or one whose creation was interrupted before the stamp
    // (it holds nothing yet): write the version.
    rocksdb::WriteBatch batch;
    batch.Put(cf(ColumnFamily::kMeta), kSchemaVersionKey,
              std::to_string(kSchemaVersion));
    auto written = Write(&batch, /*sync=*/true);
    if (!written.ok()) return written;
    schema_version_ = kSchemaVersion;
    return absl::OkStatus();
  }
  uint32_t version = 0;
  try {
    version = static_cast<uint32_t>(std::stoul(**stored));
  } catch (...) {
    return absl::DataLossError(fmt::format(
        "credit database '{}': schema version '{}' is not a number", path_,
        **stored));
  }
  if (version > kSchemaVersion) {
    return absl::FailedPreconditionError(fmt::format(
        "credit database '{}' was written by schema version {}, and this "
        "libcredit reads versions up to {}: upgrade libcredit to open it, or "
        "restore a backup made by this version",
        path_, version, kSchemaVersion));
  }
  schema_version_ = version;
  return absl::OkStatus();
}

absl::Status Store::Write(rocksdb::WriteBatch* batch, bool sync) {
  rocksdb::WriteOptions options;
  options.sync = sync;
  written_ = true;
  return FromRocks(db_->Write(options, batch), "write");
}

absl::Status Store::WriteAsTables(
    rocksdb::WriteBatch* batch,
    const std::vector<ReplacementTable>& replacements) {
  std::vector<rocksdb::ColumnFamilyHandle*> families(handles_.begin(),
                                                     handles_.end());
  families.push_back(default_handle_);
  written_ = true;
  absl::Status ingested = IngestBatchAsTables(
      db_.get(), families, *batch,
      (std::filesystem::path(path_) / "bulk-tables").string(), replacements);
  if (absl::IsUnimplemented(ingested)) {
    for (const ReplacementTable& replacement : replacements) {
      CREDIT_RETURN_IF_ERROR(AddToBatch(replacement, batch));
    }
    return Write(batch, /*sync=*/true);
  }
  return ingested;
}

absl::Status Store::CompactFamilies(std::span<const ColumnFamily> families) {
  return MergeTables(families, std::numeric_limits<uint64_t>::max());
}

absl::Status Store::MergeSmallTables(std::span<const ColumnFamily> families,
                                     uint64_t max_table_bytes) {
  return MergeTables(families, max_table_bytes);
}

absl::Status Store::MergeTables(std::span<const ColumnFamily> families,
                                uint64_t max_table_bytes) {
  const bool all = max_table_bytes == std::numeric_limits<uint64_t>::max();
  // One family per thread at a time, in the order given.
  std::vector<absl::Status> results(families.size());
  ParallelForEach(families.size(), [&](std::size_t i) {
    const ColumnFamily family = families[i];
    // The tables merged in one pass into the family's last level.
    // CompactRange would rewrite the data once per level on the way down
    // (twice the time after a relink at 100k records).
    rocksdb::ColumnFamilyMetaData meta;
    db_->GetColumnFamilyMetaData(cf(family), &meta);
    std::vector<std::string> files;
    int last_level = 0;
    for (const rocksdb::LevelMetaData& level : meta.levels) {
      for (const rocksdb::SstFileMetaData& file : level.files) {
        last_level = std::max(last_level, level.level);
        if (file.size <= max_table_bytes) {
          files.push_back(file.relative_filename);
        }
      }
    }
    if (files.size() < 2) return;
    rocksdb::CompactionOptions options;
    // The family's own compression (ZSTD at the last level). CompactFiles
    // defaults to Snappy, which left the relinked tables ~30 % larger than
    // the same data written once.
    options.compression = rocksdb::kDisableCompressionOption;
    options.output_file_size_limit = 64u << 20;
    rocksdb::Status status =
        db_->CompactFiles(options, cf(family), files, last_level);
    if (!all && status.IsInvalidArgument()) {
      // The small tables interleave with a large one: merging them would
      // rewrite it too, which is what this call avoids. They stay.
      return;
    }
    if (!status.ok()) {
      // A background compaction holds some of the files (or the set moved
      // under us): let RocksDB pick the files level by level instead.
      rocksdb::CompactRangeOptions range;
      range.exclusive_manual_compaction = false;
      status = db_->CompactRange(range, cf(family), nullptr, nullptr);
    }
    if (!status.ok()) {
      results[i] =
          FromRocks(status, fmt::format("compact {}", ColumnFamilyName(family)));
    }
  });
  for (absl::Status& result : results) {
    if (!result.ok()) return result;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::optional<std::string>>> Store::MultiGet(
    ColumnFamily family, const std::vector<std::string>& keys,
    const rocksdb::ReadOptions& options) const {
  // One chunk: the calling thread's single MultiGet.
  return MultiGetOnAllCores(family, keys,
                            std::numeric_limits<std::size_t>::max(), options);
}

absl::StatusOr<std::vector<std::optional<std::string>>>
Store::MultiGetOnAllCores(ColumnFamily family,
                          const std::vector<std::string>& keys,
                          std::size_t min_per_core,
                          const rocksdb::ReadOptions& options) const {
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  ParallelFor(keys.size(), min_per_core, [&](std::size_t begin, std::size_t end) {
    db_->MultiGet(options, cf(family), end - begin, slices.data() + begin,
                  values.data() + begin, statuses.data() + begin);
  });
  std::vector<std::optional<std::string>> out(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) continue;
    if (!statuses[i].ok()) {
      return FromRocks(statuses[i],
                       fmt::format("read {}", ColumnFamilyName(family)));
    }
    out[i].emplace(values[i].data(), values[i].size());
  }
  return out;
}

std::shared_ptr<StoreSnapshot> Store::NewSnapshot() const {
  return std::make_shared<StoreSnapshot>(db_.get());
}

absl::StatusOr<std::optional<std::string>> Store::Get(
    ColumnFamily family, std::string_view key,
    const rocksdb::ReadOptions& options) const {
  std::string value;
  rocksdb::Status status =
      db_->Get(options, cf(family), rocksdb::Slice(key.data(), key.size()),
               &value);
  if (status.IsNotFound()) return std::optional<std::string>();
  if (!status.ok()) {
    return FromRocks(status, fmt::format("read {}", ColumnFamilyName(family)));
  }
  return std::optional<std::string>(std::move(value));
}

absl::Status Store::ScanPrefix(
    ColumnFamily family, std::string_view prefix,
    absl::FunctionRef<bool(std::string_view, std::string_view)> fn,
    const rocksdb::ReadOptions& options) const {
  rocksdb::ReadOptions read = options;
  const std::string upper = store_internal::PrefixUpperBound(prefix);
  rocksdb::Slice upper_slice(upper);
  if (!upper.empty()) read.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, cf(family)));
  for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size())); it->Valid();
       it->Next()) {
    const rocksdb::Slice key = it->key();
    if (!key.starts_with(rocksdb::Slice(prefix.data(), prefix.size()))) break;
    const rocksdb::Slice value = it->value();
    if (!fn(std::string_view(key.data(), key.size()),
            std::string_view(value.data(), value.size()))) {
      break;
    }
  }
  if (!it->status().ok()) {
    return FromRocks(it->status(), fmt::format("scan {}", ColumnFamilyName(family)));
  }
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> Store::GetCounter(
    ColumnFamily family, std::string_view key,
    const rocksdb::ReadOptions& options) const {
  auto value = Get(family, key, options);
  if (!value.ok()) return value.status();
  if (!value->has_value() || (*value)->size() != 8) return uint64_t{0};
  return DecodeFixed64(**value);
}

absl::Status Store::CorruptValue(ColumnFamily family, std::string_view key) {
  std::string hex;
  for (unsigned char c : key.substr(0, 32)) hex += fmt::format("{:02x}", c);
  return absl::DataLossError(fmt::format(
      "corrupt value in column family '{}' at key {}: restore from a backup",
      ColumnFamilyName(family), hex));
}

absl::Status Store::Backup(std::string_view backup_dir) {
  rocksdb::BackupEngineOptions options{std::string(backup_dir)};
  rocksdb::BackupEngine* raw = nullptr;
  auto status =
      rocksdb::BackupEngine::Open(rocksdb::Env::Default(), options, &raw);
  if (!status.ok()) {
    return FromRocks(status, fmt::format("open backup dir '{}'", backup_dir));
  }
  std::unique_ptr<rocksdb::BackupEngine> engine(raw);
  return FromRocks(engine->CreateNewBackup(db_.get(), /*flush=*/true),
                   fmt::format("backup to '{}'", backup_dir));
}

absl::Status Store::Checkpoint(std::string_view checkpoint_dir) {
  rocksdb::Checkpoint* raw = nullptr;
  auto status = rocksdb::Checkpoint::Create(db_.get(), &raw);
  if (!status.ok()) return FromRocks(status, "checkpoint");
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  return FromRocks(checkpoint->CreateCheckpoint(std::string(checkpoint_dir)),
                   fmt::format("checkpoint to '{}'", checkpoint_dir));
}

absl::Status Store::Restore(std::string_view backup_dir,
                            std::string_view db_path) {
  if (!std::filesystem::exists(std::filesystem::path(backup_dir) / "meta")) {
    return absl::NotFoundError(
        fmt::format("'{}' holds no credit backup", backup_dir));
  }
  rocksdb::BackupEngineOptions options{std::string(backup_dir)};
  rocksdb::BackupEngineReadOnly* raw = nullptr;
  auto status = rocksdb::BackupEngineReadOnly::Open(rocksdb::Env::Default(),
                                                    options, &raw);
  if (!status.ok()) {
    return FromRocks(status, fmt::format("open backup dir '{}'", backup_dir));
  }
  std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(raw);
  std::string path(db_path);
  // A restore deletes every file in `db_path`: only a credit database may
  // be there, and no process (this one included) may have it open.
  const bool is_database = HoldsDatabase(path);
  if (!is_database) {
    if (std::string why = CannotCreateDatabaseAt(path); !why.empty()) {
      return absl::FailedPreconditionError(fmt::format(
          "restore '{}' into '{}': {} (a restore deletes every file in it)",
          backup_dir, db_path, why));
    }
  }
  rocksdb::Env* env = rocksdb::Env::Default();
  rocksdb::FileLock* lock = nullptr;
  if (is_database) {
    auto locked = env->LockFile(path + "/LOCK", &lock);
    if (!locked.ok()) {
      return absl::FailedPreconditionError(fmt::format(
          "restore '{}' into '{}': the database is open (by this or another "
          "process); close it first ({})",
          backup_dir, db_path, locked.ToString()));
    }
  }
  auto restored = FromRocks(
      engine->RestoreDBFromLatestBackup(path, path),
      fmt::format("restore '{}' into '{}'", backup_dir, db_path));
  if (lock != nullptr) env->UnlockFile(lock).PermitUncheckedError();
  return restored;
}

uint64_t Store::EstimateKeys(ColumnFamily family) const {
  uint64_t keys = 0;
  db_->GetIntProperty(cf(family), "rocksdb.estimate-num-keys", &keys);
  return keys;
}

uint64_t Store::TableBytes(ColumnFamily family) const {
  uint64_t bytes = 0;
  db_->GetIntProperty(cf(family), "rocksdb.live-sst-files-size", &bytes);
  return bytes;
}

}  // namespace credit
