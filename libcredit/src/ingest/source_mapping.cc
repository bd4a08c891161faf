#include "ingest/source_mapping.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "fmt/format.h"
#include "util/status_macros.h"

namespace credit {
namespace ingest_internal {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;

// Returns the message type at `path` ("features[0]", "facts[1]") below
// `root`, or null when the path does not lead to a message.
const Descriptor* DescriptorAt(const Descriptor* root, std::string_view path) {
  const Descriptor* d = root;
  while (!path.empty() && d != nullptr) {
    size_t dot = path.find('.');
    std::string_view part = path.substr(0, dot);
    path = dot == std::string_view::npos ? "" : path.substr(dot + 1);
    part = part.substr(0, part.find('['));
    const FieldDescriptor* f = d->FindFieldByName(std::string(part));
    if (f == nullptr) f = d->FindFieldByCamelcaseName(std::string(part));
    if (f == nullptr || f->message_type() == nullptr) return nullptr;
    d = f->message_type();
  }
  return d;
}

const FieldDescriptor* FieldAt(const Descriptor* root, std::string_view path) {
  size_t dot = path.rfind('.');
  const Descriptor* parent = dot == std::string_view::npos
                                 ? root
                                 : DescriptorAt(root, path.substr(0, dot));
  if (parent == nullptr) return nullptr;
  std::string name(dot == std::string_view::npos ? path : path.substr(dot + 1));
  name = name.substr(0, name.find('['));
  const FieldDescriptor* f = parent->FindFieldByName(name);
  if (f == nullptr) f = parent->FindFieldByCamelcaseName(name);
  return f;
}

std::string KnownKeys(const Descriptor* d) {
  std::vector<std::string> keys;
  for (int i = 0; i < d->field_count(); ++i)
    keys.push_back(d->field(i)->json_name());
  return absl::StrJoin(keys, ", ");
}

std::string EnumNames(const EnumDescriptor* e) {
  std::vector<std::string> names;
  for (int i = 0; i < e->value_count(); ++i) {
    if (e->value(i)->number() != 0) names.push_back(e->value(i)->name());
  }
  return absl::StrJoin(names, ", ");
}

// Rewrites protobuf's JSON parse errors ("(features[0]) colums: Cannot find
// field.") into messages that say where and what to write instead.
std::string ExplainJsonError(std::string_view message) {
  const Descriptor* root = v1::SourceMapping::descriptor();
  std::string_view path;
  std::string_view rest = message;
  if (!rest.empty() && rest.front() == '(') {
    size_t close = rest.find(')');
    if (close != std::string_view::npos) {
      path = rest.substr(1, close - 1);
      rest = rest.substr(close + 1);
      if (!rest.empty() && rest.front() == ':') rest.remove_prefix(1);
      while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    }
  }
  constexpr std::string_view kUnknown = ": Cannot find field.";
  if (rest.size() > kUnknown.size() &&
      rest.substr(rest.size() - kUnknown.size()) == kUnknown) {
    std::string_view key = rest.substr(0, rest.size() - kUnknown.size());
    const Descriptor* d = DescriptorAt(root, path);
    std::string where = path.empty() ? "" : fmt::format(" in {}", path);
    if (d == nullptr) return fmt::format("unknown key '{}'{}", key, where);
    return fmt::format("unknown key '{}'{}; the keys allowed there are: {}",
                       key, where, KnownKeys(d));
  }
  constexpr std::string_view kInvalid = "invalid value ";
  if (rest.substr(0, kInvalid.size()) == kInvalid) {
    std::string_view value = rest.substr(kInvalid.size());
    value = value.substr(0, value.find(" for type"));
    const FieldDescriptor* f = FieldAt(root, path);
    if (f != nullptr && f->enum_type() != nullptr) {
      return fmt::format("{}: {} is not one of {}", path, value,
                         EnumNames(f->enum_type()));
    }
    return fmt::format("{}: invalid value {}", path, value);
  }
  return fmt::format("not a valid mapping: {}{}{}", path,
                     path.empty() ? "" : ": ", message);
}

bool IsIdentifier(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

std::string FeatureLabel(const v1::FeatureMapping& f, int index) {
  return fmt::format("features[{}] ({})", index,
                     v1::Feature::Type_Name(f.type()));
}

absl::Status ValidateFeature(const v1::FeatureMapping& f, int index) {
  const std::string label = FeatureLabel(f, index);
  auto error = [&](std::string what) {
    return absl::InvalidArgumentError(fmt::format("{}: {}", label, what));
  };
  if (f.type() == v1::Feature::TYPE_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        fmt::format("features[{}]: \"type\" is required: one of {}", index,
                    EnumNames(v1::Feature::Type_descriptor())));
  }
  for (const std::string& c : f.columns()) {
    if (c.empty()) return error("\"columns\" holds an empty column name");
  }
  const bool has_parts = !f.given().empty() || !f.family().empty();
  if (f.type() == v1::Feature::NAME) {
    if (f.columns_size() > 0 && has_parts) {
      return error(
          "give either \"columns\" (a full name) or \"given\"/\"family\" (name "
          "parts), not both");
    }
    if (f.columns_size() == 0 && !has_parts) {
      return error(
          "needs \"columns\" (a full name) or \"given\" and/or \"family\"");
    }
  } else {
    if (has_parts) return error("\"given\" and \"family\" apply to NAME only");
    if (f.columns_size() == 0) {
      return error("\"columns\" is required: the column(s) holding the value");
    }
  }
  if (f.type() == v1::Feature::ID) {
    if (f.scheme() == v1::Feature::ID_SCHEME_UNSPECIFIED) {
      return error(fmt::format("\"scheme\" is required: one of {}",
                               EnumNames(v1::Feature::IdScheme_descriptor())));
    }
    if (f.scheme() == v1::Feature::OTHER && f.scheme_name().empty()) {
      return error(
          "scheme OTHER needs \"schemeName\" naming the identifier (e.g. "
          "\"soc_sec_id\")");
    }
  } else {
    if (f.scheme() != v1::Feature::ID_SCHEME_UNSPECIFIED ||
        !f.scheme_name().empty()) {
      return error("\"scheme\" and \"schemeName\" apply to ID only");
    }
    if (f.accept_unverified())
      return error("\"acceptUnverified\" applies to ID only");
  }
  if (f.type() == v1::Feature::ATTRIBUTE) {
    if (f.name().empty()) {
      return error(
          "\"name\" is required: the attribute's name, e.g. \"gender\"");
    }
  } else if (!f.name().empty()) {
    return error("\"name\" applies to ATTRIBUTE only");
  }
  if (!f.date_format().empty()) {
    if (f.type() != v1::Feature::DOB)
      return error("\"dateFormat\" applies to DOB only");
    if (absl::AsciiStrToUpper(f.date_format()) != "EXCEL_SERIAL") {
      return error(fmt::format(
          "\"dateFormat\" '{}' is not known: leave it out, or write "
          "\"EXCEL_SERIAL\" for Excel serial day numbers",
          f.date_format()));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateFact(const v1::FactMapping& f, int index) {
  auto error = [&](std::string what) {
    return absl::InvalidArgumentError(
        fmt::format("facts[{}]: {}", index, what));
  };
  if (f.kind().empty() == f.kind_column().empty()) {
    return error(
        "give exactly one of \"kind\" (a fixed kind such as "
        "\"court_judgment\") and \"kindColumn\" (a column holding the kind)");
  }
  if (!f.kind().empty() && !IsIdentifier(f.kind())) {
    return error(
        fmt::format("\"kind\" '{}' must be lower_snake_case ([a-z0-9_]+), e.g. "
                    "\"administrative_penalty\"",
                    f.kind()));
  }
  for (const std::string& c : f.attributes()) {
    if (c.empty()) return error("\"attributes\" holds an empty column name");
  }
  for (const auto& [word, status] : f.status_values()) {
    if (!FactStatusFromName(status)) {
      return error(fmt::format(
          "\"statusValues\" maps '{}' to '{}', which is not one of {}", word,
          status, EnumNames(v1::Fact::Status_descriptor())));
    }
  }
  return absl::OkStatus();
}

absl::Status Validate(const v1::SourceMapping& m) {
  if (m.source().empty()) {
    return absl::InvalidArgumentError(
        "\"source\" is required: the source id, e.g. \"tax\"");
  }
  if (!IsIdentifier(m.source())) {
    return absl::InvalidArgumentError(fmt::format(
        "\"source\" '{}' must be lower-case letters, digits and '_' only "
        "([a-z0-9_]+)",
        m.source()));
  }
  if (m.format() == v1::SourceMapping::FORMAT_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        "\"format\" is required: \"CSV\" or \"JSONL\"");
  }
  if (m.record_id().empty()) {
    return absl::InvalidArgumentError(
        "\"recordId\" is required: the column holding the source's record id");
  }
  std::string encoding = absl::AsciiStrToUpper(m.encoding());
  if (!encoding.empty() && encoding != "UTF-8" && encoding != "UTF8" &&
      encoding != "GB18030") {
    return absl::InvalidArgumentError(fmt::format(
        "\"encoding\" '{}' is not supported: use \"UTF-8\" (the default) or "
        "\"GB18030\" (also reads GBK and GB2312)",
        m.encoding()));
  }
  const std::string& d = m.delimiter();
  if (!d.empty() &&
      (d.size() != 1 || static_cast<unsigned char>(d[0]) >= 0x80 ||
       d[0] == '"' || d[0] == '\n' || d[0] == '\r')) {
    return absl::InvalidArgumentError(fmt::format(
        "\"delimiter\" '{}' must be one ASCII character other than a quote or "
        "a line break, e.g. \",\", \";\", \"|\" or \"\\t\"",
        d));
  }
  const bool fixed_kind = m.entity_kind() != v1::ENTITY_KIND_UNSPECIFIED;
  if (fixed_kind == !m.entity_kind_column().empty()) {
    return absl::InvalidArgumentError(
        "give exactly one of \"entityKind\" (PERSON or ORG for every row) and "
        "\"entityKindColumn\" (a column holding the kind)");
  }
  for (const auto& [word, kind] : m.entity_kind_values()) {
    if (!EntityKindFromName(kind)) {
      return absl::InvalidArgumentError(fmt::format(
          "\"entityKindValues\" maps '{}' to '{}', which is not PERSON or ORG",
          word, kind));
    }
  }
  for (int i = 0; i < m.features_size(); ++i) {
    CREDIT_RETURN_IF_ERROR(ValidateFeature(m.features(i), i));
  }
  for (int i = 0; i < m.facts_size(); ++i) {
    CREDIT_RETURN_IF_ERROR(ValidateFact(m.facts(i), i));
  }
  return absl::OkStatus();
}

}  // namespace ingest_internal

std::optional<v1::Fact::Status> FactStatusFromName(std::string_view name) {
  v1::Fact::Status status;
  if (v1::Fact::Status_Parse(absl::AsciiStrToUpper(std::string(name)),
                             &status) &&
      status != v1::Fact::STATUS_UNSPECIFIED) {
    return status;
  }
  return std::nullopt;
}

std::optional<v1::EntityKind> EntityKindFromName(std::string_view name) {
  v1::EntityKind kind;
  if (v1::EntityKind_Parse(absl::AsciiStrToUpper(std::string(name)), &kind) &&
      kind != v1::ENTITY_KIND_UNSPECIFIED) {
    return kind;
  }
  return std::nullopt;
}

absl::Status ValidateSourceMapping(const v1::SourceMapping& mapping,
                                   std::string_view origin) {
  absl::Status s = ingest_internal::Validate(mapping);
  if (s.ok()) return s;
  return absl::InvalidArgumentError(
      fmt::format("mapping {}: {}", origin, std::string(s.message())));
}

absl::StatusOr<v1::SourceMapping> ParseSourceMapping(std::string_view json,
                                                     std::string_view origin) {
  v1::SourceMapping mapping;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  options.case_insensitive_enum_parsing = true;
  auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &mapping,
      options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(fmt::format(
        "mapping {}: {}", origin,
        ingest_internal::ExplainJsonError(std::string(status.message()))));
  }
  CREDIT_RETURN_IF_ERROR(ValidateSourceMapping(mapping, origin));
  return mapping;
}

absl::StatusOr<v1::SourceMapping> LoadSourceMapping(std::string_view path) {
  std::string name(path);
  std::ifstream in(name, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        fmt::format("mapping file {} cannot be opened; check the path", name));
  }
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return absl::DataLossError(
        fmt::format("reading mapping file {} failed", name));
  }
  std::string json = text.str();
  if (json.rfind("\xEF\xBB\xBF", 0) == 0) json.erase(0, 3);
  return ParseSourceMapping(json, name);
}

std::vector<std::string> MappedColumns(const v1::SourceMapping& mapping) {
  std::vector<std::string> columns;
  absl::flat_hash_set<std::string> seen;
  auto add = [&](const std::string& c) {
    if (!c.empty() && seen.insert(c).second) columns.push_back(c);
  };
  add(mapping.record_id());
  add(mapping.entity_kind_column());
  add(mapping.observed_at());
  for (const v1::FeatureMapping& f : mapping.features()) {
    for (const std::string& c : f.columns()) add(c);
    add(f.given());
    add(f.family());
  }
  for (const v1::FactMapping& f : mapping.facts()) {
    add(f.kind_column());
    add(f.occurred_at());
    add(f.amount());
    add(f.severity());
    add(f.status());
    add(f.publish_until());
    for (const std::string& c : f.attributes()) add(c);
    add(f.when_present());
  }
  return columns;
}

}  // namespace credit
