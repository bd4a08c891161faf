// Opens a database through the installed public API and ingests one record.
#include <cstdio>

#include "credit/credit.h"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  auto engine = credit::Engine::Open(argv[1]);
  if (!engine.ok()) {
    std::fprintf(stderr, "%s\n", engine.status().ToString().c_str());
    return 1;
  }
  auto mapping = credit::ParseSourceMapping(
      R"({"source": "demo", "format": "CSV", "recordId": "id",
          "entityKind": "ORG",
          "features": [{"type": "NAME", "columns": ["name"]}]})",
      "inline");
  if (!mapping.ok() || !(*engine)->RegisterSource(*mapping).ok()) return 1;
  credit::v1::Record record;
  record.set_record_id("1");
  record.set_entity_kind(credit::v1::ORG);
  auto* name = record.add_features();
  name->set_type(credit::v1::Feature::NAME);
  name->set_value("深圳市腾讯计算机系统有限公司");
  auto report = (*engine)->Ingest("demo", {record});
  if (!report.ok() || report->accepted() != 1) return 1;
  auto entity = (*engine)->GetEntityOfRecord("demo", "1");
  if (!entity.ok()) return 1;
  std::printf("consumer ok: entity %llu\n",
              static_cast<unsigned long long>(entity->id()));
  return 0;
}
