// Throughput of the ingest file adapters on a generated Febrl-like CSV
// buffer (11 columns, some quoted fields with embedded commas, CJK text):
//   BM_CsvReaderParse:   CsvReader alone (tokenizing)
//   BM_RowReaderCsv:     RowReader (tokenizing + UTF-8 validation + InputRows)
//   BM_RowReaderMapCsv:  RowReader + RowMapper::Map (Records)
// Reported as rows/s (items_per_second) and MB/s (bytes_per_second).
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "ingest/csv_reader.h"
#include "ingest/row_mapper.h"
#include "ingest/row_reader.h"
#include "ingest/source_mapping.h"

namespace credit {
namespace {

constexpr int kRows = 100000;

const std::string& CsvBuffer() {
  static const std::string* buffer = [] {
    auto* out = new std::string(
        "rec_id,given_name,surname,street_number,address_1,address_2,suburb,"
        "postcode,state,date_of_birth,soc_sec_id\n");
    std::mt19937 rng(7);
    const char* given[] = {"kayla", "lachlan", "deakin", "张伟", "o'brien"};
    const char* family[] = {"harrington", "berry", "sondergeld", "王", "smith"};
    const char* street[] = {"tullaroop street", "giblin street",
                            "\"goldfinch, circuit\"", "深南大道",
                            "\"the \"\"old\"\" road\""};
    for (int i = 0; i < kRows; ++i) {
      *out += "rec-" + std::to_string(i) + "-org,";
      *out += given[rng() % 5];
      *out += ',';
      *out += family[rng() % 5];
      *out += ',' + std::to_string(rng() % 200) + ',';
      *out += street[rng() % 5];
      *out +=
          ",willaroo,st james," + std::to_string(2000 + rng() % 7000) + ",nsw,";
      *out += std::to_string(19000101 + rng() % 1000000) + ',' +
              std::to_string(1000000 + rng() % 9000000) + '\n';
    }
    return out;
  }();
  return *buffer;
}

v1::SourceMapping FebrlMapping() {
  auto mapping = ParseSourceMapping(R"({
    "source": "febrl", "format": "CSV", "recordId": "rec_id", "entityKind": "PERSON",
    "features": [
      {"type": "NAME", "given": "given_name", "family": "surname"},
      {"type": "DOB", "columns": ["date_of_birth"]},
      {"type": "ADDRESS", "columns": ["street_number", "address_1", "address_2", "suburb", "postcode", "state"]},
      {"type": "ID", "scheme": "OTHER", "schemeName": "soc_sec_id", "columns": ["soc_sec_id"]}
    ]})",
                                    "bench");
  return *mapping;
}

void BM_CsvReaderParse(benchmark::State& state) {
  const std::string& buffer = CsvBuffer();
  int64_t rows = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto reader = CsvReader::FromString(buffer, {});
    state.ResumeTiming();
    CsvRow row;
    while (*reader->Next(&row)) {
      benchmark::DoNotOptimize(row.fields.data());
      ++rows;
    }
  }
  state.SetItemsProcessed(rows);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(buffer.size()));
}
BENCHMARK(BM_CsvReaderParse)->Unit(benchmark::kMillisecond);

void BM_RowReaderCsv(benchmark::State& state) {
  const std::string& buffer = CsvBuffer();
  const v1::SourceMapping mapping = FebrlMapping();
  int64_t rows = 0;
  std::vector<InputRow> batch;
  std::vector<v1::QuarantinedRow> rejects;
  for (auto _ : state) {
    state.PauseTiming();
    auto reader = *RowReader::FromString(mapping, "bench.csv", buffer);
    state.ResumeTiming();
    bool more = true;
    while (more) {
      batch.clear();
      more = *reader->ReadBatch(10000, &batch, &rejects);
      rows += static_cast<int64_t>(batch.size());
    }
  }
  state.SetItemsProcessed(rows);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(buffer.size()));
}
BENCHMARK(BM_RowReaderCsv)->Unit(benchmark::kMillisecond);

void BM_RowReaderMapCsv(benchmark::State& state) {
  const std::string& buffer = CsvBuffer();
  const v1::SourceMapping mapping = FebrlMapping();
  const RowMapper mapper = *RowMapper::Create(mapping);
  int64_t rows = 0;
  std::vector<InputRow> batch;
  std::vector<v1::QuarantinedRow> rejects;
  for (auto _ : state) {
    state.PauseTiming();
    auto reader = *RowReader::FromString(mapping, "bench.csv", buffer);
    state.ResumeTiming();
    bool more = true;
    while (more) {
      batch.clear();
      more = *reader->ReadBatch(10000, &batch, &rejects);
      for (const InputRow& row : batch) {
        auto record = mapper.Map(row);
        benchmark::DoNotOptimize(record);
        ++rows;
      }
    }
  }
  state.SetItemsProcessed(rows);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(buffer.size()));
}
BENCHMARK(BM_RowReaderMapCsv)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace credit
