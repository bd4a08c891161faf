#include "resolve/bulk_resolver.h"

#include <algorithm>

#include "match/blocking_keys.h"
#include "match/pair_scorer.h"
#include "match/record_fields.h"
#include "match/term_frequency.h"
#include "resolve/component_clusterer.h"
#include "util/status_macros.h"

namespace credit {

absl::StatusOr<BulkResolution> ResolveAll(
    const std::vector<const v1::Record*>& records,
    const std::map<std::uint64_t, std::uint64_t>& previous,
    std::uint64_t next_entity_id, const v1::MatchModel& model) {
  // Term frequencies over exactly these records: the same set of records
  // always gives the same weights, whatever the order they came in.
  std::vector<RecordFields> fields;
  fields.reserve(records.size());
  InMemoryTermFrequencies tf;
  for (const v1::Record* record : records) {
    fields.push_back(ExtractRecordFields(*record));
    tf.Add(fields.back());
  }
  CREDIT_ASSIGN_OR_RETURN(PairScorer scorer, PairScorer::Create(model, &tf));
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
  result.candidate_pairs = candidates.pairs.size();
  result.capped_keys = candidates.capped_keys.size();
  std::vector<ClusterEdge> cluster_edges;
  for (const auto& [i, j] : candidates.pairs) {
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

  // Stable ids: each old entity's oldest member claims its id for the
  // component that now holds that member.
  std::map<std::uint64_t, std::uint64_t> oldest_member;  // old id -> record
  for (std::uint64_t number : numbers) {
    auto old = previous.find(number);
    if (old == previous.end()) continue;
    auto [it, inserted] = oldest_member.emplace(old->second, number);
    if (!inserted) it->second = std::min(it->second, number);
  }
  std::map<std::uint64_t, size_t> component_of;  // record -> component
  for (size_t c = 0; c < clustering.components.size(); ++c) {
    for (std::uint64_t number : clustering.components[c]) {
      component_of[number] = c;
    }
  }
  std::vector<std::vector<std::uint64_t>> claims(clustering.components.size());
  for (const auto& [old_id, member] : oldest_member) {
    claims[component_of[member]].push_back(old_id);
  }
  result.next_entity_id = next_entity_id;
  for (size_t c = 0; c < clustering.components.size(); ++c) {
    std::uint64_t id;
    if (claims[c].empty()) {
      id = result.next_entity_id++;
    } else {
      id = *std::min_element(claims[c].begin(), claims[c].end());
      for (std::uint64_t other : claims[c]) {
        if (other != id) result.retired[other] = id;
      }
    }
    result.members[id] = clustering.components[c];
    for (std::uint64_t number : clustering.components[c]) {
      result.entity_of[number] = id;
    }
  }
  return result;
}

}  // namespace credit
