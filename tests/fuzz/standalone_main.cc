// A small deterministic driver for the fuzz targets, so they run briefly in
// the ordinary test suite without libFuzzer (gcc builds): it feeds the seed
// inputs, then mutations of them (byte flips, insertions of interesting
// bytes and UTF-8 sequences, deletions, splices) from a fixed-seed PRNG.
//
// usage: <target> [--iterations N] [--seconds S] [FILE...]
// FILEs are extra seed inputs (e.g. a crash reproducer from libFuzzer).
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

const char* const kSeeds[] = {
    "",
    "914403001922038216",
    "9144030071526726XG",
    "91350100M000100Y43",
    "91350211M00013FA1N",
    "11010519491231002X",
    "440524188001010014",
    "110105491231002",
    "D2143569-X",
    "110108000000016",
    "2023-05-01",
    "2023/5/1",
    "20230501",
    "2023年5月1日",
    "2023.05.01",
    "45047",
    "2023-05",
    "张建新",
    "張建新",
    "欧阳修",
    "约翰·史密斯",
    "ZHANG Wei",
    "Smith, John",
    "张 Wei",
    "深圳市腾讯计算机系统有限公司",
    "腾讯计算机系统（深圳）有限公司",
    "中国平安财产保险股份有限公司深圳分公司",
    "Tencent Co., Ltd. Shenzhen Branch",
    "广东省深圳市南山区科技中一路腾讯大厦35层",
    "北京朝阳区建国路88号",
    "123 Main St., Springfield",
    "+86 138 1234 5678",
    "0755-86013388 转 8001",
    "(010)12345678 ext 123",
    "ａｂｃ＠ｅｘａｍｐｌｅ．ｃｎ",
    "Foo.Bar@Example.COM",
    "\x01" "张建新\n\x02" "914403001922038216\n\x83" "45047\n\x05+86 10 12345678",
};

const char* const kInteresting[] = {
    "\xEF\xBC\x88", "\xEF\xBC\x89", "\xE3\x80\x90", "\xE3\x80\x91", "\xE3\x80\x94",
    "\xC2\xB7",     "\xE3\x83\xBB", "\xE3\x80\x80", "\xEF\xBF\xBD", "\xF0\xA0\x80\x80",
    "\xC3\x9F",     "\xCC\x81",     "\xE2\x80\x8B", "\xFF",         "\xC0\x80",
    "\xED\xA0\x80", "年",           "月",           "日",           "市",
    "区",           "省",           "有限公司",     "分公司",       "(",
    ")",            "-",            "+",            "@",            ".",
    " ",            "X",            "0",            "9",            "\n",
    "\t",           "ext",          "转",           "·",            "﹝",
};

std::string Mutate(const std::string& base, const std::vector<std::string>& pool,
                   std::mt19937_64& rng) {
  std::string s = base;
  int rounds = 1 + static_cast<int>(rng() % 4);
  for (int r = 0; r < rounds; ++r) {
    switch (rng() % 6) {
      case 0:  // flip a byte
        if (!s.empty()) s[rng() % s.size()] ^= static_cast<char>(1u << (rng() % 8));
        break;
      case 1:  // insert an interesting sequence
        s.insert(s.empty() ? 0 : rng() % (s.size() + 1),
                 kInteresting[rng() % std::size(kInteresting)]);
        break;
      case 2:  // delete a range
        if (!s.empty()) {
          size_t at = rng() % s.size();
          s.erase(at, 1 + rng() % 4);
        }
        break;
      case 3:  // random byte
        s.insert(s.empty() ? 0 : rng() % (s.size() + 1), 1,
                 static_cast<char>(rng() & 0xFF));
        break;
      case 4: {  // splice another input
        const std::string& other = pool[rng() % pool.size()];
        if (!other.empty()) {
          size_t from = rng() % other.size();
          s.insert(s.empty() ? 0 : rng() % (s.size() + 1),
                   other.substr(from, 1 + rng() % 12));
        }
        break;
      }
      default:  // replace a digit
        if (!s.empty()) {
          size_t at = rng() % s.size();
          if (s[at] >= '0' && s[at] <= '9') s[at] = static_cast<char>('0' + rng() % 10);
        }
        break;
    }
  }
  return s;
}

void Run(const std::string& input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

}  // namespace

int main(int argc, char** argv) {
  long iterations = 3000;
  double seconds = 4.0;
  std::vector<std::string> pool(std::begin(kSeeds), std::end(kSeeds));
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--iterations") == 0 && i + 1 < argc) {
      iterations = std::atol(argv[++i]);
    } else if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else {
      std::ifstream in(argv[i], std::ios::binary);
      if (!in) {
        std::fprintf(stderr, "cannot read %s\n", argv[i]);
        return 2;
      }
      pool.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
  }
  for (const std::string& seed : pool) Run(seed);
  std::mt19937_64 rng(0x5eed);
  auto start = std::chrono::steady_clock::now();
  long done = 0;
  for (; done < iterations; ++done) {
    Run(Mutate(pool[rng() % pool.size()], pool, rng));
    if ((done & 63) == 0 &&
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >
            seconds) {
      break;
    }
  }
  std::printf("ran %zu seeds and %ld mutated inputs\n", pool.size(), done);
  return 0;
}
