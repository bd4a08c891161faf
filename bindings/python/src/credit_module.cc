// credit._credit: the pybind11 layer over the public C++ API. Messages cross
// the boundary as serialized protobuf bytes; the Python package (credit/)
// parses them with the generated credit.v1 modules and turns them into dicts.
// Every absl::Status error becomes the matching credit.*Error exception.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "credit/credit.h"

namespace py = pybind11;

namespace credit {
namespace {

// Raises credit.errors.error_for(code, message) as a Python exception.
[[noreturn]] void Raise(const absl::Status& status) {
  py::gil_scoped_acquire gil;
  py::object exception = py::module_::import("credit.errors")
                             .attr("error_for")(static_cast<int>(status.code()),
                                                std::string(status.message()));
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exception.ptr())),
                  exception.ptr());
  throw py::error_already_set();
}

void Check(const absl::Status& status) {
  if (!status.ok()) Raise(status);
}

template <typename T>
T Value(absl::StatusOr<T> value) {
  if (!value.ok()) Raise(value.status());
  return *std::move(value);
}

py::bytes Bytes(const google::protobuf::Message& message) {
  return py::bytes(message.SerializeAsString());
}

template <typename Message>
Message Parse(const std::string& bytes, const char* what) {
  Message message;
  if (!message.ParseFromString(bytes)) {
    Raise(absl::InvalidArgumentError(
        std::string("could not parse a serialized ") + what));
  }
  return message;
}

using Columns = std::vector<std::pair<std::string, std::string>>;

// An iterator that owns a reference to its engine, so it stays valid after
// the Python Engine object is closed or collected.
template <typename T>
class PyIterator {
 public:
  PyIterator(std::shared_ptr<Engine> engine,
             std::unique_ptr<SnapshotIterator<T>> it)
      : engine_(std::move(engine)), it_(std::move(it)) {}

  py::bytes Next() {
    if (!it_->Valid()) {
      Check(it_->status());
      throw py::stop_iteration();
    }
    py::bytes out = Bytes(it_->value());
    it_->Next();
    return out;
  }

 private:
  std::shared_ptr<Engine> engine_;
  std::unique_ptr<SnapshotIterator<T>> it_;
};

class PyEngine {
 public:
  PyEngine(const std::string& path, bool sync, bool create) {
    Options options;
    options.sync = sync;
    options.create_if_missing = create;
    absl::StatusOr<std::unique_ptr<Engine>> engine;
    {
      py::gil_scoped_release release;
      engine = Engine::Open(path, options);
    }
    engine_ = std::shared_ptr<Engine>(Value(std::move(engine)));
  }

  void Close() { engine_.reset(); }
  bool closed() const { return engine_ == nullptr; }

  Engine& engine() {
    if (engine_ == nullptr) {
      Raise(absl::FailedPreconditionError("engine is closed"));
    }
    return *engine_;
  }

  void RegisterSourceJson(const std::string& json, const std::string& origin) {
    auto mapping = Value(ParseSourceMapping(json, origin));
    Check(engine().RegisterSource(mapping));
  }

  std::vector<py::bytes> Sources() {
    std::vector<py::bytes> out;
    for (const auto& s : Value(engine().ListSources())) out.push_back(Bytes(s));
    return out;
  }

  py::bytes IngestRows(const std::string& source,
                       std::vector<Columns> rows_columns) {
    std::vector<InputRow> rows(rows_columns.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      rows[i].columns = std::move(rows_columns[i]);
      rows[i].line = i + 1;
      rows[i].file = "<rows>";
    }
    Engine& e = engine();
    absl::StatusOr<v1::IngestReport> report;
    {
      py::gil_scoped_release release;
      report = e.IngestRows(source, rows);
    }
    return Bytes(Value(std::move(report)));
  }

  py::bytes IngestRecords(const std::string& source,
                          const std::vector<std::string>& serialized) {
    std::vector<v1::Record> records;
    records.reserve(serialized.size());
    for (const auto& bytes : serialized) {
      records.push_back(Parse<v1::Record>(bytes, "credit.v1.Record"));
    }
    Engine& e = engine();
    absl::StatusOr<v1::IngestReport> report;
    {
      py::gil_scoped_release release;
      report = e.Ingest(source, std::move(records));
    }
    return Bytes(Value(std::move(report)));
  }

  py::bytes IngestFile(const std::string& source, const std::string& path,
                       size_t batch_size) {
    FileIngestOptions options;
    options.batch_size = batch_size;
    Engine& e = engine();
    absl::StatusOr<v1::IngestReport> report;
    {
      py::gil_scoped_release release;
      report = e.IngestFile(source, path, options);
    }
    return Bytes(Value(std::move(report)));
  }

  py::bytes Delete(const std::string& source, const std::string& id) {
    Engine& e = engine();
    absl::StatusOr<v1::IngestReport> report;
    {
      py::gil_scoped_release release;
      report = e.DeleteRecord(source, id);
    }
    return Bytes(Value(std::move(report)));
  }

  py::dict Resolve() {
    Engine& e = engine();
    absl::StatusOr<ResolveSummary> summary;
    {
      py::gil_scoped_release release;
      summary = e.ResolveAll();
    }
    ResolveSummary s = Value(std::move(summary));
    py::dict out;
    out["records"] = s.records;
    out["entities"] = s.entities;
    out["retired_ids"] = s.retired_ids;
    out["candidate_pairs"] = s.candidate_pairs;
    out["match_edges"] = s.match_edges;
    out["cannot_link_edges"] = s.cannot_link_edges;
    out["possible_matches"] = s.possible_matches;
    out["capped_keys"] = s.capped_keys;
    return out;
  }

  py::bytes Record(const std::string& source, const std::string& id) {
    return Bytes(Value(engine().GetRecord(source, id)));
  }
  py::bytes Entity(uint64_t id) { return Bytes(Value(engine().GetEntity(id))); }
  py::bytes EntityOf(const std::string& source, const std::string& id) {
    return Bytes(Value(engine().GetEntityOfRecord(source, id)));
  }
  py::bytes Stats() { return Bytes(Value(engine().GetStats())); }

  PyIterator<v1::Entity> Entities() {
    engine();
    return PyIterator<v1::Entity>(engine_, engine_->NewEntityIterator());
  }
  PyIterator<v1::Record> Records() {
    engine();
    return PyIterator<v1::Record>(engine_, engine_->NewRecordIterator());
  }
  PyIterator<v1::QuarantinedRow> Quarantine() {
    engine();
    return PyIterator<v1::QuarantinedRow>(engine_,
                                          engine_->NewQuarantineIterator());
  }

  void Backup(const std::string& dir) {
    Engine& e = engine();
    absl::Status status;
    {
      py::gil_scoped_release release;
      status = e.Backup(dir);
    }
    Check(status);
  }
  void CheckpointTo(const std::string& dir) {
    Engine& e = engine();
    absl::Status status;
    {
      py::gil_scoped_release release;
      status = e.Checkpoint(dir);
    }
    Check(status);
  }

 private:
  std::shared_ptr<Engine> engine_;
};

py::dict ValidateIdDict(int scheme, const std::string& value,
                        bool accept_unverified) {
  IdValidationOptions options;
  options.accept_unverified = accept_unverified;
  IdValidation v = Value(
      ValidateId(static_cast<v1::Feature::IdScheme>(scheme), value, options));
  py::dict out;
  out["normalized"] = v.normalized;
  out["checksum_verified"] = v.checksum_verified;
  out["reason"] = v.reason;
  out["org_code"] = v.org_code;
  out["org_code_verified"] = v.org_code_verified;
  out["birth_date"] = v.birth_date.year() ? Bytes(v.birth_date) : py::bytes();
  out["sex"] = v.sex;
  out["holder"] = v.holder;
  out["upgraded"] = v.upgraded;
  return out;
}

py::bytes NormalizeFeatureBytes(const std::string& feature, int kind) {
  return Bytes(NormalizeFeature(Parse<v1::Feature>(feature, "credit.v1.Feature"),
                                static_cast<v1::EntityKind>(kind)));
}

}  // namespace
}  // namespace credit

PYBIND11_MODULE(_credit, m) {
  using namespace credit;
  m.doc() = "Native layer of the credit package; use `import credit`.";
  py::class_<PyIterator<v1::Entity>>(m, "EntityIterator")
      .def("__iter__", [](py::object self) { return self; })
      .def("__next__", &PyIterator<v1::Entity>::Next);
  py::class_<PyIterator<v1::Record>>(m, "RecordIterator")
      .def("__iter__", [](py::object self) { return self; })
      .def("__next__", &PyIterator<v1::Record>::Next);
  py::class_<PyIterator<v1::QuarantinedRow>>(m, "QuarantineIterator")
      .def("__iter__", [](py::object self) { return self; })
      .def("__next__", &PyIterator<v1::QuarantinedRow>::Next);
  py::class_<PyEngine>(m, "Engine")
      .def(py::init<const std::string&, bool, bool>(), py::arg("path"),
           py::arg("sync") = false, py::arg("create") = true)
      .def("close", &PyEngine::Close)
      .def_property_readonly("closed", &PyEngine::closed)
      .def("register_source_json", &PyEngine::RegisterSourceJson)
      .def("sources", &PyEngine::Sources)
      .def("ingest_rows", &PyEngine::IngestRows)
      .def("ingest_records", &PyEngine::IngestRecords)
      .def("ingest_file", &PyEngine::IngestFile)
      .def("delete", &PyEngine::Delete)
      .def("resolve", &PyEngine::Resolve)
      .def("record", &PyEngine::Record)
      .def("entity", &PyEngine::Entity)
      .def("entity_of", &PyEngine::EntityOf)
      .def("stats", &PyEngine::Stats)
      .def("entities", &PyEngine::Entities, py::keep_alive<0, 1>())
      .def("records", &PyEngine::Records, py::keep_alive<0, 1>())
      .def("quarantine", &PyEngine::Quarantine, py::keep_alive<0, 1>())
      .def("backup", &PyEngine::Backup)
      .def("checkpoint", &PyEngine::CheckpointTo);
  m.def("restore_backup", [](const std::string& from, const std::string& to) {
    absl::Status status;
    {
      py::gil_scoped_release release;
      status = Engine::RestoreBackup(from, to);
    }
    Check(status);
  });
  m.def("validate_id", &ValidateIdDict);
  m.def("normalize_feature", &NormalizeFeatureBytes);
}
