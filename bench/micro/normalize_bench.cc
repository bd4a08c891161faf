// Micro benchmarks of the normalize module: each normalizer, and whole
// records through NormalizeRecord (the ingest hook). Targets on the 2-core
// build machine: a Latin person record < 2 µs, a CJK record < 10 µs.
//   build/release/bin/credit_micro_bench --benchmark_filter=Normalize
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "credit/normalize.h"
#include "normalize/record_normalizer.h"
#include "sample_records.h"

namespace credit {
namespace {

void BM_Normalize_TextAscii(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(NormalizeText("  ACME Trading   Company  "));
  }
}
BENCHMARK(BM_Normalize_TextAscii);

void BM_Normalize_TextCjk(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(NormalizeText("腾讯计算机系统（深圳）有限公司"));
  }
}
BENCHMARK(BM_Normalize_TextCjk);

void BM_Normalize_ToSimplified(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(ToSimplified("華為技術有限公司"));
  }
}
BENCHMARK(BM_Normalize_ToSimplified);

void BM_Normalize_PinyinKey(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(PinyinKey("腾讯计算机系统"));
  }
}
BENCHMARK(BM_Normalize_PinyinKey);

void BM_Normalize_Uscc(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(ValidateUscc("9144030071526726XG"));
  }
}
BENCHMARK(BM_Normalize_Uscc);

void BM_Normalize_ResidentId(benchmark::State& state) {
  IdValidationOptions options;
  options.now = absl::Now();
  for (auto _ : state) {
    benchmark::DoNotOptimize(ValidateResidentId("11010519491231002X", options));
  }
}
BENCHMARK(BM_Normalize_ResidentId);

void BM_Normalize_OrgCode(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(ValidateOrgCode("D2143569-X"));
  }
}
BENCHMARK(BM_Normalize_OrgCode);

void BM_Normalize_RegNo(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(ValidateRegNo("110108000000016"));
  }
}
BENCHMARK(BM_Normalize_RegNo);

void BM_Normalize_Date(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(ParseDate("2023年5月1日"));
  }
}
BENCHMARK(BM_Normalize_Date);

void BM_Normalize_PersonNameLatin(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(NormalizePersonName("John Michael Smith"));
  }
}
BENCHMARK(BM_Normalize_PersonNameLatin);

void BM_Normalize_PersonNameCjk(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(NormalizePersonName("歐陽建新"));
  }
}
BENCHMARK(BM_Normalize_PersonNameCjk);

void BM_Normalize_OrgNameCjk(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        NormalizeOrgName("腾讯计算机系统（深圳）有限公司"));
  }
}
BENCHMARK(BM_Normalize_OrgNameCjk);

void BM_Normalize_OrgNameLatin(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(NormalizeOrgName("Tencent Holdings Co., Ltd."));
  }
}
BENCHMARK(BM_Normalize_OrgNameLatin);

void BM_Normalize_AddressCjk(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        NormalizeAddress("广东省深圳市南山区科技中一路腾讯大厦35层"));
  }
}
BENCHMARK(BM_Normalize_AddressCjk);

void BM_Normalize_AddressLatin(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(NormalizeAddress("123 Main St., Springfield"));
  }
}
BENCHMARK(BM_Normalize_AddressLatin);

void BM_Normalize_Phone(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(NormalizePhone("+86 755 8601 3388 ext 8001"));
  }
}
BENCHMARK(BM_Normalize_Phone);

void BM_Normalize_Email(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(NormalizeEmail(" Foo.Bar@Example.COM "));
  }
}
BENCHMARK(BM_Normalize_Email);

void BM_NormalizeRecord_LatinPerson(benchmark::State& state) {
  v1::Record record = bench::LatinPersonRecord();
  for (auto _ : state) {
    NormalizeRecord(&record);
    benchmark::DoNotOptimize(record);
  }
}
BENCHMARK(BM_NormalizeRecord_LatinPerson);

void BM_NormalizeRecord_CjkPerson(benchmark::State& state) {
  v1::Record record = bench::CjkPersonRecord();
  for (auto _ : state) {
    NormalizeRecord(&record);
    benchmark::DoNotOptimize(record);
  }
}
BENCHMARK(BM_NormalizeRecord_CjkPerson);

void BM_NormalizeRecord_CjkEnterprise(benchmark::State& state) {
  v1::Record record = bench::CjkEnterpriseRecord("腾讯计算机系统（深圳）有限公司");
  for (auto _ : state) {
    NormalizeRecord(&record);
    benchmark::DoNotOptimize(record);
  }
}
BENCHMARK(BM_NormalizeRecord_CjkEnterprise);

// Rotates over distinct enterprise names, so no whole-string reuse helps.
void BM_NormalizeRecord_CjkEnterpriseVaried(benchmark::State& state) {
  const std::vector<std::string> names = {
      "深圳市腾讯计算机系统有限公司", "華為技術有限公司",
      "中国平安财产保险股份有限公司深圳分公司", "招商银行股份有限公司",
      "北京字节跳动科技有限公司", "上海浦东发展银行股份有限公司",
      "杭州阿里巴巴网络科技有限公司", "某某投资管理中心（有限合伙）",
      "广州市白云区某某贸易商行", "重庆长安汽车股份有限公司",
      "成都市武侯区某某餐饮店", "新疆维吾尔自治区某某农业专业合作社"};
  std::vector<v1::Record> records;
  for (const std::string& name : names) {
    records.push_back(bench::CjkEnterpriseRecord(name));
  }
  size_t i = 0;
  for (auto _ : state) {
    NormalizeRecord(&records[i]);
    benchmark::DoNotOptimize(records[i]);
    i = (i + 1) % records.size();
  }
}
BENCHMARK(BM_NormalizeRecord_CjkEnterpriseVaried);

}  // namespace
}  // namespace credit
