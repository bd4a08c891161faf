#include "match/string_comparators.h"

#include <algorithm>
#include <array>
#include <vector>

namespace credit {
namespace match_internal {
namespace {

// A buffer on the stack for short inputs, on the heap for long ones.
template <typename T>
class ScratchBuffer {
 public:
  explicit ScratchBuffer(std::size_t n) {
    if (n <= kComparatorStackLength + 2) {
      data_ = stack_.data();
    } else {
      heap_.resize(n);
      data_ = heap_.data();
    }
  }
  T* data() { return data_; }
  T& operator[](std::size_t i) { return data_[i]; }

 private:
  std::array<T, kComparatorStackLength + 2> stack_;
  std::vector<T> heap_;
  T* data_;
};

}  // namespace
}  // namespace match_internal

using match_internal::ScratchBuffer;

std::u32string DecodeUtf8(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    char32_t cp;
    int extra;
    if (c < 0x80) {
      out.push_back(c);
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F;
      extra = 1;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F;
      extra = 2;
    } else if ((c & 0xF8) == 0xF0) {
      cp = c & 0x07;
      extra = 3;
    } else {
      out.push_back(U'\uFFFD');
      ++i;
      continue;
    }
    if (i + extra >= n) {
      // Truncated sequence.
      out.push_back(U'\uFFFD');
      ++i;
      continue;
    }
    bool ok = true;
    for (int k = 1; k <= extra; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    // Reject overlong forms, surrogates and values past U+10FFFF.
    static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (!ok || cp < kMin[extra] || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      out.push_back(U'\uFFFD');
      ++i;
      continue;
    }
    out.push_back(cp);
    i += extra + 1;
  }
  return out;
}

void AppendUtf8(std::u32string_view cps, std::string* out) {
  for (char32_t cp : cps) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
}

namespace {

// Jaro for strings of at most 64 code points: match flags as bit masks.
double JaroShort(std::u32string_view a, std::u32string_view b) {
  const std::size_t la = a.size();
  const std::size_t lb = b.size();
  const std::size_t longest = std::max(la, lb);
  const std::size_t window = longest / 2 > 0 ? longest / 2 - 1 : 0;
  std::uint64_t a_mask = 0;
  std::uint64_t b_mask = 0;
  std::size_t matches = 0;
  for (std::size_t i = 0; i < la; ++i) {
    const std::size_t lo = i > window ? i - window : 0;
    const std::size_t hi = std::min(lb, i + window + 1);
    const char32_t c = a[i];
    for (std::size_t j = lo; j < hi; ++j) {
      if (b[j] == c && !((b_mask >> j) & 1)) {
        a_mask |= std::uint64_t{1} << i;
        b_mask |= std::uint64_t{1} << j;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return 0.0;
  std::size_t transpositions = 0;
  std::uint64_t am = a_mask, bm = b_mask;
  while (am != 0) {
    const int i = __builtin_ctzll(am);
    const int j = __builtin_ctzll(bm);
    transpositions += a[i] != b[j];
    am &= am - 1;
    bm &= bm - 1;
  }
  const double m = static_cast<double>(matches);
  return (m / la + m / lb + (m - transpositions / 2.0) / m) / 3.0;
}

}  // namespace

double Jaro(std::u32string_view a, std::u32string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  if (a == b) return 1.0;
  if (a.size() <= 64 && b.size() <= 64) return JaroShort(a, b);
  const std::size_t la = a.size();
  const std::size_t lb = b.size();
  const std::size_t window =
      std::max<std::size_t>(la, lb) / 2 > 0 ? std::max(la, lb) / 2 - 1 : 0;
  std::vector<unsigned char> a_flag(la, 0);
  std::vector<unsigned char> b_flag(lb, 0);
  std::size_t matches = 0;
  for (std::size_t i = 0; i < la; ++i) {
    const std::size_t lo = i > window ? i - window : 0;
    const std::size_t hi = std::min(lb, i + window + 1);
    for (std::size_t j = lo; j < hi; ++j) {
      if (!b_flag[j] && a[i] == b[j]) {
        a_flag[i] = 1;
        b_flag[j] = 1;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return 0.0;
  std::size_t transpositions = 0;
  std::size_t k = 0;
  for (std::size_t i = 0; i < la; ++i) {
    if (!a_flag[i]) continue;
    while (!b_flag[k]) ++k;
    if (a[i] != b[k]) ++transpositions;
    ++k;
  }
  const double m = static_cast<double>(matches);
  return (m / la + m / lb + (m - transpositions / 2.0) / m) / 3.0;
}

double JaroWinkler(std::u32string_view a, std::u32string_view b) {
  const double jaro = Jaro(a, b);
  if (jaro <= 0.7) return jaro;
  const std::size_t max_prefix = std::min<std::size_t>({4, a.size(), b.size()});
  std::size_t prefix = 0;
  while (prefix < max_prefix && a[prefix] == b[prefix]) ++prefix;
  return jaro + prefix * 0.1 * (1.0 - jaro);
}

namespace {

// Optimal string alignment with three rolling rows. Returns a value greater
// than `bound` as soon as the distance is known to exceed it.
int OsaDistance(std::u32string_view a, std::u32string_view b, int bound) {
  if (a.size() < b.size()) std::swap(a, b);  // b is the shorter: rows are short
  const int la = static_cast<int>(a.size());
  const int lb = static_cast<int>(b.size());
  if (la - lb > bound) return bound + 1;
  if (lb == 0) return la;
  ScratchBuffer<int> prev2(lb + 1);
  ScratchBuffer<int> prev(lb + 1);
  ScratchBuffer<int> cur(lb + 1);
  int* p2 = prev2.data();
  int* p1 = prev.data();
  int* c = cur.data();
  for (int j = 0; j <= lb; ++j) p1[j] = j;
  for (int i = 1; i <= la; ++i) {
    c[0] = i;
    int row_min = c[0];
    for (int j = 1; j <= lb; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = std::min({p1[j] + 1, c[j - 1] + 1, p1[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        v = std::min(v, p2[j - 2] + 1);
      }
      c[j] = v;
      row_min = std::min(row_min, v);
    }
    // A transposition can lower the next row only by reaching back to this
    // one, so the bound holds when this row and the previous both exceed it.
    if (row_min > bound && i > 1) {
      int prev_min = p1[0];
      for (int j = 1; j <= lb; ++j) prev_min = std::min(prev_min, p1[j]);
      if (prev_min > bound) return bound + 1;
    }
    int* t = p2;
    p2 = p1;
    p1 = c;
    c = t;
  }
  return p1[lb];
}

}  // namespace

int DamerauLevenshtein(std::u32string_view a, std::u32string_view b) {
  return OsaDistance(a, b, static_cast<int>(a.size() + b.size()));
}

namespace {

// True when `a` and `b` are at most one edit (insertion, deletion,
// substitution or adjacent transposition) apart. Linear time.
bool WithinOneEdit(std::u32string_view a, std::u32string_view b) {
  if (a.size() < b.size()) std::swap(a, b);
  const std::size_t la = a.size(), lb = b.size();
  if (la - lb > 1) return false;
  std::size_t i = 0;
  while (i < lb && a[i] == b[i]) ++i;
  if (i == lb) return true;  // equal, or one trailing insertion
  if (la == lb) {
    // Substitution at i, or transposition of i and i + 1.
    if (a.substr(i + 1) == b.substr(i + 1)) return true;
    return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] &&
           a.substr(i + 2) == b.substr(i + 2);
  }
  // a has one extra code point at or after i.
  return a.substr(i + 1) == b.substr(i);
}

}  // namespace

bool DamerauLevenshteinAtMost(std::u32string_view a, std::u32string_view b,
                              int max_distance) {
  if (a == b) return true;
  if (max_distance <= 0) return false;
  if (max_distance == 1) return WithinOneEdit(a, b);
  const std::size_t diff =
      a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (diff > static_cast<std::size_t>(max_distance)) return false;
  return OsaDistance(a, b, max_distance) <= max_distance;
}

double TokenSetSimilarity(std::span<const std::uint64_t> a,
                          std::span<const std::uint64_t> b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  std::size_t i = 0, j = 0, common = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j]) {
      ++common;
      ++i;
      ++j;
    } else if (a[i] < b[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return static_cast<double>(common) /
         static_cast<double>(a.size() + b.size() - common);
}

namespace {
constexpr std::uint64_t kFnvOffset = 1469598103934665603ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;
std::uint64_t Mix(std::uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}
}  // namespace

std::uint64_t HashToken(std::string_view text) {
  std::uint64_t h = kFnvOffset;
  for (unsigned char c : text) {
    h ^= c;
    h *= kFnvPrime;
  }
  return Mix(h);
}

std::uint64_t HashToken(std::u32string_view text) {
  // Hash the UTF-8 form so both overloads agree on the same text.
  std::uint64_t h = kFnvOffset;
  char buf[4];
  for (char32_t cp : text) {
    int n;
    if (cp < 0x80) {
      buf[0] = static_cast<char>(cp);
      n = 1;
    } else if (cp < 0x800) {
      buf[0] = static_cast<char>(0xC0 | (cp >> 6));
      buf[1] = static_cast<char>(0x80 | (cp & 0x3F));
      n = 2;
    } else if (cp < 0x10000) {
      buf[0] = static_cast<char>(0xE0 | (cp >> 12));
      buf[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      buf[2] = static_cast<char>(0x80 | (cp & 0x3F));
      n = 3;
    } else {
      buf[0] = static_cast<char>(0xF0 | (cp >> 18));
      buf[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      buf[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      buf[3] = static_cast<char>(0x80 | (cp & 0x3F));
      n = 4;
    }
    for (int k = 0; k < n; ++k) {
      h ^= static_cast<unsigned char>(buf[k]);
      h *= kFnvPrime;
    }
  }
  return Mix(h);
}

}  // namespace credit
