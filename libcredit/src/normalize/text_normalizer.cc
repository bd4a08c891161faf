#include "normalize/text_normalizer.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "credit/normalize.h"
#include "unicode/bytestream.h"
#include "unicode/normalizer2.h"
#include "unicode/translit.h"
#include "unicode/uchar.h"
#include "unicode/uscript.h"
#include "unicode/utf8.h"

namespace credit {
namespace normalize_internal {
namespace {

// The process-wide prototypes, created once; only ever cloned.
struct Prototypes {
  std::unique_ptr<icu::Transliterator> trad_simp;
  std::unique_ptr<icu::Transliterator> pinyin[2];
};

std::unique_ptr<icu::Transliterator> Create(const char* id) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
      icu::UnicodeString::fromUTF8(id), UTRANS_FORWARD, status));
  if (U_FAILURE(status)) return nullptr;
  return t;
}

const Prototypes& GetPrototypes() {
  static const Prototypes* prototypes = [] {
    auto* p = new Prototypes;
    p->trad_simp = Create("Traditional-Simplified");
    p->pinyin[0] = Create("Han-Latin");
    p->pinyin[1] = Create("Han-Latin/Names");
    return p;
  }();
  return *prototypes;
}

std::unique_ptr<icu::Transliterator> CloneOf(
    const std::unique_ptr<icu::Transliterator>& prototype) {
  if (prototype == nullptr) return nullptr;
  return std::unique_ptr<icu::Transliterator>(prototype->clone());
}

constexpr UChar32 kBmpHanBegin = 0x3400;
constexpr UChar32 kBmpHanEnd = 0xA000;

// One thread's ICU objects and caches.
struct ThreadState {
  ThreadState() {
    const Prototypes& p = GetPrototypes();
    trad_simp = CloneOf(p.trad_simp);
    pinyin[0] = CloneOf(p.pinyin[0]);
    pinyin[1] = CloneOf(p.pinyin[1]);
    UErrorCode status = U_ZERO_ERROR;
    nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status)) nfkc_cf = nullptr;
    status = U_ZERO_ERROR;
    nfd = icu::Normalizer2::getNFDInstance(status);
    if (U_FAILURE(status)) nfd = nullptr;
  }
  std::unique_ptr<icu::Transliterator> trad_simp;
  std::unique_ptr<icu::Transliterator> pinyin[2];
  const icu::Normalizer2* nfkc_cf = nullptr;  // ICU singletons: thread-safe
  const icu::Normalizer2* nfd = nullptr;
  // Traditional→Simplified for U+3400..U+9FFF, filled lazily: 0 = not yet
  // looked up. ICU maps each of these to a single code point.
  std::vector<UChar32> simplified_bmp =
      std::vector<UChar32>(kBmpHanEnd - kBmpHanBegin, 0);
  absl::flat_hash_map<UChar32, std::string> simplified;
  absl::flat_hash_map<UChar32, std::string> pinyin_cache[2];
};

ThreadState& State() {
  thread_local ThreadState state;
  return state;
}

// Maps the brackets and middle dots NFKC leaves alone; 0 = keep.
// REQUIRES: `c` is already NFKC-casefolded.
UChar32 PreMap(UChar32 c) {
  switch (c) {
    case 0x3010:  // 【
    case 0x3016:  // 〖
    case 0x3018:  // 〘
    case 0x301A:  // 〚
      return '[';
    case 0x3011:  // 】
    case 0x3017:  // 〗
    case 0x3019:  // 〙
    case 0x301B:  // 〛
      return ']';
    case 0x3014:  // 〔
    case 0xFE5D:  // ﹝
    case 0x2985:  // ⦅
    case 0xFF5F:  // ｟
      return '(';
    case 0x3015:  // 〕
    case 0xFE5E:  // ﹞
    case 0x2986:  // ⦆
    case 0xFF60:  // ｠
      return ')';
    case 0x30FB:  // ・ katakana middle dot
    case 0xFF65:  // ･ half-width katakana middle dot
    case 0x2022:  // • bullet
    case 0x2027:  // ‧ hyphenation point
    case 0x2219:  // ∙ bullet operator
    case 0x22C5:  // ⋅ dot operator
    case 0x0387:  // · Greek ano teleia
    case 0x16EB:  // ᛫ runic single punctuation
    case 0x2E31:  // ⸱ word separator middle dot
    case 0xA78F:  // ꞏ Latin letter sinological dot
    case 0x318D:  // ㆍ Hangul letter araea
    case 0x2024:  // ․ one dot leader
    case 0x00B7:  // · itself
      return 0x00B7;
    default:
      return 0;
  }
}

std::string AsciiFold(std::string_view text) {
  // Writes through a pre-sized buffer: push_back per byte costs more than
  // the folding itself.
  std::string out(text.size(), '\0');
  char* p = out.data();
  char* const begin = p;
  bool pending_space = false;
  for (char ch : text) {
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' ||
        ch == '\f') {
      pending_space = p != begin;
      continue;
    }
    if (pending_space) *p++ = ' ';
    pending_space = false;
    *p++ = (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
  }
  out.resize(static_cast<size_t>(p - begin));
  return out;
}

}  // namespace

bool IsHanSlow(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  return uscript_getScript(c, &status) == USCRIPT_HAN && U_SUCCESS(status);
}

bool ContainsHan(std::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    if (static_cast<unsigned char>(text[pos]) < 0x80) {
      ++pos;
      continue;
    }
    if (IsHan(NextCodePoint(text, &pos))) return true;
  }
  return false;
}

std::vector<std::string> SplitCodePoints(std::string_view text) {
  std::vector<std::string> out;
  for (size_t pos = 0; pos < text.size();) {
    size_t start = pos;
    NextCodePoint(text, &pos);
    out.emplace_back(text.substr(start, pos - start));
  }
  return out;
}

const std::string& PinyinOf(UChar32 c, int style) {
  ThreadState& state = State();
  auto [it, inserted] = state.pinyin_cache[style].try_emplace(c);
  if (!inserted) return it->second;
  if (state.pinyin[style] == nullptr || state.nfd == nullptr) {
    return it->second;
  }
  icu::UnicodeString s(c);
  state.pinyin[style]->transliterate(s);
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString decomposed = state.nfd->normalize(s, status);
  if (U_FAILURE(status)) return it->second;
  std::string& out = it->second;
  for (int32_t i = 0; i < decomposed.length();) {
    UChar32 d = decomposed.char32At(i);
    i += U16_LENGTH(d);
    if (d >= 'A' && d <= 'Z') d = d - 'A' + 'a';
    if ((d >= 'a' && d <= 'z') || (d >= '0' && d <= '9')) {
      out.push_back(static_cast<char>(d));
    }
    // Combining marks (tones, the diaeresis of ü) and anything that stayed
    // Han are dropped.
  }
  return out;
}

std::string StripMarks(std::string_view text) {
  if (IsAscii(text)) return std::string(text);
  ThreadState& state = State();
  if (state.nfd == nullptr) return std::string(text);
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString decomposed =
      state.nfd->normalize(icu::UnicodeString::fromUTF8(text), status);
  if (U_FAILURE(status)) return std::string(text);
  std::string out;
  for (int32_t i = 0; i < decomposed.length();) {
    UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;
    AppendCodePoint(c, &out);
  }
  return out;
}

void StripMarksInPlace(std::string* text) {
  if (IsAscii(*text)) return;
  *text = StripMarks(*text);
}

std::string FoldForComparison(std::string_view text) {
  std::string folded = NormalizeText(text);
  if (IsAscii(folded)) return folded;
  return ToSimplified(folded);
}

}  // namespace normalize_internal

using normalize_internal::AppendCodePoint;
using normalize_internal::IsAscii;
using normalize_internal::NextCodePoint;

std::string NormalizeText(std::string_view text) {
  if (IsAscii(text)) return normalize_internal::AsciiFold(text);
  auto& state = normalize_internal::State();
  // ICU's UTF-8 normalizer passes ill-formed bytes through and may then
  // leave neighbouring characters unnormalized: replace them by U+FFFD
  // first, so the result is well-formed and NormalizeText idempotent.
  std::string sanitized;
  for (size_t pos = 0; pos < text.size();) {
    int32_t i = static_cast<int32_t>(pos);
    UChar32 c;
    U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), i,
            static_cast<int32_t>(text.size()), c);
    if (c < 0) {
      sanitized.reserve(text.size() + 8);
      for (size_t p = 0; p < text.size();) {
        AppendCodePoint(NextCodePoint(text, &p), &sanitized);
      }
      text = sanitized;
      break;
    }
    pos = static_cast<size_t>(i);
  }
  std::string folded;
  bool folded_ok = false;
  if (state.nfkc_cf != nullptr) {
    // Straight UTF-8 to UTF-8: no UTF-16 round trip.
    UErrorCode status = U_ZERO_ERROR;
    folded.reserve(text.size());
    icu::StringByteSink<std::string> sink(&folded);
    state.nfkc_cf->normalizeUTF8(
        0, icu::StringPiece(text.data(), static_cast<int32_t>(text.size())),
        sink, nullptr, status);
    folded_ok = U_SUCCESS(status);
  }
  if (!folded_ok) folded = std::string(text);
  // After NFKC (which turns ﹝ into 〔 and the ideographic space into a
  // space): map the brackets and dots it leaves alone, collapse Unicode
  // white space. Every code point written is stable under NFKC_Casefold, so
  // the result is idempotent.
  std::string out;
  out.reserve(folded.size());
  bool pending_space = false;
  for (size_t pos = 0; pos < folded.size();) {
    UChar32 c = NextCodePoint(folded, &pos);
    // No white space lies above U+3000: skip the property lookup for CJK.
    if (c <= 0x3000 && u_isUWhiteSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    UChar32 mapped = normalize_internal::PreMap(c);
    AppendCodePoint(mapped != 0 ? mapped : c, &out);
  }
  return out;
}

std::string ToSimplified(std::string_view text) {
  if (IsAscii(text)) return std::string(text);
  auto& state = normalize_internal::State();
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    size_t start = pos;
    UChar32 c = NextCodePoint(text, &pos);
    if (!normalize_internal::IsHan(c) || state.trad_simp == nullptr) {
      out.append(text.substr(start, pos - start));
      continue;
    }
    if (c >= normalize_internal::kBmpHanBegin &&
        c < normalize_internal::kBmpHanEnd) {
      UChar32& slot =
          state.simplified_bmp[c - normalize_internal::kBmpHanBegin];
      if (slot == 0) {
        icu::UnicodeString s(c);
        state.trad_simp->transliterate(s);
        slot = s.length() > 0 && s.countChar32() == 1 ? s.char32At(0) : -1;
      }
      if (slot > 0) {
        AppendCodePoint(slot, &out);
        continue;
      }
    }
    auto [it, inserted] = state.simplified.try_emplace(c);
    if (inserted) {
      icu::UnicodeString s(c);
      state.trad_simp->transliterate(s);
      s.toUTF8String(it->second);
    }
    out.append(it->second);
  }
  return out;
}

std::string PinyinKey(std::string_view text, PinyinStyle style) {
  const int s = style == PinyinStyle::kName ? 1 : 0;
  std::string out;
  auto separate = [&out] {
    if (!out.empty() && out.back() != ' ') out.push_back(' ');
  };
  for (size_t pos = 0; pos < text.size();) {
    unsigned char byte = static_cast<unsigned char>(text[pos]);
    if (byte < 0x80) {
      ++pos;
      char ch = static_cast<char>(byte);
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
      if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
        if (!out.empty() && out.back() != ' ' &&
            !((out.back() >= 'a' && out.back() <= 'z') ||
              (out.back() >= '0' && out.back() <= '9'))) {
          separate();
        }
        out.push_back(ch);
      } else {
        separate();
      }
      continue;
    }
    UChar32 c = NextCodePoint(text, &pos);
    if (normalize_internal::IsHan(c)) {
      const std::string& syllable = normalize_internal::PinyinOf(c, s);
      if (syllable.empty()) continue;
      separate();
      out.append(syllable);
      out.push_back(' ');
    } else {
      separate();
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace credit
