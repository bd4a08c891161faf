// Entities as a pure function of pairwise edges.
//
// ComponentClusterer turns a set of records and the edges between them into
// components (entities):
//   1. reviewer force-together edges (REVIEWER_SAME) are joined first, in
//      record-number order, unless the join would put a reviewer
//      force-apart (REVIEWER_DIFFERENT) pair together;
//   2. match edges (MATCH) are joined strongest first, ties broken by the
//      record-number pair, unless the join would put a cannot-link
//      (CANNOT_LINK) or reviewer force-apart pair together.
// A reviewer's "same" outranks a computed cannot-link between the records it
// joins (a reviewer has looked at the identifiers); nothing outranks a
// reviewer's "different".
//
// The result depends only on the set of records and edges, never on their
// order: edges are put into a total order before they are applied. So an
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
#include <vector>

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

class ComponentClusterer {
 public:
  // Returns the components of `records` under `edges` (rules above).
  // Duplicate record numbers are allowed and count once.
  static Clustering Cluster(std::span<const std::uint64_t> records,
                            std::span<const ClusterEdge> edges);
};

}  // namespace credit

#endif  // CREDIT_RESOLVE_COMPONENT_CLUSTERER_H_
