// A minimal RFC 4180 reader for the data generator's tests: reads a whole
// UTF-8 CSV file into rows of fields.
#ifndef CREDIT_TESTS_DATAGEN_CSV_READER_H_
#define CREDIT_TESTS_DATAGEN_CSV_READER_H_

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace credit::datagen::testing {

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Returns the rows of `text`; `ok` is false on an unterminated quote or a
// quote inside an unquoted field.
inline std::vector<std::vector<std::string>> ParseCsv(const std::string& text,
                                                      bool* ok) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  bool field_started = false;
  *ok = true;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"') {
      if (field_started) *ok = false;
      quoted = true;
      field_started = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
      field_started = false;
    } else if (c == '\n') {
      row.push_back(field);
      rows.push_back(row);
      row.clear();
      field.clear();
      field_started = false;
    } else if (c != '\r') {
      field += c;
      field_started = true;
    }
  }
  if (quoted) *ok = false;
  if (field_started || !row.empty()) {
    row.push_back(field);
    rows.push_back(row);
  }
  return rows;
}

// A CSV file as a header and rows addressed by column name.
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  bool ok = false;

  int Column(const std::string& name) const {
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return static_cast<int>(i);
    }
    return -1;
  }
};

inline Table ReadTable(const std::string& path) {
  Table t;
  std::vector<std::vector<std::string>> rows = ParseCsv(ReadFile(path), &t.ok);
  if (rows.empty()) {
    t.ok = false;
    return t;
  }
  t.header = rows.front();
  t.rows.assign(rows.begin() + 1, rows.end());
  for (const auto& r : t.rows) {
    if (r.size() != t.header.size()) t.ok = false;
  }
  return t;
}

}  // namespace credit::datagen::testing

#endif  // CREDIT_TESTS_DATAGEN_CSV_READER_H_
