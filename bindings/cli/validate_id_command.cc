// `credit validate-id`: checks identifiers and prints one JSON line each.
#include <string>
#include <string_view>
#include <vector>

#include "args.h"
#include "cli_util.h"
#include "command.h"
#include "credit/normalize.h"
#include "fmt/format.h"

namespace credit::cli {
namespace {

constexpr char kUsage[] =
    "usage: credit validate-id --scheme uscc|resident_id|org_code|reg_no "
    "[--accept-unverified] VALUE...\n\n"
    "Validates each VALUE against the scheme's rules and check character and\n"
    "prints one JSON line per value:\n"
    "  {\"value\":…, \"valid\":…, \"normalized\":…, \"reason\":…, …}\n"
    "with the derived fields (org_code for USCC / org_code; date_of_birth, sex\n"
    "and holder for resident_id). 15-digit resident ids are upgraded.\n\n"
    "flags:\n"
    "  --scheme S             uscc, resident_id, org_code or reg_no (required)\n"
    "  --accept-unverified    accept a well-formed value with a wrong check\n"
    "                         character as legacy, unverified (valid, with\n"
    "                         checksum_verified false)\n\n"
    "exit status: 0 when every value is valid, 1 otherwise, 2 on bad usage.\n";

int Run(const std::vector<std::string>& argv) {
  ArgSpec spec;
  spec.value_flags = {"scheme"};
  spec.bool_flags = {"accept-unverified"};
  absl::StatusOr<Args> args = Args::Parse(argv, spec);
  if (!args.ok()) {
    fmt::print(stderr, "credit validate-id: {}\n",
               std::string(args.status().message()));
    return kExitUsage;
  }
  absl::StatusOr<std::string> scheme_name = args->Require("scheme");
  if (!scheme_name.ok()) {
    fmt::print(stderr,
               "credit validate-id: missing --scheme (uscc, resident_id, "
               "org_code or reg_no)\n");
    return kExitUsage;
  }
  v1::Feature::IdScheme scheme;
  if (*scheme_name == "uscc") {
    scheme = v1::Feature::USCC;
  } else if (*scheme_name == "resident_id") {
    scheme = v1::Feature::RESIDENT_ID;
  } else if (*scheme_name == "org_code") {
    scheme = v1::Feature::ORG_CODE;
  } else if (*scheme_name == "reg_no") {
    scheme = v1::Feature::REG_NO;
  } else {
    fmt::print(stderr,
               "credit validate-id: unknown scheme '{}' (use uscc, "
               "resident_id, org_code or reg_no)\n",
               *scheme_name);
    return kExitUsage;
  }
  if (args->positional().empty()) {
    fmt::print(stderr, "credit validate-id: no VALUE given\n{}", kUsage);
    return kExitUsage;
  }
  IdValidationOptions options;
  options.accept_unverified = args->Has("accept-unverified");
  bool all_valid = true;
  for (const std::string& value : args->positional()) {
    absl::StatusOr<IdValidation> id = ValidateId(scheme, value, options);
    std::string line = "{\"value\":" + JsonQuote(value);
    if (!id.ok()) {
      all_valid = false;
      line += ",\"valid\":false,\"normalized\":null,\"reason\":" +
              JsonQuote(std::string(id.status().message()));
    } else {
      line += ",\"valid\":true,\"normalized\":" + JsonQuote(id->normalized) +
              ",\"reason\":" +
              (id->reason.empty() ? std::string("null")
                                  : JsonQuote(id->reason)) +
              ",\"checksum_verified\":" +
              (id->checksum_verified ? "true" : "false");
      if (!id->org_code.empty()) {
        line += ",\"org_code\":" + JsonQuote(id->org_code) +
                ",\"org_code_verified\":" +
                (id->org_code_verified ? "true" : "false");
      }
      if (scheme == v1::Feature::RESIDENT_ID) {
        line += ",\"date_of_birth\":" + JsonQuote(FormatDate(id->birth_date)) +
                ",\"sex\":" + JsonQuote(id->sex) +
                ",\"holder\":" + JsonQuote(id->holder) +
                ",\"upgraded\":" + (id->upgraded ? "true" : "false");
      }
    }
    line += "}";
    fmt::print("{}\n", line);
  }
  return all_valid ? kExitOk : kExitFailure;
}

}  // namespace

extern const Command kValidateIdCommand;
const Command kValidateIdCommand = {
    "validate-id", "check identifiers (USCC, resident id, org code, reg no)",
    kUsage, &Run};

}  // namespace credit::cli
