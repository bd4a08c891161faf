// The prefix extractor of the `blocking` column family: a posting key is
// BlockingKeyPrefix(type, value) + record number (key_codec.h), and every
// read of the index is a scan of one prefix. With the extractor, RocksDB keeps
// prefix Bloom filters, so the scan of a key that a table does not hold (most
// keys, in most tables) skips the table without a seek.
#ifndef CREDIT_STORE_BLOCKING_PREFIX_TRANSFORM_H_
#define CREDIT_STORE_BLOCKING_PREFIX_TRANSFORM_H_

#include <memory>

#include "rocksdb/slice_transform.h"

namespace credit::store_internal {

// Returns the extractor: a key's prefix is its type byte, the 4-byte length
// and the value (the part before the record number). Keys too short to hold
// the length they announce are out of its domain (no filter, still correct).
std::shared_ptr<const rocksdb::SliceTransform> NewBlockingPrefixTransform();

}  // namespace credit::store_internal

#endif  // CREDIT_STORE_BLOCKING_PREFIX_TRANSFORM_H_
