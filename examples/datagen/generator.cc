#include "generator.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <numeric>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "checksums.h"
#include "mappings.h"
#include "rng.h"
#include "text.h"
#include "vocab.h"

namespace credit::datagen {
namespace {

// ---------------------------------------------------------------- dates

struct Ymd {
  int y = 0;
  int m = 0;
  int d = 0;
};

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Ymd CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {static_cast<int>(yoe + era * 400 + (m <= 2)), m, d};
}

int64_t Days(Ymd d) { return DaysFromCivil(d.y, d.m, d.d); }

// All facts are dated relative to this date, never to the clock.
const int64_t kReferenceDay = DaysFromCivil(2026, 6, 30);
constexpr int64_t kFactWindowDays = 6 * 365;

enum class DateStyle { kIso, kSlash, kCompact, kCjk };
constexpr DateStyle kDateStyles[] = {DateStyle::kIso, DateStyle::kSlash,
                                     DateStyle::kCompact, DateStyle::kCjk};

std::string FormatDate(Ymd d, DateStyle style) {
  switch (style) {
    case DateStyle::kIso:
      return fmt::format("{:04d}-{:02d}-{:02d}", d.y, d.m, d.d);
    case DateStyle::kSlash:
      return fmt::format("{}/{}/{}", d.y, d.m, d.d);
    case DateStyle::kCompact:
      return fmt::format("{:04d}{:02d}{:02d}", d.y, d.m, d.d);
    case DateStyle::kCjk:
      return fmt::format("{}年{}月{}日", d.y, d.m, d.d);
  }
  return {};
}

std::string Money(int64_t yuan) { return fmt::format("{}.00", yuan); }

// ---------------------------------------------------------------- permutations

uint64_t Gcd(uint64_t a, uint64_t b) {
  while (b != 0) {
    uint64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

// A bijection of [0, modulus): x -> (x * mul + add) mod modulus. It makes
// identifiers unique by construction, so the generator needs no set of the
// identifiers it has handed out.
class AffinePermutation {
 public:
  AffinePermutation(uint64_t modulus, uint64_t seed) : modulus_(modulus) {
    Rng rng(seed);
    mul_ = rng.Below(modulus_ - 2) + 2;
    while (Gcd(mul_, modulus_) != 1) ++mul_;
    add_ = rng.Below(modulus_);
  }
  uint64_t operator()(uint64_t x) const {
    return static_cast<uint64_t>(
        (static_cast<unsigned __int128>(x % modulus_) * mul_ + add_) %
        modulus_);
  }
  uint64_t modulus() const { return modulus_; }

 private:
  uint64_t modulus_;
  uint64_t mul_ = 1;
  uint64_t add_ = 0;
};

// ---------------------------------------------------------------- subjects

constexpr int kRegionCount = static_cast<int>(std::size(kRegions));
const int64_t kBirthFirstDay = DaysFromCivil(1950, 1, 1);
const int64_t kBirthDayCount = DaysFromCivil(2006, 12, 31) - kBirthFirstDay + 1;
const int64_t kEstablishFirstDay = DaysFromCivil(1995, 1, 1);
const int64_t kEstablishLastDay = DaysFromCivil(2025, 12, 31);
// Enterprises registered from this day on got a USCC only, no 15-digit number.
const int64_t kUsccStartDay = DaysFromCivil(2015, 10, 1);

struct Person {
  std::string family;
  std::string given;
  bool male = false;
  Ymd birth;
  int region = 0;
  std::string id18;
  std::string
      id15;  // first-generation number, only for persons born before 1985
  std::string phone;
  std::string address;

  std::string FullName() const { return family + given; }
};

struct Enterprise {
  int region = 0;
  int industry = 0;
  int legal_form = 0;
  std::string trade;
  bool bracket = false;  // official name is 字号+行业（城市）+组织形式
  Ymd established;
  int64_t established_day = 0;
  std::string uscc;
  std::string reg_no;  // empty for enterprises registered after 2015-10
  Person rep;          // legal representative
  std::string phone;
  int accountant = -1;  // index of the shared accountant phone, or -1
  std::string address;
};

constexpr int kAccountantPhones = 20;

std::string MobilePhone(Rng& rng) {
  static constexpr std::string_view kPrefixes[] = {
      "130", "131", "132", "133", "135", "136", "137", "138",
      "139", "150", "151", "152", "155", "156", "158", "159",
      "166", "177", "180", "186", "187", "188", "189", "199"};
  return fmt::format("{}{:08d}", rng.Pick(kPrefixes), rng.Below(100000000));
}

std::string LandlinePhone(const Region& region, Rng& rng) {
  // Area codes by province abbreviation of the regions table.
  std::string_view area = "010";
  std::string_view city = region.city;
  static constexpr std::pair<std::string_view, std::string_view> kAreas[] = {
      {"深圳市", "0755"}, {"广州市", "020"},  {"东莞市", "0769"},
      {"佛山市", "0757"}, {"北京市", "010"},  {"上海市", "021"},
      {"杭州市", "0571"}, {"宁波市", "0574"}, {"南京市", "025"},
      {"苏州市", "0512"}, {"成都市", "028"},  {"武汉市", "027"},
      {"西安市", "029"},  {"重庆市", "023"},  {"天津市", "022"},
      {"长沙市", "0731"}, {"郑州市", "0371"}, {"济南市", "0531"},
      {"青岛市", "0532"}, {"厦门市", "0592"}, {"合肥市", "0551"},
      {"昆明市", "0871"}, {"沈阳市", "024"},  {"哈尔滨市", "0451"},
      {"南宁市", "0771"}};
  for (const auto& [c, a] : kAreas) {
    if (c == city) area = a;
  }
  return fmt::format("{}-{:08d}", area, 20000000 + rng.Below(79999999));
}

std::string Address(const Region& region, Rng& rng, bool person) {
  std::string s = fmt::format("{}{}{}{}号", region.city, region.district,
                              rng.Pick(kStreets), rng.Range(1, 999));
  if (person) {
    s += fmt::format("{}栋{}单元{}室", rng.Range(1, 30), rng.Range(1, 6),
                     rng.Range(1, 32) * 100 + rng.Range(1, 8));
  } else if (rng.Chance(0.6)) {
    s += fmt::format("{}{}{}{}室", rng.Pick(kTradeChars), rng.Pick(kTradeChars),
                     rng.Pick(kBuildings),
                     rng.Range(1, 40) * 100 + rng.Range(1, 20));
  }
  return s;
}

struct Context {
  explicit Context(const Options& o)
      : options(o),
        person_ids(static_cast<uint64_t>(kRegionCount) * kBirthDayCount * 500,
                   MixSeed(o.seed, 101)),
        org_codes(100000000, MixSeed(o.seed, 102)),
        reg_numbers(100000000, MixSeed(o.seed, 103)) {}

  const Options& options;
  AffinePermutation person_ids;   // key -> (region, birth day, sequence)
  AffinePermutation org_codes;    // enterprise index -> organisation code body
  AffinePermutation reg_numbers;  // enterprise index -> registration sequence
};

// Stream numbers of MixSeed, one per purpose.
enum Stream : uint64_t {
  kKindStream = 1,
  kPersonStream = 2,
  kEnterpriseStream = 3,
  kRepStream = 4,
  kSourceStream = 10,  // + source number
  kShuffleStream = 30,
  kAccountantStream = 40,
};

bool IsPerson(const Context& ctx, uint64_t index) {
  Rng rng(MixSeed(ctx.options.seed, kKindStream, index));
  return rng.Chance(ctx.options.person_share);
}

// Returns the person with identity key `key` (2 x subject index for subjects,
// 2 x subject index + 1 for legal representatives who are not subjects).
Person MakePerson(const Context& ctx, uint64_t key, Rng rng) {
  Person p;
  uint64_t v = ctx.person_ids(key);
  const int seq = static_cast<int>(v % 500);
  v /= 500;
  const int64_t day = kBirthFirstDay + static_cast<int64_t>(v % kBirthDayCount);
  p.region = static_cast<int>(v / kBirthDayCount);
  p.birth = CivilFromDays(day);
  p.male = rng.Chance(0.5);
  if (rng.Chance(0.02)) {
    p.family = std::string(rng.Pick(kCompoundSurnames));
  } else {
    // Zipf-like: the first surnames are far more common.
    size_t n = std::size(kSurnames);
    size_t a = rng.Below(n);
    size_t b = rng.Below(n);
    p.family = std::string(kSurnames[std::min(a, b)]);
  }
  p.given = std::string(p.male ? rng.Pick(kMaleGiven) : rng.Pick(kFemaleGiven));
  if (p.given.size() == 3 && rng.Chance(0.35)) {
    p.given += p.male ? rng.Pick(kMaleGiven).substr(0, 3)
                      : rng.Pick(kFemaleGiven).substr(0, 3);
  }
  const Region& region = kRegions[p.region];
  const int seq3 = seq * 2 + (p.male ? 1 : 0);
  std::string first17 = fmt::format("{}{:04d}{:02d}{:02d}{:03d}", region.code,
                                    p.birth.y, p.birth.m, p.birth.d, seq3);
  p.id18 = first17 + ResidentIdCheckChar(first17);
  if (p.birth.y < 1985) {
    p.id15 = fmt::format("{}{:02d}{:02d}{:02d}{:03d}", region.code,
                         p.birth.y % 100, p.birth.m, p.birth.d, seq3);
  }
  p.phone = MobilePhone(rng);
  p.address = Address(region, rng, /*person=*/true);
  return p;
}

Person MakeSubjectPerson(const Context& ctx, uint64_t index) {
  return MakePerson(ctx, 2 * index,
                    Rng(MixSeed(ctx.options.seed, kPersonStream, index)));
}

std::string AccountantPhone(const Context& ctx, int k) {
  Rng rng(
      MixSeed(ctx.options.seed, kAccountantStream, static_cast<uint64_t>(k)));
  return MobilePhone(rng);
}

Enterprise MakeEnterprise(const Context& ctx, uint64_t index) {
  Rng rng(MixSeed(ctx.options.seed, kEnterpriseStream, index));
  Enterprise e;
  e.region = static_cast<int>(rng.Below(kRegionCount));
  e.industry = static_cast<int>(rng.Below(std::size(kIndustries)));
  e.legal_form = static_cast<int>(rng.Weighted(kLegalFormWeights));
  e.trade = std::string(rng.Pick(kTradeChars));
  std::string second(rng.Pick(kTradeChars));
  while (second == e.trade) second = std::string(rng.Pick(kTradeChars));
  e.trade += second;
  if (rng.Chance(0.2)) e.trade += rng.Pick(kTradeChars);
  e.bracket = rng.Chance(0.15);
  e.established_day =
      kEstablishFirstDay + static_cast<int64_t>(rng.Below(
                               kEstablishLastDay - kEstablishFirstDay + 1));
  e.established = CivilFromDays(e.established_day);
  const Region& region = kRegions[e.region];

  uint64_t code = ctx.org_codes(index);
  std::string body;
  if (e.established_day >= kUsccStartDay) {
    // Codes issued with the USCC reform start with "MA".
    body = "MA";
    std::string tail(6, '0');
    for (int i = 5; i >= 0; --i) {
      tail[static_cast<size_t>(i)] = kUsccAlphabet[code % 31];
      code /= 31;
    }
    body += tail;
  } else {
    body = fmt::format("{:08d}", code);
    std::string first14 =
        fmt::format("{}{:08d}", region.code, ctx.reg_numbers(index));
    e.reg_no = first14 + RegNoCheckDigit(first14);
  }
  e.uscc = MakeUscc('9', '1', region.code, body);

  // A third of the legal representatives are persons of the data set too.
  bool rep_is_subject = false;
  if (index > 0 && rng.Chance(0.35)) {
    uint64_t j = rng.Below(index);
    if (IsPerson(ctx, j)) {
      e.rep = MakeSubjectPerson(ctx, j);
      rep_is_subject = true;
    }
  }
  if (!rep_is_subject) {
    e.rep = MakePerson(ctx, 2 * index + 1,
                       Rng(MixSeed(ctx.options.seed, kRepStream, index)));
  }
  if (rng.Chance(ctx.options.generic_rate)) {
    // Accountants who register many firms give their own number; the pool
    // grows slowly with the data set so each number stays widely shared.
    uint64_t pool = std::min<uint64_t>(kAccountantPhones, 1 + index / 5000);
    e.accountant = static_cast<int>(rng.Below(pool));
    e.phone = AccountantPhone(ctx, e.accountant);
  } else {
    e.phone = rng.Chance(0.6) ? LandlinePhone(region, rng) : MobilePhone(rng);
  }
  e.address = Address(region, rng, /*person=*/false);
  return e;
}

// The name of `e` built from its parts: `bracket` puts the city in brackets
// after the trade name, `half_width` uses ASCII brackets, `legal_form` -1
// drops the suffix, `with_city` false leaves the region out.
std::string OrgName(const Enterprise& e, bool bracket, bool half_width,
                    int legal_form, bool with_city) {
  const Region& region = kRegions[e.region];
  std::string_view industry = kIndustries[e.industry].word;
  std::string_view form =
      legal_form < 0 ? std::string_view() : kLegalForms[legal_form];
  if (!with_city) return fmt::format("{}{}{}", e.trade, industry, form);
  if (bracket) {
    return fmt::format("{}{}{}{}{}{}", e.trade, industry,
                       half_width ? "(" : "（", region.city_short,
                       half_width ? ")" : "）", form);
  }
  return fmt::format("{}{}{}{}", region.city, e.trade, industry, form);
}

std::string CanonicalName(const Enterprise& e) {
  return OrgName(e, e.bracket, false, e.legal_form, true);
}

// ---------------------------------------------------------------- corruption

std::string Traditional(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::string_view c : SplitChars(s)) {
    std::string_view to = c;
    for (const CharPair& p : kTraditional) {
      if (p.from == c) {
        to = p.to;
        break;
      }
    }
    out += to;
  }
  return out;
}

// Replaces one character that has a homophone or look-alike; returns `s`
// unchanged when none has.
std::string Typo(std::string_view s, Rng& rng, size_t skip_prefix_bytes = 0) {
  std::vector<std::string_view> chars = SplitChars(s);
  std::vector<std::pair<size_t, const Confusable*>> candidates;
  size_t offset = 0;
  for (size_t i = 0; i < chars.size(); ++i) {
    if (offset >= skip_prefix_bytes) {
      for (const Confusable& c : kConfusables) {
        if (c.from == chars[i]) {
          candidates.emplace_back(i, &c);
          break;
        }
      }
    }
    offset += chars[i].size();
  }
  if (candidates.empty()) return std::string(s);
  const auto& [pos, conf] = candidates[rng.Below(candidates.size())];
  size_t options = conf->to[2].empty() ? (conf->to[1].empty() ? 1 : 2) : 3;
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < chars.size(); ++i) {
    out += i == pos ? conf->to[rng.Below(options)] : chars[i];
  }
  return out;
}

class Corrupter {
 public:
  Corrupter(const Context& ctx, Rng& rng, double rate)
      : ctx_(ctx), rng_(rng), rate_(rate), generic_(ctx.options.generic_rate) {}

  std::string OrgNameOf(const Enterprise& e) {
    if (!rng_.Chance(rate_)) return CanonicalName(e);
    static constexpr int kWeights[] = {15, 15, 25, 15, 20, 10};
    std::string name;
    switch (rng_.Weighted(kWeights)) {
      case 0:  // traditional characters
        name = Traditional(CanonicalName(e));
        break;
      case 1:  // bracket width: half-width brackets (or bracketed region)
        name = OrgName(e, true, true, e.legal_form, true);
        break;
      case 2: {  // legal-suffix variant
        int form = e.legal_form == 0   ? (rng_.Chance(0.5) ? 1 : -1)
                   : e.legal_form == 1 ? (rng_.Chance(0.6) ? 0 : -1)
                                       : (rng_.Chance(0.5) ? 0 : -1);
        name = OrgName(e, e.bracket, false, form, true);
        break;
      }
      case 3:  // region in brackets instead of the prefix, or the reverse
        name = OrgName(e, !e.bracket, rng_.Chance(0.3), e.legal_form, true);
        break;
      case 4:  // a typo in the trade name or industry word
        name = Typo(CanonicalName(e), rng_,
                    e.bracket ? 0 : kRegions[e.region].city.size());
        break;
      default:  // region left out
        name = OrgName(e, false, false, e.legal_form, false);
        break;
    }
    if (rng_.Chance(rate_ / 3))
      name = rng_.Chance(0.5) ? Traditional(name) : Typo(name, rng_);
    return name;
  }

  std::string PersonName(const Person& p) {
    if (!rng_.Chance(rate_)) return p.FullName();
    static constexpr int kWeights[] = {30, 50, 20};
    switch (rng_.Weighted(kWeights)) {
      case 0:
        return Traditional(p.FullName());
      case 1:
        return Typo(p.FullName(), rng_);
      default:
        return p.family + " " + p.given;
    }
  }

  // The USCC as a source typed it. `allow_placeholder`: a generic placeholder
  // may appear (not in the registry).
  std::string Uscc(const Enterprise& e, bool allow_placeholder) {
    if (allow_placeholder && rng_.Chance(generic_ / 2)) {
      static constexpr std::string_view kPlaceholders[] = {
          "000000000000000000", "111111111111111111", "999999999999999999"};
      return std::string(rng_.Pick(kPlaceholders));
    }
    if (!rng_.Chance(rate_)) return e.uscc;
    static constexpr int kWeights[] = {35, 30, 15, 10, 10};
    switch (rng_.Weighted(kWeights)) {
      case 0:
        return {};
      case 1:
        return Mistype(e.uscc, kUsccAlphabet);
      case 2:
        return e.reg_no;  // the old number where the new one belongs (empty if
                          // none)
      case 3: {
        std::string s = e.uscc;
        for (char& c : s)
          c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return s;
      }
      default:
        return ToFullWidth(e.uscc);
    }
  }

  std::string ResidentId(const Person& p, bool allow_placeholder,
                         bool allow_mask) {
    if (allow_placeholder && rng_.Chance(generic_ / 2)) {
      static constexpr std::string_view kPlaceholders[] = {
          "000000000000000000", "111111111111111111", "123456789012345678"};
      return std::string(rng_.Pick(kPlaceholders));
    }
    if (!rng_.Chance(rate_)) return p.id18;
    const int kWeights[] = {30, 30, 20, 10, allow_mask ? 10 : 0};
    switch (rng_.Weighted(kWeights)) {
      case 0:
        return {};
      case 1:
        if (!p.id15.empty()) return p.id15;
        return Mistype(p.id18, "0123456789");
      case 2:
        return Mistype(p.id18, "0123456789");
      case 3:
        if (p.id18.back() == 'X') return p.id18.substr(0, 17) + "x";
        return DigitsToFullWidth(p.id18);
      default:  // court lists mask the birth date
        return p.id18.substr(0, 10) + "****" + p.id18.substr(14);
    }
  }

  std::string Address(const std::string& address, const Region& region) {
    if (!rng_.Chance(rate_)) return address;
    static constexpr int kWeights[] = {35, 25, 25, 15};
    switch (rng_.Weighted(kWeights)) {
      case 0:
        return Typo(address, rng_, region.city.size());
      case 1:
        return DigitsToFullWidth(address);
      case 2:
        if (address.starts_with(region.city))
          return address.substr(region.city.size());
        return address;
      default:
        return Traditional(address);
    }
  }

  std::string Phone(const std::string& phone) {
    if (rng_.Chance(generic_ / 2)) {
      static constexpr std::string_view kPlaceholders[] = {
          "00000000", "13800138000", "12345678901"};
      return std::string(rng_.Pick(kPlaceholders));
    }
    if (!rng_.Chance(rate_)) return phone;
    size_t dash = phone.find('-');
    static constexpr int kWeights[] = {40, 20, 20, 20};
    switch (rng_.Weighted(kWeights)) {
      case 0:
        return {};
      case 1:
        if (dash != std::string::npos) {
          return fmt::format("({}){}", phone.substr(0, dash),
                             phone.substr(dash + 1));
        }
        return "+86 " + phone;
      case 2:
        if (dash != std::string::npos)
          return phone.substr(0, dash) + phone.substr(dash + 1);
        return fmt::format("{}-{}-{}", phone.substr(0, 3), phone.substr(3, 4),
                           phone.substr(7));
      default:
        if (dash != std::string::npos) return DigitsToFullWidth(phone);
        return fmt::format("{} {} {}", phone.substr(0, 3), phone.substr(3, 4),
                           phone.substr(7));
    }
  }

  // Formats `d` in the source's `house` style or, at the corruption rate, in
  // another style (now and then with full-width digits).
  std::string Date(Ymd d, DateStyle house) {
    if (!rng_.Chance(rate_)) return FormatDate(d, house);
    std::string s = FormatDate(d, rng_.Pick(kDateStyles));
    if (rng_.Chance(0.1)) s = DigitsToFullWidth(s);
    return s;
  }

  Rng& rng() { return rng_; }

 private:
  // Substitutes one character by another of `alphabet`, so a checksummed
  // identifier fails its check.
  std::string Mistype(const std::string& id, std::string_view alphabet) {
    std::string s = id;
    size_t pos = rng_.Below(s.size());
    char c = s[pos];
    while (c == s[pos]) c = alphabet[rng_.Below(alphabet.size())];
    s[pos] = c;
    return s;
  }

  const Context& ctx_;
  Rng& rng_;
  double rate_;
  double generic_;
};

// ---------------------------------------------------------------- output

struct Pending {
  std::string body;  // CSV fields after the record id, no newline
  uint64_t subject = 0;
  bool person = false;
  int16_t year = 0;
  int16_t region = 0;
  int8_t variant = 0;
};

using IdMaker = std::string (*)(uint64_t n, const Pending& row);

class SourceWriter {
 public:
  SourceWriter(const SourceSpec& spec, uint32_t window, uint64_t seed,
               std::FILE* truth)
      : spec_(spec),
        window_(std::max<uint32_t>(window, 1)),
        rng_(seed),
        truth_(truth) {}
  ~SourceWriter() {
    if (file_ != nullptr) std::fclose(file_);
  }
  SourceWriter(const SourceWriter&) = delete;
  SourceWriter& operator=(const SourceWriter&) = delete;

  bool Open(const std::filesystem::path& dir, std::string* error) {
    std::filesystem::path csv = dir / fmt::format("{}.csv", spec_.id);
    file_ = std::fopen(csv.c_str(), "wb");
    if (file_ == nullptr) {
      *error = fmt::format("cannot create {}: {}", csv.string(),
                           std::strerror(errno));
      return false;
    }
    std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
    std::string header;
    for (size_t i = 0; i < spec_.columns.size(); ++i) {
      if (i > 0) header += ',';
      AppendCsvField(header, spec_.columns[i]);
    }
    header += '\n';
    std::fwrite(header.data(), 1, header.size(), file_);
    std::filesystem::path mapping =
        dir / fmt::format("{}.mapping.json", spec_.id);
    std::FILE* m = std::fopen(mapping.c_str(), "wb");
    if (m == nullptr) {
      *error = fmt::format("cannot create {}: {}", mapping.string(),
                           std::strerror(errno));
      return false;
    }
    std::fwrite(spec_.mapping_json.data(), 1, spec_.mapping_json.size(), m);
    bool ok = std::fclose(m) == 0;
    if (!ok) *error = fmt::format("cannot write {}", mapping.string());
    return ok;
  }

  // Takes a row; it is written once it leaves the shuffle window.
  void Add(Pending row) {
    if (buffer_.size() < window_) {
      buffer_.push_back(std::move(row));
      return;
    }
    size_t j = rng_.Below(buffer_.size());
    Write(buffer_[j]);
    buffer_[j] = std::move(row);
  }

  bool Finish(std::string* error) {
    for (size_t i = buffer_.size(); i > 1; --i) {
      std::swap(buffer_[i - 1], buffer_[rng_.Below(i)]);
    }
    for (const Pending& row : buffer_) Write(row);
    buffer_.clear();
    bool ok = std::fflush(file_) == 0 && std::ferror(file_) == 0;
    ok = std::fclose(file_) == 0 && ok;
    file_ = nullptr;
    if (!ok) *error = fmt::format("cannot write {}.csv (disk full?)", spec_.id);
    return ok;
  }

  const SourceSpec& spec() const { return spec_; }
  uint64_t rows() const { return written_; }

 private:
  void Write(const Pending& row) {
    ++written_;
    std::string id =
        spec_.make_id(written_, row.year, kRegions[row.region], row.variant);
    line_.clear();
    AppendCsvField(line_, id);
    line_ += ',';
    line_ += row.body;
    line_ += '\n';
    std::fwrite(line_.data(), 1, line_.size(), file_);
    line_.clear();
    line_ += spec_.id;
    line_ += ',';
    AppendCsvField(line_, id);
    line_ += fmt::format(",{}{:08d}\n", row.person ? 'P' : 'E', row.subject);
    std::fwrite(line_.data(), 1, line_.size(), truth_);
  }

  const SourceSpec& spec_;
  uint32_t window_;
  Rng rng_;
  std::FILE* truth_;
  std::FILE* file_ = nullptr;
  std::vector<Pending> buffer_;
  std::string line_;
  uint64_t written_ = 0;
};

// A row under construction: one string per column, column 0 (the record id)
// filled at output time.
class Row {
 public:
  explicit Row(const SourceSpec& spec) : fields_(spec.columns.size()) {}
  std::string& operator[](int column) {
    return fields_[static_cast<size_t>(column)];
  }
  std::string Body() const {
    std::string body;
    for (size_t i = 1; i < fields_.size(); ++i) {
      if (i > 1) body += ',';
      AppendCsvField(body, fields_[i]);
    }
    return body;
  }

 private:
  std::vector<std::string> fields_;
};

// ---------------------------------------------------------------- generator

class Generator {
 public:
  Generator(const Options& options, std::FILE* truth)
      : options_(options), ctx_(options), truth_(truth) {}

  bool Open(const std::filesystem::path& dir, std::string* error) {
    std::vector<std::string> wanted = options_.sources;
    if (wanted.empty()) {
      for (std::string_view s : AllSources()) wanted.emplace_back(s);
    }
    for (const SourceSpec& spec : SourceSpecs()) {
      if (std::find(wanted.begin(), wanted.end(), spec.id) == wanted.end())
        continue;
      auto writer = std::make_unique<SourceWriter>(
          spec, options_.shuffle_window,
          MixSeed(options_.seed, kShuffleStream,
                  static_cast<uint64_t>(spec.number)),
          truth_);
      if (!writer->Open(dir, error)) return false;
      writers_[static_cast<size_t>(spec.number)] = std::move(writer);
    }
    return true;
  }

  // Generates subjects until the subject or record limit is reached.
  void Run(Stats* stats) {
    uint64_t subjects = options_.subjects;
    if (subjects == 0 && options_.records == 0) subjects = 300;
    for (uint64_t i = 0;; ++i) {
      if (subjects != 0 && i >= subjects) break;
      if (LimitReached()) break;
      ++stats->subjects;
      if (IsPerson(ctx_, i)) {
        ++stats->persons;
        Person p = MakeSubjectPerson(ctx_, i);
        if (Want(kSocial)) SocialRows(i, p);
        if (Want(kCourt)) CourtPersonRows(i, p);
      } else {
        ++stats->enterprises;
        Enterprise e = MakeEnterprise(ctx_, i);
        if (e.accountant >= 0)
          used_accountants_[static_cast<size_t>(e.accountant)] = true;
        if (Want(kMarket)) MarketRows(i, e);
        if (Want(kTax)) TaxRows(i, e);
        if (Want(kCourt)) CourtOrgRows(i, e);
        if (Want(kEnvironment)) EnvironmentRows(i, e);
      }
    }
  }

  bool Finish(const std::filesystem::path& dir, Stats* stats,
              std::string* error) {
    for (auto& w : writers_) {
      if (w == nullptr) continue;
      if (!w->Finish(error)) return false;
      stats->sources.push_back({std::string(w->spec().id), w->rows()});
    }
    stats->records = total_;
    return WriteGeneric(dir, error);
  }

 private:
  int MaxDups() const { return static_cast<int>(options_.max_dups); }

  bool Want(SourceNumber s) const {
    return writers_[static_cast<size_t>(s)] != nullptr;
  }
  bool LimitReached() const {
    return options_.records != 0 && total_ >= options_.records;
  }

  Rng SourceRng(uint64_t subject, SourceNumber s) const {
    return Rng(MixSeed(options_.seed, kSourceStream + static_cast<uint64_t>(s),
                       subject));
  }

  void Emit(SourceNumber s, Row& row, uint64_t subject, bool person, int year,
            int region, int variant = 0) {
    if (LimitReached()) return;
    ++total_;
    Pending p;
    p.body = row.Body();
    p.subject = subject;
    p.person = person;
    p.year = static_cast<int16_t>(year);
    p.region = static_cast<int16_t>(region);
    p.variant = static_cast<int8_t>(variant);
    writers_[static_cast<size_t>(s)]->Add(std::move(p));
  }

  // A day in the fact window (the last six years before the reference date),
  // not before `not_before`.
  static int64_t FactDay(Rng& rng, int64_t not_before) {
    int64_t lo = std::max(not_before + 30, kReferenceDay - kFactWindowDays);
    if (lo > kReferenceDay) lo = kReferenceDay;
    return rng.Range(lo, kReferenceDay);
  }

  static std::string Authority(const Region& r, std::string_view office) {
    return fmt::format("{}{}", r.city, office);
  }

  void MarketRows(uint64_t i, const Enterprise& e) {
    Rng rng = SourceRng(i, kMarket);
    if (!rng.Chance(0.95)) return;
    const SourceSpec& spec = SourceSpecs()[kMarket];
    const Region& region = kRegions[e.region];
    const double base = options_.corruption;
    // The registry record(s): 设立登记 and, for duplicates, 变更登记 rows.
    int registrations = 1 + rng.Extra(options_.dup_rate, MaxDups());
    for (int k = 0; k < registrations; ++k) {
      Corrupter c(ctx_, rng, base * 0.3);
      Row row(spec);
      row[M_KIND] = k == 0 ? "设立登记" : "变更登记";
      FillMarketIdentity(row, e, c, rng);
      std::string address = e.address;
      if (k > 0 && rng.Chance(0.4))
        address = Address(region, rng, false);  // moved
      row[M_ADDRESS] = c.Address(address, region);
      row[M_ESTABLISHED] = c.Date(e.established, DateStyle::kIso);
      row[M_PHONE] = e.accountant >= 0 ? e.phone : c.Phone(e.phone);
      row[M_INDUSTRY] = kIndustries[e.industry].code;
      row[M_AUTHORITY] = Authority(region, "市场监督管理局");
      Emit(kMarket, row, i, false, e.established.y, e.region);
    }
    // Administrative penalties.
    int penalties = rng.Chance(0.35) ? 1 + rng.Extra(0.4, 3) : 0;
    for (int k = 0; k < penalties; ++k) {
      Corrupter c(ctx_, rng, base * 0.6);
      Row row(spec);
      row[M_KIND] = "行政处罚";
      FillMarketIdentity(row, e, c, rng);
      row[M_ADDRESS] = c.Address(e.address, region);
      row[M_AUTHORITY] = Authority(region, "市场监督管理局");
      Ymd day = CivilFromDays(FactDay(rng, e.established_day));
      static constexpr int kSeverity[] = {35, 30, 20, 10, 5};
      int severity = 1 + static_cast<int>(rng.Weighted(kSeverity));
      row[M_DOC_NO] = fmt::format("{}市监罚〔{}〕{}号", region.city_short,
                                  day.y, rng.Range(1, 9999));
      row[M_VIOLATION] = std::string(rng.Pick(kMarketViolations));
      row[M_PENALTY_DATE] = c.Date(day, DateStyle::kIso);
      row[M_FINE] = Money(rng.Range(2, 500) * 100 * severity);
      row[M_SEVERITY] = fmt::format("{}", severity);
      static constexpr std::string_view kStatus[] = {"已履行", "未履行",
                                                     "信用修复", "复议中"};
      static constexpr int kStatusWeights[] = {60, 25, 10, 5};
      row[M_PENALTY_STATUS] =
          std::string(kStatus[rng.Weighted(kStatusWeights)]);
      if (rng.Chance(0.7)) {
        int64_t until = Days(day) + (severity >= 3 ? 3 * 365 : 365);
        row[M_PUBLISH_UNTIL] = c.Date(CivilFromDays(until), DateStyle::kIso);
      }
      Emit(kMarket, row, i, false, day.y, e.region);
    }
    // Licences.
    int licenses = rng.Chance(0.3) ? 1 + rng.Extra(0.3, 2) : 0;
    for (int k = 0; k < licenses; ++k) {
      Corrupter c(ctx_, rng, base * 0.6);
      Row row(spec);
      row[M_KIND] = "行政许可";
      FillMarketIdentity(row, e, c, rng);
      row[M_AUTHORITY] = Authority(region, "市场监督管理局");
      size_t which = rng.Below(std::size(kLicenses));
      Ymd day = CivilFromDays(FactDay(rng, e.established_day));
      row[M_LICENSE_NAME] = std::string(kLicenses[which]);
      row[M_LICENSE_NO] = fmt::format("{}{}{:07d}", kLicensePrefix[which],
                                      region.code, rng.Below(10000000));
      row[M_LICENSE_DATE] = c.Date(day, DateStyle::kIso);
      row[M_LICENSE_UNTIL] =
          c.Date(CivilFromDays(Days(day) + 5 * 365), DateStyle::kIso);
      Emit(kMarket, row, i, false, day.y, e.region);
    }
    // Commendations.
    if (rng.Chance(0.06)) {
      Corrupter c(ctx_, rng, base * 0.6);
      Row row(spec);
      row[M_KIND] = "表彰";
      FillMarketIdentity(row, e, c, rng);
      row[M_AUTHORITY] = Authority(region, "市场监督管理局");
      Ymd day = CivilFromDays(FactDay(rng, e.established_day));
      row[M_COMMENDATION] = std::string(rng.Pick(kCommendations));
      row[M_COMMENDATION_DATE] = c.Date(day, DateStyle::kIso);
      Emit(kMarket, row, i, false, day.y, e.region);
    }
  }

  // Name, identifiers and legal representative as the registry lists them:
  // enterprises registered before the USCC reform sometimes appear under the
  // old 15-digit number only.
  void FillMarketIdentity(Row& row, const Enterprise& e, Corrupter& c,
                          Rng& rng) {
    row[M_NAME] = c.OrgNameOf(e);
    if (!e.reg_no.empty() && rng.Chance(0.5)) {
      row[M_REG_NO] = e.reg_no;
      // The old number instead of the USCC (the registry never backfilled it).
      bool old_only = rng.Chance(std::min(1.0, options_.corruption * 2.5));
      row[M_USCC] = old_only ? std::string() : c.Uscc(e, false);
    } else {
      row[M_USCC] = c.Uscc(e, false);
    }
    row[M_LEGAL_REP] = c.PersonName(e.rep);
  }

  void TaxRows(uint64_t i, const Enterprise& e) {
    Rng rng = SourceRng(i, kTax);
    if (!rng.Chance(0.85)) return;
    const SourceSpec& spec = SourceSpecs()[kTax];
    const Region& region = kRegions[e.region];
    const double rate = options_.corruption;
    auto identity = [&](Row& row, Corrupter& c) {
      row[T_TAX_ID] = c.Uscc(e, true);
      row[T_NAME] = c.OrgNameOf(e);
      row[T_LEGAL_REP] = c.PersonName(e.rep);
      row[T_ADDRESS] = c.Address(e.address, region);
      row[T_PHONE] = e.accountant >= 0 ? e.phone : c.Phone(e.phone);
    };
    // Credit grades of the most recent evaluation years (published in April).
    static constexpr std::string_view kGrades[] = {"A", "B", "C", "D"};
    static constexpr int kGradeWeights[] = {30, 50, 12, 8};
    size_t grade = rng.Weighted(kGradeWeights);
    int first_year = std::max(e.established.y, 2019);
    int years = static_cast<int>(rng.Range(1, 3));
    for (int y = 2025; y > 2025 - years && y >= first_year; --y) {
      Corrupter c(ctx_, rng, rate);
      Row row(spec);
      identity(row, c);
      if (rng.Chance(0.2)) grade = rng.Weighted(kGradeWeights);
      row[T_YEAR] = fmt::format("{}", y);
      // New taxpayers without a full year of history are graded M.
      row[T_GRADE] = y == e.established.y ? "M" : std::string(kGrades[grade]);
      row[T_GRADE_DATE] = c.Date(
          {y + 1, 4, static_cast<int>(rng.Range(10, 28))}, DateStyle::kSlash);
      Emit(kTax, row, i, false, y + 1, e.region);
    }
    // Tax arrears.
    int arrears = rng.Chance(0.12) ? 1 + rng.Extra(0.4, 3) : 0;
    for (int k = 0; k < arrears; ++k) {
      Corrupter c(ctx_, rng, rate);
      Row row(spec);
      identity(row, c);
      Ymd day = CivilFromDays(FactDay(rng, e.established_day));
      row[T_TAX_KIND] = std::string(rng.Pick(kTaxKinds));
      row[T_ARREARS] = Money(rng.Range(1, 2000) * 1000 + rng.Range(0, 999));
      row[T_ARREARS_STATUS] = rng.Chance(0.6) ? "未缴" : "已缴";
      row[T_ARREARS_DATE] = c.Date(day, DateStyle::kSlash);
      Emit(kTax, row, i, false, day.y, e.region);
    }
    // Registration rows without a fact (re-registrations, moves).
    int extra = rng.Extra(options_.dup_rate, MaxDups());
    for (int k = 0; k < extra; ++k) {
      Corrupter c(ctx_, rng, rate);
      Row row(spec);
      identity(row, c);
      Emit(kTax, row, i, false, 2026, e.region);
    }
  }

  void CourtRow(Row& row, Rng& rng, Corrupter& c, int64_t not_before,
                bool person, Ymd* filed, int* variant) {
    const bool dishonest = rng.Chance(0.4);
    *variant = dishonest ? 1 : 0;
    row[C_KIND] = dishonest ? "dishonest_debtor" : "court_judgment";
    row[C_SUBJECT_KIND] = person ? "个人" : "企业";
    Ymd day = CivilFromDays(FactDay(rng, not_before));
    *filed = day;
    row[C_AMOUNT] = person ? Money(rng.Range(2, 500) * 1000)
                           : Money(rng.Range(5, 5000) * 1000);
    static constexpr std::string_view kStatus[] = {"未履行", "已履行",
                                                   "部分履行"};
    static constexpr int kStatusWeights[] = {50, 35, 15};
    row[C_STATUS] = std::string(kStatus[rng.Weighted(kStatusWeights)]);
    row[C_FILED] = c.Date(day, DateStyle::kCjk);
    if (dishonest) {
      int64_t published =
          std::min(Days(day) + rng.Range(30, 180), kReferenceDay);
      row[C_PUBLISHED] = c.Date(CivilFromDays(published), DateStyle::kCjk);
      row[C_PUBLISH_UNTIL] = c.Date(
          CivilFromDays(published + rng.Range(2, 5) * 365), DateStyle::kCjk);
    }
  }

  void CourtOrgRows(uint64_t i, const Enterprise& e) {
    Rng rng = SourceRng(i, kCourt);
    if (!rng.Chance(0.12)) return;
    const SourceSpec& spec = SourceSpecs()[kCourt];
    const Region& region = kRegions[e.region];
    int cases = 1 + rng.Extra(0.5, 4);
    for (int k = 0; k < cases; ++k) {
      Corrupter c(ctx_, rng, options_.corruption);
      Row row(spec);
      Ymd filed;
      int variant = 0;
      CourtRow(row, rng, c, e.established_day, false, &filed, &variant);
      row[C_NAME] = c.OrgNameOf(e);
      row[C_USCC] = c.Uscc(e, true);
      row[C_LEGAL_REP] = c.PersonName(e.rep);
      row[C_COURT] = fmt::format("{}{}人民法院", region.city, region.district);
      Emit(kCourt, row, i, false, filed.y, e.region, variant);
    }
  }

  void CourtPersonRows(uint64_t i, const Person& p) {
    Rng rng = SourceRng(i, kCourt);
    if (!rng.Chance(0.12)) return;
    const SourceSpec& spec = SourceSpecs()[kCourt];
    const Region& region = kRegions[p.region];
    int cases = 1 + rng.Extra(0.4, 3);
    int64_t adult = DaysFromCivil(p.birth.y + 18, p.birth.m, 1);
    for (int k = 0; k < cases; ++k) {
      Corrupter c(ctx_, rng, options_.corruption);
      Row row(spec);
      Ymd filed;
      int variant = 0;
      CourtRow(row, rng, c, adult, true, &filed, &variant);
      row[C_NAME] = c.PersonName(p);
      row[C_RESIDENT_ID] = c.ResidentId(p, true, true);
      row[C_SEX] = p.male ? "男" : "女";
      row[C_COURT] = fmt::format("{}{}人民法院", region.city, region.district);
      Emit(kCourt, row, i, true, filed.y, p.region, variant);
    }
  }

  void EnvironmentRows(uint64_t i, const Enterprise& e) {
    Rng rng = SourceRng(i, kEnvironment);
    if (!rng.Chance(kIndustries[e.industry].polluting ? 0.25 : 0.04)) return;
    const SourceSpec& spec = SourceSpecs()[kEnvironment];
    const Region& region = kRegions[e.region];
    int penalties = 1 + rng.Extra(0.4, 3);
    for (int k = 0; k < penalties; ++k) {
      Corrupter c(ctx_, rng, options_.corruption);
      Row row(spec);
      row[E_NAME] = c.OrgNameOf(e);
      row[E_USCC] = c.Uscc(e, true);
      row[E_LEGAL_REP] = c.PersonName(e.rep);
      row[E_ADDRESS] = c.Address(e.address, region);
      Ymd day = CivilFromDays(FactDay(rng, e.established_day));
      static constexpr int kSeverity[] = {35, 30, 20, 10, 5};
      int severity = 1 + static_cast<int>(rng.Weighted(kSeverity));
      row[E_VIOLATION] = std::string(rng.Pick(kEnvViolations));
      row[E_DATE] = c.Date(day, DateStyle::kCompact);
      row[E_FINE] = Money(rng.Range(1, 50) * 10000 * severity);
      row[E_SEVERITY] = fmt::format("{}", severity);
      static constexpr std::string_view kStatus[] = {"已执行", "未执行",
                                                     "复议中", "信用修复"};
      static constexpr int kStatusWeights[] = {55, 25, 10, 10};
      row[E_STATUS] = std::string(kStatus[rng.Weighted(kStatusWeights)]);
      if (rng.Chance(0.8)) {
        row[E_PUBLISH_UNTIL] =
            c.Date(CivilFromDays(Days(day) + (severity >= 3 ? 3 * 365 : 365)),
                   DateStyle::kCompact);
      }
      row[E_AUTHORITY] = Authority(region, "生态环境局");
      Emit(kEnvironment, row, i, false, day.y, e.region);
    }
  }

  void SocialRows(uint64_t i, const Person& p) {
    Rng rng = SourceRng(i, kSocial);
    if (!rng.Chance(0.9)) return;
    const SourceSpec& spec = SourceSpecs()[kSocial];
    const Region& region = kRegions[p.region];
    int rows = 1 + rng.Extra(options_.dup_rate, MaxDups());
    for (int k = 0; k < rows; ++k) {
      Corrupter c(ctx_, rng, options_.corruption);
      Row row(spec);
      row[S_NAME] = c.PersonName(p);
      row[S_RESIDENT_ID] = c.ResidentId(p, true, false);
      row[S_SEX] = p.male ? "男" : "女";
      row[S_BIRTH] = c.Date(p.birth, DateStyle::kIso);
      row[S_PHONE] = c.Phone(p.phone);
      row[S_EMPLOYER] = Employer(i, rng, c);
      row[S_ADDRESS] = c.Address(p.address, region);
      Emit(kSocial, row, i, true, 2026, p.region);
    }
  }

  // An employer: an enterprise of the data set when one is drawn, otherwise
  // a plausible firm that is not a subject.
  std::string Employer(uint64_t i, Rng& rng, Corrupter& c) {
    if (i > 0) {
      uint64_t j = rng.Below(i);
      if (!IsPerson(ctx_, j)) return c.OrgNameOf(MakeEnterprise(ctx_, j));
    }
    const Region& r = kRegions[rng.Below(kRegionCount)];
    return fmt::format(
        "{}{}{}{}{}", r.city, rng.Pick(kTradeChars), rng.Pick(kTradeChars),
        kIndustries[rng.Below(std::size(kIndustries))].word, kLegalForms[0]);
  }

  bool WriteGeneric(const std::filesystem::path& dir, std::string* error) {
    std::filesystem::path path = dir / "generic.csv";
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) {
      *error = fmt::format("cannot create {}: {}", path.string(),
                           std::strerror(errno));
      return false;
    }
    std::string out = "kind,value,note\n";
    for (int k = 0; k < kAccountantPhones; ++k) {
      if (used_accountants_[static_cast<size_t>(k)]) {
        out += fmt::format(
            "phone,{},shared accountant phone of many enterprises\n",
            AccountantPhone(ctx_, k));
      }
    }
    for (std::string_view v :
         {"000000000000000000", "111111111111111111", "999999999999999999"}) {
      out += fmt::format("uscc,{},placeholder code\n", v);
    }
    for (std::string_view v :
         {"000000000000000000", "111111111111111111", "123456789012345678"}) {
      out += fmt::format("resident_id,{},placeholder id\n", v);
    }
    for (std::string_view v : {"00000000", "13800138000", "12345678901"}) {
      out += fmt::format("phone,{},placeholder phone\n", v);
    }
    std::fwrite(out.data(), 1, out.size(), f);
    if (std::fclose(f) != 0) {
      *error = fmt::format("cannot write {}", path.string());
      return false;
    }
    return true;
  }

  const Options& options_;
  Context ctx_;
  std::FILE* truth_;
  std::array<std::unique_ptr<SourceWriter>, kSourceCount> writers_;
  std::array<bool, kAccountantPhones> used_accountants_{};
  uint64_t total_ = 0;
};

bool CheckOptions(const Options& o, std::string* error) {
  if (o.out_dir.empty()) {
    *error = "no output directory: pass --out DIR";
    return false;
  }
  auto rate_ok = [&](double r, std::string_view name) {
    if (r >= 0.0 && r <= 1.0) return true;
    *error =
        fmt::format("--{} is {}, expected a rate between 0 and 1", name, r);
    return false;
  };
  if (!rate_ok(o.dup_rate, "dup-rate") ||
      !rate_ok(o.corruption, "corruption") ||
      !rate_ok(o.generic_rate, "generic-rate") ||
      !rate_ok(o.person_share, "person-share")) {
    return false;
  }
  if (o.max_dups > 100) {
    *error = fmt::format("--max-dups {} is too large: at most 100", o.max_dups);
    return false;
  }
  if (o.subjects > 100000000) {
    *error = fmt::format(
        "--subjects {} is too many: identifiers are unique up to 100000000",
        o.subjects);
    return false;
  }
  if (o.records > 400000000) {
    *error =
        fmt::format("--records {} is too many: at most 400000000", o.records);
    return false;
  }
  std::vector<std::string_view> known = AllSources();
  for (const std::string& s : o.sources) {
    if (std::find(known.begin(), known.end(), s) == known.end()) {
      *error = fmt::format("unknown source '{}': choose from {}", s,
                           fmt::join(known, ","));
      return false;
    }
  }
  return true;
}

}  // namespace

std::vector<std::string_view> AllSources() {
  std::vector<std::string_view> ids;
  for (const SourceSpec& spec : SourceSpecs()) ids.push_back(spec.id);
  return ids;
}

bool Generate(const Options& options, Stats* stats, std::string* error) {
  *stats = Stats();
  if (!CheckOptions(options, error)) return false;
  std::filesystem::path dir(options.out_dir);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    *error = fmt::format("cannot create output directory {}: {}", dir.string(),
                         ec.message());
    return false;
  }
  std::filesystem::path truth_path = dir / "truth.csv";
  std::FILE* truth = std::fopen(truth_path.c_str(), "wb");
  if (truth == nullptr) {
    *error = fmt::format("cannot create {}: {}", truth_path.string(),
                         std::strerror(errno));
    return false;
  }
  std::setvbuf(truth, nullptr, _IOFBF, 1 << 20);
  static constexpr std::string_view kTruthHeader =
      "source,record_id,subject_id\n";
  std::fwrite(kTruthHeader.data(), 1, kTruthHeader.size(), truth);
  bool ok;
  {
    Generator generator(options, truth);
    ok = generator.Open(dir, error);
    if (ok) {
      generator.Run(stats);
      ok = generator.Finish(dir, stats, error);
    }
  }
  bool closed = std::fflush(truth) == 0 && std::ferror(truth) == 0;
  closed = std::fclose(truth) == 0 && closed;
  if (ok && !closed) {
    *error = fmt::format("cannot write {} (disk full?)", truth_path.string());
    ok = false;
  }
  return ok;
}

}  // namespace credit::datagen
