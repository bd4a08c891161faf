#include "resolve/prepared_record_cache.h"

#include <algorithm>
#include <utility>

namespace credit {

PreparedRecordCache::PreparedRecordCache(std::size_t capacity)
    : capacity_(std::max<std::size_t>(2, capacity)) {}

std::size_t PreparedRecordCache::GenerationSize() const {
  const std::size_t left =
      capacity_ > resident_.size() ? capacity_ - resident_.size() : 0;
  return std::max<std::size_t>(1, left / 2);
}

std::shared_ptr<const PreparedRecord> PreparedRecordCache::Find(
    std::uint64_t number) {
  if (auto it = resident_.find(number); it != resident_.end()) {
    return it->second;
  }
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
  if (auto it = resident_.find(number); it != resident_.end()) {
    it->second = std::move(prepared);
    return;
  }
  previous_.erase(number);
  if (current_.size() >= GenerationSize() && !current_.contains(number)) {
    previous_ = std::move(current_);
    current_ = Generation();
  }
  current_.insert_or_assign(number, std::move(prepared));
}

void PreparedRecordCache::InsertResident(
    std::uint64_t number, std::shared_ptr<const PreparedRecord> prepared) {
  current_.erase(number);
  previous_.erase(number);
  resident_.insert_or_assign(number, std::move(prepared));
}

void PreparedRecordCache::Erase(std::uint64_t number) {
  resident_.erase(number);
  current_.erase(number);
  previous_.erase(number);
}

void PreparedRecordCache::Clear() {
  resident_ = Generation();
  current_ = Generation();
  previous_ = Generation();
}

}  // namespace credit
