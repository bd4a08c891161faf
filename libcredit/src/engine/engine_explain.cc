// Engine explanations, search and clerical review: everything that shows a
// user why linking decided what it did, or lets a person overrule it.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "engine/engine_impl.h"
#include "fmt/format.h"
#include "match/blocking_keys.h"
#include "match/record_fields.h"
#include "normalize/record_normalizer.h"
#include "resolve/component_clusterer.h"
#include "resolve/incremental_linker.h"
#include "store/key_codec.h"
#include "util/status_macros.h"

namespace credit {

using store_internal::BlockingKeyPrefix;
using store_internal::DirectedEdgeKey;
using store_internal::EntityIdKey;
using store_internal::ReadUint64;
using store_internal::RecordIdKey;
using store_internal::RecordNumberKey;

namespace {

v1::RecordKey KeyOf(const v1::Record& record) {
  v1::RecordKey key;
  key.set_source(record.source());
  key.set_record_id(record.record_id());
  return key;
}

std::string KeyText(const BlockingKey& key) {
  return fmt::format("{}:{}", BlockingKeyTypeName(key.type), key.value);
}

bool IsReviewerKind(v1::Edge::Kind kind) {
  return kind == v1::Edge::REVIEWER_SAME ||
         kind == v1::Edge::REVIEWER_DIFFERENT;
}

// Reads every edge of `number` in full (the back-references are followed).
absl::StatusOr<std::vector<v1::Edge>> EdgesOfRecord(
    const Store& store, uint64_t number, const rocksdb::ReadOptions& read) {
  std::vector<v1::Edge> edges;
  std::vector<uint64_t> back;  // neighbours stored as back-references
  absl::Status bad = absl::OkStatus();
  CREDIT_RETURN_IF_ERROR(store.ScanPrefix(
      ColumnFamily::kEdges, RecordNumberKey(number),
      [&](std::string_view key, std::string_view value) {
        auto other = ReadUint64(key, 8);
        if (!other) {
          bad = absl::DataLossError("an edge key is corrupt");
          return false;
        }
        if (*other < number) {
          back.push_back(*other);
          return true;
        }
        v1::Edge edge;
        if (!edge.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          bad = absl::DataLossError(
              fmt::format("edge {}-{} is corrupt", number, *other));
          return false;
        }
        edges.push_back(std::move(edge));
        return true;
      },
      read));
  CREDIT_RETURN_IF_ERROR(bad);
  for (uint64_t other : back) {
    CREDIT_ASSIGN_OR_RETURN(
        auto edge, store.GetProto<v1::Edge>(ColumnFamily::kEdges,
                                            DirectedEdgeKey(other, number),
                                            read));
    if (!edge) {
      return absl::DataLossError(fmt::format(
          "edge {}-{} has a back-reference but no edge; run ResolveAll()",
          other, number));
    }
    edges.push_back(*std::move(edge));
  }
  return edges;
}

}  // namespace

absl::Status EngineImpl::AddComparisons(
    v1::Edge* edge, const rocksdb::ReadOptions& read) const {
  if (edge->comparisons_size() > 0 || IsReviewerKind(edge->kind())) {
    return absl::OkStatus();
  }
  CREDIT_ASSIGN_OR_RETURN(v1::Record a, RecordByNumber(edge->record_a(), read));
  CREDIT_ASSIGN_OR_RETURN(v1::Record b, RecordByNumber(edge->record_b(), read));
  const std::shared_ptr<const LinkingModel> linking = this->linking();
  const PairScorer& scorer = *linking->scorer;
  const PreparedRecord pa =
      scorer.Prepare(ExtractRecordFields(a), a.record_number());
  const PreparedRecord pb =
      scorer.Prepare(ExtractRecordFields(b), b.record_number());
  const v1::Edge scored = scorer.ToEdge(scorer.Score(pa, pb), pa, pb);
  // The stored weight stays what clustering used; the entries add up to it
  // while the model and snapshot are the ones the edge was scored with.
  *edge->mutable_comparisons() = scored.comparisons();
  return absl::OkStatus();
}

absl::StatusOr<v1::EntityExplanation> EngineImpl::ExplainEntity(
    std::uint64_t id) const {
  auto snapshot = store_->NewSnapshot();
  const auto read = snapshot->read_options();
  CREDIT_ASSIGN_OR_RETURN(v1::Entity entity, ResolveEntity(id, read));
  const std::shared_ptr<const LinkingModel> linking = this->linking();
  v1::EntityExplanation out;
  out.set_entity_id(entity.id());
  out.set_match_threshold(linking->model.match_threshold());
  out.set_review_threshold(linking->model.review_threshold());
  std::map<uint64_t, v1::RecordKey> keys;  // record number -> key
  std::vector<uint64_t> members;
  for (const auto& key : entity.members()) {
    *out.add_members() = key;
    CREDIT_ASSIGN_OR_RETURN(uint64_t number, RecordNumberOf(key, read));
    keys[number] = key;
    members.push_back(number);
  }
  std::map<std::pair<uint64_t, uint64_t>, v1::Edge> edges;
  for (uint64_t number : members) {
    CREDIT_ASSIGN_OR_RETURN(auto found, EdgesOfRecord(*store_, number, read));
    for (auto& edge : found) {
      edges[{edge.record_a(), edge.record_b()}] = std::move(edge);
    }
  }
  auto key_of = [&](uint64_t number) -> absl::StatusOr<v1::RecordKey> {
    if (auto it = keys.find(number); it != keys.end()) return it->second;
    CREDIT_ASSIGN_OR_RETURN(v1::Record record, RecordByNumber(number, read));
    keys[number] = KeyOf(record);
    return keys[number];
  };
  auto explained = [&](const v1::Edge& edge) -> absl::StatusOr<v1::ExplainedEdge> {
    v1::ExplainedEdge e;
    CREDIT_ASSIGN_OR_RETURN(*e.mutable_record_a(), key_of(edge.record_a()));
    CREDIT_ASSIGN_OR_RETURN(*e.mutable_record_b(), key_of(edge.record_b()));
    *e.mutable_edge() = edge;
    CREDIT_RETURN_IF_ERROR(AddComparisons(e.mutable_edge(), read));
    return e;
  };
  const std::set<uint64_t> inside(members.begin(), members.end());
  std::vector<ClusterEdge> internal;
  for (const auto& [pair, edge] : edges) {
    if (inside.count(pair.first) > 0 && inside.count(pair.second) > 0) {
      internal.push_back(ToClusterEdge(edge));
    }
  }
  // Re-running the clusterer on the members gives the edges it joined, in
  // the order it applied them.
  std::vector<KeyedRecord> keyed;
  for (uint64_t number : members) {
    const v1::RecordKey& key = keys.at(number);
    keyed.push_back({key.source(), key.record_id(), number});
  }
  const auto rank = RankByRecordKey(std::move(keyed));
  const Clustering clustering = ComponentClusterer::Cluster(
      members, internal,
      [&rank](uint64_t number) { return rank.at(number); });
  std::set<std::pair<uint64_t, uint64_t>> joining;
  for (const ClusterEdge& edge : clustering.joining_edges) {
    joining.insert({edge.a, edge.b});
    CREDIT_ASSIGN_OR_RETURN(*out.add_joining_edges(),
                            explained(edges.at({edge.a, edge.b})));
  }
  for (const auto& [pair, edge] : edges) {
    const bool both_inside =
        inside.count(pair.first) > 0 && inside.count(pair.second) > 0;
    v1::ExplainedEdge* slot = nullptr;
    switch (edge.kind()) {
      case v1::Edge::MATCH:
      case v1::Edge::REVIEWER_SAME:
        if (joining.count(pair) > 0) continue;
        slot = both_inside ? out.add_other_edges() : out.add_refused_edges();
        break;
      case v1::Edge::CANNOT_LINK:
      case v1::Edge::REVIEWER_DIFFERENT:
        slot = out.add_cannot_links();
        break;
      case v1::Edge::POSSIBLE_MATCH:
        slot = out.add_possible_matches();
        break;
      default:
        continue;
    }
    CREDIT_ASSIGN_OR_RETURN(*slot, explained(edge));
  }
  return out;
}

absl::StatusOr<v1::PairExplanation> EngineImpl::ExplainPair(
    const v1::RecordKey& a, const v1::RecordKey& b) const {
  auto snapshot = store_->NewSnapshot();
  const auto read = snapshot->read_options();
  CREDIT_ASSIGN_OR_RETURN(uint64_t number_a, RecordNumberOf(a, read));
  CREDIT_ASSIGN_OR_RETURN(uint64_t number_b, RecordNumberOf(b, read));
  if (number_a == number_b) {
    return absl::InvalidArgumentError(fmt::format(
        "explain a pair of two different records, not {}/{} twice",
        a.source(), a.record_id()));
  }
  // Scored in record-number order, exactly as linking scores the pair.
  const bool swap = number_b < number_a;
  CREDIT_ASSIGN_OR_RETURN(v1::Record first,
                          RecordByNumber(swap ? number_b : number_a, read));
  CREDIT_ASSIGN_OR_RETURN(v1::Record second,
                          RecordByNumber(swap ? number_a : number_b, read));
  const std::shared_ptr<const LinkingModel> linking = this->linking();
  const PairScorer& scorer = *linking->scorer;
  const RecordFields fields_first = ExtractRecordFields(first);
  const RecordFields fields_second = ExtractRecordFields(second);
  const PreparedRecord p1 = scorer.Prepare(fields_first, first.record_number());
  const PreparedRecord p2 = scorer.Prepare(fields_second, second.record_number());
  const PairScore score = scorer.Score(p1, p2);
  const v1::Edge edge = scorer.ToEdge(score, p1, p2);

  v1::PairExplanation out;
  *out.mutable_record_a() = KeyOf(first);
  *out.mutable_record_b() = KeyOf(second);
  out.set_weight(edge.weight());
  *out.mutable_comparisons() = edge.comparisons();
  out.set_match_threshold(linking->model.match_threshold());
  out.set_review_threshold(linking->model.review_threshold());
  out.set_verdict(edge.kind() == v1::Edge::KIND_UNSPECIFIED
                      ? v1::Edge::KIND_UNSPECIFIED
                      : edge.kind());
  if (score.is_cannot_link()) out.set_cannot_link_reason(edge.note());

  CREDIT_ASSIGN_OR_RETURN(
      auto stored, store_->GetProto<v1::Edge>(
                       ColumnFamily::kEdges,
                       DirectedEdgeKey(p1.record_number, p2.record_number),
                       read));
  if (stored && IsReviewerKind(stored->kind())) {
    *out.mutable_reviewer_decision() = *stored;
  }
  // Shared blocking keys, and whether any is under the cap.
  const std::vector<BlockingKey> k1 = BlockingKeys(fields_first);
  const std::vector<BlockingKey> k2 = BlockingKeys(fields_second);
  std::vector<BlockingKey> shared;
  std::set_intersection(k1.begin(), k1.end(), k2.begin(), k2.end(),
                        std::back_inserter(shared));
  for (const BlockingKey& key : shared) {
    CREDIT_ASSIGN_OR_RETURN(
        auto capped,
        store_->Get(ColumnFamily::kKeyCounts,
                    BlockingKeyPrefix(static_cast<uint8_t>(key.type), key.value),
                    read));
    if (capped) {
      out.add_capped_shared_keys(KeyText(key));
    } else {
      out.add_shared_blocking_keys(KeyText(key));
      out.set_compared(true);
    }
  }
  for (int i = 0; i < 2; ++i) {
    const uint64_t number = i == 0 ? p1.record_number : p2.record_number;
    CREDIT_ASSIGN_OR_RETURN(auto bytes,
                            store_->Get(ColumnFamily::kRecordEntity,
                                        RecordNumberKey(number), read));
    const uint64_t entity = bytes ? ReadUint64(*bytes).value_or(0) : 0;
    if (i == 0) {
      out.set_entity_a(entity);
    } else {
      out.set_entity_b(entity);
    }
  }
  out.set_same_entity(out.entity_a() != 0 && out.entity_a() == out.entity_b());
  return out;
}

absl::StatusOr<v1::SearchResult> EngineImpl::Search(
    v1::Record query, const SearchOptions& options) const {
  if (query.features_size() == 0) {
    return absl::InvalidArgumentError(
        "a search needs at least one feature (a name, an identifier, a date "
        "of birth, a phone...)");
  }
  if (query.entity_kind() == v1::ENTITY_KIND_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        "a search needs the entity kind (PERSON or ORG) of what it looks for");
  }
  query.set_source("");
  query.set_record_id("");
  query.set_record_number(0);
  NormalizeRecord(&query);
  auto snapshot = store_->NewSnapshot();
  const auto read = snapshot->read_options();
  const std::shared_ptr<const LinkingModel> linking = this->linking();
  const PairScorer& scorer = *linking->scorer;
  const RecordFields fields = ExtractRecordFields(query);
  const PreparedRecord prepared = scorer.Prepare(fields, 0);
  const std::size_t cap = CandidateOptions{}.max_postings;

  v1::SearchResult out;
  out.set_match_threshold(linking->model.match_threshold());
  out.set_review_threshold(linking->model.review_threshold());
  const double min_weight = std::isnan(options.min_weight)
                                ? linking->model.review_threshold()
                                : options.min_weight;
  std::set<uint64_t> candidates;
  for (const BlockingKey& key : BlockingKeys(fields)) {
    const std::string prefix =
        BlockingKeyPrefix(static_cast<uint8_t>(key.type), key.value);
    std::vector<uint64_t> postings;
    absl::Status bad = absl::OkStatus();
    CREDIT_RETURN_IF_ERROR(store_->ScanPrefix(
        ColumnFamily::kBlocking, prefix,
        [&](std::string_view k, std::string_view) {
          auto number = ReadUint64(k, prefix.size());
          if (!number) {
            bad = absl::DataLossError("a blocking posting is corrupt");
            return false;
          }
          postings.push_back(*number);
          return postings.size() <= cap;
        },
        read));
    CREDIT_RETURN_IF_ERROR(bad);
    if (postings.size() > cap) {
      out.add_capped_keys(KeyText(key));
      continue;
    }
    candidates.insert(postings.begin(), postings.end());
  }
  std::map<uint64_t, v1::SearchHit> best;  // entity id -> best hit
  for (uint64_t number : candidates) {
    CREDIT_ASSIGN_OR_RETURN(v1::Record record, RecordByNumber(number, read));
    const PreparedRecord other = scorer.Prepare(record);
    const PairScore score = scorer.Score(prepared, other);
    out.set_records_scored(out.records_scored() + 1);
    if (score.is_cannot_link() || score.total < min_weight) continue;
    CREDIT_ASSIGN_OR_RETURN(auto bytes,
                            store_->Get(ColumnFamily::kRecordEntity,
                                        RecordNumberKey(number), read));
    auto entity_id = bytes ? ReadUint64(*bytes) : std::nullopt;
    if (!entity_id) continue;
    auto it = best.find(*entity_id);
    if (it != best.end() && it->second.weight() >= score.total) continue;
    v1::SearchHit hit;
    hit.set_entity_id(*entity_id);
    hit.set_weight(score.total);
    *hit.mutable_best_record() = KeyOf(record);
    *hit.mutable_comparisons() = scorer.ToEdge(score, prepared, other).comparisons();
    hit.set_is_match(scorer.IsMatch(score));
    best[*entity_id] = std::move(hit);
  }
  std::vector<v1::SearchHit> hits;
  for (auto& [id, hit] : best) hits.push_back(std::move(hit));
  std::sort(hits.begin(), hits.end(),
            [](const v1::SearchHit& x, const v1::SearchHit& y) {
              if (x.weight() != y.weight()) return x.weight() > y.weight();
              return x.entity_id() < y.entity_id();
            });
  if (hits.size() > options.limit) hits.resize(options.limit);
  for (auto& hit : hits) {
    CREDIT_ASSIGN_OR_RETURN(*hit.mutable_entity(),
                            ResolveEntity(hit.entity_id(), read));
    *out.add_hits() = std::move(hit);
  }
  return out;
}

absl::StatusOr<std::vector<v1::ExplainedEdge>> EngineImpl::ListPossibleMatches(
    std::size_t limit) const {
  auto snapshot = store_->NewSnapshot();
  const auto read = snapshot->read_options();
  CREDIT_ASSIGN_OR_RETURN(
      std::vector<v1::Edge> found,
      ReadEdgesOfKinds(*store_, {v1::Edge::POSSIBLE_MATCH}, read));
  std::sort(found.begin(), found.end(), [](const v1::Edge& x, const v1::Edge& y) {
    if (x.weight() != y.weight()) return x.weight() > y.weight();
    return std::make_pair(x.record_a(), x.record_b()) <
           std::make_pair(y.record_a(), y.record_b());
  });
  std::vector<v1::ExplainedEdge> out;
  for (const v1::Edge& edge : found) {
    if (out.size() >= limit) break;
    std::optional<uint64_t> entities[2];
    for (int i = 0; i < 2; ++i) {
      CREDIT_ASSIGN_OR_RETURN(
          auto bytes,
          store_->Get(ColumnFamily::kRecordEntity,
                      RecordNumberKey(i == 0 ? edge.record_a() : edge.record_b()),
                      read));
      entities[i] = bytes ? ReadUint64(*bytes) : std::nullopt;
    }
    if (entities[0] == entities[1]) continue;  // already linked otherwise
    v1::ExplainedEdge e;
    CREDIT_ASSIGN_OR_RETURN(v1::Record a, RecordByNumber(edge.record_a(), read));
    CREDIT_ASSIGN_OR_RETURN(v1::Record b, RecordByNumber(edge.record_b(), read));
    *e.mutable_record_a() = KeyOf(a);
    *e.mutable_record_b() = KeyOf(b);
    *e.mutable_edge() = edge;
    CREDIT_RETURN_IF_ERROR(AddComparisons(e.mutable_edge(), read));
    out.push_back(std::move(e));
  }
  return out;
}

absl::StatusOr<v1::IngestReport> EngineImpl::ReviewPair(
    const v1::RecordKey& a, const v1::RecordKey& b, bool same,
    std::string_view note, const IngestOptions& options) {
  v1::Edge edge;
  edge.set_kind(same ? v1::Edge::REVIEWER_SAME : v1::Edge::REVIEWER_DIFFERENT);
  edge.set_reviewer(options.access.actor);
  edge.set_note(std::string(note));
  return ApplyReview(a, b, std::move(edge), options);
}

absl::StatusOr<v1::IngestReport> EngineImpl::ClearReview(
    const v1::RecordKey& a, const v1::RecordKey& b,
    const IngestOptions& options) {
  return ApplyReview(a, b, std::nullopt, options);
}

absl::StatusOr<v1::IngestReport> EngineImpl::ApplyReview(
    const v1::RecordKey& a, const v1::RecordKey& b,
    std::optional<v1::Edge> edge, const IngestOptions& options) {
  absl::MutexLock lock(&write_mu_);
  CREDIT_RETURN_IF_ERROR(CheckLinkable());
  CREDIT_ASSIGN_OR_RETURN(uint64_t number_a, RecordNumberOf(a));
  CREDIT_ASSIGN_OR_RETURN(uint64_t number_b, RecordNumberOf(b));
  if (number_a == number_b) {
    return absl::InvalidArgumentError(fmt::format(
        "a review decides about two different records, not {}/{} twice",
        a.source(), a.record_id()));
  }
  const uint64_t low = std::min(number_a, number_b);
  const uint64_t high = std::max(number_a, number_b);
  CREDIT_ASSIGN_OR_RETURN(
      auto stored, store_->GetProto<v1::Edge>(ColumnFamily::kEdges,
                                              DirectedEdgeKey(low, high)));
  const bool had_review = stored && IsReviewerKind(stored->kind());
  if (!edge && !had_review) {
    return absl::NotFoundError(fmt::format(
        "no reviewer decision on {}/{} and {}/{} to withdraw", a.source(),
        a.record_id(), b.source(), b.record_id()));
  }
  const int64_t now = clock_->NowMicros();
  if (edge) {
    edge->set_record_a(low);
    edge->set_record_b(high);
    edge->set_at_micros(now);
    edge->set_model_version(linking()->model.version());
  }
  rocksdb::WriteBatch batch;
  v1::IngestReport report;
  CREDIT_ASSIGN_OR_RETURN(SourceTrust trust, LoadSourceTrust());
  const std::shared_ptr<const LinkingModel> linking = this->linking();
  const uint64_t first_new_entity = next_entity_id_;
  IncrementalLinker linker(store_.get(), &*linking->scorer, CandidateOptions{},
                           &batch, PreparedCacheFor(linking), &postings_cache_);
  const std::string action = !edge ? "review_withdrawn"
                             : edge->kind() == v1::Edge::REVIEWER_SAME
                                 ? "review_same"
                                 : "review_different";
  linker.StageReview(low, high, edge);
  CREDIT_ASSIGN_OR_RETURN(LinkOutcome outcome, linker.Finish(next_entity_id_));
  auto applied = ApplyLinkOutcome(outcome, {}, trust, now, &batch, &report);
  if (!applied.ok()) {
    next_entity_id_ = first_new_entity;
    return applied;
  }
  v1::AuditEvent event;
  event.set_action(action);
  *event.add_records() = a;
  *event.add_records() = b;
  event.set_record_count(2);
  for (uint64_t id : report.affected_entities()) event.add_entities(id);
  event.set_detail(fmt::format("{}/{} and {}/{}: {}{}", a.source(),
                               a.record_id(), b.source(), b.record_id(), action,
                               edge && !edge->note().empty()
                                   ? ": " + edge->note()
                                   : std::string()));
  auto committed = Commit(&batch, std::move(event), options);
  if (!committed.ok()) {
    next_entity_id_ = first_new_entity;
    return committed;
  }
  return report;
}

}  // namespace credit
