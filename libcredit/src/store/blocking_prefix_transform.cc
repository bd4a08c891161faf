#include "store/blocking_prefix_transform.h"

#include <cstddef>
#include <cstdint>

namespace credit::store_internal {
namespace {

// The length of the prefix of `key`, or 0 when the key does not hold the
// 5-byte header and the value it announces.
std::size_t PrefixLength(const rocksdb::Slice& key) {
  if (key.size() < 5) return 0;
  std::uint32_t length = 0;
  for (int i = 1; i <= 4; ++i) {
    length = (length << 8) | static_cast<std::uint8_t>(key[i]);
  }
  const std::size_t prefix = 5 + static_cast<std::size_t>(length);
  return key.size() >= prefix ? prefix : 0;
}

class BlockingPrefixTransform : public rocksdb::SliceTransform {
 public:
  // Stored in every table's properties: a table written with another
  // extractor (or none) is read without its prefix filter.
  const char* Name() const override { return "credit.BlockingKeyPrefix.v1"; }

  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    return rocksdb::Slice(key.data(), PrefixLength(key));
  }

  bool InDomain(const rocksdb::Slice& key) const override {
    return PrefixLength(key) != 0;
  }
};

}  // namespace

std::shared_ptr<const rocksdb::SliceTransform> NewBlockingPrefixTransform() {
  return std::make_shared<BlockingPrefixTransform>();
}

}  // namespace credit::store_internal
