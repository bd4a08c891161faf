// PrefixScanner: many prefix scans of one column family through one RocksDB
// iterator. Creating an iterator costs several microseconds (it references
// every memtable and level-0 table); the incremental linker scans tens of
// thousands of blocking keys and edge lists per batch, so it keeps one per
// family and seeks it.
//
// Reads the database as it was when the first scan ran (the iterator's
// implicit view), so use it for reads that do not need to see later writes.
// The family must have a prefix extractor that maps every scanned prefix to
// itself (blocking, edges and indicators do): seeks then use the prefix
// Bloom filters and stop at the end of the prefix.
//
// Not thread-safe.
#ifndef CREDIT_STORE_PREFIX_SCANNER_H_
#define CREDIT_STORE_PREFIX_SCANNER_H_

#include <memory>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "rocksdb/iterator.h"
#include "store/store.h"

namespace credit {

class PrefixScanner {
 public:
  PrefixScanner(const Store* store, ColumnFamily family)
      : store_(store), family_(family) {}
  PrefixScanner(const PrefixScanner&) = delete;
  PrefixScanner& operator=(const PrefixScanner&) = delete;

  // Calls `fn(key, value)` for every key of the family that starts with
  // `prefix`, in key order, until `fn` returns false.
  absl::Status Scan(
      std::string_view prefix,
      absl::FunctionRef<bool(std::string_view key, std::string_view value)> fn);

 private:
  const Store* store_;
  ColumnFamily family_;
  std::unique_ptr<rocksdb::Iterator> it_;  // created by the first scan
};

}  // namespace credit

#endif  // CREDIT_STORE_PREFIX_SCANNER_H_
