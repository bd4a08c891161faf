// Micro benchmarks of the store under the engine: committing a WriteBatch
// of record-sized values (write-ahead log and memtable, no fsync), and
// reading them back one Get at a time or with MultiGet, from a store of
// 100k records whose blocks are in the cache, as in steady-state lookups.
//   build/release/bin/credit_micro_bench --benchmark_filter=Store
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "fmt/format.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"
#include "store/key_codec.h"
#include "store/store.h"

namespace credit {
namespace {

using store_internal::RecordNumberKey;

constexpr std::uint64_t kStoredRecords = 100'000;
constexpr std::size_t kValueBytes = 600;  // a stored record, about

// Random bytes: values must not compress to nothing.
std::string Value(std::mt19937_64& rng) {
  std::string value(kValueBytes, '\0');
  for (char& c : value) c = static_cast<char>(rng() % 64 + 32);
  return value;
}

// A store in a fresh temporary directory, removed with it.
class ScratchStore {
 public:
  ScratchStore() {
    std::string dir = (std::filesystem::temp_directory_path() /
                       "credit_store_bench_XXXXXX")
                          .string();
    path_ = mkdtemp(dir.data());
    auto store = Store::Open(path_ + "/db", {});
    if (!store.ok()) {
      fmt::print(stderr, "cannot open the scratch store: {}\n",
                 store.status().ToString());
      std::abort();
    }
    store_ = *std::move(store);
  }
  ~ScratchStore() {
    store_.reset();
    std::filesystem::remove_all(path_);
  }
  Store& store() { return *store_; }

  // Writes records 0 .. n-1 in batches of 1,000 and flushes them to tables.
  void Fill(std::uint64_t n) {
    std::mt19937_64 rng(7);
    for (std::uint64_t first = 0; first < n; first += 1000) {
      rocksdb::WriteBatch batch;
      for (std::uint64_t i = first; i < std::min(n, first + 1000); ++i) {
        batch.Put(store_->cf(ColumnFamily::kRecords), RecordNumberKey(i),
                  Value(rng));
      }
      Check(store_->Write(&batch, /*sync=*/false));
    }
    Check(FromRocks(store_->db()->Flush(rocksdb::FlushOptions(),
                                        store_->cf(ColumnFamily::kRecords)),
                    "flush"));
  }

  static void Check(const absl::Status& status) {
    if (!status.ok()) {
      fmt::print(stderr, "store bench: {}\n", status.ToString());
      std::abort();
    }
  }

 private:
  std::string path_;
  std::unique_ptr<Store> store_;
};

void BM_StorePutBatch(benchmark::State& state) {
  ScratchStore scratch;
  std::mt19937_64 rng(11);
  const auto batch_size = static_cast<std::uint64_t>(state.range(0));
  std::vector<std::string> values;
  for (int i = 0; i < 64; ++i) values.push_back(Value(rng));
  std::uint64_t next = 0;
  for (auto _ : state) {
    rocksdb::WriteBatch batch;
    for (std::uint64_t i = 0; i < batch_size; ++i, ++next) {
      batch.Put(scratch.store().cf(ColumnFamily::kRecords),
                RecordNumberKey(next), values[next % values.size()]);
    }
    ScratchStore::Check(scratch.store().Write(&batch, /*sync=*/false));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(next));
  state.SetBytesProcessed(static_cast<std::int64_t>(next * kValueBytes));
}
BENCHMARK(BM_StorePutBatch)->Arg(1)->Arg(1000)->Unit(benchmark::kMicrosecond);

void BM_StoreGet(benchmark::State& state) {
  ScratchStore scratch;
  scratch.Fill(kStoredRecords);
  std::mt19937_64 rng(13);
  for (auto _ : state) {
    auto value = scratch.store().Get(ColumnFamily::kRecords,
                                     RecordNumberKey(rng() % kStoredRecords));
    benchmark::DoNotOptimize(value);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StoreGet);

void BM_StoreMultiGet(benchmark::State& state) {
  ScratchStore scratch;
  scratch.Fill(kStoredRecords);
  std::mt19937_64 rng(17);
  const auto n = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    std::vector<std::string> keys;
    keys.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      keys.push_back(RecordNumberKey(rng() % kStoredRecords));
    }
    auto values = scratch.store().MultiGet(ColumnFamily::kRecords, keys);
    benchmark::DoNotOptimize(values);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_StoreMultiGet)->Arg(1000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace credit
