#include "store/prefix_scanner.h"

#include "fmt/format.h"
#include "rocksdb/options.h"

namespace credit {

absl::Status PrefixScanner::Scan(
    std::string_view prefix,
    absl::FunctionRef<bool(std::string_view, std::string_view)> fn) {
  if (it_ == nullptr) {
    rocksdb::ReadOptions read;
    // The extractor's prefix of every seek key is the scanned prefix: the
    // iterator may skip tables by their prefix filter and stops at its end.
    read.prefix_same_as_start = true;
    it_.reset(store_->db()->NewIterator(read, store_->cf(family_)));
  }
  const rocksdb::Slice start(prefix.data(), prefix.size());
  for (it_->Seek(start); it_->Valid(); it_->Next()) {
    const rocksdb::Slice key = it_->key();
    if (!key.starts_with(start)) break;
    const rocksdb::Slice value = it_->value();
    if (!fn(std::string_view(key.data(), key.size()),
            std::string_view(value.data(), value.size()))) {
      break;
    }
  }
  if (!it_->status().ok()) {
    return FromRocks(it_->status(),
                     fmt::format("scan {}", ColumnFamilyName(family_)));
  }
  return absl::OkStatus();
}

}  // namespace credit
