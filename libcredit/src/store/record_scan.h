// Reading many stored records on all cores.
//
// The relink reads every record and the preloaded linking cache the newest
// ones: a million values to decompress and parse. One iterator handing
// chunks to parsers on other cores leaves a core idle while it scans (5.7 s
// of a 1M relink's read took 4.0 s read this way). Records are keyed by
// their number, so the number range cuts into parts that the cores scan,
// decompress and visit on their own.
#ifndef CREDIT_STORE_RECORD_SCAN_H_
#define CREDIT_STORE_RECORD_SCAN_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "rocksdb/options.h"
#include "store/store.h"

namespace credit {

// The numbers of the first and last stored records as `read` sees the
// store, or nullopt when it holds none. DataLossError for a record key
// that is not a number.
absl::StatusOr<std::optional<std::pair<std::uint64_t, std::uint64_t>>>
StoredRecordNumberRange(const Store& store, const rocksdb::ReadOptions& read);

// How many parts VisitRecordsOnAllCores cuts [first, last] into: several
// per core (deletions leave some parts lighter, and a core that is done
// takes the next), never more than there are numbers. `first <= last`.
std::size_t RecordScanParts(std::uint64_t first, std::uint64_t last);

// Calls `visit(part, number, value)` for every stored record numbered in
// [first, last], as `read` sees the store: part p of RecordScanParts(first,
// last) holds a contiguous range of numbers, below those of part p + 1, and
// is visited by one thread in number order; parts run concurrently. A
// non-OK status from `visit` stops its part; the first error in part order
// is returned. DataLossError for a record key that is not a number.
absl::Status VisitRecordsOnAllCores(
    const Store& store, const rocksdb::ReadOptions& read, std::uint64_t first,
    std::uint64_t last,
    absl::FunctionRef<absl::Status(std::size_t part, std::uint64_t number,
                                   std::string_view value)>
        visit);

}  // namespace credit

#endif  // CREDIT_STORE_RECORD_SCAN_H_
