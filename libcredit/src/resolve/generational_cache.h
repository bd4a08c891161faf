// GenerationalCache: a map bounded by weight that evicts by generations,
// the cheap approximation of LRU the engine's linking caches share
// (PreparedRecordCache, PostingsCache).
//
// Entries go into the current generation. When an insert would take it
// past the budget the caller gives, it becomes the previous generation and
// the old previous one is dropped. A hit in the previous generation moves
// the entry to the current one, so what is still in use survives the next
// turn. An entry weighs `Weigh{}(value)`: 1 for a cache bounded by count,
// its length for one bounded by memory.
//
// Thread-compatible; Contains() and size() only read, so threads may call
// them at once while nothing changes the cache.
#ifndef CREDIT_RESOLVE_GENERATIONAL_CACHE_H_
#define CREDIT_RESOLVE_GENERATIONAL_CACHE_H_

#include <cstddef>
#include <utility>

#include "absl/container/flat_hash_map.h"

namespace credit {

template <typename Key, typename Value, typename Weigh>
class GenerationalCache {
 public:
  // The value cached for `key`, or null; found in the previous generation,
  // it moves to the current one (an insert of weight under `budget`). The
  // pointer is valid until the next call that changes the cache.
  Value* Find(const Key& key, std::size_t budget) {
    if (auto it = current_.find(key); it != current_.end()) return &it->second;
    auto it = previous_.find(key);
    if (it == previous_.end()) return nullptr;
    Value value = std::move(it->second);
    previous_.erase(it);
    return &Insert(key, std::move(value), budget);
  }

  // Caches `value` for `key`, replacing any. A generation holds at most
  // `budget` of weight, or a single entry heavier than that.
  Value& Insert(const Key& key, Value value, std::size_t budget) {
    previous_.erase(key);
    const std::size_t weight = Weigh{}(value);
    if (auto it = current_.find(key); it != current_.end()) {
      current_weight_ = current_weight_ - Weigh{}(it->second) + weight;
      it->second = std::move(value);
      return it->second;
    }
    if (current_weight_ + weight > budget && !current_.empty()) {
      previous_ = std::move(current_);
      current_ = Generation();
      current_weight_ = 0;
    }
    current_weight_ += weight;
    return current_.emplace(key, std::move(value)).first->second;
  }

  void Erase(const Key& key) {
    if (auto it = current_.find(key); it != current_.end()) {
      current_weight_ -= Weigh{}(it->second);
      current_.erase(it);
    }
    previous_.erase(key);
  }

  void Clear() {
    current_ = Generation();
    previous_ = Generation();
    current_weight_ = 0;
  }

  bool Contains(const Key& key) const {
    return current_.contains(key) || previous_.contains(key);
  }
  // Entries cached.
  std::size_t size() const { return current_.size() + previous_.size(); }

 private:
  using Generation = absl::flat_hash_map<Key, Value>;
  Generation current_;
  std::size_t current_weight_ = 0;
  Generation previous_;
};

}  // namespace credit

#endif  // CREDIT_RESOLVE_GENERATIONAL_CACHE_H_
