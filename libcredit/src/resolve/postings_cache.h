// PostingsCache: the stored posting lists of blocking keys, kept from one
// ingest call to the next.
//
// Every ingest scans the stored postings of each blocking key its records
// touch (incremental_linker.h). Records of one subject often arrive in
// different batches (the same firm from market and from tax), so a batch
// scans keys an earlier one already scanned: 46 % of the 122k keys of a
// 20k-record delta into a 980k store (bench/README.md). The cache keeps
// what the linker knew about each key after the last committed call.
//
// An entry is exact: `capped` false and `postings` the key's whole stored
// list (at most the cap), or `capped` true when more than the cap are
// stored (the list is then not kept). It is only true of the store as the
// owner last committed it, so the owner must
//  - Insert the key states of a linking call only once its write landed;
//  - Clear() the cache whenever postings are written another way (a
//    relink).
// Eviction is by generations (GenerationalCache), each holding up to half
// the capacity, counted in postings plus one per key (so memory stays
// bounded whatever the lists' lengths).
//
// Thread-compatible: the engine uses it under its write lock.
#ifndef CREDIT_RESOLVE_POSTINGS_CACHE_H_
#define CREDIT_RESOLVE_POSTINGS_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "match/blocking_keys.h"
#include "resolve/generational_cache.h"

namespace credit {

struct CachedPostings {
  bool capped = false;
  std::vector<std::uint64_t> postings;  // sorted; empty when capped
};

class PostingsCache {
 public:
  // Holds at most `capacity` keys and postings together (at least 2).
  explicit PostingsCache(std::size_t capacity);
  PostingsCache(const PostingsCache&) = delete;
  PostingsCache& operator=(const PostingsCache&) = delete;

  // The stored postings of `key`, or null when it is not cached. The
  // pointer is valid until the next call that changes the cache.
  const CachedPostings* Find(const BlockingKey& key);
  // Records the stored postings of `key` (replacing any).
  void Insert(const BlockingKey& key, CachedPostings postings);
  // Forgets everything (the postings were rewritten).
  void Clear();

  // Keys cached.
  std::size_t size() const { return generations_.size(); }

 private:
  struct KeyAndPostings {
    std::size_t operator()(const CachedPostings& postings) const {
      return 1 + postings.postings.size();
    }
  };
  std::size_t generation_;  // keys and postings per generation
  GenerationalCache<BlockingKey, CachedPostings, KeyAndPostings> generations_;
};

}  // namespace credit

#endif  // CREDIT_RESOLVE_POSTINGS_CACHE_H_
