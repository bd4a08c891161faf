// Links a whole set of records at once: blocking, Fellegi–Sunter scoring of
// every candidate pair, edge-based clustering, and stable entity ids.
//
// The result depends only on the records (and the model), never on the order
// they arrived in: the same records always give the same partition. Entity
// ids are kept stable against the previous assignment: the component holding
// an old entity's oldest member (smallest record number) claims that id; a
// component with several claims keeps the oldest (smallest) id and the others
// are retired into id lineage; a component with no claim gets a new id.
//
// Thread safety: pure function, thread-safe.
#ifndef CREDIT_RESOLVE_BULK_RESOLVER_H_
#define CREDIT_RESOLVE_BULK_RESOLVER_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "credit/v1/match.pb.h"
#include "credit/v1/record.pb.h"
#include "match/blocking_keys.h"
#include "match/term_frequency.h"
#include "resolve/component_clusterer.h"

namespace credit {

// An edge ready to be stored: the clusterer's view of it (ends with
// a < b, weight, kind) and the v1::Edge serialized. Lighter than the
// message: a relink of 1M records keeps ~7M of them at once.
struct SerializedEdge {
  ClusterEdge edge;
  std::string value;
};

struct BulkResolution {
  // record number -> entity id, for every input record.
  std::map<std::uint64_t, std::uint64_t> entity_of;
  // entity id -> member record numbers (sorted), for every resulting entity.
  std::map<std::uint64_t, std::vector<std::uint64_t>> members;
  // retired entity id -> surviving entity id.
  std::map<std::uint64_t, std::uint64_t> retired;
  // Edges worth keeping (MATCH, CANNOT_LINK and POSSIBLE_MATCH, and the
  // reviewer edges), serialized on all cores as they are scored.
  std::vector<SerializedEdge> edges;
  std::uint64_t next_entity_id = 1;  // first id not used
  std::uint64_t candidate_pairs = 0;
  // The keys past the cap, with the number of records carrying each.
  std::vector<std::pair<BlockingKey, std::size_t>> capped;
  // Blocking keys of each input record, in input order (the engine stores
  // them as postings for incremental linking).
  std::vector<std::vector<BlockingKey>> keys;
  // When `tf` was null: the term frequencies counted over the records,
  // serialized (InMemoryTermFrequencies::Serialize), for the caller to keep.
  std::string term_frequencies;
};

// Resolves `records` (each with record_number set and normalized features).
// `previous` maps record number -> its current entity id (records absent
// from it are new); `next_entity_id` is the first unused id. Term
// frequencies come from `tf`, or, when it is null, are counted over exactly
// `records` (the same set of records then always gives the same weights,
// whatever their order). `reviewer_edges` (REVIEWER_SAME/DIFFERENT between
// the records) take the place of the computed edge of their pair and are
// returned in `edges` with the others.
absl::StatusOr<BulkResolution> ResolveAll(
    const std::vector<const v1::Record*>& records,
    const std::map<std::uint64_t, std::uint64_t>& previous,
    std::uint64_t next_entity_id, const v1::MatchModel& model,
    const TermFrequencyProvider* tf = nullptr,
    const std::vector<v1::Edge>& reviewer_edges = {});

}  // namespace credit

#endif  // CREDIT_RESOLVE_BULK_RESOLVER_H_
