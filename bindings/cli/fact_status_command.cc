// credit fact-status: dispute, settle or repair one fact of a record.
#include <cstdio>

#include "cli_util.h"
#include "command.h"
#include "fmt/format.h"

namespace credit::cli {
namespace {

constexpr const char* kUsage =
    R"(usage: credit fact-status --db DIR --record SOURCE/ID --fact N
                         --status disputed|active|resolved|repaired
                         --reason TEXT [--actor NAME]

Sets the status of fact N (0-based, as `credit show --record` lists them) of
a record. A disputed or repaired fact stops counting in every indicator; the
entity's stored indicators are re-evaluated in the same write, which is
audited with the actor (default: $USER) and the reason.
)";

int Run(const std::vector<std::string>& argv) {
  auto args = ParseArgs(
      argv, ArgSpec{{"db", "record", "fact", "status", "reason", "actor"}, {}, {}});
  if (!args.ok()) return ReportError("fact-status", args.status());
  auto record_text = args->Require("record");
  if (!record_text.ok()) return ReportError("fact-status", record_text.status());
  auto key = ParseRecordKeyProto(*record_text);
  if (!key.ok()) return ReportError("fact-status", key.status());
  auto fact_text = args->Require("fact");
  if (!fact_text.ok()) return ReportError("fact-status", fact_text.status());
  auto fact = ParseCount(*fact_text, "--fact");
  if (!fact.ok()) return ReportError("fact-status", fact.status());
  auto status_text = args->Require("status");
  if (!status_text.ok()) return ReportError("fact-status", status_text.status());
  v1::Fact::Status status;
  std::string upper;
  for (char c : *status_text) upper += static_cast<char>(toupper(c));
  if (!v1::Fact::Status_Parse(upper, &status) ||
      status == v1::Fact::STATUS_UNSPECIFIED) {
    return ReportError("fact-status", absl::InvalidArgumentError(fmt::format(
                                          "--status is disputed, active, "
                                          "resolved or repaired, not '{}'",
                                          *status_text)));
  }
  auto reason = args->Require("reason");
  if (!reason.ok()) return ReportError("fact-status", reason.status());
  auto engine = OpenEngine(*args, /*create=*/false);
  if (!engine.ok()) return ReportError("fact-status", engine.status());
  IngestOptions options;
  const char* user = getenv("USER");
  options.access.actor =
      args->Get("actor").value_or(user != nullptr ? user : "operator");
  options.access.purpose = "fact status";
  auto report = (*engine)->SetFactStatus(*key, static_cast<uint32_t>(*fact),
                                         status, *reason, options);
  if (!report.ok()) return ReportError("fact-status", report.status());
  fmt::print("{} fact {}: {} ({}); entity indicators re-evaluated:", KeyString(*key),
             *fact, v1::Fact::Status_Name(status), *reason);
  for (uint64_t id : report->affected_entities()) fmt::print(" {}", id);
  fmt::print("\n");
  return kExitOk;
}

}  // namespace

extern const Command kFactStatusCommand = {
    "fact-status", "dispute, settle or repair a fact (indicators follow)",
    kUsage, Run};

}  // namespace credit::cli
