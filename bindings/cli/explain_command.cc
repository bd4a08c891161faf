// credit explain: why an entity holds together, or how a pair scores.
#include <cstdio>

#include "cli_util.h"
#include "command.h"
#include "fmt/format.h"

namespace credit::cli {
namespace {

constexpr const char* kUsage =
    R"(usage: credit explain --db DIR --entity ID [--json]
       credit explain --db DIR --pair SOURCE/ID SOURCE/ID [--json]

--entity: the edges that hold the entity together (the strongest-first
spanning forest the clusterer built), each with its per-feature comparison
levels and weights, then the edges it refused (a cannot-link in the way),
the cannot-links and the possible matches waiting for review.

--pair: the full score of two records as linking computes it now: prior,
per-feature levels and weights (they add up to the total), the match and
review thresholds, the verdict, a reviewer's decision if any, and the
blocking keys the records share (a pair is compared only when it shares a
key under the frequency cap).
)";

const char* KindName(v1::Edge::Kind kind) {
  switch (kind) {
    case v1::Edge::MATCH:
      return "match";
    case v1::Edge::CANNOT_LINK:
      return "cannot-link";
    case v1::Edge::REVIEWER_SAME:
      return "reviewer: same";
    case v1::Edge::REVIEWER_DIFFERENT:
      return "reviewer: different";
    case v1::Edge::POSSIBLE_MATCH:
      return "possible match (review)";
    default:
      return "no link";
  }
}

void PrintEdges(std::string_view title,
                const google::protobuf::RepeatedPtrField<v1::ExplainedEdge>& edges) {
  if (edges.empty()) return;
  fmt::print("{}:\n", title);
  for (const auto& e : edges) {
    fmt::print("  {} -- {}  {}  weight {:.2f}{}\n", KeyString(e.record_a()),
               KeyString(e.record_b()), KindName(e.edge().kind()),
               e.edge().weight(),
               e.edge().note().empty() ? "" : "  (" + e.edge().note() + ")");
    PrintComparisons(e.edge().comparisons(), "      ");
  }
}

int ExplainEntity(Engine& engine, std::string_view id_text, bool json) {
  auto id = ParseCount(id_text, "--entity");
  if (!id.ok()) return ReportError("explain", id.status());
  auto explanation = engine.ExplainEntity(*id);
  if (!explanation.ok()) return ReportError("explain", explanation.status());
  if (json) {
    fmt::print("{}\n", ToJson(*explanation, /*pretty=*/true));
    return kExitOk;
  }
  fmt::print("entity {}: {} member(s)", explanation->entity_id(),
             explanation->members_size());
  if (explanation->entity_id() != *id) {
    fmt::print(" (id {} was merged into it)", *id);
  }
  fmt::print("; match threshold {:.2f}, review threshold {:.2f}\n",
             explanation->match_threshold(), explanation->review_threshold());
  for (const auto& m : explanation->members()) {
    fmt::print("  {}\n", KeyString(m));
  }
  if (explanation->members_size() > 1) {
    PrintEdges("held together by", explanation->joining_edges());
  }
  PrintEdges("further evidence between members", explanation->other_edges());
  PrintEdges("refused (a cannot-link or reviewer in the way)",
             explanation->refused_edges());
  PrintEdges("cannot-links", explanation->cannot_links());
  PrintEdges("possible matches for review", explanation->possible_matches());
  return kExitOk;
}

int ExplainPair(Engine& engine, const std::vector<std::string>& keys,
                bool json) {
  if (keys.size() != 2) {
    return ReportError("explain", absl::InvalidArgumentError(
                                      "--pair takes two records: SOURCE/ID "
                                      "SOURCE/ID"));
  }
  auto a = ParseRecordKeyProto(keys[0]);
  if (!a.ok()) return ReportError("explain", a.status());
  auto b = ParseRecordKeyProto(keys[1]);
  if (!b.ok()) return ReportError("explain", b.status());
  auto pair = engine.ExplainPair(*a, *b);
  if (!pair.ok()) return ReportError("explain", pair.status());
  if (json) {
    fmt::print("{}\n", ToJson(*pair, /*pretty=*/true));
    return kExitOk;
  }
  fmt::print("{} vs {}: weight {:.2f}: {}{}\n", KeyString(pair->record_a()),
             KeyString(pair->record_b()), pair->weight(),
             KindName(pair->verdict()),
             pair->cannot_link_reason().empty()
                 ? ""
                 : " (" + pair->cannot_link_reason() + ")");
  fmt::print("  match threshold {:.2f}, review threshold {:.2f}\n",
             pair->match_threshold(), pair->review_threshold());
  PrintComparisons(pair->comparisons(), "  ");
  if (pair->has_reviewer_decision()) {
    const auto& r = pair->reviewer_decision();
    fmt::print("  overruled by {} ({}){}\n", KindName(r.kind()), r.reviewer(),
               r.note().empty() ? "" : ": " + r.note());
  }
  if (pair->shared_blocking_keys_size() > 0) {
    fmt::print("  compared: they share");
    for (const auto& k : pair->shared_blocking_keys()) fmt::print(" {}", k);
    fmt::print("\n");
  } else {
    fmt::print("  never compared by linking: no shared blocking key under the cap\n");
  }
  for (const auto& k : pair->capped_shared_keys()) {
    fmt::print("  shared but too common to use: {}\n", k);
  }
  fmt::print("  entities: {} and {}{}\n", pair->entity_a(), pair->entity_b(),
             pair->same_entity() ? " (the same)" : "");
  return kExitOk;
}

int Run(const std::vector<std::string>& argv) {
  auto args = ParseArgs(argv, ArgSpec{{"db", "entity"}, {"pair", "json"}, {}});
  if (!args.ok()) return ReportError("explain", args.status());
  if (args->Has("entity") == args->Has("pair")) {
    return ReportError("explain", absl::InvalidArgumentError(
                                      "give exactly one of --entity ID or "
                                      "--pair SOURCE/ID SOURCE/ID"));
  }
  auto engine = OpenEngine(*args, /*create=*/false);
  if (!engine.ok()) return ReportError("explain", engine.status());
  NoteIfAwaitingLink(**engine, *args->Get("db"));
  if (auto id = args->Get("entity")) {
    return ExplainEntity(**engine, *id, args->Has("json"));
  }
  return ExplainPair(**engine, args->positional(), args->Has("json"));
}

}  // namespace

extern const Command kExplainCommand = {
    "explain", "why an entity holds together, or how two records score",
    kUsage, Run};

}  // namespace credit::cli
