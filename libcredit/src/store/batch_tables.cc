#include "store/batch_tables.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "fmt/format.h"
#include "rocksdb/options.h"
#include "rocksdb/sst_file_writer.h"
#include "store/key_codec.h"
#include "store/store.h"
#include "util/parallel_for.h"
#include "util/status_macros.h"

namespace credit {
namespace {

enum class Op : std::uint8_t { kPut, kDelete, kMerge };

struct PointOp {
  std::string_view key;
  // The key's first 16 bytes as two big-endian integers (zero-padded): the
  // sort compares these before calling memcmp, which settles every pair of
  // 16-byte edge keys and most blocking keys.
  std::uint64_t prefix = 0;
  std::uint64_t prefix2 = 0;
  std::string_view value;
  std::uint64_t sequence = 0;  // position in the batch
  Op op = Op::kPut;
  bool dropped = false;
};

struct RangeDeletion {
  std::string_view begin;
  std::string_view end;
  std::uint64_t sequence = 0;
};

struct FamilyOps {
  std::vector<PointOp> points;
  std::vector<RangeDeletion> ranges;
};

// Collects the batch's operations per column family id. The views point
// into the batch, which outlives the collector.
class Collector : public rocksdb::WriteBatch::Handler {
 public:
  std::map<std::uint32_t, FamilyOps> families;

  rocksdb::Status PutCF(std::uint32_t cf, const rocksdb::Slice& key,
                        const rocksdb::Slice& value) override {
    Add(cf, key, value, Op::kPut);
    return rocksdb::Status::OK();
  }
  rocksdb::Status DeleteCF(std::uint32_t cf,
                           const rocksdb::Slice& key) override {
    Add(cf, key, rocksdb::Slice(), Op::kDelete);
    return rocksdb::Status::OK();
  }
  rocksdb::Status SingleDeleteCF(std::uint32_t cf,
                                 const rocksdb::Slice& key) override {
    return DeleteCF(cf, key);
  }
  rocksdb::Status MergeCF(std::uint32_t cf, const rocksdb::Slice& key,
                          const rocksdb::Slice& value) override {
    Add(cf, key, value, Op::kMerge);
    return rocksdb::Status::OK();
  }
  rocksdb::Status DeleteRangeCF(std::uint32_t cf,
                                const rocksdb::Slice& begin,
                                const rocksdb::Slice& end) override {
    families[cf].ranges.push_back(
        {View(begin), View(end), sequence_++});
    return rocksdb::Status::OK();
  }
  rocksdb::Status PutBlobIndexCF(std::uint32_t, const rocksdb::Slice&,
                                 const rocksdb::Slice&) override {
    return rocksdb::Status::NotSupported("blob index in a batch");
  }
  void LogData(const rocksdb::Slice&) override {}

 private:
  static std::string_view View(const rocksdb::Slice& slice) {
    return std::string_view(slice.data(), slice.size());
  }
  void Add(std::uint32_t cf, const rocksdb::Slice& key,
           const rocksdb::Slice& value, Op op) {
    const std::string_view k = View(key);
    families[cf].points.push_back({k, store_internal::PaddedUint64(k, 0),
                                   store_internal::PaddedUint64(k, 8),
                                   View(value), sequence_++, op, false});
  }
  std::uint64_t sequence_ = 0;
};

// Applies the batch's semantics to one family's operations: the last
// operation on a key wins, and a range deletion drops the earlier
// operations it covers. Leaves `points` sorted by key, one per key.
absl::Status Resolve(FamilyOps* ops, std::string_view family) {
  auto& points = ops->points;
  // Bytewise order, as the families' comparator: the prefixes decide
  // unless they are equal (zero padding sorts a key before its extensions,
  // and the full comparison settles those ties).
  const auto by_key = [](const PointOp& a, const PointOp& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    if (a.prefix2 != b.prefix2) return a.prefix2 < b.prefix2;
    return a.key < b.key;
  };
  // Equal keys stay in batch order: sequences are unique, so this total
  // order is the stable sort by key, without a stable sort's buffer (as
  // large as the operations, 1.4 GB in a relink of 1M records).
  const auto by_key_then_sequence = [](const PointOp& a, const PointOp& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    if (a.prefix2 != b.prefix2) return a.prefix2 < b.prefix2;
    if (a.key.size() > 16 || b.key.size() > 16) {
      if (const int order = a.key.compare(b.key); order != 0) return order < 0;
    } else if (a.key.size() != b.key.size()) {
      // Equal zero-padded prefixes: the shorter key is a prefix of the other.
      return a.key.size() < b.key.size();
    }
    return a.sequence < b.sequence;
  };
  // Families written in key order (entities, record -> entity) need no sort.
  if (!std::is_sorted(points.begin(), points.end(), by_key)) {
    std::sort(points.begin(), points.end(), by_key_then_sequence);
  }
  for (const RangeDeletion& range : ops->ranges) {
    auto first = std::lower_bound(
        points.begin(), points.end(), range.begin,
        [](const PointOp& p, std::string_view key) { return p.key < key; });
    for (auto it = first; it != points.end() && it->key < range.end; ++it) {
      if (it->sequence < range.sequence) it->dropped = true;
    }
  }
  std::vector<PointOp> kept;
  kept.reserve(points.size());
  for (std::size_t i = 0; i < points.size();) {
    std::size_t j = i;
    bool merges = false;
    std::size_t live = 0;
    for (; j < points.size() && points[j].key == points[i].key; ++j) {
      if (points[j].dropped) continue;
      ++live;
      merges = merges || points[j].op == Op::kMerge;
    }
    if (merges && live > 1) {
      return absl::UnimplementedError(fmt::format(
          "a batch merges into a key of '{}' that it also writes; it cannot "
          "be written as a table",
          family));
    }
    // Equal keys keep batch order (stable sort): the last live one wins.
    for (std::size_t k = j; k > i; --k) {
      if (!points[k - 1].dropped) {
        kept.push_back(points[k - 1]);
        break;
      }
    }
    i = j;
  }
  points = std::move(kept);
  return absl::OkStatus();
}

// Applies the batch semantics to `ops` and writes them as the table file
// `path` with the family's own options (comparator, table format, filters,
// compression), so the file reads like one the family flushed itself.
absl::Status WriteTable(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* handle,
                        FamilyOps* ops, const std::string& path) {
  const std::string name = handle->GetName();
  CREDIT_RETURN_IF_ERROR(Resolve(ops, name));
  const rocksdb::Options options = db->GetOptions(handle);
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), options, handle);
  CREDIT_RETURN_IF_ERROR(
      FromRocks(writer.Open(path), "open table for " + name));
  for (const RangeDeletion& range : ops->ranges) {
    CREDIT_RETURN_IF_ERROR(
        FromRocks(writer.DeleteRange(range.begin, range.end),
                        "range deletion in table for " + name));
  }
  for (const PointOp& point : ops->points) {
    rocksdb::Status status;
    switch (point.op) {
      case Op::kPut:
        status = writer.Put(point.key, point.value);
        break;
      case Op::kDelete:
        status = writer.Delete(point.key);
        break;
      case Op::kMerge:
        status = writer.Merge(point.key, point.value);
        break;
    }
    if (!status.ok()) return FromRocks(status, "write table for " + name);
  }
  return FromRocks(writer.Finish(), "finish table for " + name);
}

class WriterSink : public TableSink {
 public:
  WriterSink(rocksdb::SstFileWriter* writer, std::string family)
      : writer_(writer), family_(std::move(family)) {}
  absl::Status Put(std::string_view key, std::string_view value) override {
    const rocksdb::Status status = writer_->Put(key, value);
    if (status.ok()) return absl::OkStatus();  // no message built per entry
    return FromRocks(status, "write table for " + family_);
  }

 private:
  rocksdb::SstFileWriter* writer_;
  std::string family_;
};

class BatchSink : public TableSink {
 public:
  BatchSink(rocksdb::ColumnFamilyHandle* family, rocksdb::WriteBatch* batch)
      : family_(family), batch_(batch) {}
  absl::Status Put(std::string_view key, std::string_view value) override {
    if (!first_ && key <= last_) {
      return absl::InvalidArgumentError(fmt::format(
          "replacement of '{}' is not in strictly ascending key order",
          family_->GetName()));
    }
    first_ = false;
    last_.assign(key);
    return FromRocks(batch_->Put(family_, key, value), "batch put");
  }

 private:
  rocksdb::ColumnFamilyHandle* family_;
  rocksdb::WriteBatch* batch_;
  bool first_ = true;
  std::string last_;
};

// Writes `replacement` as the table file `path` (see WriteTable).
absl::Status WriteReplacement(rocksdb::DB* db,
                              const ReplacementTable& replacement,
                              const std::string& path) {
  const std::string name = replacement.family->GetName();
  const rocksdb::Options options = db->GetOptions(replacement.family);
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), options,
                                replacement.family);
  CREDIT_RETURN_IF_ERROR(
      FromRocks(writer.Open(path), "open table for " + name));
  CREDIT_RETURN_IF_ERROR(FromRocks(
      writer.DeleteRange(replacement.delete_begin, replacement.delete_end),
      "range deletion in table for " + name));
  WriterSink sink(&writer, name);
  CREDIT_RETURN_IF_ERROR(replacement.write(sink));
  return FromRocks(writer.Finish(), "finish table for " + name);
}

}  // namespace

absl::Status AddToBatch(const ReplacementTable& replacement,
                        rocksdb::WriteBatch* batch) {
  CREDIT_RETURN_IF_ERROR(FromRocks(
      batch->DeleteRange(replacement.family, replacement.delete_begin,
                         replacement.delete_end),
      "batch range deletion"));
  BatchSink sink(replacement.family, batch);
  return replacement.write(sink);
}

absl::Status IngestBatchAsTables(
    rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>& families,
    const rocksdb::WriteBatch& batch, const std::string& temp_dir,
    const std::vector<ReplacementTable>& replacements) {
  Collector collector;
  if (auto s = batch.Iterate(&collector); !s.ok()) {
    return absl::UnimplementedError(
        fmt::format("cannot write the batch as tables: {}", s.ToString()));
  }
  std::map<std::uint32_t, rocksdb::ColumnFamilyHandle*> handles;
  for (rocksdb::ColumnFamilyHandle* handle : families) {
    handles[handle->GetID()] = handle;
  }
  for (const auto& [id, ops] : collector.families) {
    if (handles.count(id) == 0) {
      return absl::InvalidArgumentError(fmt::format(
          "a bulk write names column family {}, which is not given", id));
    }
  }
  std::set<std::uint32_t> replaced;
  for (const ReplacementTable& replacement : replacements) {
    const std::uint32_t id = replacement.family->GetID();
    if (!replaced.insert(id).second || collector.families.count(id) > 0) {
      return absl::InvalidArgumentError(fmt::format(
          "column family '{}' is replaced by a table and also written by "
          "the batch or by another replacement",
          replacement.family->GetName()));
    }
  }
  std::error_code error;
  std::filesystem::remove_all(temp_dir, error);
  std::filesystem::create_directories(temp_dir, error);
  if (error) {
    return absl::FailedPreconditionError(fmt::format(
        "cannot create '{}' for the tables of a bulk write: {}", temp_dir,
        error.message()));
  }
  // The files are moved into the database on success; whatever is left
  // (after an error) goes with the directory.
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  } cleanup{temp_dir};

  // One table per family, written on all cores, replacements (the largest
  // by far) first, then the batch's families largest first.
  struct Table {
    rocksdb::ColumnFamilyHandle* handle = nullptr;
    FamilyOps* ops = nullptr;                      // from the batch, or
    const ReplacementTable* replacement = nullptr;  // written by the caller
    std::string path;
    absl::Status status;
  };
  auto path_of = [&temp_dir](std::uint32_t id) {
    return (std::filesystem::path(temp_dir) / fmt::format("{}.sst", id))
        .string();
  };
  std::vector<Table> tables;
  for (auto& [id, ops] : collector.families) {
    if (ops.points.empty() && ops.ranges.empty()) continue;
    tables.push_back(
        {handles.at(id), &ops, nullptr, path_of(id), absl::OkStatus()});
  }
  std::sort(tables.begin(), tables.end(), [](const Table& a, const Table& b) {
    return a.ops->points.size() > b.ops->points.size();
  });
  for (const ReplacementTable& replacement : replacements) {
    tables.insert(tables.begin(),
                  {replacement.family, nullptr, &replacement,
                   path_of(replacement.family->GetID()), absl::OkStatus()});
  }
  ParallelForEach(tables.size(), [&](std::size_t i) {
    Table& table = tables[i];
    table.status =
        table.replacement != nullptr
            ? WriteReplacement(db, *table.replacement, table.path)
            : WriteTable(db, table.handle, table.ops, table.path);
  });
  std::vector<rocksdb::IngestExternalFileArg> args;
  for (const Table& table : tables) {
    CREDIT_RETURN_IF_ERROR(table.status);
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = table.handle;
    arg.external_files = {table.path};
    arg.options.move_files = true;
    // The new data is newer than everything stored; a memtable holding
    // keys in the file's range is flushed first.
    arg.options.allow_global_seqno = true;
    arg.options.allow_blocking_flush = true;
    args.push_back(std::move(arg));
  }
  if (args.empty()) return absl::OkStatus();
  // One call: every family's file is ingested, or none is.
  return FromRocks(db->IngestExternalFiles(args), "ingest tables");
}

}  // namespace credit
