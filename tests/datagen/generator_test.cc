// Tests of the data generator's output: determinism, limits, ground truth,
// identifier integrity, corruption and fact coverage.
#include "generator.h"

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "checksums.h"
#include "csv_reader.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_support.h"

namespace credit::datagen {
namespace {

using ::credit::datagen::testing::ReadFile;
using ::credit::datagen::testing::ReadTable;
using ::credit::datagen::testing::Table;
using ::credit::testing::TempDir;
using ::testing::HasSubstr;

// Record-id column of each source.
const std::map<std::string, std::string>& RecordIdColumns() {
  static const auto* columns =
      new std::map<std::string, std::string>{{"market", "记录编号"},
                                             {"tax", "记录编号"},
                                             {"court", "案号"},
                                             {"environment", "处罚决定书文号"},
                                             {"social", "记录编号"}};
  return *columns;
}

struct Dataset {
  std::map<std::string, Table> tables;  // by source
  std::map<std::pair<std::string, std::string>, std::string> truth;
  Stats stats;
};

Dataset Make(const std::string& dir, Options options) {
  options.out_dir = dir;
  Dataset d;
  std::string error;
  EXPECT_TRUE(Generate(options, &d.stats, &error)) << error;
  for (std::string_view s : AllSources()) {
    std::string path = dir + "/" + std::string(s) + ".csv";
    if (!std::filesystem::exists(path)) continue;
    Table t = ReadTable(path);
    EXPECT_TRUE(t.ok) << path;
    d.tables.emplace(std::string(s), std::move(t));
  }
  Table truth = ReadTable(dir + "/truth.csv");
  EXPECT_TRUE(truth.ok);
  EXPECT_EQ(truth.header,
            (std::vector<std::string>{"source", "record_id", "subject_id"}));
  for (const auto& r : truth.rows) {
    bool inserted = d.truth.emplace(std::make_pair(r[0], r[1]), r[2]).second;
    EXPECT_TRUE(inserted) << "duplicate truth row " << r[0] << "/" << r[1];
  }
  return d;
}

// Calls `fn(source, row, subject)` for every row of every table.
template <typename Fn>
void ForEachRow(const Dataset& d, Fn fn) {
  for (const auto& [source, table] : d.tables) {
    int id = table.Column(RecordIdColumns().at(source));
    for (const auto& row : table.rows) {
      auto it = d.truth.find({source, row[static_cast<size_t>(id)]});
      ASSERT_NE(it, d.truth.end())
          << source << "/" << row[static_cast<size_t>(id)];
      fn(source, table, row, it->second);
    }
  }
}

std::string Cell(const Table& t, const std::vector<std::string>& row,
                 const std::string& column) {
  int i = t.Column(column);
  return i < 0 ? std::string() : row[static_cast<size_t>(i)];
}

TEST(GeneratorTest, SameSeedGivesIdenticalFiles) {
  TempDir a;
  TempDir b;
  TempDir c;
  Options options;
  options.subjects = 400;
  options.seed = 7;
  Make(a.Sub("x"), options);
  Make(b.Sub("x"), options);
  options.seed = 8;
  Make(c.Sub("x"), options);
  for (std::string name :
       {"market.csv", "tax.csv", "court.csv", "environment.csv", "social.csv",
        "truth.csv", "generic.csv", "market.mapping.json"}) {
    SCOPED_TRACE(name);
    std::string first = ReadFile(a.Sub("x/" + name));
    EXPECT_FALSE(first.empty());
    EXPECT_EQ(first, ReadFile(b.Sub("x/" + name)));
  }
  EXPECT_NE(ReadFile(a.Sub("x/market.csv")), ReadFile(c.Sub("x/market.csv")));
}

TEST(GeneratorTest, RecordLimitIsExactAndTruthCoversEveryRow) {
  TempDir dir;
  Options options;
  options.records = 777;
  Dataset d = Make(dir.Sub("out"), options);
  EXPECT_EQ(d.stats.records, 777u);
  size_t rows = 0;
  for (const auto& [source, table] : d.tables) rows += table.rows.size();
  EXPECT_EQ(rows, 777u);
  EXPECT_EQ(d.truth.size(), 777u);
  size_t seen = 0;
  ForEachRow(
      d, [&](const std::string&, const Table&, const std::vector<std::string>&,
             const std::string& subject) {
        ++seen;
        EXPECT_THAT(subject, ::testing::MatchesRegex("[EP][0-9]{8}"));
      });
  EXPECT_EQ(seen, 777u);
}

TEST(GeneratorTest, SourcesOptionSelectsFiles) {
  TempDir dir;
  Options options;
  options.subjects = 100;
  options.sources = {"tax", "social"};
  Dataset d = Make(dir.Sub("out"), options);
  EXPECT_EQ(d.tables.size(), 2u);
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("out/market.csv")));
  for (const auto& [key, subject] : d.truth) {
    EXPECT_TRUE(key.first == "tax" || key.first == "social") << key.first;
  }
  // Selecting sources does not change what a source holds.
  TempDir all;
  options.sources.clear();
  Make(all.Sub("out"), options);
  EXPECT_EQ(ReadFile(dir.Sub("out/tax.csv")), ReadFile(all.Sub("out/tax.csv")));
}

TEST(GeneratorTest, MaxDupsBoundsClusterSizes) {
  for (uint32_t max_dups : {0u, 2u}) {
    SCOPED_TRACE(max_dups);
    TempDir dir;
    Options options;
    options.subjects = 600;
    options.dup_rate = 1.0;
    options.max_dups = max_dups;
    options.sources = {"social"};
    Dataset d = Make(dir.Sub("out"), options);
    std::map<std::string, uint32_t> rows;
    for (const auto& [key, subject] : d.truth) ++rows[subject];
    uint32_t largest = 0;
    for (const auto& [subject, n] : rows) largest = std::max(largest, n);
    EXPECT_EQ(largest, max_dups + 1);
  }
}

TEST(GeneratorTest, RejectsBadOptions) {
  TempDir dir;
  Options options;
  options.out_dir = dir.Sub("out");
  options.sources = {"customs"};
  Stats stats;
  std::string error;
  EXPECT_FALSE(Generate(options, &stats, &error));
  EXPECT_THAT(error, HasSubstr("unknown source 'customs'"));
  options.sources.clear();
  options.corruption = 1.5;
  EXPECT_FALSE(Generate(options, &stats, &error));
  EXPECT_THAT(error, HasSubstr("--corruption"));
  options.corruption = 0.1;
  options.out_dir.clear();
  EXPECT_FALSE(Generate(options, &stats, &error));
  EXPECT_THAT(error, HasSubstr("--out"));
}

// Without corruption or generic values every identifier is present and
// valid, and each belongs to exactly one subject.
TEST(GeneratorTest, CleanIdentifiersAreValidAndUniquePerSubject) {
  TempDir dir;
  Options options;
  options.subjects = 1500;
  options.corruption = 0;
  options.generic_rate = 0;
  Dataset d = Make(dir.Sub("out"), options);
  std::map<std::string, std::string> owner;       // identifier -> subject
  std::map<std::string, std::string> subject_id;  // subject -> identifier
  size_t checked = 0;
  ForEachRow(
      d, [&](const std::string& source, const Table& t,
             const std::vector<std::string>& row, const std::string& subject) {
        std::string id;
        if (source == "market" || source == "environment" ||
            (source == "court" && subject[0] == 'E')) {
          id = Cell(t, row, "统一社会信用代码");
          if (source == "market" && id.empty()) {
            std::string reg = Cell(t, row, "注册号");
            EXPECT_TRUE(IsValidRegNo(reg)) << reg;
            return;
          }
          EXPECT_TRUE(IsValidUscc(id)) << source << ": " << id;
          EXPECT_TRUE(IsValidOrgCode(id.substr(8, 9))) << id;
        } else if (source == "tax") {
          id = Cell(t, row, "纳税人识别号");
          EXPECT_TRUE(IsValidUscc(id)) << id;
        } else {
          id = Cell(t, row, source == "court" ? "身份证号码" : "身份证号");
          EXPECT_TRUE(IsValidResidentId(id)) << id;
          // The sex digit is odd for men.
          std::string sex = Cell(t, row, "性别");
          EXPECT_EQ((id[16] - '0') % 2 == 1, sex == "男") << id << " " << sex;
          if (source == "social") {
            std::string dob = Cell(t, row, "出生日期");
            EXPECT_EQ(dob.substr(0, 4) + dob.substr(5, 2) + dob.substr(8, 2),
                      id.substr(6, 8));
          }
        }
        ++checked;
        auto [it, inserted] = owner.emplace(id, subject);
        EXPECT_EQ(it->second, subject)
            << "identifier " << id << " shared by two subjects";
        auto [jt, fresh] = subject_id.emplace(subject, id);
        EXPECT_EQ(jt->second, id)
            << "subject " << subject << " has two identifiers";
      });
  EXPECT_GT(checked, 4000u);
  EXPECT_GT(owner.size(), 1000u);
}

bool HasAnyOf(const std::string& s, std::initializer_list<const char*> parts) {
  for (const char* p : parts) {
    if (s.find(p) != std::string::npos) return true;
  }
  return false;
}

TEST(GeneratorTest, CorruptionKindsAllOccur) {
  TempDir dir;
  Options options;
  options.subjects = 3000;
  options.corruption = 0.3;
  options.generic_rate = 0.05;
  Dataset d = Make(dir.Sub("out"), options);
  std::map<std::string, int> seen;
  std::map<std::string, std::set<std::string>> phone_owners;
  ForEachRow(
      d, [&](const std::string& source, const Table& t,
             const std::vector<std::string>& row, const std::string& subject) {
        std::string name = Cell(t, row,
                                source == "market"        ? "名称"
                                : source == "tax"         ? "纳税人名称"
                                : source == "court"       ? "被执行人"
                                : source == "environment" ? "单位名称"
                                                          : "姓名");
        std::string uscc = source == "tax" ? Cell(t, row, "纳税人识别号")
                                           : Cell(t, row, "统一社会信用代码");
        std::string rid =
            Cell(t, row, source == "court" ? "身份证号码" : "身份证号");
        if (subject[0] == 'E') {
          if (uscc.empty()) ++seen["missing uscc"];
          if (uscc.size() == 18 && !IsValidUscc(uscc) &&
              uscc != "111111111111111111" && uscc != "999999999999999999") {
            ++seen["mistyped uscc"];
          }
          if (uscc.size() == 15) ++seen["reg no in uscc column"];
          if (uscc == "000000000000000000") ++seen["placeholder uscc"];
          if (HasAnyOf(name, {"(", ")"})) ++seen["half-width brackets"];
          if (HasAnyOf(name, {"（"})) ++seen["full-width brackets"];
          if (name.ends_with("有限责任公司")) ++seen["有限责任公司"];
          if (!name.ends_with("公司")) ++seen["dropped suffix"];
          std::string phone = Cell(t, row, "电话");
          if (!phone.empty()) phone_owners[phone].insert(subject);
        } else {
          if (rid.size() == 15) ++seen["15-digit resident id"];
          if (rid.find("****") != std::string::npos)
            ++seen["masked resident id"];
          if (rid.size() == 18 && !IsValidResidentId(rid))
            ++seen["mistyped resident id"];
          if (name.find(' ') != std::string::npos) ++seen["spaced person name"];
        }
        if (HasAnyOf(name, {"華", "東", "國", "貿", "業", "實", "興", "達",
                            "劉", "陳", "張", "楊", "偉"})) {
          ++seen["traditional characters"];
        }
        std::string address = Cell(t, row,
                                   source == "social"   ? "户籍地址"
                                   : source == "market" ? "住所"
                                                        : "地址");
        if (HasAnyOf(address, {"０", "１", "２", "３", "４", "５", "６", "７",
                               "８", "９"})) {
          ++seen["full-width digits"];
        }
        for (const std::string& column : t.header) {
          if (column.find("日期") == std::string::npos) continue;
          std::string v = Cell(t, row, column);
          if (v.size() == 10 && v[4] == '-') ++seen["date 2023-05-01"];
          if (v.find('/') != std::string::npos) ++seen["date 2023/5/1"];
          if (v.size() == 8 && v[0] == '2') ++seen["date 20230501"];
          if (v.find("年") != std::string::npos) ++seen["date 2023年5月1日"];
        }
      });
  for (const char* kind :
       {"missing uscc", "mistyped uscc", "reg no in uscc column",
        "placeholder uscc", "half-width brackets", "full-width brackets",
        "有限责任公司", "dropped suffix", "15-digit resident id",
        "masked resident id", "mistyped resident id", "spaced person name",
        "traditional characters", "full-width digits", "date 2023-05-01",
        "date 2023/5/1", "date 20230501", "date 2023年5月1日"}) {
    EXPECT_GT(seen[kind], 0) << kind;
  }
  size_t widest = 0;
  for (const auto& [phone, owners] : phone_owners)
    widest = std::max(widest, owners.size());
  EXPECT_GE(widest, 20u) << "no shared accountant phone";
}

TEST(GeneratorTest, FactsOfEveryKindInTheWindow) {
  TempDir dir;
  Options options;
  options.subjects = 2000;
  options.corruption = 0;
  Dataset d = Make(dir.Sub("out"), options);
  std::map<std::string, int> kinds;
  auto in_window = [](const std::string& iso) {
    return iso >= "2020-06-30" && iso <= "2026-06-30";
  };
  for (const auto& row : d.tables["market"].rows) {
    const Table& t = d.tables["market"];
    std::string penalty = Cell(t, row, "处罚决定日期");
    if (!penalty.empty()) {
      ++kinds["administrative_penalty"];
      EXPECT_TRUE(in_window(penalty)) << penalty;
      EXPECT_THAT(Cell(t, row, "处罚等级"), ::testing::MatchesRegex("[1-5]"));
      EXPECT_GT(std::stod(Cell(t, row, "罚款金额")), 0);
    }
    if (!Cell(t, row, "许可日期").empty()) ++kinds["license"];
    if (!Cell(t, row, "表彰日期").empty()) ++kinds["commendation"];
  }
  for (const auto& row : d.tables["tax"].rows) {
    const Table& t = d.tables["tax"];
    std::string grade = Cell(t, row, "纳税信用级别");
    if (!grade.empty()) {
      ++kinds["tax_credit_grade"];
      EXPECT_THAT(grade, ::testing::MatchesRegex("[ABCDM]"));
    }
    if (!Cell(t, row, "欠税金额").empty()) ++kinds["tax_arrears"];
  }
  for (const auto& row : d.tables["court"].rows) {
    ++kinds[Cell(d.tables["court"], row, "案件类型")];
  }
  kinds["environment administrative_penalty"] =
      static_cast<int>(d.tables["environment"].rows.size());
  for (const char* kind :
       {"administrative_penalty", "license", "commendation", "tax_credit_grade",
        "tax_arrears", "court_judgment", "dishonest_debtor",
        "environment administrative_penalty"}) {
    EXPECT_GT(kinds[kind], 5) << kind;
  }
}

}  // namespace
}  // namespace credit::datagen
