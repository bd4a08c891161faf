#include "resolve/postings_cache.h"

#include <algorithm>
#include <utility>

namespace credit {

PostingsCache::PostingsCache(std::size_t capacity)
    : generation_(std::max<std::size_t>(1, capacity / 2)) {}

const CachedPostings* PostingsCache::Find(const BlockingKey& key) {
  return generations_.Find(key, generation_);
}

void PostingsCache::Insert(const BlockingKey& key, CachedPostings postings) {
  generations_.Insert(key, std::move(postings), generation_);
}

void PostingsCache::Clear() { generations_.Clear(); }

}  // namespace credit
