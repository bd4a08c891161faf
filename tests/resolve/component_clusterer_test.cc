#include "resolve/component_clusterer.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace credit {
namespace {

using ::testing::ElementsAre;
using Components = std::vector<std::vector<std::uint64_t>>;

ClusterEdge Match(std::uint64_t a, std::uint64_t b, double w) {
  return {a, b, w, v1::Edge::MATCH};
}
ClusterEdge CannotLink(std::uint64_t a, std::uint64_t b) {
  return {a, b, 0, v1::Edge::CANNOT_LINK};
}

TEST(ComponentClustererTest, JoinsMatchEdgesIntoComponents) {
  const std::vector<std::uint64_t> records = {5, 1, 2, 3, 4};
  const std::vector<ClusterEdge> edges = {Match(1, 2, 10), Match(3, 2, 5)};
  const Clustering c = ComponentClusterer::Cluster(records, edges);
  EXPECT_EQ(c.components, (Components{{1, 2, 3}, {4}, {5}}));
  ASSERT_EQ(c.joining_edges.size(), 2u);
  EXPECT_EQ(c.joining_edges[0], Match(1, 2, 10));
  EXPECT_EQ(c.joining_edges[1], Match(2, 3, 5));  // normalized a < b
}

TEST(ComponentClustererTest, StrongestEdgeWinsAgainstACannotLink) {
  // 1-2 strong, 2-3 weaker, 1-3 cannot link: 3 stays out; 3-4 joins.
  const std::vector<std::uint64_t> records = {1, 2, 3, 4};
  const std::vector<ClusterEdge> edges = {Match(2, 3, 8), Match(1, 2, 20),
                                          CannotLink(1, 3), Match(3, 4, 4)};
  const Clustering c = ComponentClusterer::Cluster(records, edges);
  EXPECT_EQ(c.components, (Components{{1, 2}, {3, 4}}));
  EXPECT_THAT(c.refused_edges, ElementsAre(Match(2, 3, 8)));
}

TEST(ComponentClustererTest, CannotLinkBlocksTransitiveChains) {
  // A chain 1-2-3-4-5 with 1 and 5 cannot-linked: the weakest link that
  // would close the gap is refused.
  const std::vector<std::uint64_t> records = {1, 2, 3, 4, 5};
  const std::vector<ClusterEdge> edges = {Match(1, 2, 9), Match(2, 3, 7),
                                          Match(3, 4, 3), Match(4, 5, 8),
                                          CannotLink(5, 1)};
  const Clustering c = ComponentClusterer::Cluster(records, edges);
  EXPECT_EQ(c.components, (Components{{1, 2, 3}, {4, 5}}));
}

TEST(ComponentClustererTest, TiesBreakByRecordPair) {
  // Equal weights: (1,2) before (1,3) before (2,3); 2 and 3 cannot link.
  const std::vector<std::uint64_t> records = {1, 2, 3};
  const std::vector<ClusterEdge> edges = {Match(3, 1, 5), Match(2, 1, 5),
                                          CannotLink(2, 3)};
  const Clustering c = ComponentClusterer::Cluster(records, edges);
  EXPECT_EQ(c.components, (Components{{1, 2}, {3}}));
}

TEST(ComponentClustererTest, TiesBreakByTheRanksNotTheNumbers) {
  // The same graph, but record 3 ranks before record 2 (its key sorts
  // first): (1,3) is taken, (1,2) refused.
  const std::vector<std::uint64_t> records = {1, 2, 3};
  const std::vector<ClusterEdge> edges = {Match(3, 1, 5), Match(2, 1, 5),
                                          CannotLink(2, 3)};
  const std::map<std::uint64_t, std::uint64_t> rank = {{1, 0}, {3, 1}, {2, 2}};
  const Clustering c = ComponentClusterer::Cluster(
      records, edges, [&](std::uint64_t n) { return rank.at(n); });
  EXPECT_EQ(c.components, (Components{{1, 3}, {2}}));
}

TEST(ComponentClustererTest, RankByRecordKeyOrdersBySourceThenId) {
  const std::string court = "court", tax = "tax", a = "a", b = "b";
  const auto rank = RankByRecordKey(
      {{tax, a, 1}, {court, b, 2}, {court, a, 3}, {tax, b, 4}});
  EXPECT_EQ(rank.at(3), 0u);  // court/a
  EXPECT_EQ(rank.at(2), 1u);  // court/b
  EXPECT_EQ(rank.at(1), 2u);  // tax/a
  EXPECT_EQ(rank.at(4), 3u);  // tax/b
}

TEST(ComponentClustererTest, ReviewerSameOutranksScoresAndCannotLinks) {
  const std::vector<std::uint64_t> records = {1, 2, 3};
  const std::vector<ClusterEdge> edges = {
      CannotLink(1, 2), {1, 2, 0, v1::Edge::REVIEWER_SAME}, Match(2, 3, 1)};
  const Clustering c = ComponentClusterer::Cluster(records, edges);
  EXPECT_EQ(c.components, (Components{{1, 2, 3}}));
}

TEST(ComponentClustererTest, ReviewerDifferentOutranksEverything) {
  const std::vector<std::uint64_t> records = {1, 2, 3};
  const std::vector<ClusterEdge> edges = {
      {1, 3, 0, v1::Edge::REVIEWER_DIFFERENT},
      {1, 2, 0, v1::Edge::REVIEWER_SAME},
      {2, 3, 0, v1::Edge::REVIEWER_SAME},
      Match(1, 3, 100)};
  const Clustering c = ComponentClusterer::Cluster(records, edges);
  EXPECT_EQ(c.components, (Components{{1, 2}, {3}}));
}

TEST(ComponentClustererTest, IgnoresForeignSelfAndUnusedEdges) {
  const std::vector<std::uint64_t> records = {1, 2};
  const std::vector<ClusterEdge> edges = {
      Match(1, 9, 10), Match(1, 1, 10), {1, 2, 3, v1::Edge::POSSIBLE_MATCH}};
  const Clustering c = ComponentClusterer::Cluster(records, edges);
  EXPECT_EQ(c.components, (Components{{1}, {2}}));
  EXPECT_EQ(c.ignored_edges, 3u);
}

// A random graph: many records, match edges with few distinct weights (so
// ties are common), cannot-links and reviewer edges.
struct RandomGraph {
  std::vector<std::uint64_t> records;
  std::vector<ClusterEdge> edges;
};

RandomGraph MakeRandomGraph(std::uint32_t seed) {
  std::mt19937 rng(seed);
  RandomGraph g;
  constexpr int kRecords = 400;
  for (int i = 0; i < kRecords; ++i) g.records.push_back(1000 + i * 3);
  auto pick = [&] { return g.records[rng() % kRecords]; };
  for (int e = 0; e < 900; ++e) {
    g.edges.push_back(Match(pick(), pick(), static_cast<double>(rng() % 6)));
  }
  for (int e = 0; e < 150; ++e) g.edges.push_back(CannotLink(pick(), pick()));
  for (int e = 0; e < 20; ++e) {
    g.edges.push_back({pick(), pick(), 0, v1::Edge::REVIEWER_DIFFERENT});
  }
  return g;
}

TEST(ComponentClustererTest, IndependentOfInputOrder) {
  for (std::uint32_t seed : {1u, 2u, 3u}) {
    RandomGraph g = MakeRandomGraph(seed);
    const Clustering reference =
        ComponentClusterer::Cluster(g.records, g.edges);
    std::mt19937 rng(seed * 77);
    for (int shuffle = 0; shuffle < 10; ++shuffle) {
      std::shuffle(g.edges.begin(), g.edges.end(), rng);
      std::shuffle(g.records.begin(), g.records.end(), rng);
      // Flip endpoints too: (a, b) and (b, a) are the same edge.
      for (auto& e : g.edges) {
        if (rng() % 2) std::swap(e.a, e.b);
      }
      const Clustering c = ComponentClusterer::Cluster(g.records, g.edges);
      EXPECT_EQ(c.components, reference.components) << "seed " << seed;
      EXPECT_EQ(c.joining_edges, reference.joining_edges) << "seed " << seed;
    }
  }
}

// Record numbers index a table when they are dense (a relink) and are
// searched when they are spread out (an ingest's few records among
// millions): the two give the same clustering.
TEST(ComponentClustererTest, SparseNumbersClusterLikeDenseOnes) {
  constexpr std::uint64_t kSpread = 1'000'003;
  auto spread = [](std::uint64_t n) { return n * kSpread; };
  for (std::uint32_t seed : {4u, 5u}) {
    const RandomGraph dense = MakeRandomGraph(seed);
    RandomGraph sparse = dense;
    for (auto& r : sparse.records) r = spread(r);
    for (auto& e : sparse.edges) {
      e.a = spread(e.a);
      e.b = spread(e.b);
    }
    const Clustering expected =
        ComponentClusterer::Cluster(dense.records, dense.edges);
    Clustering c = ComponentClusterer::Cluster(sparse.records, sparse.edges);
    for (auto& component : c.components) {
      for (auto& r : component) r /= kSpread;
    }
    for (auto& e : c.joining_edges) {
      e.a /= kSpread;
      e.b /= kSpread;
    }
    EXPECT_EQ(c.components, expected.components) << "seed " << seed;
    EXPECT_EQ(c.joining_edges, expected.joining_edges) << "seed " << seed;
  }
}

TEST(ComponentClustererTest, IgnoresEdgesToNumbersBetweenTheRecords) {
  const std::vector<std::uint64_t> records = {1, 3, 4};
  const std::vector<ClusterEdge> edges = {Match(1, 2, 10), Match(0, 3, 10),
                                          Match(3, 4, 10)};
  const Clustering c = ComponentClusterer::Cluster(records, edges);
  EXPECT_EQ(c.components, (Components{{1}, {3, 4}}));
  EXPECT_EQ(c.ignored_edges, 2u);
}

TEST(ComponentClustererTest, CannotLinkIsNeverViolated) {
  for (std::uint32_t seed = 10; seed < 30; ++seed) {
    const RandomGraph g = MakeRandomGraph(seed);
    const Clustering c = ComponentClusterer::Cluster(g.records, g.edges);
    std::map<std::uint64_t, std::size_t> component;
    for (std::size_t i = 0; i < c.components.size(); ++i) {
      for (std::uint64_t r : c.components[i]) {
        EXPECT_TRUE(component.emplace(r, i).second)
            << "record in two components";
      }
    }
    EXPECT_EQ(component.size(), g.records.size());
    for (const ClusterEdge& e : g.edges) {
      if (e.a == e.b) continue;
      if (e.kind == v1::Edge::CANNOT_LINK ||
          e.kind == v1::Edge::REVIEWER_DIFFERENT) {
        EXPECT_NE(component[e.a], component[e.b])
            << "cannot-link " << e.a << "-" << e.b << " violated, seed "
            << seed;
      }
    }
    // Every component is connected by its joining edges, and no match edge
    // between two components could have been added.
    for (const ClusterEdge& e : c.refused_edges) {
      EXPECT_NE(component[e.a], component[e.b]);
    }
    for (const ClusterEdge& e : g.edges) {
      if (e.kind != v1::Edge::MATCH || component[e.a] == component[e.b])
        continue;
      EXPECT_NE(std::find(c.refused_edges.begin(), c.refused_edges.end(),
                          ClusterEdge{std::min(e.a, e.b), std::max(e.a, e.b),
                                      e.weight, e.kind}),
                c.refused_edges.end())
          << "match edge between components was neither used nor refused";
    }
    EXPECT_EQ(c.joining_edges.size(), g.records.size() - c.components.size());
  }
}

TEST(ComponentClustererTest, EmptyInput) {
  const Clustering c = ComponentClusterer::Cluster({}, {});
  EXPECT_TRUE(c.components.empty());
}

}  // namespace
}  // namespace credit
