// End-to-end accuracy of blocking + scoring + clustering on the Febrl data
// sets (../shared/data/febrl{1,3,4}), with the default model and no per-set
// tuning. The real normalizer is not used: the loader fills
// NormalizedFeature by lower-casing and tokenizing, as a simple mapping
// would. Prints pairwise precision / recall / F1 over all true pairs.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "fmt/format.h"
#include "gtest/gtest.h"
#include "match/blocking_keys.h"
#include "match/match_model.h"
#include "match/model_trainer.h"
#include "match/pair_scorer.h"
#include "match/record_fields.h"
#include "match/term_frequency.h"
#include "resolve/component_clusterer.h"

namespace credit {
namespace {

namespace fs = std::filesystem;

struct Row {
  std::string id;
  std::map<std::string, std::string> col;
};

std::string Trim(std::string s) {
  std::size_t b = 0;
  while (b < s.size() && (s[b] == ' ' || s[b] == '\r' || s[b] == '\n')) ++b;
  std::size_t e = s.size();
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\r' || s[e - 1] == '\n'))
    --e;
  return s.substr(b, e - b);
}

std::vector<std::string> SplitComma(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : line) {
    if (c == ',') {
      out.push_back(Trim(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  out.push_back(Trim(cur));
  return out;
}

std::vector<Row> LoadCsv(const fs::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header = SplitComma(line);
  std::vector<Row> rows;
  while (std::getline(in, line)) {
    if (Trim(line).empty()) continue;
    std::vector<std::string> cells = SplitComma(line);
    Row row;
    for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) {
      row.col[header[i]] = cells[i];
    }
    row.id = row.col["rec_id"];
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::vector<std::string> Tokens(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string t;
  while (in >> t) out.push_back(t);
  return out;
}

// Builds a record the way a simple mapping plus a naive normalizer would.
v1::Record ToRecord(const Row& row, std::uint64_t number) {
  v1::Record r;
  r.set_source("febrl");
  r.set_record_id(row.id);
  r.set_record_number(number);
  r.set_entity_kind(v1::PERSON);
  auto get = [&row](const char* c) {
    auto it = row.col.find(c);
    return it == row.col.end() ? std::string() : Lower(it->second);
  };
  const std::string given = get("given_name");
  const std::string family = get("surname");
  if (!given.empty() || !family.empty()) {
    auto* f = r.add_features();
    f->set_type(v1::Feature::NAME);
    f->set_given(given);
    f->set_family(family);
    auto* n = f->mutable_normalized();
    n->set_valid(true);
    n->set_given(given);
    n->set_family(family);
    std::string full = given.empty()    ? family
                       : family.empty() ? given
                                        : given + " " + family;
    n->set_value(full);
    for (const auto& t : Tokens(full)) n->add_tokens(t);
  }
  const std::string dob = get("date_of_birth");
  if (dob.size() == 8) {
    const int y = std::atoi(dob.substr(0, 4).c_str());
    const int m = std::atoi(dob.substr(4, 2).c_str());
    const int d = std::atoi(dob.substr(6, 2).c_str());
    if (y > 1800 && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
      auto* f = r.add_features();
      f->set_type(v1::Feature::DOB);
      f->set_value(dob);
      auto* n = f->mutable_normalized();
      n->set_valid(true);
      n->mutable_date()->set_year(y);
      n->mutable_date()->set_month(m);
      n->mutable_date()->set_day(d);
    }
  }
  const std::string ssid = get("soc_sec_id");
  if (!ssid.empty()) {
    auto* f = r.add_features();
    f->set_type(v1::Feature::ID);
    f->set_scheme(v1::Feature::OTHER);
    f->set_scheme_name("soc_sec_id");
    f->set_value(ssid);
    f->mutable_normalized()->set_valid(true);
    f->mutable_normalized()->set_value(ssid);
  }
  std::string address;
  for (const char* c : {"street_number", "address_1", "address_2", "suburb",
                        "postcode", "state"}) {
    const std::string v = get(c);
    if (v.empty()) continue;
    if (!address.empty()) address += ' ';
    address += v;
  }
  if (!address.empty()) {
    auto* f = r.add_features();
    f->set_type(v1::Feature::ADDRESS);
    f->set_value(address);
    auto* n = f->mutable_normalized();
    n->set_valid(true);
    n->set_value(address);
    for (const auto& t : Tokens(address)) n->add_tokens(t);
  }
  return r;
}

// The truth entity of a Febrl record id: "rec-12-dup-3" -> "12".
std::string TruthKey(const std::string& id) {
  const std::size_t a = id.find('-');
  const std::size_t b = id.find('-', a + 1);
  return id.substr(a + 1, b - a - 1);
}

struct Quality {
  double precision = 0, recall = 0, f1 = 0;
  double blocking_recall = 0;
  std::size_t candidates = 0, true_pairs = 0, predicted_pairs = 0;
  double seconds = 0;
};

Quality Evaluate(const std::vector<fs::path>& files, bool train = false) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<Row> rows;
  for (const auto& f : files) {
    for (auto& r : LoadCsv(f)) rows.push_back(std::move(r));
  }
  std::vector<v1::Record> records;
  std::vector<RecordFields> fields;
  InMemoryTermFrequencies tf;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    records.push_back(ToRecord(rows[i], i + 1));
    fields.push_back(ExtractRecordFields(records.back()));
    tf.Add(fields.back());
  }
  auto scorer = PairScorer::Create(DefaultMatchModel(), &tf);
  EXPECT_TRUE(scorer.ok());
  std::vector<PreparedRecord> prepared;
  std::vector<std::vector<BlockingKey>> keys;
  for (std::size_t i = 0; i < records.size(); ++i) {
    prepared.push_back(scorer->Prepare(fields[i], i + 1));
    keys.push_back(BlockingKeys(fields[i]));
  }
  const CandidatePairs candidates = FindCandidatePairs(keys);
  if (train) {
    // EM on this data set, then score with the trained model.
    absl::StatusOr<v1::MatchModel> trained =
        TrainModel(scorer->model(), prepared, candidates.pairs);
    EXPECT_TRUE(trained.ok()) << trained.status();
    std::printf("trained: %s, prior %.3g\n", trained->description().c_str(),
                trained->prior_match_probability());
    scorer = PairScorer::Create(*trained, &tf);
    EXPECT_TRUE(scorer.ok());
    for (std::size_t i = 0; i < records.size(); ++i) {
      prepared[i] = scorer->Prepare(fields[i], i + 1);
    }
  }
  std::vector<ClusterEdge> edges;
  for (const auto& [i, j] : candidates.pairs) {
    const PairScore s = scorer->Score(prepared[i], prepared[j]);
    if (s.is_cannot_link()) {
      edges.push_back({i + 1ull, j + 1ull, s.total, v1::Edge::CANNOT_LINK});
    } else if (scorer->IsMatch(s)) {
      edges.push_back({i + 1ull, j + 1ull, s.total, v1::Edge::MATCH});
    }
  }
  std::vector<std::uint64_t> numbers;
  for (std::size_t i = 0; i < records.size(); ++i) numbers.push_back(i + 1);
  const Clustering clustering = ComponentClusterer::Cluster(numbers, edges);

  // Pairwise evaluation.
  std::map<std::string, std::vector<std::size_t>> truth;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    truth[TruthKey(rows[i].id)].push_back(i);
  }
  Quality q;
  for (const auto& [k, members] : truth) {
    q.true_pairs += members.size() * (members.size() - 1) / 2;
  }
  std::size_t true_positive = 0;
  for (const auto& comp : clustering.components) {
    q.predicted_pairs += comp.size() * (comp.size() - 1) / 2;
    for (std::size_t x = 0; x < comp.size(); ++x) {
      for (std::size_t y = x + 1; y < comp.size(); ++y) {
        if (TruthKey(rows[comp[x] - 1].id) == TruthKey(rows[comp[y] - 1].id)) {
          ++true_positive;
        }
      }
    }
  }
  std::size_t blocked_true = 0;
  for (const auto& [i, j] : candidates.pairs) {
    if (TruthKey(rows[i].id) == TruthKey(rows[j].id)) ++blocked_true;
  }
  if (std::getenv("CREDIT_FEBRL_DEBUG") != nullptr) {
    std::set<std::pair<std::size_t, std::size_t>> cand(candidates.pairs.begin(),
                                                       candidates.pairs.end());
    for (const auto& [k, members] : truth) {
      for (std::size_t x = 0; x < members.size(); ++x) {
        for (std::size_t y = x + 1; y < members.size(); ++y) {
          const std::size_t i = std::min(members[x], members[y]);
          const std::size_t j = std::max(members[x], members[y]);
          if (cand.count({i, j})) continue;
          std::printf("MISSED\n");
          for (std::size_t r : {i, j}) {
            std::string line;
            for (const auto& [c, v] : rows[r].col) line += v + " | ";
            std::printf("  %s\n", line.c_str());
          }
        }
      }
    }
  }
  if (std::getenv("CREDIT_FEBRL_DEBUG") != nullptr) {
    std::vector<std::size_t> comp_of(rows.size());
    for (std::size_t c = 0; c < clustering.components.size(); ++c) {
      for (auto r : clustering.components[c]) comp_of[r - 1] = c;
    }
    for (const auto& [i, j] : candidates.pairs) {
      if (TruthKey(rows[i].id) != TruthKey(rows[j].id) ||
          comp_of[i] == comp_of[j])
        continue;
      const PairScore s = scorer->Score(prepared[i], prepared[j]);
      std::string line =
          fmt::format("SCORE {:.2f} {} {}:", s.total, rows[i].id, rows[j].id);
      for (int e = 0; e < s.size; ++e) {
        line += fmt::format(
            " {}={}({:.1f})", ComparisonName(s.entries[e].comparison),
            LevelNames(s.entries[e].comparison)[s.entries[e].level],
            s.entries[e].weight);
      }
      std::printf("%s\n", line.c_str());
    }
  }
  q.candidates = candidates.pairs.size();
  q.blocking_recall = static_cast<double>(blocked_true) / q.true_pairs;
  q.precision = q.predicted_pairs == 0
                    ? 0
                    : static_cast<double>(true_positive) / q.predicted_pairs;
  q.recall = static_cast<double>(true_positive) / q.true_pairs;
  q.f1 = q.precision + q.recall == 0
             ? 0
             : 2 * q.precision * q.recall / (q.precision + q.recall);
  q.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return q;
}

// The shared data directory: $CREDIT_DATA_DIR, else ../shared/data beside
// the source tree (or beside the worktree root, for git worktrees).
fs::path DataDir() {
  if (const char* env = std::getenv("CREDIT_DATA_DIR")) return fs::path(env);
  const fs::path beside(CREDIT_SHARED_DATA_DIR);
  if (fs::exists(beside)) return beside;
  return fs::path(CREDIT_SOURCE_DIR) / ".." / ".." / "shared" / "data";
}

void Report(const char* name, const Quality& q) {
  std::printf(
      "%s: precision %.4f recall %.4f F1 %.4f | true pairs %zu predicted %zu "
      "| candidates %zu blocking recall %.4f | %.2f s\n",
      name, q.precision, q.recall, q.f1, q.true_pairs, q.predicted_pairs,
      q.candidates, q.blocking_recall, q.seconds);
}

TEST(FebrlQualityTest, Febrl1) {
  const fs::path f = DataDir() / "febrl1" / "dataset1.csv";
  if (!fs::exists(f)) GTEST_SKIP() << "no " << f;
  const Quality q = Evaluate({f});
  Report("febrl1", q);
  EXPECT_GE(q.f1, 0.98);
}

TEST(FebrlQualityTest, Febrl3) {
  const fs::path f = DataDir() / "febrl3" / "dataset3.csv";
  if (!fs::exists(f)) GTEST_SKIP() << "no " << f;
  const Quality q = Evaluate({f});
  Report("febrl3", q);
  EXPECT_GE(q.f1, 0.985);
}

TEST(FebrlQualityTest, Febrl4) {
  const fs::path a = DataDir() / "febrl4" / "dataset4a.csv";
  const fs::path b = DataDir() / "febrl4" / "dataset4b.csv";
  if (!fs::exists(a)) GTEST_SKIP() << "no " << a;
  const Quality q = Evaluate({a, b});
  Report("febrl4", q);
  EXPECT_GE(q.f1, 0.995);
}

// The EM-trained model must stay accurate: training must not wreck what the
// defaults get right (it learns m/u from unlabelled data).
TEST(FebrlQualityTest, Febrl3WithTrainedModel) {
  const fs::path f = DataDir() / "febrl3" / "dataset3.csv";
  if (!fs::exists(f)) GTEST_SKIP() << "no " << f;
  const Quality q = Evaluate({f}, /*train=*/true);
  Report("febrl3 (EM-trained model)", q);
  EXPECT_GE(q.f1, 0.97);
}

TEST(FebrlQualityTest, Febrl4WithTrainedModel) {
  const fs::path a = DataDir() / "febrl4" / "dataset4a.csv";
  const fs::path b = DataDir() / "febrl4" / "dataset4b.csv";
  if (!fs::exists(a)) GTEST_SKIP() << "no " << a;
  const Quality q = Evaluate({a, b}, /*train=*/true);
  Report("febrl4 (EM-trained model)", q);
  EXPECT_GE(q.f1, 0.97);
}

}  // namespace
}  // namespace credit
