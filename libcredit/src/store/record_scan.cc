#include "store/record_scan.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "fmt/format.h"
#include "rocksdb/db.h"
#include "rocksdb/iterator.h"
#include "store/key_codec.h"
#include "util/parallel_for.h"
#include "util/status_macros.h"

namespace credit {
namespace {

using store_internal::ReadUint64;
using store_internal::RecordNumberKey;

absl::Status NotANumber(std::string_view key) {
  return absl::DataLossError(fmt::format(
      "column family 'records' holds a key of {} bytes that is not a record "
      "number: restore from a backup",
      key.size()));
}

std::optional<uint64_t> NumberOf(const rocksdb::Iterator& it) {
  const std::string_view key(it.key().data(), it.key().size());
  if (key.size() != 8) return std::nullopt;
  return ReadUint64(key);
}

}  // namespace

absl::StatusOr<std::optional<std::pair<uint64_t, uint64_t>>>
StoredRecordNumberRange(const Store& store, const rocksdb::ReadOptions& read) {
  std::unique_ptr<rocksdb::Iterator> it(
      store.db()->NewIterator(read, store.cf(ColumnFamily::kRecords)));
  it->SeekToFirst();
  CREDIT_RETURN_IF_ERROR(FromRocks(it->status(), "scan records"));
  if (!it->Valid()) return std::nullopt;
  const std::optional<uint64_t> first = NumberOf(*it);
  if (!first) return NotANumber(it->key().ToStringView());
  it->SeekToLast();
  CREDIT_RETURN_IF_ERROR(FromRocks(it->status(), "scan records"));
  const std::optional<uint64_t> last =
      it->Valid() ? NumberOf(*it) : std::nullopt;
  if (!last) return NotANumber(it->key().ToStringView());
  return std::make_pair(*first, *last);
}

std::size_t RecordScanParts(uint64_t first, uint64_t last) {
  const uint64_t most = 4 * static_cast<uint64_t>(BulkThreadCount());
  return static_cast<std::size_t>(std::min(last - first, most - 1) + 1);
}

absl::Status VisitRecordsOnAllCores(
    const Store& store, const rocksdb::ReadOptions& read, uint64_t first,
    uint64_t last,
    absl::FunctionRef<absl::Status(std::size_t, uint64_t, std::string_view)>
        visit) {
  if (last < first) return absl::OkStatus();
  const std::size_t parts = RecordScanParts(first, last);
  // Part p holds [first + step * p, first + step * (p + 1) - 1]; the last
  // one ends at `last` (and is empty when the others reach it).
  const uint64_t step = (last - first) / parts + 1;
  std::vector<absl::Status> statuses(parts);
  ParallelForEach(parts, [&](std::size_t p) {
    const uint64_t begin = first + step * p;
    const uint64_t end = p + 1 == parts ? last : begin + step - 1;
    if (begin > end) return;
    rocksdb::ReadOptions part_read = read;
    std::string upper;
    rocksdb::Slice upper_slice;
    if (end < std::numeric_limits<uint64_t>::max()) {
      upper = RecordNumberKey(end + 1);
      upper_slice = rocksdb::Slice(upper);
      part_read.iterate_upper_bound = &upper_slice;
    }
    std::unique_ptr<rocksdb::Iterator> it(
        store.db()->NewIterator(part_read, store.cf(ColumnFamily::kRecords)));
    for (it->Seek(RecordNumberKey(begin)); it->Valid(); it->Next()) {
      const std::optional<uint64_t> number = NumberOf(*it);
      if (!number) {
        statuses[p] = NotANumber(it->key().ToStringView());
        return;
      }
      const rocksdb::Slice value = it->value();
      statuses[p] =
          visit(p, *number, std::string_view(value.data(), value.size()));
      if (!statuses[p].ok()) return;
    }
    statuses[p] = FromRocks(it->status(), "scan records");
  });
  for (const absl::Status& status : statuses) {
    CREDIT_RETURN_IF_ERROR(status);
  }
  return absl::OkStatus();
}

}  // namespace credit
