"""Round trip of the Python API over the demo data (examples/data)."""
import os
import threading

import pandas
import pytest

import credit

ROOT = os.environ.get("CREDIT_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(ROOT, "examples", "data")
TAX_MAPPING = os.path.join(DATA, "tax.mapping.json")
TAX_CSV = os.path.join(DATA, "tax.csv")


def tax_frame():
    return pandas.read_csv(TAX_CSV, dtype=str, keep_default_na=False)


def comparable(record):
    """The parts of a record that do not depend on how it was read."""
    return (record["entity_kind"], record["features"], record["facts"])


@pytest.fixture
def engine(tmp_path):
    with credit.Engine.open(tmp_path / "db") as e:
        yield e


def test_dataframe_ingest_equals_csv_ingest(tmp_path):
    with credit.Engine.open(tmp_path / "csv") as from_csv, \
            credit.Engine.open(tmp_path / "df") as from_df:
        [report] = from_csv.ingest_file(TAX_MAPPING, [TAX_CSV])
        from_df.register_source(TAX_MAPPING)
        df_report = from_df.ingest("tax", tax_frame())
        assert report["accepted"] == df_report["accepted"] == 509
        ids = tax_frame()["纳税人识别号编号"] if "纳税人识别号编号" in tax_frame() else None
        csv_records = {r["record_id"]: comparable(r) for r in from_csv.records()}
        df_records = {r["record_id"]: comparable(r) for r in from_df.records()}
        assert csv_records == df_records
        assert ids is None or len(ids) == 509


def test_round_trip_of_every_method(engine, tmp_path):
    assert engine.register_source(TAX_MAPPING) == "tax"
    assert [s["id"] for s in engine.sources()] == ["tax"]
    report = engine.ingest("tax", tax_frame().head(50).to_dict(orient="records"))
    assert report["accepted"] == 50
    first = tax_frame().iloc[0]
    record_id = first[engine.sources()[0]["mapping"]["record_id"]]
    record = engine.record("tax", record_id)
    assert record["source"] == "tax" and record["record_id"] == record_id
    entity = engine.entity_of("tax", record_id)
    assert engine.entity(entity["id"])["id"] == entity["id"]
    assert engine.entity_of("tax", record_id, as_proto=True).id == int(entity["id"])
    summary = engine.resolve()
    assert summary["records"] == 50 and summary["entities"] <= 50
    frame = engine.export_dataframe()
    assert list(frame.columns) == ["source", "record_id", "entity_id"]
    assert len(frame) == 50
    assert sum(len(e["members"]) for e in engine.export()) == 50
    stats = engine.stats()
    assert int(stats["records"]) == 50
    engine.delete("tax", record_id)
    with pytest.raises(credit.NotFoundError):
        engine.record("tax", record_id)
    engine.backup(tmp_path / "backup")
    engine.checkpoint(tmp_path / "checkpoint")
    credit.restore_backup(tmp_path / "backup", tmp_path / "restored")
    with credit.Engine.open(tmp_path / "restored", create=False) as restored:
        assert int(restored.stats()["records"]) == 49


def test_bad_rows_are_quarantined_not_raised(engine):
    engine.register_source(TAX_MAPPING)
    row = tax_frame().iloc[0].to_dict()
    id_column = engine.sources()[0]["mapping"]["record_id"]
    row[id_column] = ""
    report = engine.ingest("tax", [row])
    assert report["accepted"] == 0 and report["quarantined"] == 1
    [q] = list(engine.quarantine())
    assert "missing record id" in q["reason"]


def test_errors_have_the_right_types_and_messages(engine, tmp_path):
    with pytest.raises(credit.NotFoundError) as e:
        engine.record("tax", "404")
    assert isinstance(e.value, LookupError)
    with pytest.raises(credit.InvalidArgumentError) as e:
        engine.register_source({"source": "x", "format": "CSV", "bogus": 1})
    assert isinstance(e.value, ValueError) and "bogus" in str(e.value)
    with pytest.raises(credit.InvalidArgumentError, match="expected '6'"):
        credit.validate_id("uscc", "914403001922038217")
    with pytest.raises(credit.NotFoundError):
        credit.Engine.open(tmp_path / "absent", create=False)
    with pytest.raises(credit.UnavailableError):
        credit.Engine.open(engine_path(engine, tmp_path))


def engine_path(engine, tmp_path):
    return tmp_path / "db"  # the fixture's database, still open: locked


def test_iterators_survive_the_engine(tmp_path):
    e = credit.Engine.open(tmp_path / "db")
    e.ingest_file(TAX_MAPPING, TAX_CSV)
    linked = int(e.stats()["entities"])
    entities = e.export()
    records = e.records()
    e.close()
    del e
    assert 0 < linked < 509  # duplicates within the tax file were linked
    assert sum(1 for _ in entities) == linked
    assert sum(1 for _ in records) == 509


def test_closed_engine_raises(tmp_path):
    with credit.Engine.open(tmp_path / "db") as e:
        pass
    assert e.closed
    with pytest.raises(credit.FailedPreconditionError, match="closed"):
        e.stats()


def test_preloaded_linking_cache_holds_the_stored_records(tmp_path):
    with credit.Engine.open(tmp_path / "db") as e:
        e.ingest_file(TAX_MAPPING, [TAX_CSV])
        assert int(e.stats().get("linking_cache_resident", 0)) == 0
    with credit.Engine.open(tmp_path / "db", preload_linking_cache=True) as e:
        stats = e.stats()
        assert int(stats["linking_cache_resident"]) == 509
        assert int(stats["linking_cache_records"]) == 509
    with credit.Engine.open(tmp_path / "db", preload_linking_cache=True,
                            linking_cache_records=100) as e:
        assert int(e.stats()["linking_cache_resident"]) == 100


def test_two_threads_ingesting_equal_sequential(tmp_path):
    frame = tax_frame()
    halves = [frame.iloc[: len(frame) // 2], frame.iloc[len(frame) // 2:]]
    with credit.Engine.open(tmp_path / "threads") as e:
        e.register_source(TAX_MAPPING)
        errors = []

        def work(part):
            try:
                for start in range(0, len(part), 50):
                    e.ingest("tax", part.iloc[start:start + 50])
            except Exception as x:  # noqa: BLE001 - reported below
                errors.append(x)

        threads = [threading.Thread(target=work, args=(h,)) for h in halves]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        threaded = {r["record_id"]: comparable(r) for r in e.records()}
    with credit.Engine.open(tmp_path / "sequential") as e:
        e.register_source(TAX_MAPPING)
        e.ingest("tax", frame)
        sequential = {r["record_id"]: comparable(r) for r in e.records()}
    assert threaded == sequential


def test_validate_and_normalize():
    v = credit.validate_id("resident_id", "110105491231002")
    assert v["normalized"] == "11010519491231002X" and v["upgraded"]
    assert str(v["birth_date"]) == "1949-12-31" and v["sex"] == "F"
    org = credit.normalize("org_name", "腾讯计算机系统（深圳）有限公司")
    assert org["value"] == "腾讯计算机系统" and org["region"] == "深圳市"
    with pytest.raises(credit.InvalidArgumentError):
        credit.normalize("colour", "red")


def test_missing_values_and_sparse_rows(engine):
    engine.register_source(TAX_MAPPING)
    # pandas' nullable strings: a blank cell is pandas.NA, not "<NA>".
    frame = pandas.read_csv(TAX_CSV, dtype="string").head(20)
    assert frame.isna().any().any()
    report = engine.ingest("tax", frame)
    assert report["accepted"] == 20 and report["quarantined"] == 0
    for record in engine.records():
        for feature in record["features"]:
            assert "<NA>" not in feature["value"] and "NaT" not in feature["value"]
    # A row may leave out columns, the first one included.
    full = tax_frame().head(2).to_dict(orient="records")
    sparse = {k: v for k, v in full[1].items() if k in ("记录编号", "纳税人名称")}
    sparse["记录编号"] = "sparse-1"
    report = engine.ingest("tax", [sparse, full[0]])
    assert report["accepted"] == 2 and report["quarantined"] == 0
    with pytest.raises(credit.InvalidArgumentError, match="row 1 is a str"):
        engine.ingest("tax", ["not a row"])


def test_whole_floats_lose_their_decimal_point(engine):
    # pandas reads an integer column with a blank as float64.
    engine.register_source(os.path.join(DATA, "social.mapping.json"))
    frame = pandas.read_csv(os.path.join(DATA, "social.csv"), dtype=str,
                            keep_default_na=False).head(30)
    frame = frame[frame["电话"].str.fullmatch(r"1[3-9]\d{9}")].copy()
    frame.loc[frame.index[0], "电话"] = ""
    frame["电话"] = pandas.to_numeric(frame["电话"])
    assert frame["电话"].dtype == "float64" and len(frame) > 10
    engine.ingest("social", frame)
    phones = [f for r in engine.records() for f in r["features"] if f["type"] == "PHONE"]
    assert phones and all(not p["value"].endswith(".0") for p in phones)
    assert all(p["normalized"]["valid"] for p in phones)


def test_text_that_is_not_unicode_quarantines_its_row(engine):
    engine.register_source(TAX_MAPPING)
    rows = tax_frame().head(3).to_dict(orient="records")
    name_column = list(rows[0])[2]
    rows[1][name_column] = b"\xff\xfe bad".decode("utf-8", "surrogateescape")
    rows[2][name_column] = "lone \ud800 surrogate"
    report = engine.ingest("tax", rows)
    assert report["accepted"] == 1 and report["quarantined"] == 2
    assert all("not valid UTF-8" in q["reason"] for q in report["quarantine"])


def test_paths_that_are_not_there_or_not_mappings(engine, tmp_path):
    with pytest.raises(credit.NotFoundError, match="rules file"):
        engine.load_rules(tmp_path / "missing.textproto")
    with pytest.raises(credit.NotFoundError, match="rules file"):
        engine.set_rules("examples/rules/credit_rules.textproto.missing")
    with pytest.raises(credit.InvalidArgumentError, match="not UTF-8 text"):
        gbk = tmp_path / "data.csv"
        gbk.write_bytes("名称\n测试".encode("gbk"))
        engine.register_source(gbk)


def test_ids_and_limits_are_whole_numbers(engine):
    for bad in (1.7, -1, "x", "-1"):
        with pytest.raises(credit.InvalidArgumentError):
            engine.entity(bad)
    with pytest.raises(credit.InvalidArgumentError):
        engine.possible_matches(limit=-5)
