// `credit normalize`: prints the normalized form of values, one JSON line
// each, with the keys resolution uses (the NormalizedFeature ingest stores).
#include <string>
#include <string_view>
#include <vector>

#include "args.h"
#include "cli_util.h"
#include "command.h"
#include "credit/normalize.h"
#include "fmt/format.h"
#include "google/protobuf/util/json_util.h"

namespace credit::cli {
namespace {

constexpr char kUsage[] =
    "usage: credit normalize --type name|org_name|address|phone|date|email\n"
    "                        [--excel-serial] VALUE...\n\n"
    "Prints one JSON line per VALUE:\n"
    "  {\"value\":…, \"type\":…, \"valid\":…, \"normalized\":…, \"error\":…,\n"
    "   \"features\":{…}}\n"
    "where \"normalized\" is the canonical value and \"features\" the full\n"
    "normalized feature ingest stores (tokens, pinyin, family / given,\n"
    "region / legal_form / branch, province / city / district, date, ...).\n"
    "`name` is a person's name, `org_name` an organisation's.\n\n"
    "flags:\n"
    "  --type T          what the values are (required)\n"
    "  --excel-serial    date: read bare numbers as Excel serial days\n\n"
    "exit status: 0 when every value is valid, 1 otherwise, 2 on bad usage.\n";

int Run(const std::vector<std::string>& argv) {
  ArgSpec spec;
  spec.value_flags = {"type"};
  spec.bool_flags = {"excel-serial"};
  absl::StatusOr<Args> args = Args::Parse(argv, spec);
  if (!args.ok()) {
    fmt::print(stderr, "credit normalize: {}\n",
               std::string(args.status().message()));
    return kExitUsage;
  }
  absl::StatusOr<std::string> type = args->Require("type");
  if (!type.ok()) {
    fmt::print(stderr,
               "credit normalize: missing --type (name, org_name, address, "
               "phone, date or email)\n");
    return kExitUsage;
  }
  v1::Feature prototype;
  v1::EntityKind kind = v1::ENTITY_KIND_UNSPECIFIED;
  if (*type == "name") {
    prototype.set_type(v1::Feature::NAME);
    kind = v1::PERSON;
  } else if (*type == "org_name") {
    prototype.set_type(v1::Feature::NAME);
    kind = v1::ORG;
  } else if (*type == "address") {
    prototype.set_type(v1::Feature::ADDRESS);
  } else if (*type == "phone") {
    prototype.set_type(v1::Feature::PHONE);
  } else if (*type == "date") {
    prototype.set_type(v1::Feature::DOB);
    if (args->Has("excel-serial")) prototype.set_date_format("EXCEL_SERIAL");
  } else if (*type == "email") {
    prototype.set_type(v1::Feature::EMAIL);
  } else {
    fmt::print(stderr,
               "credit normalize: unknown type '{}' (use name, org_name, "
               "address, phone, date or email)\n",
               *type);
    return kExitUsage;
  }
  if (args->positional().empty()) {
    fmt::print(stderr, "credit normalize: no VALUE given\n{}", kUsage);
    return kExitUsage;
  }
  google::protobuf::util::JsonPrintOptions json_options;
  json_options.preserve_proto_field_names = true;
  bool all_valid = true;
  for (const std::string& value : args->positional()) {
    v1::Feature feature = prototype;
    feature.set_value(value);
    v1::NormalizedFeature normalized = NormalizeFeature(feature, kind);
    std::string features_json;
    if (!google::protobuf::util::MessageToJsonString(normalized,
                                                     &features_json,
                                                     json_options)
             .ok()) {
      features_json = "null";
    }
    all_valid = all_valid && normalized.valid();
    fmt::print(
        "{{\"value\":{},\"type\":{},\"valid\":{},\"normalized\":{},"
        "\"error\":{},\"features\":{}}}\n",
        JsonQuote(value), JsonQuote(*type),
        normalized.valid() ? "true" : "false",
        normalized.valid() ? JsonQuote(normalized.value()) : "null",
        normalized.error().empty() ? "null" : JsonQuote(normalized.error()),
        features_json);
  }
  return all_valid ? kExitOk : kExitFailure;
}

}  // namespace

extern const Command kNormalizeCommand;
const Command kNormalizeCommand = {
    "normalize", "show the normalized form and keys of names, addresses, ...",
    kUsage, &Run};

}  // namespace credit::cli
