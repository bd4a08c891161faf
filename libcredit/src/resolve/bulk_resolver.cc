#include "resolve/bulk_resolver.h"

#include <algorithm>
#include <atomic>
#include <set>

#include "match/blocking_keys.h"
#include "match/pair_scorer.h"
#include "match/record_fields.h"
#include "match/term_frequency.h"
#include "resolve/component_clusterer.h"
#include "resolve/entity_ids.h"
#include "util/parallel_for.h"
#include "util/status_macros.h"

namespace credit {

absl::StatusOr<BulkResolution> ResolveAll(
    const std::vector<const v1::Record*>& records,
    const std::map<std::uint64_t, std::uint64_t>& previous,
    std::uint64_t next_entity_id, const v1::MatchModel& model,
    const TermFrequencyProvider* tf,
    const std::vector<v1::Edge>& reviewer_edges) {
  // Field extraction, preparation and blocking keys are per record, and
  // scoring is per pair: both run on all cores, each chunk into its own
  // slots, so the result is the serial one.
  std::vector<RecordFields> fields(records.size());
  ParallelFor(records.size(), 1024, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      fields[i] = ExtractRecordFields(*records[i]);
    }
  });
  InMemoryTermFrequencies counted;
  if (tf == nullptr) {
    for (const RecordFields& record_fields : fields) counted.Add(record_fields);
  }
  CREDIT_ASSIGN_OR_RETURN(
      PairScorer scorer,
      PairScorer::Create(model, tf != nullptr ? tf : &counted));
  std::vector<PreparedRecord> prepared(records.size());
  std::vector<std::vector<BlockingKey>> keys(records.size());
  ParallelFor(records.size(), 1024, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      prepared[i] = scorer.Prepare(fields[i], records[i]->record_number());
      keys[i] = BlockingKeys(fields[i]);
    }
  });
  fields.clear();
  fields.shrink_to_fit();
  CandidatePairs candidates = FindCandidatePairs(keys);

  BulkResolution result;
  if (tf == nullptr) result.term_frequencies = counted.Serialize();
  result.keys = std::move(keys);
  result.candidate_pairs = candidates.pairs.size();
  result.capped = std::move(candidates.capped_keys);
  std::vector<ClusterEdge> cluster_edges;
  std::set<std::pair<std::uint64_t, std::uint64_t>> reviewed;
  for (const v1::Edge& edge : reviewer_edges) {
    reviewed.emplace(edge.record_a(), edge.record_b());
    cluster_edges.push_back(ToClusterEdge(edge));
    result.edges.push_back({ToClusterEdge(edge), edge.SerializeAsString()});
  }
  // Edges worth keeping per chunk of pairs, concatenated in pair order.
  const std::size_t chunk_count = BulkThreadCount();
  std::vector<std::vector<SerializedEdge>> chunk_edges(chunk_count);
  std::vector<std::size_t> chunk_begin(chunk_count, candidates.pairs.size());
  std::atomic<std::size_t> next_chunk{0};
  ParallelFor(
      candidates.pairs.size(), 4096,
      [&](std::size_t begin, std::size_t end) {
        const std::size_t chunk = next_chunk++;
        chunk_begin[chunk] = begin;
        std::vector<SerializedEdge>& out = chunk_edges[chunk];
        for (std::size_t p = begin; p < end; ++p) {
          // The pairs are in (i, j) order: i stays in the caches, j is
          // anywhere in gigabytes of prepared records. Fetching the records
          // of later pairs now overlaps their memory round trips with this
          // pair's scoring (bench/README.md, "Pair scoring").
          auto prefetch = [&](std::size_t ahead,
                              void (*fetch)(const PreparedRecord&)) {
            if (p + ahead >= end) return;
            const auto [fi, fj] = candidates.pairs[p + ahead];
            fetch(prepared[fi]);
            fetch(prepared[fj]);
          };
          prefetch(PairScorer::kPrefetchRecordAhead, PairScorer::PrefetchRecord);
          prefetch(PairScorer::kPrefetchStorageAhead,
                   PairScorer::PrefetchStorage);
          const auto [i, j] = candidates.pairs[p];
          if (!reviewed.empty() &&
              reviewed.count({std::min(prepared[i].record_number,
                                       prepared[j].record_number),
                              std::max(prepared[i].record_number,
                                       prepared[j].record_number)}) > 0) {
            continue;
          }
          PairScore score = scorer.Score(prepared[i], prepared[j]);
          if (!scorer.IsMatch(score) && !score.is_cannot_link() &&
              !scorer.IsPossibleMatch(score)) {
            continue;
          }
          const v1::Edge edge =
              scorer.ToStoredEdge(score, prepared[i], prepared[j]);
          out.push_back({ToClusterEdge(edge), edge.SerializeAsString()});
        }
      },
      chunk_count);
  std::vector<std::size_t> order(chunk_count);
  for (std::size_t c = 0; c < chunk_count; ++c) order[c] = c;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return chunk_begin[a] < chunk_begin[b];
  });
  std::size_t total = result.edges.size();
  for (const auto& chunk : chunk_edges) total += chunk.size();
  result.edges.reserve(total);
  cluster_edges.reserve(total);
  for (std::size_t c : order) {
    for (SerializedEdge& edge : chunk_edges[c]) {
      cluster_edges.push_back(edge.edge);
      result.edges.push_back(std::move(edge));
    }
    chunk_edges[c].clear();
    chunk_edges[c].shrink_to_fit();
  }

  std::vector<std::uint64_t> numbers;
  std::vector<KeyedRecord> keyed;
  numbers.reserve(records.size());
  keyed.reserve(records.size());
  for (const v1::Record* record : records) {
    numbers.push_back(record->record_number());
    keyed.push_back(
        {record->source(), record->record_id(), record->record_number()});
  }
  const auto rank = RankByRecordKey(std::move(keyed));
  Clustering clustering = ComponentClusterer::Cluster(
      numbers, cluster_edges,
      [&rank](std::uint64_t number) { return rank.at(number); });

  EntityAssignment ids =
      AssignEntityIds(clustering.components, previous, next_entity_id);
  result.entity_of = std::move(ids.entity_of);
  result.members = std::move(ids.members);
  result.retired = std::move(ids.retired);
  result.next_entity_id = ids.next_entity_id;
  return result;
}

}  // namespace credit
