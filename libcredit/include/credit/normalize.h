// credit/normalize.h: identifier validation and normalization of the identity
// features agencies send (names, identifiers, dates, addresses, phones,
// emails), so a caller can check data before submitting it. Ingest applies
// the same functions to every feature (see NormalizeFeature).
//
// Identifiers are validated checksum-exactly: USCC (GB 32100-2015), resident
// identity numbers and residence permits (GB 11643-1999, 15-digit numbers
// upgraded), organisation codes (GB 11714) and 15-digit registration numbers
// (ISO 7064 MOD 11,10). A failure is an InvalidArgumentError naming the rule
// ("USCC 914403001922038217: check character is '7', expected '6'").
//
// Text is folded with ICU: NFKC, case folding, whitespace collapsed,
// full-width forms and bracket / middle-dot variants unified, Traditional
// characters mapped to Simplified one by one, and a toneless pinyin key
// derived for CJK text. docs/normalization.md states every rule.
//
// Thread safety: every function is thread-safe. ICU objects are created once
// per thread and reused; results of the pinyin conversion are cached per
// thread. No function does I/O.
//
// Example:
//   auto id = credit::ValidateUscc("91350100M000100Y43");
//   if (!id.ok()) return id.status();   // names the failing rule
//   std::string org = id->org_code;     // "M000100Y4"
//
//   credit::OrgName a = credit::NormalizeOrgName("深圳市腾讯计算机系统有限公司");
//   credit::OrgName b = credit::NormalizeOrgName("腾讯计算机系统（深圳）有限公司");
//   assert(a.key == b.key && a.region == b.region);  // 腾讯计算机系统, 深圳市
#ifndef CREDIT_NORMALIZE_H_
#define CREDIT_NORMALIZE_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "credit/v1/common.pb.h"
#include "credit/v1/record.pb.h"

namespace credit {

// ---------------------------------------------------------------- identifiers

struct IdValidationOptions {
  // Accept a well-formed value whose check character is wrong as a "legacy,
  // unverified" identifier (early pilot USCCs are real but fail the check):
  // the result is returned with checksum_verified = false instead of an
  // error. Malformed values (length, characters, birth date) are still
  // rejected. Default false.
  bool accept_unverified = false;
  // "Now" for the rule that a birth date may not lie in the future.
  // Default absl::InfinitePast(): use the system clock.
  absl::Time now = absl::InfinitePast();
};

// The normalized form of an identifier and what it encodes.
struct IdValidation {
  std::string normalized;          // canonical form: upper-case, no separators
  bool checksum_verified = false;  // false only for accepted legacy values
  std::string reason;              // why checksum_verified is false, else ""
  // USCC and ORG_CODE: the 9-character organisation code (USCC positions
  // 9-17), and whether it passed its own GB 11714 check.
  std::string org_code;
  bool org_code_verified = false;
  // RESIDENT_ID: date of birth, "M" / "F", and "mainland", "hong_kong",
  // "macau" or "taiwan" (residence permits, prefixes 81 / 82 / 83).
  v1::Date birth_date;
  std::string sex;
  std::string holder;
  bool upgraded = false;  // RESIDENT_ID: a 15-digit number was upgraded
};

// Validates a Unified Social Credit Code: 18 characters of
// 0-9A-Z without I, O, S, V, Z; spaces and hyphens removed, full-width and
// lower-case accepted; positions 3-8 digits; GB 32100 check character.
absl::StatusOr<IdValidation> ValidateUscc(std::string_view value,
                                          const IdValidationOptions& options = {});

// Validates a resident identity number or a Hong Kong / Macau / Taiwan
// residence permit (MOD 11-2 check, real birth date not in the future,
// province code). A 15-digit number is upgraded to 18 digits first.
absl::StatusOr<IdValidation> ValidateResidentId(
    std::string_view value, const IdValidationOptions& options = {});

// Validates an organisation code ("D2143569-X" or "D2143569X").
absl::StatusOr<IdValidation> ValidateOrgCode(
    std::string_view value, const IdValidationOptions& options = {});

// Validates a 15-digit business registration number (ISO 7064 MOD 11,10).
absl::StatusOr<IdValidation> ValidateRegNo(
    std::string_view value, const IdValidationOptions& options = {});

// Normalizes an identifier of a scheme without checksum (passport, tax id,
// other): trimmed, NFKC, upper-cased, separators (space - . / _) removed.
// Returns checksum_verified = false. InvalidArgumentError when empty.
absl::StatusOr<IdValidation> NormalizeUncheckedId(std::string_view value);

// Dispatches on `scheme` to one of the functions above.
absl::StatusOr<IdValidation> ValidateId(v1::Feature::IdScheme scheme,
                                        std::string_view value,
                                        const IdValidationOptions& options = {});

// Returns the display name of `scheme` used in messages ("USCC").
std::string_view IdSchemeName(v1::Feature::IdScheme scheme);

// ---------------------------------------------------------------------- text

// Returns `text` with NFKC, case folding, full-width forms folded, 【】〔〕
// and similar brackets mapped to ( ) [ ], middle-dot variants mapped to '·',
// and runs of whitespace collapsed to one space (trimmed). ASCII text takes a
// fast path without ICU.
std::string NormalizeText(std::string_view text);

// Returns `text` with every Traditional character replaced by its Simplified
// form, character by character (ICU "Traditional-Simplified"); never
// rewrites words.
std::string ToSimplified(std::string_view text);

enum class PinyinStyle {
  kGeneral,  // ICU "Han-Latin"
  kName,     // ICU "Han-Latin/Names": surname readings (单 → shan)
};

// Returns the toneless lower-case pinyin of the Han characters in `text`,
// syllables separated by single spaces; Latin letters and digits are kept,
// other characters dropped. Cached per thread.
std::string PinyinKey(std::string_view text,
                      PinyinStyle style = PinyinStyle::kGeneral);

// A normalized person name.
struct PersonName {
  std::string key;     // comparable full name: CJK "张建新"; Latin "family given"
  std::string family;  // "张" / "欧阳" / "smith"
  std::string given;   // "建新" / "john"
  std::vector<std::string> tokens;  // family first, then given tokens
  std::string pinyin;  // CJK: toneless pinyin without spaces, family first
  bool cjk = false;    // the name contains Han characters
};

// Normalizes a full person name: CJK names are split into surname (compound
// surnames such as 欧阳, 司马, 诸葛, 上官 included) and given name; Latin
// names "Given Family" or "Family, Given". Mixed-script names are tokenized
// by script.
PersonName NormalizePersonName(std::string_view full);
// Normalizes a person name given as parts.
PersonName NormalizePersonNameParts(std::string_view given,
                                    std::string_view family);

// A normalized organisation name.
struct OrgName {
  // Comparable key: the name without leading region, bracketed region and
  // legal form, brackets removed; for a branch " <branch_name>分公司" is
  // appended so a branch never equals its head office.
  std::string key;
  std::string core;        // the key without the branch part
  std::string region;      // 深圳市 (full name of the most specific region)
  std::string legal_form;  // 有限公司, 股份有限公司, "co ltd", ...
  bool branch = false;     // 分公司 / "branch"
  std::string branch_name; // 深圳 in 平安银行股份有限公司深圳分公司
  std::vector<std::string> tokens;  // region(s), core, branch name
  std::string pinyin;      // toneless pinyin of `core` without spaces
};

// Normalizes an organisation name (CJK or Latin).
OrgName NormalizeOrgName(std::string_view name);

// Returns true when `name` looks like an organisation name (a legal form or
// a word such as 公司, 集团, 银行, 大学, "ltd", "inc"): used when a record's
// entity kind is unspecified.
bool LooksLikeOrgName(std::string_view name);

// A normalized address.
struct Address {
  std::string key;       // canonical: full division names + remainder
  std::string province;  // 广东省 (filled from the city when omitted)
  std::string city;      // 深圳市 (municipalities: 北京市 in both)
  std::string district;  // 南山区
  std::vector<std::string> tokens;  // division names, then remainder tokens
};

// Normalizes a CJK or Latin address. CJK: province / city / district are
// recognised from the table of China's administrative divisions shipped in
// libcredit/data/admin_divisions.tsv; the remainder is split after address
// units (路, 号, 栋, 室, ...). Latin: tokens with St/Street, Rd/Road, ...
// folded to the long form.
Address NormalizeAddress(std::string_view address);

// A normalized phone number.
struct Phone {
  std::string digits;     // canonical digits: 13812345678, 075512345678, +14155552671
  std::string extension;  // "" or the extension digits
  std::string kind;       // "mobile", "landline", "service" (400/800), "local", "international"
  // digits, plus ";ext=<extension>" when there is one.
  std::string Canonical() const;
};

// Normalizes a phone number: +86 / 0086 prefixes removed, area code with
// trunk 0 (010, 0755), extensions after "ext", "x", "转", "#" or "-" after a
// complete number. InvalidArgumentError says why a number cannot be one.
absl::StatusOr<Phone> NormalizePhone(std::string_view phone);

// Returns the trimmed, NFKC-folded, lower-cased email, or InvalidArgumentError
// with the reason ("email 'a@b': domain 'b' has no dot").
absl::StatusOr<std::string> NormalizeEmail(std::string_view email);

// ---------------------------------------------------------------------- dates

struct DateParseOptions {
  // Read a bare number of up to 5 digits as an Excel serial day number
  // (1 = 1900-01-01, with Excel's 1900 leap-year bug honoured). Default false.
  bool excel_serial = false;
};

// Returns the date written in `text`: 2023-05-01, 2023/5/1, 2023.05.01,
// 20230501, 2023年5月1日, partial dates 2023, 2023-05, 2023年5月 (kept
// partial, never invented), an ISO timestamp's date part, and with
// `options.excel_serial` an Excel serial day number. Surrounding spaces and
// full-width digits allowed. InvalidArgumentError names the text and what is
// wrong ("date '2023-02-30': day 30 does not exist in 2023-02").
absl::StatusOr<v1::Date> ParseDate(std::string_view text,
                                   const DateParseOptions& options = {});

// Returns "YYYY-MM-DD", "YYYY-MM" or "YYYY" for a full or partial date, "" for
// an empty one.
std::string FormatDate(const v1::Date& date);

// Returns true when `date` is a complete, real calendar date.
bool IsCompleteDate(const v1::Date& date);

// ------------------------------------------------------------------- features

// Returns the normalized form of `feature` as ingest stores it, for a record
// of `kind` (PERSON / ORG name rules; UNSPECIFIED guesses with
// LooksLikeOrgName). Invalid values give valid = false and `error`; they are
// kept, not dropped.
v1::NormalizedFeature NormalizeFeature(const v1::Feature& feature,
                                       v1::EntityKind kind);

}  // namespace credit

#endif  // CREDIT_NORMALIZE_H_
