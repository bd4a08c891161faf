#include "resolve/postings_cache.h"

#include <algorithm>
#include <utility>

namespace credit {

PostingsCache::PostingsCache(std::size_t capacity)
    : generation_(std::max<std::size_t>(1, capacity / 2)) {}

const CachedPostings* PostingsCache::Find(const BlockingKey& key) {
  if (auto it = current_.find(key); it != current_.end()) return &it->second;
  auto it = previous_.find(key);
  if (it == previous_.end()) return nullptr;
  // Still in use: into the current generation, so the next turn keeps it.
  CachedPostings postings = std::move(it->second);
  previous_.erase(it);
  Insert(key, std::move(postings));
  return &current_.find(key)->second;
}

void PostingsCache::Insert(const BlockingKey& key, CachedPostings postings) {
  previous_.erase(key);
  if (auto it = current_.find(key); it != current_.end()) {
    current_weight_ -= Weight(it->second);
    current_weight_ += Weight(postings);
    it->second = std::move(postings);
    return;
  }
  if (current_weight_ + Weight(postings) > generation_ && !current_.empty()) {
    previous_ = std::move(current_);
    current_ = Generation();
    current_weight_ = 0;
  }
  current_weight_ += Weight(postings);
  current_.emplace(key, std::move(postings));
}

void PostingsCache::Clear() {
  current_ = Generation();
  previous_ = Generation();
  current_weight_ = 0;
}

}  // namespace credit
