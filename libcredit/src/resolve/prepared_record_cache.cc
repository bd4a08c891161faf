#include "resolve/prepared_record_cache.h"

#include <algorithm>
#include <utility>

namespace credit {

PreparedRecordCache::PreparedRecordCache(std::size_t capacity)
    : generation_(std::max<std::size_t>(1, capacity / 2)) {}

std::shared_ptr<const PreparedRecord> PreparedRecordCache::Find(
    std::uint64_t number) {
  if (auto it = current_.find(number); it != current_.end()) return it->second;
  auto it = previous_.find(number);
  if (it == previous_.end()) return nullptr;
  // Still in use: into the current generation, so the next turn keeps it.
  std::shared_ptr<const PreparedRecord> prepared = std::move(it->second);
  previous_.erase(it);
  Insert(number, prepared);
  return prepared;
}

void PreparedRecordCache::Insert(
    std::uint64_t number, std::shared_ptr<const PreparedRecord> prepared) {
  previous_.erase(number);
  if (current_.size() >= generation_ && !current_.contains(number)) {
    previous_ = std::move(current_);
    current_ = Generation();
  }
  current_.insert_or_assign(number, std::move(prepared));
}

void PreparedRecordCache::Erase(std::uint64_t number) {
  current_.erase(number);
  previous_.erase(number);
}

void PreparedRecordCache::Clear() {
  current_ = Generation();
  previous_ = Generation();
}

}  // namespace credit
