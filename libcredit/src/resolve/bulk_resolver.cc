#include "resolve/bulk_resolver.h"

#include <algorithm>
#include <set>

#include "match/blocking_keys.h"
#include "match/pair_scorer.h"
#include "match/record_fields.h"
#include "match/term_frequency.h"
#include "resolve/component_clusterer.h"
#include "resolve/entity_ids.h"
#include "util/status_macros.h"

namespace credit {

absl::StatusOr<BulkResolution> ResolveAll(
    const std::vector<const v1::Record*>& records,
    const std::map<std::uint64_t, std::uint64_t>& previous,
    std::uint64_t next_entity_id, const v1::MatchModel& model,
    const TermFrequencyProvider* tf,
    const std::vector<v1::Edge>& reviewer_edges) {
  std::vector<RecordFields> fields;
  fields.reserve(records.size());
  InMemoryTermFrequencies counted;
  for (const v1::Record* record : records) {
    fields.push_back(ExtractRecordFields(*record));
    if (tf == nullptr) counted.Add(fields.back());
  }
  CREDIT_ASSIGN_OR_RETURN(
      PairScorer scorer,
      PairScorer::Create(model, tf != nullptr ? tf : &counted));
  std::vector<PreparedRecord> prepared;
  std::vector<std::vector<BlockingKey>> keys;
  prepared.reserve(records.size());
  keys.reserve(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    prepared.push_back(scorer.Prepare(fields[i], records[i]->record_number()));
    keys.push_back(BlockingKeys(fields[i]));
  }
  const CandidatePairs candidates = FindCandidatePairs(keys);

  BulkResolution result;
  result.keys = std::move(keys);
  result.candidate_pairs = candidates.pairs.size();
  result.capped_keys = candidates.capped_keys.size();
  std::vector<ClusterEdge> cluster_edges;
  std::set<std::pair<std::uint64_t, std::uint64_t>> reviewed;
  for (const v1::Edge& edge : reviewer_edges) {
    reviewed.emplace(edge.record_a(), edge.record_b());
    cluster_edges.push_back(ToClusterEdge(edge));
    result.edges.push_back(edge);
  }
  for (const auto& [i, j] : candidates.pairs) {
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
    v1::Edge edge = scorer.ToEdge(score, prepared[i], prepared[j]);
    cluster_edges.push_back(ToClusterEdge(edge));
    result.edges.push_back(std::move(edge));
  }

  std::vector<std::uint64_t> numbers;
  numbers.reserve(records.size());
  for (const v1::Record* record : records) {
    numbers.push_back(record->record_number());
  }
  Clustering clustering = ComponentClusterer::Cluster(numbers, cluster_edges);

  EntityAssignment ids =
      AssignEntityIds(clustering.components, previous, next_entity_id);
  result.entity_of = std::move(ids.entity_of);
  result.members = std::move(ids.members);
  result.retired = std::move(ids.retired);
  result.next_entity_id = ids.next_entity_id;
  return result;
}

}  // namespace credit
