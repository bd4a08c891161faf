#include "resolve/component_clusterer.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <tuple>
#include <utility>

#include "util/parallel_for.h"

namespace credit {
namespace resolve_internal {
namespace {

// Union-find over dense indices, with per-component lists of the records the
// component must never be joined with. A list may hold stale entries that
// point into the component itself; they never block anything.
class ConstrainedUnionFind {
 public:
  explicit ConstrainedUnionFind(std::size_t n)
      : parent_(n), size_(n, 1), hard_(n), soft_(n) {
    std::iota(parent_.begin(), parent_.end(), 0);
  }

  std::uint32_t Find(std::uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }

  void ForbidHard(std::uint32_t x, std::uint32_t y) {
    hard_[x].push_back(y);
    hard_[y].push_back(x);
  }
  void ForbidSoft(std::uint32_t x, std::uint32_t y) {
    soft_[x].push_back(y);
    soft_[y].push_back(x);
  }

  // Returns true when components `ra` and `rb` (roots) may be joined.
  bool MayJoin(std::uint32_t ra, std::uint32_t rb, bool check_soft) {
    if (Violates(hard_, ra, rb)) return false;
    return !check_soft || !Violates(soft_, ra, rb);
  }

  void Join(std::uint32_t ra, std::uint32_t rb) {
    if (size_[ra] < size_[rb]) std::swap(ra, rb);
    parent_[rb] = ra;
    size_[ra] += size_[rb];
    Absorb(&hard_, ra, rb);
    Absorb(&soft_, ra, rb);
  }

 private:
  using Lists = std::vector<std::vector<std::uint32_t>>;

  // Constraints are stored on both endpoints, so scanning the shorter list
  // of the two components finds any violated pair.
  bool Violates(Lists& lists, std::uint32_t ra, std::uint32_t rb) {
    const bool a_shorter = lists[ra].size() <= lists[rb].size();
    const std::uint32_t scan = a_shorter ? ra : rb;
    const std::uint32_t other = a_shorter ? rb : ra;
    for (std::uint32_t x : lists[scan]) {
      if (Find(x) == other) return true;
    }
    return false;
  }

  static void Absorb(Lists* lists, std::uint32_t into, std::uint32_t from) {
    auto& dst = (*lists)[into];
    auto& src = (*lists)[from];
    if (dst.size() < src.size()) dst.swap(src);
    dst.insert(dst.end(), src.begin(), src.end());
    src.clear();
    src.shrink_to_fit();
  }

  std::vector<std::uint32_t> parent_;
  std::vector<std::uint32_t> size_;
  Lists hard_;
  Lists soft_;
};

struct IndexedEdge {
  std::uint32_t a;
  std::uint32_t b;
  ClusterEdge edge;
};

}  // namespace
}  // namespace resolve_internal

using resolve_internal::ConstrainedUnionFind;
using resolve_internal::IndexedEdge;

absl::flat_hash_map<std::uint64_t, std::uint64_t> RankByRecordKey(
    std::vector<KeyedRecord> records) {
  SortOnAllCores(records, [](const KeyedRecord& x, const KeyedRecord& y) {
    return std::tie(x.source, x.record_id, x.number) <
           std::tie(y.source, y.record_id, y.number);
  });
  absl::flat_hash_map<std::uint64_t, std::uint64_t> rank;
  rank.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    rank.emplace(records[i].number, i);
  }
  return rank;
}

Clustering ComponentClusterer::Cluster(std::span<const std::uint64_t> records,
                                       std::span<const ClusterEdge> edges) {
  return Cluster(records, edges, [](std::uint64_t number) { return number; });
}

Clustering ComponentClusterer::Cluster(
    std::span<const std::uint64_t> records, std::span<const ClusterEdge> edges,
    absl::FunctionRef<std::uint64_t(std::uint64_t number)> rank_of) {
  Clustering out;
  std::vector<std::uint64_t> ids(records.begin(), records.end());
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<std::uint64_t> rank(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) rank[i] = rank_of(ids[i]);
  // Record number -> dense index: a table when the numbers are dense (a
  // relink: every record, 2 lookups per edge for millions of edges), a
  // binary search otherwise (an ingest: a few thousand numbers spread over
  // millions).
  constexpr std::uint32_t kAbsent = ~std::uint32_t{0};
  std::vector<std::uint32_t> dense;
  if (!ids.empty() && ids.back() - ids.front() < 4 * ids.size()) {
    dense.assign(ids.back() - ids.front() + 1, kAbsent);
    for (std::size_t i = 0; i < ids.size(); ++i) {
      dense[ids[i] - ids.front()] = static_cast<std::uint32_t>(i);
    }
  }
  auto index_of = [&ids, &dense](std::uint64_t r, std::uint32_t* index) {
    if (!dense.empty()) {
      if (r < ids.front() || r - ids.front() >= dense.size() ||
          dense[r - ids.front()] == kAbsent) {
        return false;
      }
      *index = dense[r - ids.front()];
      return true;
    }
    auto it = std::lower_bound(ids.begin(), ids.end(), r);
    if (it == ids.end() || *it != r) return false;
    *index = static_cast<std::uint32_t>(it - ids.begin());
    return true;
  };

  ConstrainedUnionFind uf(ids.size());
  std::vector<IndexedEdge> together;
  std::vector<IndexedEdge> matches;
  for (const ClusterEdge& e : edges) {
    IndexedEdge ie;
    if (!index_of(e.a, &ie.a) || !index_of(e.b, &ie.b) || e.a == e.b ||
        std::isnan(e.weight)) {
      ++out.ignored_edges;
      continue;
    }
    ie.edge = e;
    if (ie.edge.a > ie.edge.b) {
      std::swap(ie.edge.a, ie.edge.b);
      std::swap(ie.a, ie.b);
    }
    switch (e.kind) {
      case v1::Edge::REVIEWER_DIFFERENT:
        uf.ForbidHard(ie.a, ie.b);
        break;
      case v1::Edge::CANNOT_LINK:
        uf.ForbidSoft(ie.a, ie.b);
        break;
      case v1::Edge::REVIEWER_SAME:
        together.push_back(ie);
        break;
      case v1::Edge::MATCH:
        matches.push_back(ie);
        break;
      default:
        ++out.ignored_edges;
        break;
    }
  }

  // A total order: the result must not depend on the input order, nor on
  // the record numbers. Pairs compare by the ranks of their ends, lower
  // rank first.
  auto ranks = [&rank](const IndexedEdge& e) {
    const std::uint64_t x = rank[e.a], y = rank[e.b];
    return x < y ? std::pair(x, y) : std::pair(y, x);
  };
  auto by_pair = [&](const IndexedEdge& x, const IndexedEdge& y) {
    return ranks(x) < ranks(y);
  };
  std::sort(together.begin(), together.end(), by_pair);
  SortOnAllCores(matches, [&](const IndexedEdge& x, const IndexedEdge& y) {
    if (x.edge.weight != y.edge.weight) return x.edge.weight > y.edge.weight;
    return by_pair(x, y);
  });

  std::vector<IndexedEdge> refused;
  auto apply = [&](const std::vector<IndexedEdge>& list, bool check_soft) {
    for (const IndexedEdge& e : list) {
      const std::uint32_t ra = uf.Find(e.a);
      const std::uint32_t rb = uf.Find(e.b);
      if (ra == rb) continue;
      if (!uf.MayJoin(ra, rb, check_soft)) {
        refused.push_back(e);
        continue;
      }
      uf.Join(ra, rb);
      out.joining_edges.push_back(e.edge);
    }
  };
  apply(together, /*check_soft=*/false);
  apply(matches, /*check_soft=*/true);

  for (const IndexedEdge& e : refused) {
    // A refused edge may have become internal through other joins.
    if (uf.Find(e.a) != uf.Find(e.b)) out.refused_edges.push_back(e.edge);
  }

  std::vector<std::uint32_t> component_of_root(ids.size(), UINT32_MAX);
  for (std::uint32_t i = 0; i < ids.size(); ++i) {
    const std::uint32_t root = uf.Find(i);
    if (component_of_root[root] == UINT32_MAX) {
      component_of_root[root] =
          static_cast<std::uint32_t>(out.components.size());
      out.components.emplace_back();
    }
    // ids are ascending, so members are appended in order and components
    // are created in order of their smallest member.
    out.components[component_of_root[root]].push_back(ids[i]);
  }
  return out;
}

}  // namespace credit
