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
  const Entry* found = generations_.Find(number, GenerationSize());
  return found != nullptr ? *found : nullptr;
}

void PreparedRecordCache::Insert(
    std::uint64_t number, std::shared_ptr<const PreparedRecord> prepared) {
  if (auto it = resident_.find(number); it != resident_.end()) {
    it->second = std::move(prepared);
    return;
  }
  generations_.Insert(number, std::move(prepared), GenerationSize());
}

void PreparedRecordCache::InsertResident(
    std::uint64_t number, std::shared_ptr<const PreparedRecord> prepared) {
  generations_.Erase(number);
  resident_.insert_or_assign(number, std::move(prepared));
}

void PreparedRecordCache::Erase(std::uint64_t number) {
  resident_.erase(number);
  generations_.Erase(number);
}

void PreparedRecordCache::Clear() {
  resident_ = {};
  generations_.Clear();
}

}  // namespace credit
