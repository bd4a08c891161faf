#include "normalize/record_normalizer.h"

#include <string>
#include <utility>

#include "credit/normalize.h"
#include "fmt/format.h"
#include "normalize/text_normalizer.h"

namespace credit {
namespace {

void SetError(v1::NormalizedFeature* out, std::string_view message) {
  out->set_valid(false);
  out->set_error(std::string(message));
}

void SetError(v1::NormalizedFeature* out, const absl::Status& status) {
  SetError(out, std::string(status.message()));
}

void NormalizeName(const v1::Feature& feature, v1::EntityKind kind,
                   v1::NormalizedFeature* out) {
  const bool has_parts = !feature.given().empty() || !feature.family().empty();
  if (feature.value().empty() && !has_parts) {
    SetError(out, "name is empty");
    return;
  }
  if (kind == v1::ENTITY_KIND_UNSPECIFIED) {
    kind = !has_parts && LooksLikeOrgName(feature.value()) ? v1::ORG
                                                           : v1::PERSON;
  }
  if (kind == v1::ORG) {
    std::string full = feature.value();
    if (full.empty()) full = feature.family() + feature.given();
    OrgName org = NormalizeOrgName(full);
    if (org.key.empty()) {
      SetError(out, fmt::format("organisation name '{}' has no letters or "
                                "characters left after normalization",
                                full));
      return;
    }
    out->set_valid(true);
    out->set_value(std::move(org.key));
    for (std::string& t : org.tokens) out->add_tokens(std::move(t));
    out->set_pinyin(std::move(org.pinyin));
    out->set_region(std::move(org.region));
    out->set_branch(org.branch);
    out->set_branch_name(std::move(org.branch_name));
    out->set_legal_form(std::move(org.legal_form));
    return;
  }
  PersonName name = feature.value().empty()
                        ? NormalizePersonNameParts(feature.given(),
                                                   feature.family())
                        : NormalizePersonName(feature.value());
  if (name.key.empty()) {
    SetError(out, fmt::format("person name '{}' has no letters or "
                              "characters left after normalization",
                              feature.value().empty()
                                  ? feature.given() + " " + feature.family()
                                  : feature.value()));
    return;
  }
  out->set_valid(true);
  out->set_value(std::move(name.key));
  for (std::string& t : name.tokens) out->add_tokens(std::move(t));
  out->set_pinyin(std::move(name.pinyin));
  out->set_family(std::move(name.family));
  out->set_given(std::move(name.given));
}

void NormalizeIdFeature(const v1::Feature& feature,
                        v1::NormalizedFeature* out) {
  IdValidationOptions options;
  options.accept_unverified = feature.accept_unverified();
  absl::StatusOr<IdValidation> id =
      ValidateId(feature.scheme(), feature.value(), options);
  if (!id.ok()) {
    SetError(out, id.status());
    return;
  }
  out->set_valid(true);
  out->set_value(std::move(id->normalized));
  out->set_checksum_verified(id->checksum_verified);
  switch (feature.scheme()) {
    case v1::Feature::USCC:
    case v1::Feature::ORG_CODE:
      out->set_org_code(std::move(id->org_code));
      out->set_org_code_verified(id->org_code_verified);
      break;
    case v1::Feature::RESIDENT_ID:
      *out->mutable_derived_dob() = id->birth_date;
      out->set_derived_sex(std::move(id->sex));
      out->set_holder(std::move(id->holder));
      break;
    default:
      break;
  }
  if (!id->reason.empty()) out->set_error(std::move(id->reason));
}

// Writes the normalized form of `feature` into empty `*out_ptr`.
void NormalizeFeatureInto(const v1::Feature& feature, v1::EntityKind kind,
                          v1::NormalizedFeature* out_ptr) {
  v1::NormalizedFeature& out = *out_ptr;
  switch (feature.type()) {
    case v1::Feature::NAME:
      NormalizeName(feature, kind, &out);
      break;
    case v1::Feature::ID:
      NormalizeIdFeature(feature, &out);
      break;
    case v1::Feature::DOB: {
      DateParseOptions options;
      options.excel_serial = feature.date_format() == "EXCEL_SERIAL";
      absl::StatusOr<v1::Date> date = ParseDate(feature.value(), options);
      if (!date.ok()) {
        SetError(&out, date.status());
        break;
      }
      out.set_valid(true);
      out.set_value(FormatDate(*date));
      *out.mutable_date() = *std::move(date);
      break;
    }
    case v1::Feature::ADDRESS: {
      Address address = NormalizeAddress(feature.value());
      if (address.key.empty()) {
        SetError(&out, feature.value().empty()
                           ? std::string("address is empty")
                           : fmt::format("address '{}' has nothing left after "
                                         "normalization",
                                         feature.value()));
        break;
      }
      out.set_valid(true);
      out.set_value(std::move(address.key));
      for (std::string& t : address.tokens) out.add_tokens(std::move(t));
      out.set_province(address.province);
      out.set_city(address.city);
      out.set_district(address.district);
      out.set_region(!address.district.empty() ? address.district
                     : !address.city.empty()   ? address.city
                                               : address.province);
      break;
    }
    case v1::Feature::PHONE: {
      absl::StatusOr<Phone> phone = NormalizePhone(feature.value());
      if (!phone.ok()) {
        SetError(&out, phone.status());
        break;
      }
      out.set_valid(true);
      out.set_value(phone->Canonical());
      out.add_tokens(phone->digits);
      out.set_extension(phone->extension);
      break;
    }
    case v1::Feature::EMAIL: {
      absl::StatusOr<std::string> email = NormalizeEmail(feature.value());
      if (!email.ok()) {
        SetError(&out, email.status());
        break;
      }
      out.set_valid(true);
      out.set_value(*std::move(email));
      break;
    }
    case v1::Feature::ATTRIBUTE: {
      out.set_valid(true);
      out.set_value(normalize_internal::FoldForComparison(feature.value()));
      break;
    }
    default:
      SetError(&out, fmt::format("feature type {} is not one libcredit knows",
                                 static_cast<int>(feature.type())));
      break;
  }
}

}  // namespace

v1::NormalizedFeature NormalizeFeature(const v1::Feature& feature,
                                       v1::EntityKind kind) {
  v1::NormalizedFeature out;
  NormalizeFeatureInto(feature, kind, &out);
  return out;
}

void NormalizeRecord(v1::Record* record) {
  const v1::EntityKind kind = record->entity_kind();
  for (v1::Feature& feature : *record->mutable_features()) {
    // Clearing in place keeps the message's allocations for reuse.
    v1::NormalizedFeature* out = feature.mutable_normalized();
    out->Clear();
    NormalizeFeatureInto(feature, kind, out);
  }
}

}  // namespace credit
