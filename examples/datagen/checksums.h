// Check characters of the Chinese identifier schemes the generator writes.
//
// - Unified Social Credit Code (USCC, GB 32100-2015): 18 characters from the
//   alphabet 0123456789ABCDEFGHJKLMNPQRTUWXY; weights 3^i mod 31
//   (1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28); check = (31 - Σ mod 31)
//   mod 31. Characters 9..17 embed the organisation code.
// - Organisation code (GB 11714-1997): 8 characters (digits, letters A=10 ..
//   Z=35) and a check character; weights 3,7,9,10,5,8,4,2; check = 11 - Σ mod
//   11, 10 -> 'X', 11 -> '0'.
// - Resident identity number (GB 11643-1999): 17 digits and a check
//   character; weights 2^(17-i) mod 11 (7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2);
//   Σ mod 11 -> 1,0,X,9,8,7,6,5,4,3,2.
// - Old 15-digit business registration number (GB 12404 / SAIC rule): 14
//   digits and a check digit by ISO 7064 MOD 11,10.
//
// All functions are pure and thread-safe.
//
// Example:
//   std::string uscc = credit::datagen::MakeUscc('9', '1', "440300",
//   "71526726");
//   // uscc == "9144030071526726XG"
//   bool ok = credit::datagen::IsValidUscc(uscc);  // true
#ifndef CREDIT_EXAMPLES_DATAGEN_CHECKSUMS_H_
#define CREDIT_EXAMPLES_DATAGEN_CHECKSUMS_H_

#include <string>
#include <string_view>

namespace credit::datagen {

// The 31 characters a USCC may contain, in value order.
inline constexpr std::string_view kUsccAlphabet =
    "0123456789ABCDEFGHJKLMNPQRTUWXY";

// Returns the check character for the first 17 characters of a USCC, or '\0'
// if `first17` is not 17 characters of kUsccAlphabet.
char UsccCheckChar(std::string_view first17);
// Returns true if `uscc` is 18 alphabet characters with a correct check
// character (the embedded organisation code is not checked here).
bool IsValidUscc(std::string_view uscc);

// Returns the GB 11714 check character for an 8-character organisation code
// body (digits and upper-case letters), or '\0' if it is malformed.
char OrgCodeCheckChar(std::string_view first8);
// Returns true if `code` is 9 characters with a correct check character.
bool IsValidOrgCode(std::string_view code);

// Returns the GB 11643 check character for 17 digits, or '\0'.
char ResidentIdCheckChar(std::string_view first17);
// Returns true if `id` is 17 digits and a correct check character.
bool IsValidResidentId(std::string_view id);

// Returns the ISO 7064 MOD 11,10 check digit for 14 digits, or '\0'.
char RegNoCheckDigit(std::string_view first14);
// Returns true if `reg_no` is 15 digits whose last digit is the check digit.
bool IsValidRegNo(std::string_view reg_no);

// Returns a complete USCC: registration department `dept` ('9' = market
// regulation), organisation kind `kind` ('1' = enterprise), the 6-digit
// administrative division code `region`, the 8-character organisation code
// body `org_body` with its GB 11714 check character, and the GB 32100 check
// character. REQUIRES: the parts are well formed.
std::string MakeUscc(char dept, char kind, std::string_view region,
                     std::string_view org_body);

}  // namespace credit::datagen

#endif  // CREDIT_EXAMPLES_DATAGEN_CHECKSUMS_H_
