// credit review: the clerical-review queue and a reviewer's decisions.
#include <cstdio>

#include "cli_util.h"
#include "command.h"
#include "fmt/format.h"

namespace credit::cli {
namespace {

constexpr const char* kUsage =
    R"(usage: credit review --db DIR --list [--limit N] [--json]
       credit review --db DIR --same SOURCE/ID SOURCE/ID [--note TEXT] [--reviewer NAME]
       credit review --db DIR --different SOURCE/ID SOURCE/ID [--note TEXT] [--reviewer NAME]
       credit review --db DIR --withdraw SOURCE/ID SOURCE/ID [--reviewer NAME]

--list: pairs whose weight lies between the review and the match threshold
and whose records are in different entities, heaviest first (default 20).

--same / --different: records a reviewer's decision. It outranks scores (a
"same" even outranks two different identifiers), survives `credit resolve`,
reclusters the entities at once and is audited with the reviewer's name
(default: $USER) and the note. --withdraw takes it back.
)";

int Run(const std::vector<std::string>& argv) {
  auto args = ParseArgs(argv, ArgSpec{{"db", "limit", "note", "reviewer"},
                                      {"list", "same", "different", "withdraw",
                                       "json"},
                                      {}});
  if (!args.ok()) return ReportError("review", args.status());
  const int modes = args->Has("list") + args->Has("same") +
                    args->Has("different") + args->Has("withdraw");
  if (modes != 1) {
    return ReportError("review", absl::InvalidArgumentError(
                                     "give exactly one of --list, --same, "
                                     "--different or --withdraw (see --help)"));
  }
  auto engine = OpenEngine(*args, /*create=*/false);
  if (!engine.ok()) return ReportError("review", engine.status());
  if (args->Has("list")) {
    uint64_t limit = 20;
    if (auto text = args->Get("limit")) {
      auto n = ParseCount(*text, "--limit");
      if (!n.ok()) return ReportError("review", n.status());
      limit = *n;
    }
    auto pairs = (*engine)->ListPossibleMatches(limit);
    if (!pairs.ok()) return ReportError("review", pairs.status());
    if (args->Has("json")) {
      fmt::print("[");
      for (size_t i = 0; i < pairs->size(); ++i) {
        fmt::print("{}{}", i == 0 ? "\n  " : ",\n  ",
                   ToJson((*pairs)[i], /*pretty=*/false));
      }
      fmt::print("\n]\n");
      return kExitOk;
    }
    fmt::print("{} possible matches for review\n", pairs->size());
    for (const auto& e : *pairs) {
      fmt::print("  {} -- {}  weight {:.2f}   (credit explain --pair {} {})\n",
                 KeyString(e.record_a()), KeyString(e.record_b()),
                 e.edge().weight(), KeyString(e.record_a()),
                 KeyString(e.record_b()));
    }
    return kExitOk;
  }
  if (args->positional().size() != 2) {
    return ReportError("review", absl::InvalidArgumentError(
                                     "a decision takes two records: SOURCE/ID "
                                     "SOURCE/ID"));
  }
  auto a = ParseRecordKeyProto(args->positional()[0]);
  if (!a.ok()) return ReportError("review", a.status());
  auto b = ParseRecordKeyProto(args->positional()[1]);
  if (!b.ok()) return ReportError("review", b.status());
  IngestOptions options;
  const char* user = getenv("USER");
  options.access.actor =
      args->Get("reviewer").value_or(user != nullptr ? user : "reviewer");
  options.access.purpose = "clerical review";
  absl::StatusOr<v1::IngestReport> report =
      args->Has("withdraw")
          ? (*engine)->ClearReview(*a, *b, options)
          : (*engine)->ReviewPair(*a, *b, args->Has("same"),
                                  args->Get("note").value_or(""), options);
  if (!report.ok()) return ReportError("review", report.status());
  fmt::print("{} and {}: {} by {}; {} entity change(s)\n", KeyString(*a),
             KeyString(*b),
             args->Has("withdraw") ? "decision withdrawn"
             : args->Has("same")   ? "same subject"
                                   : "different subjects",
             options.access.actor, report->changes_size());
  for (const auto& change : report->changes()) {
    fmt::print("  {}\n", ToJson(change, /*pretty=*/false));
  }
  return kExitOk;
}

}  // namespace

extern const Command kReviewCommand = {
    "review", "list possible matches; record a reviewer's same/different",
    kUsage, Run};

}  // namespace credit::cli
