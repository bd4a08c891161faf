// Identifier validators: every example of the issue, tables of valid and
// invalid values, and exhaustive single-character substitutions and
// adjacent transpositions of valid USCCs.
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "credit/normalize.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "normalize/date_parser.h"
#include "test_support.h"

namespace credit {
namespace {

using ::credit::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kUsccAlphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

// Test oracle for resident ids: appends the MOD 11-2 check character to 17
// digits, written from the weights independently of the library.
std::string WithResidentCheck(const std::string& digits17) {
  static constexpr int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6,
                                     3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (digits17[i] - '0') * kWeights[i];
  return digits17 + "10X98765432"[sum % 11];
}

IdValidationOptions FixedNow() {
  IdValidationOptions options;
  options.now = absl::FromCivil(absl::CivilDay(2026, 1, 15), absl::UTCTimeZone());
  return options;
}

// ------------------------------------------------------------------- USCC

struct IdCase {
  std::string input;
  std::string normalized;  // expected normalized value; "" = invalid
  std::string detail;      // org code (valid) or error substring (invalid)
};

class UsccTest : public ::testing::TestWithParam<IdCase> {};

TEST_P(UsccTest, Validates) {
  const IdCase& c = GetParam();
  auto result = ValidateUscc(c.input);
  if (c.normalized.empty()) {
    EXPECT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr(c.detail)));
    return;
  }
  CREDIT_ASSERT_OK(result);
  EXPECT_EQ(result->normalized, c.normalized);
  EXPECT_TRUE(result->checksum_verified);
  EXPECT_EQ(result->org_code, c.detail);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, UsccTest,
    ::testing::Values(
        IdCase{"914403001922038216", "914403001922038216", "192203821"},
        IdCase{"9144030071526726XG", "9144030071526726XG", "71526726X"},
        IdCase{"91350100M000100Y43", "91350100M000100Y43", "M000100Y4"},
        IdCase{"9144030071526726xg", "9144030071526726XG", "71526726X"},
        IdCase{" 9144-0300-7152-6726XG ", "9144030071526726XG", "71526726X"},
        IdCase{"９１４４０３００１９２２０３８２１６", "914403001922038216",
               "192203821"},
        IdCase{"91350100 M000100Y43", "91350100M000100Y43", "M000100Y4"},
        IdCase{"914403001922038217", "",
               "USCC 914403001922038217: check character is '7', expected "
               "'6'"},
        IdCase{"91350211M00013FA1N", "", "check character is 'N', expected '3'"},
        IdCase{"91440300192203821", "", "must have 18 characters, has 17"},
        IdCase{"9144030019220382160", "", "must have 18 characters, has 19"},
        IdCase{"", "", "USCC is empty"},
        IdCase{"91440300I922038216", "", "character 'I' at position 9"},
        IdCase{"91440300O922038216", "", "character 'O' at position 9"},
        IdCase{"9144030019220382S6", "", "character 'S' at position 17"},
        IdCase{"91440300192203821V", "", "character 'V' at position 18"},
        IdCase{"91440300192203821Z", "", "character 'Z' at position 18"},
        IdCase{"9144A3001922038216", "", "positions 3-8"},
        IdCase{"91440300192203821中", "", "character '中' is not allowed"},
        IdCase{"91440300*922038216", "", "character '*' at position 9"}));

TEST(UsccTest, AcceptsLegacyUnverifiedWhenAsked) {
  IdValidationOptions options;
  options.accept_unverified = true;
  auto result = ValidateUscc("91350211M00013FA1N", options);
  CREDIT_ASSERT_OK(result);
  EXPECT_FALSE(result->checksum_verified);
  EXPECT_EQ(result->normalized, "91350211M00013FA1N");
  EXPECT_EQ(result->org_code, "M00013FA1");
  EXPECT_THAT(result->reason, HasSubstr("legacy, unverified"));
  // Malformed values are still rejected.
  EXPECT_THAT(ValidateUscc("91350211M00013FA1", options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("18 characters")));
  EXPECT_THAT(ValidateUscc("91350211M00013FA1I", options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not allowed")));
}

TEST(UsccTest, OrgCodeOfUsccMatchesBareOrgCode) {
  auto uscc = ValidateUscc("9144030071526726XG");
  auto org = ValidateOrgCode("71526726-X");
  CREDIT_ASSERT_OK(uscc);
  CREDIT_ASSERT_OK(org);
  EXPECT_EQ(uscc->org_code, org->org_code);
  EXPECT_TRUE(uscc->org_code_verified);
}

TEST(UsccTest, ReportsEmbeddedOrgCodeCheckSeparately) {
  // A valid USCC whose positions 9-17 fail the organisation-code rule:
  // build one by fixing the USCC check character after breaking the org
  // code's check.
  std::string body = "91440300192203822";  // org code 192203822 (bad check)
  static constexpr int kWeights[] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                     29, 25, 13, 8,  24, 10, 30, 28};
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    sum += static_cast<int>(std::string(kUsccAlphabet).find(body[i])) *
           kWeights[i];
  }
  std::string uscc = body + kUsccAlphabet[(31 - sum % 31) % 31];
  auto result = ValidateUscc(uscc);
  CREDIT_ASSERT_OK(result);
  EXPECT_TRUE(result->checksum_verified);
  EXPECT_EQ(result->org_code, "192203822");
  EXPECT_FALSE(result->org_code_verified);
}

// Every single-character substitution and every adjacent transposition of
// a valid USCC must be caught.
TEST(UsccTest, CatchesEverySubstitutionAndAdjacentTransposition) {
  const std::string alphabet = kUsccAlphabet;
  int substitutions = 0;
  int transpositions = 0;
  const std::vector<std::string> kValid = {
      "914403001922038216", "9144030071526726XG", "91350100M000100Y43"};
  for (const std::string& valid : kValid) {
    CREDIT_ASSERT_OK(ValidateUscc(valid));
    for (size_t i = 0; i < valid.size(); ++i) {
      for (char c : alphabet) {
        if (c == valid[i]) continue;
        std::string typo = valid;
        typo[i] = c;
        EXPECT_FALSE(ValidateUscc(typo).ok()) << typo;
        ++substitutions;
      }
      if (i + 1 < valid.size() && valid[i] != valid[i + 1]) {
        std::string typo = valid;
        std::swap(typo[i], typo[i + 1]);
        EXPECT_FALSE(ValidateUscc(typo).ok()) << typo;
        ++transpositions;
      }
    }
  }
  EXPECT_EQ(substitutions, 3 * 18 * 30);
  EXPECT_GT(transpositions, 40);
}

// ------------------------------------------------------------- resident id

struct ResidentCase {
  std::string input;
  std::string normalized;  // "" = invalid
  std::string dob_or_error;
  std::string sex;
  std::string holder;
};

class ResidentIdTest : public ::testing::TestWithParam<ResidentCase> {};

TEST_P(ResidentIdTest, Validates) {
  const ResidentCase& c = GetParam();
  auto result = ValidateResidentId(c.input, FixedNow());
  if (c.normalized.empty()) {
    EXPECT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr(c.dob_or_error)));
    return;
  }
  CREDIT_ASSERT_OK(result);
  EXPECT_EQ(result->normalized, c.normalized);
  EXPECT_TRUE(result->checksum_verified);
  EXPECT_EQ(FormatDate(result->birth_date), c.dob_or_error);
  EXPECT_EQ(result->sex, c.sex);
  EXPECT_EQ(result->holder, c.holder);
}

INSTANTIATE_TEST_SUITE_P(
    Valid, ResidentIdTest,
    ::testing::Values(
        ResidentCase{"11010519491231002X", "11010519491231002X", "1949-12-31",
                     "F", "mainland"},
        ResidentCase{"11010519491231002x", "11010519491231002X", "1949-12-31",
                     "F", "mainland"},
        ResidentCase{"440524188001010014", "440524188001010014", "1880-01-01",
                     "M", "mainland"},
        ResidentCase{"110105491231002", "11010519491231002X", "1949-12-31",
                     "F", "mainland"},
        ResidentCase{WithResidentCheck("81000019900101123"),
                     WithResidentCheck("81000019900101123"), "1990-01-01",
                     "M", "hong_kong"},
        ResidentCase{WithResidentCheck("82000020000229002"),
                     WithResidentCheck("82000020000229002"), "2000-02-29",
                     "F", "macau"},
        ResidentCase{WithResidentCheck("83000019851120005"),
                     WithResidentCheck("83000019851120005"), "1985-11-20",
                     "M", "taiwan"},
        ResidentCase{"440524 18800101 0014", "440524188001010014",
                     "1880-01-01", "M", "mainland"},
        // 15-digit centenarian: sequence 996-999 gets "18".
        ResidentCase{"110105851231997", WithResidentCheck("11010518851231997"),
                     "1885-12-31", "M", "mainland"},
        ResidentCase{"440524800101001", WithResidentCheck("44052419800101001"),
                     "1980-01-01", "M", "mainland"}));

// Birth dates that do not exist or lie in the future, each with a correct
// check character so only the date is wrong.
INSTANTIATE_TEST_SUITE_P(
    InvalidDates, ResidentIdTest,
    ::testing::Values(
        ResidentCase{WithResidentCheck("11010519490230002"), "",
                     "birth date 19490230", "", ""},
        ResidentCase{WithResidentCheck("11010519491301002"), "",
                     "birth date 19491301", "", ""},
        ResidentCase{WithResidentCheck("11010519490001002"), "",
                     "birth date 19490001", "", ""},
        ResidentCase{WithResidentCheck("11010519490100002"), "",
                     "birth date 19490100", "", ""},
        ResidentCase{WithResidentCheck("11010519000229002"), "",
                     "birth date 19000229", "", ""},
        ResidentCase{WithResidentCheck("11010520230229002"), "",
                     "birth date 20230229", "", ""},
        ResidentCase{WithResidentCheck("11010519490431002"), "",
                     "birth date 19490431", "", ""},
        ResidentCase{WithResidentCheck("11010520260116002"), "",
                     "is in the future", "", ""},
        ResidentCase{WithResidentCheck("11010530000101002"), "",
                     "is in the future", "", ""},
        ResidentCase{WithResidentCheck("11010517990101002"), "",
                     "before 1800", "", ""},
        ResidentCase{"110105490230002", "", "birth date 19490230", "", ""}));

INSTANTIATE_TEST_SUITE_P(
    Invalid, ResidentIdTest,
    ::testing::Values(
        ResidentCase{"110105194912310021", "",
                     "check character is '1', expected 'X'", "", ""},
        ResidentCase{"11010519491231002", "",
                     "must have 18 characters (or 15 digits), has 17", "", ""},
        ResidentCase{"1101051949123100X2", "", "position 17 must be a digit",
                     "", ""},
        ResidentCase{"11010519491231002A", "", "must be a digit or X", "", ""},
        ResidentCase{WithResidentCheck("99010519491231002"), "",
                     "99 are not a province code", "", ""},
        ResidentCase{WithResidentCheck("00010519491231002"), "",
                     "00 are not a province code", "", ""},
        ResidentCase{"", "", "resident id is empty", "", ""},
        ResidentCase{"11010549123100X", "", "position 15 must be a digit",
                     "", ""}));

TEST(ResidentIdTest, AcceptsUnverifiedButNotBadDates) {
  IdValidationOptions options = FixedNow();
  options.accept_unverified = true;
  auto result = ValidateResidentId("110105194912310021", options);
  CREDIT_ASSERT_OK(result);
  EXPECT_FALSE(result->checksum_verified);
  EXPECT_EQ(FormatDate(result->birth_date), "1949-12-31");
  EXPECT_FALSE(ValidateResidentId("110105194902300021", options).ok());
}

TEST(ResidentIdTest, UpgradeIsMarked) {
  auto result = ValidateResidentId("110105491231002", FixedNow());
  CREDIT_ASSERT_OK(result);
  EXPECT_TRUE(result->upgraded);
}

// ------------------------------------------------------- org code, reg no

class OrgCodeTest : public ::testing::TestWithParam<IdCase> {};

TEST_P(OrgCodeTest, Validates) {
  const IdCase& c = GetParam();
  auto result = ValidateOrgCode(c.input);
  if (c.normalized.empty()) {
    EXPECT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr(c.detail)));
    return;
  }
  CREDIT_ASSERT_OK(result);
  EXPECT_EQ(result->normalized, c.normalized);
  EXPECT_EQ(result->org_code, c.normalized);
  EXPECT_TRUE(result->checksum_verified);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, OrgCodeTest,
    ::testing::Values(
        IdCase{"D2143569-X", "D2143569X", ""},
        IdCase{"D2143569X", "D2143569X", ""},
        IdCase{"d2143569-x", "D2143569X", ""},
        IdCase{"192203821", "192203821", ""},
        IdCase{"71526726-X", "71526726X", ""},
        IdCase{"M000100Y-4", "M000100Y4", ""},
        IdCase{"Ｄ２１４３５６９－Ｘ", "D2143569X", ""},
        IdCase{"D21435690", "", "check character is '0', expected 'X'"},
        IdCase{"D2143569", "", "must have 9 characters, has 8"},
        IdCase{"D2143569XX", "", "must have 9 characters, has 10"},
        IdCase{"D2143569Y", "", "must be a digit or X"},
        IdCase{"D2_43569X", "", "character '_' at position 3"},
        IdCase{"", "", "organisation code is empty"}));

class RegNoTest : public ::testing::TestWithParam<IdCase> {};

TEST_P(RegNoTest, Validates) {
  const IdCase& c = GetParam();
  auto result = ValidateRegNo(c.input);
  if (c.normalized.empty()) {
    EXPECT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr(c.detail)));
    return;
  }
  CREDIT_ASSERT_OK(result);
  EXPECT_EQ(result->normalized, c.normalized);
  EXPECT_TRUE(result->checksum_verified);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, RegNoTest,
    ::testing::Values(
        IdCase{"110108000000016", "110108000000016", ""},
        IdCase{"110108 000000016", "110108000000016", ""},
        IdCase{"110108000000017", "",
               "registration number 110108000000017: check character is "
               "'7', expected '6'"},
        IdCase{"110108000000061", "", "check character"},
        IdCase{"11010800000001", "", "must have 15 digits, has 14"},
        IdCase{"11010800000001A", "", "position 15 must be a digit"},
        IdCase{"", "", "registration number is empty"}));

TEST(RegNoTest, CatchesEverySingleDigitSubstitution) {
  const std::string valid = "110108000000016";
  for (size_t i = 0; i < valid.size(); ++i) {
    for (char c = '0'; c <= '9'; ++c) {
      if (c == valid[i]) continue;
      std::string typo = valid;
      typo[i] = c;
      EXPECT_FALSE(ValidateRegNo(typo).ok()) << typo;
    }
  }
}

TEST(ResidentIdTest, CatchesEverySingleDigitSubstitutionOfTheCheckedPart) {
  const std::string valid = "440524188001010014";
  for (size_t i = 0; i < valid.size(); ++i) {
    for (char c : std::string("0123456789X")) {
      if (c == valid[i]) continue;
      std::string typo = valid;
      typo[i] = c;
      EXPECT_FALSE(ValidateResidentId(typo, FixedNow()).ok()) << typo;
    }
  }
}

// -------------------------------------------------------- other schemes

struct UncheckedCase {
  std::string input;
  std::string normalized;
};

class UncheckedIdTest : public ::testing::TestWithParam<UncheckedCase> {};

TEST_P(UncheckedIdTest, Normalizes) {
  auto result = ValidateId(v1::Feature::PASSPORT, GetParam().input);
  CREDIT_ASSERT_OK(result);
  EXPECT_EQ(result->normalized, GetParam().normalized);
  EXPECT_FALSE(result->checksum_verified);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, UncheckedIdTest,
    ::testing::Values(UncheckedCase{" e1234 5678 ", "E12345678"},
                      UncheckedCase{"G-1234.567/8", "G12345678"},
                      UncheckedCase{"ａｂ１２３", "AB123"},
                      UncheckedCase{"tax_id 91-44", "TAXID9144"},
                      UncheckedCase{"x", "X"}));

// Found by the fuzzer: removing the space NFKC puts before a spacing
// diaeresis brought letter and mark together, so the result changed when
// normalized again.
TEST(UncheckedIdTest, IsStableWhenSeparatorsJoinAMark) {
  auto once = ValidateId(v1::Feature::PASSPORT, "H\u00A8");
  CREDIT_ASSERT_OK(once);
  auto twice = ValidateId(v1::Feature::PASSPORT, once->normalized);
  CREDIT_ASSERT_OK(twice);
  EXPECT_EQ(twice->normalized, once->normalized);
}

TEST(UncheckedIdTest, RejectsEmpty) {
  EXPECT_THAT(ValidateId(v1::Feature::TAX_ID, "  -  "),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("no characters other than separators")));
  EXPECT_THAT(ValidateId(v1::Feature::OTHER, ""),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("empty")));
}

TEST(ValidateIdTest, DispatchesOnScheme) {
  EXPECT_TRUE(ValidateId(v1::Feature::USCC, "914403001922038216").ok());
  EXPECT_TRUE(ValidateId(v1::Feature::ORG_CODE, "D2143569X").ok());
  EXPECT_TRUE(ValidateId(v1::Feature::REG_NO, "110108000000016").ok());
  EXPECT_TRUE(ValidateId(v1::Feature::RESIDENT_ID, "11010519491231002X").ok());
  EXPECT_FALSE(ValidateId(v1::Feature::USCC, "11010519491231002X").ok());
  EXPECT_EQ(IdSchemeName(v1::Feature::USCC), "USCC");
}

}  // namespace
}  // namespace credit

namespace credit {
namespace {

// All zeros passes the USCC and organisation-code checksums; it must still
// never be an identifier, or every placeholder would merge.
TEST(PlaceholderIdTest, RepeatedCharacterIsRefusedForEveryScheme) {
  using ::credit::testing::StatusIs;
  using ::testing::HasSubstr;
  EXPECT_THAT(ValidateUscc("000000000000000000"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("placeholder")));
  EXPECT_THAT(ValidateOrgCode("000000000"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("placeholder")));
  EXPECT_THAT(ValidateResidentId("111111111111111111"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("placeholder")));
  EXPECT_THAT(ValidateRegNo("000000000000000"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("placeholder")));
  EXPECT_THAT(NormalizeUncheckedId("0000-000"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("placeholder")));
  IdValidationOptions lenient;
  lenient.accept_unverified = true;
  EXPECT_THAT(ValidateUscc("000000000000000000", lenient),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("placeholder")));
  // Real values with repeats are fine.
  EXPECT_TRUE(ValidateUscc("914403001922038216").ok());
  EXPECT_TRUE(NormalizeUncheckedId("00").ok());
}

}  // namespace
}  // namespace credit
