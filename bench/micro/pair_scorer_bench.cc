// Pair scoring throughput on precomputed PreparedRecords (target: >= 10M
// comparisons/s on the machine), plus the string comparators on their own.
//
// Run: build/release/bin/credit_micro_bench
// --benchmark_filter='PairScorer|Comparator'
#include <map>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "match/match_model.h"
#include "match/pair_scorer.h"
#include "match/string_comparators.h"
#include "match/term_frequency.h"

namespace credit {
namespace {

std::string Word(std::mt19937& rng, int min_len, int max_len) {
  const int n = min_len + static_cast<int>(rng() % (max_len - min_len + 1));
  std::string w;
  for (int i = 0; i < n; ++i) w.push_back(static_cast<char>('a' + rng() % 26));
  return w;
}

std::string Typo(std::mt19937& rng, std::string w) {
  if (w.size() > 2)
    w[1 + rng() % (w.size() - 2)] = static_cast<char>('a' + rng() % 26);
  return w;
}

v1::NormalizedFeature* AddFeature(v1::Record* r, v1::Feature::Type type) {
  auto* f = r->add_features();
  f->set_type(type);
  f->mutable_normalized()->set_valid(true);
  return f->mutable_normalized();
}

// A Febrl-like person: name parts, date of birth, an unchecked id and a
// 7-token address.
struct Person {
  std::string family, given, ssid, street, suburb, postcode;
  int y, m, d;
};

v1::Record ToRecord(const Person& p, std::uint64_t number) {
  v1::Record r;
  r.set_entity_kind(v1::PERSON);
  r.set_record_number(number);
  auto* name = AddFeature(&r, v1::Feature::NAME);
  name->set_family(p.family);
  name->set_given(p.given);
  name->set_value(p.given + " " + p.family);
  name->add_tokens(p.given);
  name->add_tokens(p.family);
  auto* dob = AddFeature(&r, v1::Feature::DOB);
  dob->mutable_date()->set_year(p.y);
  dob->mutable_date()->set_month(p.m);
  dob->mutable_date()->set_day(p.d);
  auto* f = r.add_features();
  f->set_type(v1::Feature::ID);
  f->set_scheme(v1::Feature::OTHER);
  f->set_scheme_name("soc_sec_id");
  f->mutable_normalized()->set_valid(true);
  f->mutable_normalized()->set_value(p.ssid);
  auto* addr = AddFeature(&r, v1::Feature::ADDRESS);
  for (const std::string& t :
       {std::to_string(p.y % 97), p.street, std::string("street"), p.suburb,
        p.postcode, std::string("nsw")}) {
    addr->add_tokens(t);
  }
  return r;
}

struct Fixture {
  InMemoryTermFrequencies tf;
  std::vector<PreparedRecord> records;
  // Candidate-like pairs in bulk-load order (sorted by first record): half
  // true duplicates with defects, half other people.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> candidate_pairs;

  explicit Fixture(int people_count) {
    std::mt19937 rng(2024);
    const std::uint32_t kPeople = static_cast<std::uint32_t>(people_count);
    std::vector<Person> people;
    std::vector<v1::Record> raw;
    std::vector<std::string> families;
    for (int i = 0; i < 500; ++i) families.push_back(Word(rng, 4, 10));
    for (std::uint32_t i = 0; i < kPeople; ++i) {
      Person p{families[rng() % families.size()],
               Word(rng, 3, 9),
               std::to_string(1000000 + rng() % 9000000),
               Word(rng, 5, 10),
               Word(rng, 4, 12),
               std::to_string(2000 + rng() % 7000),
               1920 + static_cast<int>(rng() % 80),
               1 + static_cast<int>(rng() % 12),
               1 + static_cast<int>(rng() % 28)};
      people.push_back(p);
      raw.push_back(ToRecord(p, raw.size()));
      Person dup = p;
      switch (rng() % 4) {
        case 0:
          dup.family = Typo(rng, dup.family);
          break;
        case 1:
          dup.given = Typo(rng, dup.given);
          break;
        case 2:
          dup.ssid = Typo(rng, dup.ssid);
          break;
        default:
          dup.d = 1 + (dup.d + 1) % 28;
          break;
      }
      raw.push_back(ToRecord(dup, raw.size()));
    }
    for (const auto& r : raw) tf.Add(r);
    auto scorer = PairScorer::Create(DefaultMatchModel(), &tf);
    for (const auto& r : raw) records.push_back(scorer->Prepare(r));
    for (std::uint32_t i = 0; i < kPeople; ++i) {
      candidate_pairs.emplace_back(2 * i, 2 * i + 1);
      std::uint32_t j = rng() % kPeople;
      candidate_pairs.emplace_back(2 * i, 2 * j + 1);
    }
  }
};

// Fixtures by size: 500 people (cache resident) and 20,000 (40,000
// records, ~25 MB of prepared data: every pair misses the caches).
const Fixture& GetFixture(int people = 20000) {
  static std::map<int, const Fixture*>* fixtures =
      new std::map<int, const Fixture*>();
  auto it = fixtures->find(people);
  if (it == fixtures->end())
    it = fixtures->emplace(people, new Fixture(people)).first;
  return *it->second;
}

void BM_PairScorerCandidatePairs(benchmark::State& state) {
  const Fixture& f = GetFixture(static_cast<int>(state.range(0)));
  auto scorer = PairScorer::Create(DefaultMatchModel(), &f.tf);
  std::size_t k = 0;
  double sum = 0;
  for (auto _ : state) {
    const auto& [i, j] = f.candidate_pairs[k];
    sum += scorer->Score(f.records[i], f.records[j]).total;
    if (++k == f.candidate_pairs.size()) k = 0;
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PairScorerCandidatePairs)->Arg(500)->Arg(20000);

// The same pairs as a loop over a pair list scores them (the relink's):
// each record is prefetched a few pairs ahead, its storage nearer.
void BM_PairScorerCandidatePairsPrefetched(benchmark::State& state) {
  const Fixture& f = GetFixture(static_cast<int>(state.range(0)));
  auto scorer = PairScorer::Create(DefaultMatchModel(), &f.tf);
  const std::size_t n = f.candidate_pairs.size();
  std::size_t k = 0;
  double sum = 0;
  for (auto _ : state) {
    const auto& far = f.candidate_pairs[(k + PairScorer::kPrefetchRecordAhead) % n];
    PairScorer::PrefetchRecord(f.records[far.first]);
    PairScorer::PrefetchRecord(f.records[far.second]);
    const auto& near = f.candidate_pairs[(k + PairScorer::kPrefetchStorageAhead) % n];
    PairScorer::PrefetchStorage(f.records[near.first]);
    PairScorer::PrefetchStorage(f.records[near.second]);
    const auto& [i, j] = f.candidate_pairs[k];
    sum += scorer->Score(f.records[i], f.records[j]).total;
    if (++k == n) k = 0;
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PairScorerCandidatePairsPrefetched)->Arg(500)->Arg(20000);
// Both cores, as the relink scores: items_per_second is the machine's rate.
BENCHMARK(BM_PairScorerCandidatePairsPrefetched)
    ->Arg(20000)
    ->Threads(2)
    ->UseRealTime();

void BM_PairScorerRandomPairs(benchmark::State& state) {
  const Fixture& f = GetFixture(static_cast<int>(state.range(0)));
  auto scorer = PairScorer::Create(DefaultMatchModel(), &f.tf);
  std::mt19937 rng(7);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (int i = 0; i < 65536; ++i) {
    pairs.emplace_back(rng() % f.records.size(), rng() % f.records.size());
  }
  std::size_t k = 0;
  double sum = 0;
  for (auto _ : state) {
    const auto& [i, j] = pairs[k];
    sum += scorer->Score(f.records[i], f.records[j]).total;
    k = (k + 1) & 65535;
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PairScorerRandomPairs)->Arg(500)->Arg(20000);

void BM_PairScorerPrepare(benchmark::State& state) {
  Person p{"harrington", "kayla", "9004242", "maltby", "coolaroo",
           "3465",       1915,    6,         12};
  const v1::Record r = ToRecord(p, 1);
  auto scorer = PairScorer::Create(DefaultMatchModel(), &GetFixture().tf);
  for (auto _ : state) benchmark::DoNotOptimize(scorer->Prepare(r));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PairScorerPrepare);

void BM_ComparatorJaroWinkler(benchmark::State& state) {
  const std::u32string a = DecodeUtf8("harrington"),
                       b = DecodeUtf8("harringtom");
  for (auto _ : state) benchmark::DoNotOptimize(JaroWinkler(a, b));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ComparatorJaroWinkler);

void BM_ComparatorJaroWinklerCjk(benchmark::State& state) {
  const std::u32string a = DecodeUtf8("深圳市腾讯计算机系统");
  const std::u32string b = DecodeUtf8("深圳市腾迅计算机系统");
  for (auto _ : state) benchmark::DoNotOptimize(JaroWinkler(a, b));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ComparatorJaroWinklerCjk);

void BM_ComparatorDamerauLevenshteinAtMost1(benchmark::State& state) {
  const std::u32string a = DecodeUtf8("91440300708461136T");
  const std::u32string b = DecodeUtf8("91440300708416136T");
  for (auto _ : state)
    benchmark::DoNotOptimize(DamerauLevenshteinAtMost(a, b, 1));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ComparatorDamerauLevenshteinAtMost1);

void BM_ComparatorDamerauLevenshtein(benchmark::State& state) {
  const std::u32string a = DecodeUtf8("北京市海淀区中关村大街27号");
  const std::u32string b = DecodeUtf8("北京市海淀区中关村南大街72号");
  for (auto _ : state) benchmark::DoNotOptimize(DamerauLevenshtein(a, b));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ComparatorDamerauLevenshtein);

}  // namespace
}  // namespace credit
