"""libcredit from Python: identity resolution and credit indicators.

    import credit
    with credit.Engine.open("/tmp/credit-db") as engine:
        engine.register_source("examples/data/tax.mapping.json")
        engine.ingest_file("examples/data/tax.mapping.json", ["examples/data/tax.csv"])
        engine.resolve()
        print(engine.entity_of("tax", "SW0000000001"))

Results are plain Python values (dicts, lists, datetime.date) by default;
pass as_proto=True to get the credit.v1 protobuf message instead. Errors are
credit.Error subclasses (InvalidArgumentError is also a ValueError,
NotFoundError also a LookupError). Long C++ work releases the GIL.
"""

import datetime
import inspect
import json
import operator
import os
import sys

from . import _credit
from .errors import *  # noqa: F401,F403
from .errors import Error, InvalidArgumentError, NotFoundError
from .v1 import (audit_pb2, common_pb2, entity_pb2, indicator_pb2, ingest_pb2,  # noqa: F401
                 match_pb2, record_pb2, rules_pb2, source_pb2)

__all__ = ["Engine", "validate_id", "normalize", "restore_backup", "Error"]


def _to_python(message):
    """Converts a message to plain Python: dicts, lists, ints (uint64 stays an
    int), enum names, bytes, and datetime.date for complete credit.v1.Date
    values (partial dates stay {"year", "month", "day"} dicts). Every field is
    present, with its default when unset, except the members of a oneof (an
    indicator's value) and optional fields: only the one that is set appears."""
    if message.DESCRIPTOR.full_name == "credit.v1.Date":
        if message.year and message.month and message.day:
            return datetime.date(message.year, message.month, message.day)
        return {"year": message.year, "month": message.month, "day": message.day}
    out = {}
    for field in message.DESCRIPTOR.fields:
        if field.containing_oneof is not None and not message.HasField(field.name):
            continue
        value = getattr(message, field.name)
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            value_field = field.message_type.fields_by_name["value"]
            out[field.name] = {k: _scalar(value_field, v) for k, v in value.items()}
        elif field.label == field.LABEL_REPEATED:
            out[field.name] = [_scalar(field, v) for v in value]
        elif field.message_type is not None and not message.HasField(field.name):
            out[field.name] = None
        else:
            out[field.name] = _scalar(field, value)
    return out


def _scalar(field, value):
    if field.message_type is not None:
        return _to_python(value)
    if field.enum_type is not None:
        return field.enum_type.values_by_number[value].name if value in field.enum_type.values_by_number else value
    return value


def _convert(message_type, data, as_proto):
    message = message_type()
    message.ParseFromString(data)
    if as_proto:
        return message
    return _to_python(message)


def _mapping_json(mapping):
    """Returns (json text, origin) for a mapping dict or a path to its JSON file."""
    if isinstance(mapping, dict):
        return json.dumps(mapping, ensure_ascii=False), "<dict>"
    path = os.fspath(mapping)
    try:
        with open(path, encoding="utf-8") as f:
            return f.read(), path
    except FileNotFoundError:
        raise NotFoundError(f"mapping file '{path}' does not exist") from None
    except UnicodeDecodeError as e:
        raise InvalidArgumentError(
            f"mapping file '{path}' is not UTF-8 text ({e.reason} at byte {e.start}): "
            "a mapping is a JSON file (docs/mapping.md); was a data file given?") from None


def _count(value, what):
    """`value` as a non-negative integer (an id, an index, a limit):
    1.7 is refused rather than read as 1, -1 rather than passed on to
    fail as a C++ conversion."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)  # an id read from text
    try:
        number = operator.index(value)
    except TypeError:
        raise InvalidArgumentError(
            f"{what} is a whole number, not {value!r}") from None
    if number < 0:
        raise InvalidArgumentError(f"{what} is not negative, not {number}")
    return number


def _looks_like_path(text):
    """True for one line ending in a file extension (rules.textproto), which
    rules text never is: it holds at least a field and a colon or brace."""
    text = text.strip()
    return ("\n" not in text and "{" not in text and ":" not in text
            and os.path.splitext(text)[1] != "")


def _cell_text(value):
    """A cell as the text a mapping reads. Missing values (None, NaN,
    pandas.NA, NaT) are empty. A whole float loses its ".0": pandas turns an
    integer column with a blank into float64, and a phone 13627539798 must
    not become "13627539798.0"."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        return str(value)
    if not isinstance(value, int):
        pandas = sys.modules.get("pandas")
        if pandas is not None and pandas.api.types.is_scalar(value) and pandas.isna(value):
            return ""
    return str(value)


def _rows(rows):
    """Turns a list of dicts or a pandas DataFrame into [(column, str value)].
    Every row gets every column any row has (missing ones empty), in the
    order they first appear: the first row is the header."""
    if hasattr(rows, "to_dict") and hasattr(rows, "columns"):
        rows = rows.to_dict(orient="records")
    rows = list(rows)
    names = {}
    for index, row in enumerate(rows):
        if not hasattr(row, "items"):
            raise InvalidArgumentError(
                f"row {index + 1} is a {type(row).__name__}, not a dict of column -> value "
                "(ingest takes a list of dicts or a pandas DataFrame)")
        for key in row:
            names.setdefault(str(key), None)
    out = []
    for row in rows:
        cells = {str(key): _cell_text(value) for key, value in row.items()}
        out.append([(name, cells.get(name, "")) for name in names])
    return out


def _with_unencodable_as_bytes(rows):
    """`rows` with every column name or value that cannot be encoded as
    UTF-8 turned into bytes (surrogateescape gives back the bytes a decoder
    could not read; other lone surrogates are passed as themselves)."""
    def fix(text):
        try:
            text.encode("utf-8")
            return text
        except UnicodeEncodeError:
            try:
                return text.encode("utf-8", "surrogateescape")
            except UnicodeEncodeError:
                return text.encode("utf-8", "surrogatepass")
    return [[(fix(name), fix(value)) for name, value in row] for row in rows]


class _Iterator:
    """Wraps a native iterator, converting each item."""

    def __init__(self, native, message_type, as_proto):
        self._native = native
        self._type = message_type
        self._as_proto = as_proto

    def __iter__(self):
        return self

    def __next__(self):
        return _convert(self._type, next(self._native), self._as_proto)


class Engine:
    """A libcredit store. Thread-safe: share one Engine between threads.

    Open with Engine.open(path); use as a context manager to close the store.
    Iterators returned by export(), records() and quarantine() keep the store
    open until they are exhausted or collected, even after close().
    """

    def __init__(self, native):
        self._native = native

    @classmethod
    def open(cls, path, sync=False, create=True, preload_linking_cache=False,
             linking_cache_records=200_000):
        """Opens (or creates) the database at `path`.

        sync: fsync every ingest call. create: create it when missing
        (otherwise NotFoundError). preload_linking_cache: prepare the stored
        records for incremental linking now (and after every resolve()),
        up to linking_cache_records of them, the newest first: ingest then
        reads no stored candidate (~6 s and ~1 GB per million records).
        linking_cache_records: how many prepared records the engine keeps
        in memory for linking."""
        return cls(_credit.Engine(os.fspath(path), sync, create,
                                  preload_linking_cache,
                                  linking_cache_records))

    def close(self):
        """Closes the store; later calls raise FailedPreconditionError.
        Calls other threads are making finish first (close() waits for
        them), so the store is closed when close() returns."""
        self._native.close()

    @property
    def closed(self):
        return self._native.closed

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def register_source(self, mapping):
        """Registers a source (or replaces its mapping) from a mapping dict or
        the path of a mapping JSON file (docs/mapping.md). Returns the source id."""
        text, origin = _mapping_json(mapping)
        self._native.register_source_json(text, origin)
        return json.loads(text).get("source")

    def sources(self, as_proto=False):
        """Returns every registered source (SourceConfig)."""
        return [_convert(source_pb2.SourceConfig, b, as_proto) for b in self._native.sources()]

    def ingest(self, source, rows, as_proto=False):
        """Ingests rows (a list of dicts or a pandas DataFrame) through the
        registered mapping of `source`, exactly as the CLI maps file rows.
        Returns the IngestReport. Rows that cannot become records are
        quarantined with a reason, not raised. A row may leave out columns
        (they are empty); None, NaN, pandas.NA and NaT are empty, and a whole
        float is written without ".0". Text that is not valid Unicode (a
        lone surrogate, from errors="surrogateescape") quarantines its row."""
        rows = _rows(rows)
        try:
            report = self._native.ingest_rows(source, rows)
        except TypeError:
            # A str that cannot be UTF-8 (pybind11 then dumps the whole
            # batch into the TypeError): pass such cells on as the bytes they
            # stand for, which the engine quarantines as invalid UTF-8.
            report = self._native.ingest_rows(source, _with_unencodable_as_bytes(rows))
        return _convert(ingest_pb2.IngestReport, report, as_proto)

    def ingest_records(self, source, records, as_proto=False):
        """Ingests credit.v1.Record messages for `source`."""
        return _convert(ingest_pb2.IngestReport,
                        self._native.ingest_records(source, [r.SerializeToString() for r in records]),
                        as_proto)

    def ingest_file(self, mapping, files, batch_size=5000, bulk=False, link=True,
                    defer_entities=False, as_proto=False):
        """Registers `mapping` (dict or path) and ingests each file in `files`
        (a path or a list of paths), linking as it goes. bulk=True stores the
        records without linking and links everything once at the end
        (resolve()), which is faster for a first load. link=False only stores
        them (each record its own entity for now): for a first load of several
        sources, pass it for each and call resolve() once after the last, where
        bulk=True would relink every stored record after each source. With
        link=False, defer_entities=True also skips those single-record
        entities (faster; until resolve() the new records have no entity, and
        entity_of() of one raises FailedPreconditionError). Returns the list of
        IngestReports."""
        if bulk and not link:
            raise InvalidArgumentError(
                "bulk=True links at the end and link=False does not link: give one of them")
        if defer_entities and link:
            raise InvalidArgumentError(
                "defer_entities=True applies to link=False (store only): a linked "
                "record always gets its entity")
        source = self.register_source(mapping)
        if isinstance(files, (str, os.PathLike)):
            files = [files]
        reports = [_convert(ingest_pb2.IngestReport,
                            self._native.ingest_file(source, os.fspath(f), batch_size,
                                                     link and not bulk,
                                                     bulk or defer_entities),
                            as_proto)
                   for f in files]
        if bulk:
            self.resolve()
        return reports

    def delete(self, source, record_id, as_proto=False):
        """Deletes a record; NotFoundError when absent. Returns the IngestReport."""
        return _convert(ingest_pb2.IngestReport, self._native.delete(source, record_id), as_proto)

    def resolve(self, refresh_term_frequencies=True):
        """Relinks every stored record (Engine::ResolveAll): ingest already
        links as it goes; this takes a fresh term-frequency snapshot (or, with
        refresh_term_frequencies=False, keeps the one in force) and relinks
        everything. Returns a summary dict (records, entities, match_edges, ...)."""
        return self._native.resolve(bool(refresh_term_frequencies))

    def record(self, source, record_id, as_proto=False):
        """Returns the stored record; NotFoundError when absent."""
        return _convert(record_pb2.Record, self._native.record(source, record_id), as_proto)

    def entity(self, entity_id, as_proto=False):
        """Returns an entity; a retired id returns its survivor with
        redirected_from set. NotFoundError when unknown."""
        return _convert(entity_pb2.Entity, self._native.entity(_count(entity_id, "entity_id")), as_proto)

    def entity_of(self, source, record_id, as_proto=False):
        """Returns the entity holding a record."""
        return _convert(entity_pb2.Entity, self._native.entity_of(source, record_id), as_proto)

    def export(self, as_proto=False):
        """Iterates over every entity (members and profile), by id."""
        return _Iterator(self._native.entities(), entity_pb2.Entity, as_proto)

    def records(self, as_proto=False):
        """Iterates over every stored record."""
        return _Iterator(self._native.records(), record_pb2.Record, as_proto)

    def quarantine(self, as_proto=False):
        """Iterates over quarantined rows (source, record id, line, raw, reason)."""
        return _Iterator(self._native.quarantine(), ingest_pb2.QuarantinedRow, as_proto)

    def export_dataframe(self):
        """Returns a pandas DataFrame with columns source, record_id, entity_id."""
        import pandas

        rows = [(m.source, m.record_id, e.id)
                for e in self.export(as_proto=True) for m in e.members]
        return pandas.DataFrame(rows, columns=["source", "record_id", "entity_id"])

    def stats(self, as_proto=False):
        """Returns counts per source, per column family and of the quarantine."""
        return _convert(ingest_pb2.Stats, self._native.stats(), as_proto)

    # --- Explanations, search, clerical review, model ---------------------

    def explain_entity(self, entity_id, as_proto=False):
        """Why an entity holds together: its joining edges (each with
        per-feature levels and weights), refused edges, cannot-links and
        possible matches (EntityExplanation)."""
        return _convert(match_pb2.EntityExplanation,
                        self._native.explain_entity(_count(entity_id, "entity_id")), as_proto)

    def explain_pair(self, a, b, as_proto=False):
        """The full score of two stored records, given as (source, record_id)
        pairs or "source/record_id" strings (PairExplanation)."""
        a, b = _key(a), _key(b)
        return _convert(match_pb2.PairExplanation,
                        self._native.explain_pair(a[0], a[1], b[0], b[1]), as_proto)

    def search(self, kind="person", name=None, ids=(), dob=None, phone=None,
               email=None, address=None, limit=10, min_weight=None, as_proto=False):
        """Candidate entities for a query, best first (SearchResult). kind is
        "person" or "org"; ids are identifier values (USCC, resident id and
        organisation code are recognised by their checksum; a value valid
        both as a USCC and as a resident id is taken as the kind's)."""
        query = record_pb2.Record(
            entity_kind=common_pb2.ORG if kind == "org" else common_pb2.PERSON)
        if kind not in ("person", "org"):
            raise InvalidArgumentError(f"kind is 'person' or 'org', not '{kind}'")
        for feature_type, value in ((record_pb2.Feature.NAME, name),
                                    (record_pb2.Feature.DOB, dob),
                                    (record_pb2.Feature.PHONE, phone),
                                    (record_pb2.Feature.EMAIL, email),
                                    (record_pb2.Feature.ADDRESS, address)):
            if value is not None:
                query.features.add(type=feature_type, value=str(value))
        for value in ([ids] if isinstance(ids, str) else ids):
            query.features.add(type=record_pb2.Feature.ID, value=value,
                               scheme=_guess_scheme(value, kind))
        weight = float("nan") if min_weight is None else float(min_weight)
        return _convert(match_pb2.SearchResult,
                        self._native.search(query.SerializeToString(), _count(limit, "limit"), weight),
                        as_proto)

    def possible_matches(self, limit=100, as_proto=False):
        """Pairs in the clerical-review band across entities, heaviest first."""
        return [_convert(match_pb2.ExplainedEdge, b, as_proto)
                for b in self._native.possible_matches(_count(limit, "limit"))]

    def review(self, a, b, same, note="", reviewer="python", as_proto=False):
        """Records a reviewer's decision that records a and b are the same
        subject (same=True) or not; it outranks scores and survives resolve().
        Returns the IngestReport with the entity changes."""
        a, b = _key(a), _key(b)
        if not isinstance(same, bool):
            raise InvalidArgumentError(
                f"same is True or False, not {same!r}: a reviewer's decision is "
                "not guessed from other values")
        return _convert(ingest_pb2.IngestReport,
                        self._native.review(a[0], a[1], b[0], b[1], same, note, reviewer),
                        as_proto)

    def clear_review(self, a, b, reviewer="python", as_proto=False):
        """Withdraws a reviewer's decision; NotFoundError when there is none."""
        a, b = _key(a), _key(b)
        return _convert(ingest_pb2.IngestReport,
                        self._native.clear_review(a[0], a[1], b[0], b[1], reviewer), as_proto)

    def train_model(self, random_pairs=200_000, seed=0x5EED, as_proto=False):
        """Trains the match model (u from random pairs, m by EM), stores it
        with the next version and relinks every record with it."""
        return _convert(match_pb2.MatchModel,
                        self._native.train_model(int(random_pairs), int(seed)), as_proto)

    def model(self, as_proto=False):
        """The match model in force."""
        return _convert(match_pb2.MatchModel, self._native.model(), as_proto)

    # --- Credit indicators ------------------------------------------------

    def set_rules(self, rules):
        """Makes `rules` (a path to a .textproto rules file, or its text) the
        database's declarative rules: stored and registered. Returns the
        indicator names. Call evaluate_indicators() to recompute stored
        results."""
        if isinstance(rules, os.PathLike) or (isinstance(rules, str) and os.path.exists(rules)):
            with open(rules, encoding="utf-8") as f:
                text, origin = f.read(), os.fspath(rules)
        elif isinstance(rules, str) and _looks_like_path(rules):
                raise NotFoundError(f"rules file '{rules}' does not exist")
        else:
            text, origin = str(rules), "<rules>"
        return self._native.set_rules_text(text, origin)

    def load_rules(self, path):
        """Reads a rules file (.textproto, docs/indicators.md), makes it the
        database's rules and re-evaluates every entity. Returns the indicator
        names."""
        path = os.fspath(path)
        if not os.path.exists(path):
                raise NotFoundError(f"rules file '{path}' does not exist")
        names = self.set_rules(path)
        self.evaluate_indicators()
        return names

    def rules(self, as_proto=False):
        """The declarative rules in force (RuleSet)."""
        return _convert(rules_pb2.RuleSet, self._native.rules(), as_proto)

    def indicator_names(self):
        """Every registered indicator, in evaluation order."""
        return self._native.indicator_names()

    def indicators(self, entity_id, as_of=None, as_proto=False):
        """The stored indicator results of an entity; with as_of (a
        datetime.date or "YYYY-MM-DD"), computed for that date instead,
        without storing."""
        date = b""
        if isinstance(as_of, str):
            try:
                as_of = datetime.date.fromisoformat(as_of)
            except ValueError:
                raise InvalidArgumentError(
                    f"as_of is a datetime.date or a YYYY-MM-DD string, not {as_of!r}") from None
        if as_of is not None:
            date = common_pb2.Date(year=as_of.year, month=as_of.month,
                                   day=as_of.day).SerializeToString()
        return [_convert(indicator_pb2.IndicatorResult, b, as_proto)
                for b in self._native.indicators(_count(entity_id, "entity_id"), date)]

    def evaluate_indicators(self, batch_size=1000):
        """Re-evaluates every entity (after a rule change); returns the count."""
        return self._native.evaluate_indicators(int(batch_size))

    def set_fact_status(self, record, fact_index, status, reason, actor="python",
                        as_proto=False):
        """Sets a fact's status: "disputed", "active", "resolved" or
        "repaired", with the reason; the entity's indicators follow."""
        code = record_pb2.Fact.Status.Value(str(status).upper()) \
            if str(status).upper() in record_pb2.Fact.Status.keys() else 0
        if not code:
            raise InvalidArgumentError(
                f"status is disputed, active, resolved or repaired, not '{status}'")
        source, record_id = _key(record)
        return _convert(ingest_pb2.IngestReport,
                        self._native.set_fact_status(source, record_id, _count(fact_index, "fact_index"),
                                                     code, reason, actor), as_proto)

    def load_plugin(self, path):
        """Loads a C++ indicator plugin (.so); returns its name, version and
        indicators."""
        return self._native.load_plugin(os.fspath(path))

    def indicator(self, name=None, version=1, description=None, inputs=()):
        """Decorator registering a Python function as a credit indicator,
        f(entity, as_of) or f(entity, as_of, inputs):

            @engine.indicator(version=1)
            def penalties_last_year(entity, as_of, inputs):
                facts = [f for f in entity["facts"] if f["counts"]
                         and f["kind"] == "administrative_penalty"
                         and f["occurred_at"] and (as_of - f["occurred_at"]).days <= 365]
                return {"value": len(facts), "evidence": facts,
                        "explanation": f"{len(facts)} in the last year"}

        `entity` has entity_id, kind, profile (attribute -> value) and facts
        (dicts with source, record_id, fact_index, kind, occurred_at, amount,
        severity, status, publish_until, attributes and counts: whether the
        fact counts as of the date). Return a bool, number or str, a
        (value, evidence) tuple, or a dict with "value" or "grade", optional
        "evidence" and "explanation". An
        exception becomes an error result for that entity only. The function
        is called from the engine's threads (with the GIL held)."""
        def register(fn):
            call = fn
            try:
                parameters = inspect.signature(fn).parameters.values()
            except (TypeError, ValueError):  # a builtin without a signature
                parameters = None
            if parameters is not None:
                positional = [p for p in parameters
                              if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
                required = [p for p in positional if p.default is p.empty]
                varargs = any(p.kind == p.VAR_POSITIONAL for p in parameters)
                if len(positional) == 2 and not varargs:  # f(entity, as_of)
                    def call(entity, as_of, inputs, _fn=fn):
                        return _fn(entity, as_of)
                elif len(required) > 3 or (len(positional) < 2 and not varargs):
                    raise InvalidArgumentError(
                        f"indicator {name or fn.__name__!r}: the function takes "
                        "(entity, as_of) or (entity, as_of, inputs), not "
                        f"{len(positional)} positional argument(s)")
            self._native.register_python_indicator(
                name or fn.__name__, int(version),
                description if description is not None else (fn.__doc__ or "").strip(),
                [inputs] if isinstance(inputs, str) else list(inputs), call)
            return fn
        if callable(name):  # @engine.indicator without arguments
            fn, name = name, None
            return register(fn)
        return register

    def backup(self, backup_dir):
        """Adds a backup of the database to `backup_dir`."""
        self._native.backup(os.fspath(backup_dir))

    def checkpoint(self, checkpoint_dir):
        """Writes an openable copy of the database to `checkpoint_dir` (must not exist)."""
        self._native.checkpoint(os.fspath(checkpoint_dir))


def restore_backup(backup_dir, db_path):
    """Restores the latest backup in `backup_dir` into `db_path`."""
    _credit.restore_backup(os.fspath(backup_dir), os.fspath(db_path))


_SCHEMES = {name: value for name, value in record_pb2.Feature.IdScheme.items()}


def _key(key):
    """(source, record_id) from a tuple or a "source/record_id" string."""
    if isinstance(key, str):
        source, sep, record_id = key.partition("/")
        if not sep or not source or not record_id:
            raise InvalidArgumentError(f"'{key}' is not SOURCE/RECORD_ID")
        return source, record_id
    source, record_id = key
    return str(source), str(record_id)


def _guess_scheme(value, kind="person"):
    """The checksummed scheme a value validates under, else OTHER. The
    schemes of the kind searched for are tried first: about 1 in 31
    resident ids also passes the USCC check."""
    order = (("RESIDENT_ID", "USCC", "ORG_CODE") if kind == "person"
             else ("USCC", "ORG_CODE", "RESIDENT_ID"))
    for scheme in order:
        try:
            _credit.validate_id(_SCHEMES[scheme], value, False)
            return _SCHEMES[scheme]
        except Error:
            continue
    return _SCHEMES["OTHER"]


def validate_id(scheme, value, accept_unverified=False):
    """Validates an identifier: scheme is uscc, resident_id, org_code, reg_no,
    passport, tax_id or other. Returns a dict (normalized, checksum_verified,
    org_code, birth_date, sex, ...); raises InvalidArgumentError naming the
    failed rule ("USCC ...: check character is '7', expected '6'")."""
    code = _SCHEMES.get(str(scheme).upper())
    if not code:
        raise InvalidArgumentError(
            f"unknown id scheme '{scheme}' (expected one of: "
            + ", ".join(k.lower() for k in _SCHEMES if k != "ID_SCHEME_UNSPECIFIED") + ")")
    result = dict(_credit.validate_id(code, value, accept_unverified))
    birth = result.pop("birth_date")
    result["birth_date"] = (_convert(common_pb2.Date, birth, False) if birth else None)
    return result


_KINDS = {
    "name": (record_pb2.Feature.NAME, common_pb2.PERSON),
    "org_name": (record_pb2.Feature.NAME, common_pb2.ORG),
    "address": (record_pb2.Feature.ADDRESS, common_pb2.ENTITY_KIND_UNSPECIFIED),
    "phone": (record_pb2.Feature.PHONE, common_pb2.ENTITY_KIND_UNSPECIFIED),
    "date": (record_pb2.Feature.DOB, common_pb2.ENTITY_KIND_UNSPECIFIED),
    "email": (record_pb2.Feature.EMAIL, common_pb2.ENTITY_KIND_UNSPECIFIED),
}


def normalize(kind, value, as_proto=False):
    """Normalizes a value as ingest does: kind is name, org_name, address,
    phone, date or email. Returns the NormalizedFeature (value, tokens,
    pinyin, valid, error, ...)."""
    if kind not in _KINDS:
        raise InvalidArgumentError(
            f"unknown kind '{kind}' (expected one of: {', '.join(_KINDS)})")
    feature_type, entity_kind = _KINDS[kind]
    feature = record_pb2.Feature(type=feature_type, value=value)
    return _convert(record_pb2.NormalizedFeature,
                    _credit.normalize_feature(feature.SerializeToString(), entity_kind), as_proto)
