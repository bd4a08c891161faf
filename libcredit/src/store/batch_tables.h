// Commits a large WriteBatch as sorted table files, ingested atomically.
//
// A relink rewrites whole families (edges, blocking postings, entities,
// record -> entity) in one change of hundreds of MB. Through the normal
// write path every byte goes to the write-ahead log, into a memtable (a
// skiplist insert per key) and through a flush; that was half of a relink's
// time and doubled its memory. Here the batch's operations are sorted per
// column family, written as one table file per family with RocksDB's
// SstFileWriter, and the files are ingested with one IngestExternalFiles
// call: all families change at once or none does, as with a WriteBatch.
//
// The result is the batch's own semantics: of several operations on a key
// the last wins, and a range deletion removes the keys written before it in
// the batch (and everything older in the database) but not those written
// after it. Batches that merge into a key they also write or delete are
// refused with UnimplementedError (callers then use Store::Write).
//
// Thread-compatible: call under the writer's lock, like Store::Write.
#ifndef CREDIT_STORE_BATCH_TABLES_H_
#define CREDIT_STORE_BATCH_TABLES_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

namespace credit {

// Receives the entries of a ReplacementTable, in strictly ascending key
// order (anything else is an error and nothing is ingested).
class TableSink {
 public:
  virtual ~TableSink() = default;
  virtual absl::Status Put(std::string_view key, std::string_view value) = 0;
};

// New contents for a whole key range of a family, written by the caller in
// key order instead of through the batch: for data too large to go through
// a WriteBatch cheaply (a relink's edges: 15M entries for 1M records, which
// the batch would copy, collect and sort). The old keys in
// [delete_begin, delete_end) are deleted in the same table, so the result
// is that of a batch holding that range deletion and then these puts. The
// batch itself must not write to the family.
struct ReplacementTable {
  rocksdb::ColumnFamilyHandle* family = nullptr;
  std::string delete_begin;
  std::string delete_end;
  std::function<absl::Status(TableSink&)> write;
};

// Writes `batch`, and each of `replacements`, into table files under
// `temp_dir` (created, and removed afterwards) and ingests them into `db`
// with one call. `families` holds the handle of every column family the
// batch writes.
absl::Status IngestBatchAsTables(
    rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>& families,
    const rocksdb::WriteBatch& batch, const std::string& temp_dir,
    const std::vector<ReplacementTable>& replacements = {});

// Adds `replacement` to `batch` as its range deletion and puts: the same
// change through an ordinary write.
absl::Status AddToBatch(const ReplacementTable& replacement,
                        rocksdb::WriteBatch* batch);

}  // namespace credit

#endif  // CREDIT_STORE_BATCH_TABLES_H_
