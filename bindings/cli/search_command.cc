// credit search: candidate entities for a query record, best first.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>

#include "cli_util.h"
#include "command.h"
#include "credit/normalize.h"
#include "fmt/format.h"

namespace credit::cli {
namespace {

constexpr const char* kUsage =
    R"(usage: credit search --db DIR [--name TEXT] [--id VALUE]... [--dob DATE]
                    [--phone TEXT] [--email TEXT] [--address TEXT]
                    [--kind person|org] [--limit N] [--min-weight W] [--json]

Scores the query against every stored record that shares a blocking key with
it, exactly as linking scores a pair, and lists the entities of the best
records, best first (by default those at or above the review threshold).

  --id VALUE      an identifier; USCC, resident id and organisation code are
                  recognised by their checksum, anything else is compared as
                  an unchecked id. An 18-character id that passes both the
                  USCC and the resident id check (about 1 in 31 resident
                  ids) is searched as both, unless --kind says which.
                  SCHEME=VALUE names the scheme: uscc, resident_id or
                  org_code, or an unchecked one (soc_sec_id=1234567).
                  May repeat.
  --kind          person or org; default: org when the name looks like an
                  organisation's or an id is a USCC, person when an id is a
                  resident id, else both
  --limit N       at most N entities (default 10)
  --min-weight W  only entities whose best pair weighs at least W
)";

v1::Feature* AddFeature(v1::Record* query, v1::Feature::Type type,
                        std::string value) {
  auto* feature = query->add_features();
  feature->set_type(type);
  feature->set_value(std::move(value));
  return feature;
}

// What an --id argument can be: its value and every scheme it may be in.
struct IdArgument {
  std::string value;
  std::vector<v1::Feature::IdScheme> schemes;  // checked schemes, or OTHER
  std::string scheme_name;                     // for OTHER, when named
};

IdArgument ParseIdArgument(const std::string& arg) {
  IdArgument id{arg, {}, {}};
  if (auto eq = arg.find('='); eq != std::string::npos) {
    std::string name = arg.substr(0, eq);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    id.value = arg.substr(eq + 1);
    if (name == "uscc") {
      id.schemes = {v1::Feature::USCC};
    } else if (name == "resident_id") {
      id.schemes = {v1::Feature::RESIDENT_ID};
    } else if (name == "org_code") {
      id.schemes = {v1::Feature::ORG_CODE};
    } else {
      id.schemes = {v1::Feature::OTHER};
      id.scheme_name = arg.substr(0, eq);
    }
    return id;
  }
  if (ValidateUscc(arg).ok()) id.schemes.push_back(v1::Feature::USCC);
  if (ValidateResidentId(arg).ok()) {
    id.schemes.push_back(v1::Feature::RESIDENT_ID);
  }
  if (ValidateOrgCode(arg).ok()) id.schemes.push_back(v1::Feature::ORG_CODE);
  if (id.schemes.empty()) id.schemes = {v1::Feature::OTHER};
  return id;
}

bool IsOrgScheme(v1::Feature::IdScheme scheme) {
  return scheme == v1::Feature::USCC || scheme == v1::Feature::ORG_CODE;
}

// The scheme to search `id` in as an organisation's (org) or a person's
// id: the first of its schemes of that kind, else its first.
v1::Feature::IdScheme SchemeFor(const IdArgument& id, bool org) {
  for (auto scheme : id.schemes) {
    if (scheme != v1::Feature::OTHER && IsOrgScheme(scheme) == org) {
      return scheme;
    }
  }
  return id.schemes.front();
}

// Merges the hits of `more` into `into`: one hit per entity (the better
// one), best first, at most `limit`.
void MergeSearchResults(v1::SearchResult more, size_t limit,
                        v1::SearchResult* into) {
  std::vector<v1::SearchHit> hits(into->hits().begin(), into->hits().end());
  for (auto& hit : *more.mutable_hits()) hits.push_back(std::move(hit));
  std::stable_sort(hits.begin(), hits.end(),
                   [](const v1::SearchHit& a, const v1::SearchHit& b) {
                     return a.weight() > b.weight();
                   });
  into->clear_hits();
  std::set<uint64_t> seen;
  for (auto& hit : hits) {
    if (into->hits_size() >= static_cast<int>(limit)) break;
    if (seen.insert(hit.entity_id()).second) {
      *into->add_hits() = std::move(hit);
    }
  }
  into->set_records_scored(into->records_scored() + more.records_scored());
  for (auto& key : *more.mutable_capped_keys()) {
    if (std::find(into->capped_keys().begin(), into->capped_keys().end(),
                  key) == into->capped_keys().end()) {
      into->add_capped_keys(std::move(key));
    }
  }
}

int Run(const std::vector<std::string>& argv) {
  auto args = ParseArgs(
      argv, ArgSpec{{"db", "name", "id", "dob", "phone", "email", "address",
                     "kind", "limit", "min-weight"},
                    {"json"},
                    {"id"}});
  if (!args.ok()) return ReportError("search", args.status());
  v1::Record query;
  bool org = false;
  if (auto name = args->Get("name")) {
    AddFeature(&query, v1::Feature::NAME, *name);
    org = LooksLikeOrgName(*name);
  }
  // The ids go in per kind, below, once the kind is known.
  std::vector<IdArgument> ids;
  bool ambiguous = false;  // search as both kinds (an id or a name that may be either)
  for (const std::string& arg : args->GetAll("id")) {
    ids.push_back(ParseIdArgument(arg));
    const IdArgument& id = ids.back();
    const bool any_org = std::any_of(id.schemes.begin(), id.schemes.end(),
                                     IsOrgScheme);
    const bool any_person = std::find(id.schemes.begin(), id.schemes.end(),
                                      v1::Feature::RESIDENT_ID) !=
                            id.schemes.end();
    if (any_org && !any_person) org = true;
    ambiguous |= any_org && any_person;
  }
  if (auto dob = args->Get("dob")) {
    // A date that does not parse would silently search by nothing.
    if (auto date = ParseDate(*dob); !date.ok()) {
      return ReportError("search", absl::InvalidArgumentError(fmt::format(
                                       "--dob: {}", std::string(date.status().message()))));
    }
    AddFeature(&query, v1::Feature::DOB, *dob);
  }
  if (auto phone = args->Get("phone")) {
    AddFeature(&query, v1::Feature::PHONE, *phone);
  }
  if (auto email = args->Get("email")) {
    AddFeature(&query, v1::Feature::EMAIL, *email);
  }
  if (auto address = args->Get("address")) {
    AddFeature(&query, v1::Feature::ADDRESS, *address);
  }
  if (query.features_size() == 0 && ids.empty()) {
    return ReportError("search", absl::InvalidArgumentError(
                                     "give something to search by: --name, "
                                     "--id, --dob, --phone, --email or "
                                     "--address"));
  }
  if (auto kind = args->Get("kind")) {
    if (*kind != "person" && *kind != "org") {
      return ReportError("search", absl::InvalidArgumentError(fmt::format(
                                       "--kind is person or org, not '{}'",
                                       *kind)));
    }
    org = *kind == "org";
    ambiguous = false;
  } else if (!org && ids.empty()) {
    // A name that does not look like an organisation's (蓝中投资管理, no
    // legal form) may still be one: search both kinds.
    ambiguous = true;
  }
  // The query as an organisation's or a person's record.
  auto query_as = [&](bool as_org) {
    v1::Record as = query;
    as.set_entity_kind(as_org ? v1::ORG : v1::PERSON);
    for (const IdArgument& id : ids) {
      v1::Feature* feature = AddFeature(&as, v1::Feature::ID, id.value);
      feature->set_scheme(SchemeFor(id, as_org));
      if (!id.scheme_name.empty()) feature->set_scheme_name(id.scheme_name);
    }
    return as;
  };
  SearchOptions options;
  if (auto limit = args->Get("limit")) {
    auto n = ParseCount(*limit, "--limit");
    if (!n.ok()) return ReportError("search", n.status());
    options.limit = *n;
  }
  if (auto w = args->Get("min-weight")) {
    try {
      size_t used = 0;
      options.min_weight = std::stod(*w, &used);
      if (used != w->size()) throw std::invalid_argument("");
    } catch (...) {
      return ReportError("search", absl::InvalidArgumentError(fmt::format(
                                       "--min-weight takes a number, not '{}'",
                                       *w)));
    }
  }
  auto engine = OpenEngine(*args, /*create=*/false);
  if (!engine.ok()) return ReportError("search", engine.status());
  NoteIfAwaitingLink(**engine, *args->Get("db"));
  // A query that may be an organisation's or a person's is searched both ways.
  auto result = (*engine)->Search(query_as(ambiguous || org), options);
  if (!result.ok()) return ReportError("search", result.status());
  if (ambiguous) {
    auto as_person = (*engine)->Search(query_as(false), options);
    if (!as_person.ok()) return ReportError("search", as_person.status());
    MergeSearchResults(*std::move(as_person), options.limit, &*result);
  }
  if (args->Has("json")) {
    fmt::print("{}\n", ToJson(*result, /*pretty=*/true));
    return kExitOk;
  }
  fmt::print("{} entities ({} records scored; match threshold {:.2f}, review "
             "threshold {:.2f})\n",
             result->hits_size(), result->records_scored(),
             result->match_threshold(), result->review_threshold());
  for (const auto& key : result->capped_keys()) {
    fmt::print("  not searched by {}: too common\n", key);
  }
  for (const auto& hit : result->hits()) {
    std::string name;
    for (const auto& attribute : hit.entity().profile().attributes()) {
      if (attribute.name() == "name" && attribute.values_size() > 0) {
        name = attribute.values(0).value();
      }
    }
    fmt::print("entity {}  weight {:.2f}  {}  {}  (best: {})\n", hit.entity_id(),
               hit.weight(), hit.is_match() ? "match" : "possible", name,
               KeyString(hit.best_record()));
    PrintComparisons(hit.comparisons(), "    ");
  }
  return kExitOk;
}

}  // namespace

extern const Command kSearchCommand = {
    "search", "candidate entities for a name, id, date of birth, phone...",
    kUsage, Run};

}  // namespace credit::cli
