// A small, portable pseudo-random generator for the data generator.
//
// The generator's output must be byte-identical for a seed on every platform
// and standard library, so it never uses std::uniform_*_distribution (whose
// algorithms are implementation-defined). SplitMix64 is tiny, fast and passes
// BigCrush; every derived value (ranges, probabilities, picks) is computed here
// with fixed integer or IEEE double arithmetic.
//
// Thread safety: thread-compatible (one Rng per thread).
//
// Example:
//   credit::datagen::Rng rng(credit::datagen::MixSeed(42, 7));
//   int year = rng.Range(2020, 2026);
//   if (rng.Chance(0.1)) { ... }
#ifndef CREDIT_EXAMPLES_DATAGEN_RNG_H_
#define CREDIT_EXAMPLES_DATAGEN_RNG_H_

#include <cstddef>
#include <cstdint>
#include <span>

namespace credit::datagen {

// Returns the SplitMix64 finalizer of `x`: a bijective 64-bit mix.
constexpr uint64_t Mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Returns a seed for the stream (`seed`, `a`, `b`): independent streams for
// each subject and purpose, so a subject's data does not depend on the order
// in which others were generated.
constexpr uint64_t MixSeed(uint64_t seed, uint64_t a, uint64_t b = 0) {
  return Mix64(Mix64(Mix64(seed) ^ (a * 0xD1B54A32D192ED03ULL)) ^
               (b * 0x8CB92BA72F3D8DD7ULL));
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  // Returns the next 64 random bits.
  uint64_t Next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  // Returns a value in [0, n). REQUIRES: n > 0.
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >>
                                 64);
  }

  // Returns an integer in [lo, hi]. REQUIRES: lo <= hi.
  int64_t Range(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }

  // Returns a double in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  // Returns true with probability `p`.
  bool Chance(double p) { return Uniform() < p; }

  // Returns how many extra members a cluster gets: 0 with probability
  // 1 - `p`, else 1 + a geometric count with continuation probability `p`/2.
  int Extra(double p, int cap) {
    if (cap <= 0 || !Chance(p)) return 0;
    int n = 1;
    while (n < cap && Chance(0.5 * p)) ++n;
    return n;
  }

  // Returns a uniformly chosen element. REQUIRES: !items.empty().
  template <typename T>
  const T& Pick(std::span<const T> items) {
    return items[Below(items.size())];
  }
  template <typename T, size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Below(N)];
  }

  // Returns an index chosen with the given integer weights.
  // REQUIRES: the weights sum to more than zero.
  size_t Weighted(std::span<const int> weights) {
    int total = 0;
    for (int w : weights) total += w;
    int64_t r = static_cast<int64_t>(Below(static_cast<uint64_t>(total)));
    for (size_t i = 0; i < weights.size(); ++i) {
      r -= weights[i];
      if (r < 0) return i;
    }
    return weights.size() - 1;
  }

 private:
  uint64_t state_;
};

}  // namespace credit::datagen

#endif  // CREDIT_EXAMPLES_DATAGEN_RNG_H_
