// Entities as a pure function of pairwise edges.
//
// ComponentClusterer turns a set of records and the edges between them into
// components (entities):
//   1. reviewer force-together edges (REVIEWER_SAME) are joined first, in
//      the order of their record pairs, unless the join would put a
//      reviewer force-apart (REVIEWER_DIFFERENT) pair together;
//   2. match edges (MATCH) are joined strongest first, ties broken by the
//      record pair, unless the join would put a cannot-link (CANNOT_LINK)
//      or reviewer force-apart pair together.
// Records are ordered by a rank the caller gives: the engine ranks them by
// record key (source, record id). Record numbers would not do: they follow
// arrival order, so two equal-weight edges that a cannot-link makes
// exclusive (one record equally close to two firms with different codes)
// would resolve one way or the other depending on which record came first.
// A reviewer's "same" outranks a computed cannot-link between the records it
// joins (a reviewer has looked at the identifiers); nothing outranks a
// reviewer's "different".
//
// The result depends only on the set of records, their ranks and the
// edges, never on their order: edges are put into a total order before they
// are applied. So an
// incremental recluster of one component and a batch run over all records
// give the same entities.
//
// Thread-safe: stateless; Cluster() is a pure function.
//
// Example:
//   std::vector<credit::ClusterEdge> edges = {
//       {1, 2, 25.0, credit::v1::Edge::MATCH},
//       {2, 3, 18.0, credit::v1::Edge::MATCH},
//       {1, 3, 0.0, credit::v1::Edge::CANNOT_LINK}};
//   credit::Clustering c = credit::ComponentClusterer::Cluster({1, 2, 3},
//   edges);
//   // c.components == {{1, 2}, {3}}: 2-3 would join 1 and 3.
#ifndef CREDIT_RESOLVE_COMPONENT_CLUSTERER_H_
#define CREDIT_RESOLVE_COMPONENT_CLUSTERER_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "credit/v1/match.pb.h"

namespace credit {

// One edge as the clusterer sees it. `weight` matters only for MATCH.
struct ClusterEdge {
  std::uint64_t a = 0;
  std::uint64_t b = 0;
  double weight = 0;
  v1::Edge::Kind kind = v1::Edge::MATCH;
  friend bool operator==(const ClusterEdge&, const ClusterEdge&) = default;
};

// Returns the clusterer's view of a stored edge.
inline ClusterEdge ToClusterEdge(const v1::Edge& edge) {
  return {edge.record_a(), edge.record_b(), edge.weight(), edge.kind()};
}

struct Clustering {
  // Every input record in exactly one component; members sorted ascending,
  // components sorted by their smallest member. Singletons included.
  std::vector<std::vector<std::uint64_t>> components;
  // The edges that joined two components, in the order applied (a < b).
  // They form a spanning forest: the edges that hold each entity together.
  std::vector<ClusterEdge> joining_edges;
  // MATCH or REVIEWER_SAME edges between different final components that
  // were refused because of a cannot-link or force-apart (a < b).
  std::vector<ClusterEdge> refused_edges;
  // Edges ignored: an endpoint not among the records, a self edge, a NaN
  // weight, or a kind the clusterer does not use (POSSIBLE_MATCH).
  std::size_t ignored_edges = 0;
};

// A record as RankByRecordKey() sees it; the views must outlive the call.
struct KeyedRecord {
  std::string_view source;
  std::string_view record_id;
  std::uint64_t number = 0;
};

// Returns record number -> rank in the order of (source, record id): the
// ranks the engine gives Cluster(), so ties break the same way however the
// records arrived.
absl::flat_hash_map<std::uint64_t, std::uint64_t> RankByRecordKey(
    std::vector<KeyedRecord> records);

class ComponentClusterer {
 public:
  // Returns the components of `records` under `edges` (rules above).
  // Duplicate record numbers are allowed and count once. `rank_of(number)`
  // places each record in the order ties are broken by; ranks must differ
  // between records.
  static Clustering Cluster(
      std::span<const std::uint64_t> records,
      std::span<const ClusterEdge> edges,
      absl::FunctionRef<std::uint64_t(std::uint64_t number)> rank_of);
  // The same with records ranked by their numbers: for callers whose
  // numbers already follow the key order (and for tests).
  static Clustering Cluster(std::span<const std::uint64_t> records,
                            std::span<const ClusterEdge> edges);
};

}  // namespace credit

#endif  // CREDIT_RESOLVE_COMPONENT_CLUSTERER_H_
