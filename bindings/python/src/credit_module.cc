// credit._credit: the pybind11 layer over the public C++ API. Messages cross
// the boundary as serialized protobuf bytes; the Python package (credit/)
// parses them with the generated credit.v1 modules and turns them into dicts.
// Every absl::Status error becomes the matching credit.*Error exception.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
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

// Set when a Python indicator was interrupted (Ctrl-C: KeyboardInterrupt,
// or SystemExit). The engine call it ran in cannot be unwound from Python:
// the remaining Python indicators of that call return at once with an
// error result, and the call raises the exception when it returns.
// Process-wide, as the signal is: the next engine call to return raises it.
constexpr int kNotInterrupted = 0, kKeyboardInterrupt = 1, kSystemExit = 2;
std::atomic<int> python_interrupted{kNotInterrupted};

void RaiseIfInterrupted() {
  const int interrupted = python_interrupted.exchange(kNotInterrupted);
  if (interrupted == kNotInterrupted) return;
  py::gil_scoped_acquire gil;
  PyErr_SetNone(interrupted == kSystemExit ? PyExc_SystemExit
                                           : PyExc_KeyboardInterrupt);
  throw py::error_already_set();
}

void Check(const absl::Status& status) {
  RaiseIfInterrupted();
  if (!status.ok()) Raise(status);
}

template <typename T>
T Value(absl::StatusOr<T> value) {
  RaiseIfInterrupted();
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

v1::RecordKey MakeKey(const std::string& source, const std::string& id) {
  v1::RecordKey key;
  key.set_source(source);
  key.set_record_id(id);
  return key;
}

py::object DateOrNone(const v1::Date& date) {
  if (date.year() == 0 || date.month() == 0 || date.day() == 0) {
    return py::none();
  }
  return py::module_::import("datetime")
      .attr("date")(date.year(), date.month(), date.day());
}

// Set while a Python indicator runs on this thread. The engine evaluates
// indicators inside its own calls (an ingest holds the write lock), so a
// call back into it from the indicator would deadlock or close the engine
// under the running call: such calls raise instead.
thread_local int inside_indicator = 0;

struct InsideIndicator {
  InsideIndicator() { ++inside_indicator; }
  ~InsideIndicator() { --inside_indicator; }
  InsideIndicator(const InsideIndicator&) = delete;
  InsideIndicator& operator=(const InsideIndicator&) = delete;
};

// isinstance(value, module.name), for the abstract base classes (numbers.Real
// takes numpy's number types).
bool IsInstance(py::handle value, const char* module, const char* name) {
  py::object type = py::module_::import(module).attr(name);
  const int is = PyObject_IsInstance(value.ptr(), type.ptr());
  if (is < 0) PyErr_Clear();
  return is == 1;
}

// A Python function as a credit::Indicator. Evaluate() is called from the
// engine's threads without the GIL: it takes the GIL, calls the function with
// plain Python values, and turns whatever it returns or raises into an
// IndicatorOutput or an error status (never an exception into C++).
class PyIndicator final : public Indicator {
 public:
  PyIndicator(std::string name, std::uint32_t version, std::string description,
              std::vector<std::string> inputs, py::function fn)
      : name_(std::move(name)),
        version_(version),
        description_(std::move(description)),
        inputs_(std::move(inputs)),
        fn_(new py::function(std::move(fn)), [](py::function* f) {
          py::gil_scoped_acquire gil;
          delete f;
        }) {}

  std::string name() const override { return name_; }
  std::uint32_t version() const override { return version_; }
  std::string description() const override { return description_; }
  std::vector<std::string> inputs() const override { return inputs_; }

  absl::StatusOr<IndicatorOutput> Evaluate(
      const EntityView& entity, const EvalContext& ctx,
      const IndicatorInputs& inputs) const override {
    py::gil_scoped_acquire gil;
    if (python_interrupted.load() != kNotInterrupted) {
      return absl::CancelledError(
          "not evaluated: a Python indicator was interrupted in this call");
    }
    try {
      py::dict view;
      view["entity_id"] = entity.entity_id();
      view["kind"] = v1::EntityKind_Name(entity.kind());
      py::dict profile;
      for (const auto& attribute : entity.profile().attributes()) {
        if (attribute.values_size() > 0) {
          profile[py::str(attribute.name())] = attribute.values(0).value();
        }
      }
      view["profile"] = profile;
      py::list facts;
      for (const EntityFact& f : entity.facts()) {
        py::dict fact;
        fact["source"] = f.record.source();
        fact["record_id"] = f.record.record_id();
        fact["fact_index"] = f.fact_index;
        fact["kind"] = f.fact.kind();
        fact["occurred_at"] = DateOrNone(f.fact.occurred_at());
        fact["amount"] = f.fact.amount();
        fact["severity"] = f.fact.severity();
        fact["status"] = v1::Fact::Status_Name(f.fact.status());
        fact["publish_until"] = DateOrNone(f.fact.publish_until());
        py::dict attributes;
        for (const auto& [k, v] : f.fact.attributes()) attributes[py::str(k)] = v;
        fact["attributes"] = attributes;
        fact["counts"] = FactCounts(f.fact, ctx.as_of);
        facts.append(fact);
      }
      view["facts"] = facts;
      py::dict input_values;
      for (const auto& name : inputs_) {
        const v1::IndicatorResult* r = inputs.Find(name);
        if (r == nullptr) continue;
        const auto& v = r->value();
        switch (v.kind_case()) {
          case v1::IndicatorValue::kNumber:
            input_values[py::str(name)] = v.number();
            break;
          case v1::IndicatorValue::kFlag:
            input_values[py::str(name)] = v.flag();
            break;
          case v1::IndicatorValue::kText:
            input_values[py::str(name)] = v.text();
            break;
          case v1::IndicatorValue::kGrade:
            input_values[py::str(name)] = v.grade();
            break;
          default:
            input_values[py::str(name)] = py::none();
        }
      }
      py::object result;
      {
        InsideIndicator inside;
        result = (*fn_)(view, DateOrNone(ctx.as_of), input_values);
      }
      return ToOutput(result);
    } catch (py::error_already_set& e) {
      if (e.matches(PyExc_KeyboardInterrupt) || e.matches(PyExc_SystemExit)) {
        python_interrupted.store(e.matches(PyExc_SystemExit)
                                     ? kSystemExit
                                     : kKeyboardInterrupt);
        return absl::CancelledError("Python indicator interrupted: " +
                                    std::string(e.what()));
      }
      return absl::InternalError("Python indicator raised " +
                                 std::string(e.what()));
    } catch (const std::exception& e) {
      return absl::InternalError(std::string("Python indicator: ") + e.what());
    }
  }

 private:
  // A scalar (bool -> flag, int/float -> number, str -> text) or a dict
  // with one of value/grade, optional evidence (fact dicts or
  // (source, record_id, fact_index) tuples) and explanation.
  absl::StatusOr<IndicatorOutput> ToOutput(py::handle result) const {
    IndicatorOutput out;
    py::handle value = result;
    py::object evidence;
    if (py::isinstance<py::tuple>(result)) {
      // (value, evidence)
      auto t = py::reinterpret_borrow<py::tuple>(result);
      if (t.size() != 2) {
        return absl::InvalidArgumentError(
            "a Python indicator's tuple is (value, evidence)");
      }
      value = t[0];
      evidence = t[1];
    } else if (py::isinstance<py::dict>(result)) {
      py::dict d = py::reinterpret_borrow<py::dict>(result);
      if (d.contains("grade")) {
        // None is no grade (like a value of None), not the grade "None".
        if (!d["grade"].is_none()) out.value.set_grade(py::str(d["grade"]));
        value = py::handle();
      } else if (d.contains("value")) {
        value = d["value"];
      } else {
        return absl::InvalidArgumentError(
            "a Python indicator's dict needs 'value' or 'grade'");
      }
      if (d.contains("explanation")) {
        out.explanation = py::str(d["explanation"]);
      }
      if (d.contains("evidence")) evidence = d["evidence"];
    }
    if (evidence && !evidence.is_none()) {
      {
        for (py::handle item : evidence) {
          v1::FactRef ref;
          if (py::isinstance<py::dict>(item)) {
            ref.mutable_record()->set_source(py::str(item["source"]));
            ref.mutable_record()->set_record_id(py::str(item["record_id"]));
            ref.set_fact_index(item["fact_index"].cast<std::uint32_t>());
          } else {
            auto t = item.cast<py::tuple>();
            if (t.size() != 3) {
              return absl::InvalidArgumentError(
                  "evidence items are fact dicts or (source, record_id, "
                  "fact_index) tuples");
            }
            ref.mutable_record()->set_source(py::str(t[0]));
            ref.mutable_record()->set_record_id(py::str(t[1]));
            ref.set_fact_index(t[2].cast<std::uint32_t>());
          }
          out.evidence.push_back(std::move(ref));
        }
      }
    }
    if (value) {
      // numpy scalars too (what Series.sum(), .count() and .any() return):
      // numpy.bool_ is no bool, numpy.int64 no int, but both have a dtype.
      const bool numpy_bool =
          py::hasattr(value, "dtype") &&
          py::str(value.attr("dtype").attr("kind")).cast<std::string>() == "b";
      if (value.is_none()) {
        // No value: like an aggregate over no facts.
      } else if (py::isinstance<py::bool_>(value) || numpy_bool) {
        const int truth = PyObject_IsTrue(value.ptr());
        if (truth < 0) throw py::error_already_set();
        out.value.set_flag(truth == 1);
      } else if (py::isinstance<py::int_>(value) ||
                 py::isinstance<py::float_>(value) ||
                 IsInstance(value, "numbers", "Real")) {
        out.value.set_number(PyFloat_AsDouble(value.ptr()));
        if (PyErr_Occurred() != nullptr) throw py::error_already_set();
      } else if (py::isinstance<py::str>(value)) {
        out.value.set_text(value.cast<std::string>());
      } else {
        return absl::InvalidArgumentError(
            "a Python indicator returns a bool, a number, a str, None or a "
            "dict, not " +
            std::string(py::str(value.get_type().attr("__name__"))));
      }
    }
    return out;
  }

  std::string name_;
  std::uint32_t version_;
  std::string description_;
  std::vector<std::string> inputs_;
  std::shared_ptr<py::function> fn_;
};

// The engine for the length of one call, counted so that close() can wait
// for the calls other threads are making (with the GIL released).
class EngineCall {
 public:
  EngineCall(std::shared_ptr<Engine> engine, std::atomic<int>* calls)
      : engine_(std::move(engine)), calls_(calls) {
    ++*calls_;
  }
  // The reference goes first: once the count is 0, close() holds the
  // last one, and the store is closed when close() returns.
  ~EngineCall() {
    engine_.reset();
    --*calls_;
  }
  EngineCall(const EngineCall&) = delete;
  EngineCall& operator=(const EngineCall&) = delete;
  Engine* operator->() const { return engine_.get(); }

 private:
  std::shared_ptr<Engine> engine_;
  std::atomic<int>* calls_;
};

class PyEngine {
 public:
  PyEngine(const std::string& path, bool sync, bool create,
           bool preload_linking_cache, std::size_t linking_cache_records) {
    Options options;
    options.sync = sync;
    options.create_if_missing = create;
    options.preload_linking_cache = preload_linking_cache;
    options.linking_cache_records = linking_cache_records;
    absl::StatusOr<std::unique_ptr<Engine>> engine;
    {
      py::gil_scoped_release release;
      engine = Engine::Open(path, options);
    }
    engine_ = std::shared_ptr<Engine>(Value(std::move(engine)));
  }

  // Closes the store once the calls other threads are making have
  // returned; those calls finish normally. Iterators keep their own
  // reference and stay usable.
  void Close() {
    RefuseInsideIndicator();
    std::shared_ptr<Engine> engine = std::move(engine_);
    engine_ = nullptr;
    python_functions_.clear();
    if (engine == nullptr) return;
    py::gil_scoped_release release;
    while (calls_.load() > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    engine.reset();
  }
  bool closed() const { return engine_ == nullptr; }

  EngineCall engine() {
    RefuseInsideIndicator();
    if (engine_ == nullptr) {
      Raise(absl::FailedPreconditionError("engine is closed"));
    }
    return EngineCall(engine_, &calls_);
  }

  static void RefuseInsideIndicator() {
    if (inside_indicator > 0) {
      Raise(absl::FailedPreconditionError(
          "a Python indicator cannot call the engine that evaluates it (it "
          "runs inside that engine's ingest or evaluation); use the entity "
          "view and inputs it is given"));
    }
  }

  void RegisterSourceJson(const std::string& json, const std::string& origin) {
    auto mapping = Value(ParseSourceMapping(json, origin));
    Check(engine()->RegisterSource(mapping));
  }

  std::vector<py::bytes> Sources() {
    std::vector<py::bytes> out;
    for (const auto& s : Value(engine()->ListSources())) out.push_back(Bytes(s));
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
    auto e = engine();
    absl::StatusOr<v1::IngestReport> report;
    {
      py::gil_scoped_release release;
      report = e->IngestRows(source, rows);
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
    auto e = engine();
    absl::StatusOr<v1::IngestReport> report;
    {
      py::gil_scoped_release release;
      report = e->Ingest(source, std::move(records));
    }
    return Bytes(Value(std::move(report)));
  }

  py::bytes IngestFile(const std::string& source, const std::string& path,
                       size_t batch_size, bool link, bool defer_entities) {
    FileIngestOptions options;
    options.batch_size = batch_size;
    options.ingest.link = link;
    options.ingest.defer_entities = defer_entities;
    auto e = engine();
    absl::StatusOr<v1::IngestReport> report;
    {
      py::gil_scoped_release release;
      report = e->IngestFile(source, path, options);
    }
    return Bytes(Value(std::move(report)));
  }

  py::bytes Delete(const std::string& source, const std::string& id) {
    auto e = engine();
    absl::StatusOr<v1::IngestReport> report;
    {
      py::gil_scoped_release release;
      report = e->DeleteRecord(source, id);
    }
    return Bytes(Value(std::move(report)));
  }

  py::dict Resolve(bool refresh_term_frequencies) {
    auto e = engine();
    absl::StatusOr<ResolveSummary> summary;
    ResolveOptions options;
    options.refresh_term_frequencies = refresh_term_frequencies;
    {
      py::gil_scoped_release release;
      summary = e->ResolveAll(options);
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
    return Bytes(Value(engine()->GetRecord(source, id)));
  }
  py::bytes Entity(uint64_t id) { return Bytes(Value(engine()->GetEntity(id))); }
  py::bytes EntityOf(const std::string& source, const std::string& id) {
    return Bytes(Value(engine()->GetEntityOfRecord(source, id)));
  }
  // Calls that take the engine's write lock release the GIL first: a Python
  // indicator evaluated under that lock needs the GIL.
  py::bytes Stats() {
    auto e = engine();
    absl::StatusOr<v1::Stats> stats;
    {
      py::gil_scoped_release release;
      stats = e->GetStats();
    }
    return Bytes(Value(std::move(stats)));
  }

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

  // --- Explanations, search, review, model --------------------------------

  py::bytes ExplainEntity(uint64_t id) {
    return Bytes(Value(engine()->ExplainEntity(id)));
  }
  py::bytes ExplainPair(const std::string& a_source, const std::string& a_id,
                        const std::string& b_source, const std::string& b_id) {
    return Bytes(Value(
        engine()->ExplainPair(MakeKey(a_source, a_id), MakeKey(b_source, b_id))));
  }
  py::bytes Search(const std::string& query, size_t limit, double min_weight) {
    SearchOptions options;
    options.limit = limit;
    options.min_weight = min_weight;
    auto record = Parse<v1::Record>(query, "credit.v1.Record");
    auto e = engine();
    absl::StatusOr<v1::SearchResult> result;
    {
      py::gil_scoped_release release;
      result = e->Search(std::move(record), options);
    }
    return Bytes(Value(std::move(result)));
  }
  std::vector<py::bytes> PossibleMatches(size_t limit) {
    std::vector<py::bytes> out;
    for (const auto& e : Value(engine()->ListPossibleMatches(limit))) {
      out.push_back(Bytes(e));
    }
    return out;
  }
  py::bytes Review(const std::string& a_source, const std::string& a_id,
                   const std::string& b_source, const std::string& b_id,
                   bool same, const std::string& note,
                   const std::string& actor) {
    IngestOptions options;
    options.access.actor = actor;
    options.access.purpose = "clerical review";
    auto e = engine();
    absl::StatusOr<v1::IngestReport> report;
    {
      py::gil_scoped_release release;
      report = e->ReviewPair(MakeKey(a_source, a_id), MakeKey(b_source, b_id),
                            same, note, options);
    }
    return Bytes(Value(std::move(report)));
  }
  py::bytes ClearReview(const std::string& a_source, const std::string& a_id,
                        const std::string& b_source, const std::string& b_id,
                        const std::string& actor) {
    IngestOptions options;
    options.access.actor = actor;
    auto e = engine();
    absl::StatusOr<v1::IngestReport> report;
    {
      py::gil_scoped_release release;
      report = e->ClearReview(MakeKey(a_source, a_id), MakeKey(b_source, b_id),
                             options);
    }
    return Bytes(Value(std::move(report)));
  }
  py::bytes TrainModel(size_t random_pairs, uint64_t seed) {
    TrainModelOptions options;
    options.random_pairs = random_pairs;
    options.seed = seed;
    auto e = engine();
    absl::StatusOr<v1::MatchModel> model;
    {
      py::gil_scoped_release release;
      model = e->TrainModel(options);
    }
    return Bytes(Value(std::move(model)));
  }
  py::bytes Model() { return Bytes(engine()->GetModel()); }

  // --- Indicators ---------------------------------------------------------

  std::vector<std::string> SetRulesText(const std::string& text,
                                        const std::string& origin) {
    auto rules = Value(ParseRuleText(text, origin));
    auto e = engine();
    absl::StatusOr<std::vector<std::string>> names;
    {
      py::gil_scoped_release release;
      names = e->SetRules(rules);
    }
    return Value(std::move(names));
  }
  py::bytes Rules() {
    auto e = engine();
    v1::RuleSet rules;
    {
      py::gil_scoped_release release;
      rules = e->GetRules();
    }
    return Bytes(rules);
  }
  std::vector<std::string> IndicatorNames() { return engine()->ListIndicators(); }
  std::vector<py::bytes> Indicators(uint64_t id, const std::string& as_of) {
    std::optional<v1::Date> date;
    if (!as_of.empty()) date = Parse<v1::Date>(as_of, "credit.v1.Date");
    auto e = engine();
    absl::StatusOr<std::vector<v1::IndicatorResult>> results;
    {
      py::gil_scoped_release release;
      results = e->GetIndicators(id, date);
    }
    std::vector<py::bytes> out;
    for (const auto& r : Value(std::move(results))) out.push_back(Bytes(r));
    return out;
  }
  uint64_t EvaluateIndicators(size_t batch_size) {
    EvaluateOptions options;
    options.batch_size = batch_size;
    auto e = engine();
    absl::StatusOr<uint64_t> done;
    {
      py::gil_scoped_release release;
      done = e->EvaluateIndicators(options);
    }
    return Value(std::move(done));
  }
  py::bytes SetFactStatus(const std::string& source, const std::string& id,
                          uint32_t index, int status, const std::string& reason,
                          const std::string& actor) {
    IngestOptions options;
    options.access.actor = actor;
    auto e = engine();
    absl::StatusOr<v1::IngestReport> report;
    {
      py::gil_scoped_release release;
      report = e->SetFactStatus(MakeKey(source, id), index,
                               static_cast<v1::Fact::Status>(status), reason,
                               options);
    }
    return Bytes(Value(std::move(report)));
  }
  py::dict LoadPlugin(const std::string& path) {
    PluginInfo info = Value(engine()->LoadPlugin(path));
    py::dict out;
    out["path"] = info.path;
    out["name"] = info.name;
    out["version"] = info.version;
    out["indicators"] = info.indicators;
    return out;
  }
  void RegisterPythonIndicator(const std::string& name, uint32_t version,
                               const std::string& description,
                               std::vector<std::string> inputs,
                               py::function fn) {
    PyObject* function = fn.ptr();
    Check(engine()->RegisterIndicator(std::make_shared<PyIndicator>(
        name, version, description, std::move(inputs), std::move(fn))));
    python_functions_.push_back(function);
  }

  // Python's garbage collector sees the functions the engine holds (see
  // the type setup below): a function whose closure refers to its engine
  // made a cycle through C++ that was never collected, and the store stayed
  // locked after the last reference to the engine was gone.
  int VisitPythonFunctions(visitproc visit, void* arg) const {
    for (PyObject* fn : python_functions_) Py_VISIT(fn);
    return 0;
  }
  void ClearPythonFunctions() {
    // Dropping the engine (and its indicators) breaks the cycle; an
    // iterator still in use keeps the store open, as after close().
    engine_.reset();
    python_functions_.clear();
  }

  void Backup(const std::string& dir) {
    auto e = engine();
    absl::Status status;
    {
      py::gil_scoped_release release;
      status = e->Backup(dir);
    }
    Check(status);
  }
  void CheckpointTo(const std::string& dir) {
    auto e = engine();
    absl::Status status;
    {
      py::gil_scoped_release release;
      status = e->Checkpoint(dir);
    }
    Check(status);
  }

 private:
  std::shared_ptr<Engine> engine_;
  std::atomic<int> calls_{0};
  // The Python indicators' functions, for the garbage collector: each is
  // referenced once, by its PyIndicator in the engine (borrowed here, and
  // forgotten when this object lets go of the engine).
  std::vector<PyObject*> python_functions_;
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
  py::class_<PyEngine>(
      m, "Engine", py::custom_type_setup([](PyHeapTypeObject* heap_type) {
        PyTypeObject* type = &heap_type->ht_type;
        type->tp_flags |= Py_TPFLAGS_HAVE_GC;
        type->tp_traverse = [](PyObject* self, visitproc visit, void* arg) {
          Py_VISIT(Py_TYPE(self));  // a heap type's instances visit it
          // An engine still being constructed (Open runs without the GIL)
          // holds nothing yet: the cast fails, and there is nothing to see.
          try {
            return py::cast<PyEngine&>(py::handle(self))
                .VisitPythonFunctions(visit, arg);
          } catch (...) {
            return 0;
          }
        };
        type->tp_clear = [](PyObject* self) {
          try {
            py::cast<PyEngine&>(py::handle(self)).ClearPythonFunctions();
          } catch (...) {
          }
          return 0;
        };
      }))
      .def(py::init<const std::string&, bool, bool, bool, std::size_t>(),
           py::arg("path"), py::arg("sync") = false, py::arg("create") = true,
           py::arg("preload_linking_cache") = false,
           py::arg("linking_cache_records") = Options().linking_cache_records)
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
      .def("explain_entity", &PyEngine::ExplainEntity)
      .def("explain_pair", &PyEngine::ExplainPair)
      .def("search", &PyEngine::Search)
      .def("possible_matches", &PyEngine::PossibleMatches)
      .def("review", &PyEngine::Review)
      .def("clear_review", &PyEngine::ClearReview)
      .def("train_model", &PyEngine::TrainModel)
      .def("model", &PyEngine::Model)
      .def("set_rules_text", &PyEngine::SetRulesText)
      .def("rules", &PyEngine::Rules)
      .def("indicator_names", &PyEngine::IndicatorNames)
      .def("indicators", &PyEngine::Indicators)
      .def("evaluate_indicators", &PyEngine::EvaluateIndicators)
      .def("set_fact_status", &PyEngine::SetFactStatus)
      .def("load_plugin", &PyEngine::LoadPlugin)
      .def("register_python_indicator", &PyEngine::RegisterPythonIndicator)
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
