// Micro benchmarks of blocking: deriving one record's keys (each ingested
// record and each record of a relink pays it once), and the in-memory
// candidate search of a bulk link (FindCandidatePairs) over N records whose
// keys are spread like a generated agency data set's: two identifier keys
// unique, three name keys shared by ~16 records each (~7.5 candidate pairs
// per record, as `credit_datagen` gives at 1M), a phone shared by ~2, and
// 1 % of records on one shared phone, past the cap.
//   build/release/bin/credit_micro_bench --benchmark_filter=Blocking
#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "fmt/format.h"
#include "match/blocking_keys.h"
#include "match/record_fields.h"
#include "normalize/record_normalizer.h"
#include "sample_records.h"

namespace credit {
namespace {

void DeriveKeys(benchmark::State& state, v1::Record record) {
  NormalizeRecord(&record);
  for (auto _ : state) {
    benchmark::DoNotOptimize(BlockingKeys(ExtractRecordFields(record)));
  }
}

void BM_BlockingKeysLatinPerson(benchmark::State& state) {
  DeriveKeys(state, bench::LatinPersonRecord());
}
BENCHMARK(BM_BlockingKeysLatinPerson);

void BM_BlockingKeysCjkPerson(benchmark::State& state) {
  DeriveKeys(state, bench::CjkPersonRecord());
}
BENCHMARK(BM_BlockingKeysCjkPerson);

void BM_BlockingKeysCjkEnterprise(benchmark::State& state) {
  DeriveKeys(state, bench::CjkEnterpriseRecord("腾讯计算机系统（深圳）有限公司"));
}
BENCHMARK(BM_BlockingKeysCjkEnterprise);

std::vector<std::vector<BlockingKey>> SyntheticKeys(std::size_t n) {
  std::mt19937_64 rng(42);
  std::vector<std::vector<BlockingKey>> keys(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t name = rng() % (n / 16 + 1);
    std::vector<BlockingKey>& k = keys[i];
    k.push_back({BlockingKeyType::kCheckedId, fmt::format("USCC:91{:016d}", i)});
    k.push_back({BlockingKeyType::kOrgCode, fmt::format("{:09d}", i)});
    k.push_back({BlockingKeyType::kFullName, fmt::format("o:公司{}", name)});
    k.push_back({BlockingKeyType::kPinyin, fmt::format("o:gongsi{}", name)});
    k.push_back({BlockingKeyType::kOrgNameRegion,
                 fmt::format("公司{}|{}", name, name % 7)});
    const std::uint64_t phone = rng() % 100 == 0 ? 0 : rng() % (n / 2 + 1);
    k.push_back({BlockingKeyType::kPhone, fmt::format("1380{:07d}", phone)});
    std::sort(k.begin(), k.end());
  }
  return keys;
}

void BM_BlockingFindCandidatePairs(benchmark::State& state) {
  const auto keys = SyntheticKeys(static_cast<std::size_t>(state.range(0)));
  std::size_t pairs = 0;
  for (auto _ : state) {
    CandidatePairs candidates = FindCandidatePairs(keys);
    pairs = candidates.pairs.size();
    benchmark::DoNotOptimize(candidates);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["pairs"] = static_cast<double>(pairs);
}
BENCHMARK(BM_BlockingFindCandidatePairs)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace credit
