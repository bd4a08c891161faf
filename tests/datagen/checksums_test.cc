// Tests of the identifier check characters the data generator writes.
#include "checksums.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace credit::datagen {
namespace {

TEST(UsccTest, AcceptsPublishedCodes) {
  // Published codes of well-known enterprises.
  for (const char* code :
       {"9144030071526726XG", "914403001922038216", "91330100716105852F"}) {
    SCOPED_TRACE(code);
    EXPECT_TRUE(IsValidUscc(code));
    EXPECT_EQ(UsccCheckChar(std::string(code).substr(0, 17)), code[17]);
  }
}

TEST(UsccTest, RejectsEverySingleSubstitution) {
  const std::string valid = "9144030071526726XG";
  for (size_t pos = 0; pos < valid.size(); ++pos) {
    for (char c : kUsccAlphabet) {
      if (c == valid[pos]) continue;
      std::string typo = valid;
      typo[pos] = c;
      EXPECT_FALSE(IsValidUscc(typo)) << typo;
    }
  }
}

TEST(UsccTest, RejectsMalformedInput) {
  EXPECT_FALSE(IsValidUscc("9144030071526726X"));    // too short
  EXPECT_FALSE(IsValidUscc("9144030071526726XGG"));  // too long
  EXPECT_FALSE(IsValidUscc("9144030071526726xg"));   // lower case
  EXPECT_FALSE(IsValidUscc("91440300715267I6XG"));   // I is not in the alphabet
  EXPECT_EQ(UsccCheckChar("91440300715267O6X"), '\0');
  // All zeros is checksum-valid: exactly why it is a dangerous placeholder.
  EXPECT_TRUE(IsValidUscc("000000000000000000"));
}

TEST(UsccTest, MakeUsccEmbedsOrgCode) {
  EXPECT_EQ(MakeUscc('9', '1', "440300", "71526726"), "9144030071526726XG");
  EXPECT_EQ(MakeUscc('9', '1', "440300", "19220382"), "914403001922038216");
  std::string uscc = MakeUscc('9', '1', "440305", "MA5F0A1B");
  EXPECT_TRUE(IsValidUscc(uscc)) << uscc;
  EXPECT_EQ(uscc.substr(8, 9), "MA5F0A1B3");
}

TEST(OrgCodeTest, CheckCharacters) {
  EXPECT_EQ(OrgCodeCheckChar("D2143569"), 'X');  // the GB 11714 example
  EXPECT_EQ(OrgCodeCheckChar("71526726"), 'X');
  EXPECT_EQ(OrgCodeCheckChar("19220382"), '1');
  EXPECT_EQ(OrgCodeCheckChar("12345678"), '8');
  EXPECT_EQ(OrgCodeCheckChar("00000000"), '0');  // 11 -> '0'
  EXPECT_EQ(OrgCodeCheckChar("MA5F0A1B"), '3');
  EXPECT_EQ(OrgCodeCheckChar("1234567"), '\0');
  EXPECT_EQ(OrgCodeCheckChar("1234567-"), '\0');
  EXPECT_TRUE(IsValidOrgCode("D2143569X"));
  EXPECT_FALSE(IsValidOrgCode("D21435690"));
}

TEST(ResidentIdTest, CheckCharacters) {
  EXPECT_TRUE(IsValidResidentId("11010519491231002X"));  // the GB 11643 example
  EXPECT_TRUE(IsValidResidentId("440524188001010014"));
  EXPECT_FALSE(IsValidResidentId("110105194912310021"));
  EXPECT_FALSE(IsValidResidentId("11010519491231002x"));
  EXPECT_FALSE(
      IsValidResidentId("110105491231002"));  // 15-digit ids have no check
  EXPECT_EQ(ResidentIdCheckChar("00000000000000000"), '1');
}

TEST(ResidentIdTest, RejectsEverySingleDigitChange) {
  const std::string valid = "440524188001010014";
  for (size_t pos = 0; pos < 17; ++pos) {
    for (char c = '0'; c <= '9'; ++c) {
      if (c == valid[pos]) continue;
      std::string typo = valid;
      typo[pos] = c;
      EXPECT_FALSE(IsValidResidentId(typo)) << typo;
    }
  }
}

TEST(RegNoTest, CheckDigits) {
  EXPECT_EQ(RegNoCheckDigit("31000000001618"), '2');
  EXPECT_EQ(RegNoCheckDigit("44030110309701"), '8');
  EXPECT_EQ(RegNoCheckDigit("11010800000001"), '6');
  EXPECT_TRUE(IsValidRegNo("310000000016182"));
  EXPECT_FALSE(IsValidRegNo("310000000016183"));
  EXPECT_FALSE(IsValidRegNo("31000000001618"));
  EXPECT_EQ(RegNoCheckDigit("3100000000161A"), '\0');
}

TEST(RegNoTest, DetectsEverySingleDigitChange) {
  // ISO 7064 MOD 11,10 detects all single substitution errors.
  const std::string valid = "440301103097018";
  ASSERT_TRUE(IsValidRegNo(valid));
  for (size_t pos = 0; pos < valid.size(); ++pos) {
    for (char c = '0'; c <= '9'; ++c) {
      if (c == valid[pos]) continue;
      std::string typo = valid;
      typo[pos] = c;
      EXPECT_FALSE(IsValidRegNo(typo)) << typo;
    }
  }
}

}  // namespace
}  // namespace credit::datagen
