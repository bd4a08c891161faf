// credit search: candidate entities for a query record, best first.
#include <cstdio>

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
                  an unchecked id. SCHEME=VALUE names an unchecked scheme
                  (soc_sec_id=1234567). May repeat.
  --kind          person or org; default: org when the name looks like an
                  organisation's or an id is a USCC, else person
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
  for (const std::string& id : args->GetAll("id")) {
    v1::Feature* feature = AddFeature(&query, v1::Feature::ID, id);
    if (ValidateUscc(id).ok()) {
      feature->set_scheme(v1::Feature::USCC);
      org = true;
    } else if (ValidateResidentId(id).ok()) {
      feature->set_scheme(v1::Feature::RESIDENT_ID);
    } else if (ValidateOrgCode(id).ok()) {
      feature->set_scheme(v1::Feature::ORG_CODE);
      org = true;
    } else {
      feature->set_scheme(v1::Feature::OTHER);
      if (auto eq = id.find('='); eq != std::string::npos) {
        feature->set_scheme_name(id.substr(0, eq));
        feature->set_value(id.substr(eq + 1));
      }
    }
  }
  if (auto dob = args->Get("dob")) AddFeature(&query, v1::Feature::DOB, *dob);
  if (auto phone = args->Get("phone")) {
    AddFeature(&query, v1::Feature::PHONE, *phone);
  }
  if (auto email = args->Get("email")) {
    AddFeature(&query, v1::Feature::EMAIL, *email);
  }
  if (auto address = args->Get("address")) {
    AddFeature(&query, v1::Feature::ADDRESS, *address);
  }
  if (query.features_size() == 0) {
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
  }
  query.set_entity_kind(org ? v1::ORG : v1::PERSON);
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
  auto result = (*engine)->Search(query, options);
  if (!result.ok()) return ReportError("search", result.status());
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
