"""Explanations, search, review, model training and credit indicators from
Python, including an indicator written in Python (@engine.indicator)."""
import datetime
import os
import threading
import time

import pytest

import credit

ROOT = os.environ.get("CREDIT_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(ROOT, "examples", "data")
RULES = os.path.join(ROOT, "examples", "rules", "credit_rules.textproto")


@pytest.fixture
def demo(tmp_path):
    with credit.Engine.open(tmp_path / "db") as e:
        for source in ("market", "tax", "court"):
            e.ingest_file(os.path.join(DATA, f"{source}.mapping.json"),
                          os.path.join(DATA, f"{source}.csv"))
        yield e


def first_market_row():
    with open(os.path.join(DATA, "market.csv"), encoding="utf-8") as f:
        f.readline()
        return f.readline().split(",")


def test_explain_search_and_review(demo):
    row = first_market_row()
    record_id, name, uscc = row[0], row[2], row[3]
    entity = demo.entity_of("market", record_id)
    explanation = demo.explain_entity(entity["id"])
    assert len(explanation["members"]) == len(entity["members"])
    for joined in explanation["joining_edges"]:
        edge = joined["edge"]
        assert sum(c["weight"] for c in edge["comparisons"]) == pytest.approx(edge["weight"])

    hits = demo.search(kind="org", ids=[uscc])["hits"]
    assert hits and hits[0]["entity_id"] == entity["id"]
    assert demo.search(kind="org", name=name)["hits"][0]["entity_id"] == entity["id"]
    with pytest.raises(credit.InvalidArgumentError):
        demo.search(kind="planet", name=name)
    # A resident id that also passes the USCC check (about 1 in 31 do).
    assert credit.validate_id("uscc", "500103197606307272")["checksum_verified"]
    person = demo.entity_of("court", "（2021）渝0103民初1039号")
    hits = demo.search(kind="person", ids=["500103197606307272"])["hits"]
    assert hits and hits[0]["entity_id"] == person["id"]
    assert not demo.search(kind="org", ids=["500103197606307272"])["hits"]

    other = "market/" + next(iter(open(os.path.join(DATA, "market.csv"), encoding="utf-8")
                                  .readlines()[2:3])).split(",")[0]
    pair = demo.explain_pair(("market", record_id), other)
    assert pair["verdict"] in ("KIND_UNSPECIFIED", "POSSIBLE_MATCH", "CANNOT_LINK")
    report = demo.review(("market", record_id), other, same=True, note="checked", reviewer="ana")
    assert demo.entity_of("market", record_id)["id"] == demo.entity_of(*other.split("/"))["id"]
    assert report["changes"]
    demo.clear_review(("market", record_id), other, reviewer="ana")
    assert demo.entity_of("market", record_id)["id"] != demo.entity_of(*other.split("/"))["id"]
    with pytest.raises(credit.NotFoundError):
        demo.clear_review(("market", record_id), other)
    with pytest.raises(credit.InvalidArgumentError, match="True or False"):
        demo.review(("market", record_id), other, same="no")
    with pytest.raises(credit.InvalidArgumentError):
        demo.explain_pair("no-slash", other)
    assert isinstance(demo.possible_matches(5), list)


def test_train_model(demo):
    assert demo.model()["version"] == 1
    model = demo.train_model(random_pairs=20000)
    assert model["version"] == 2
    assert demo.model()["version"] == 2


def test_rules_indicators_and_disputes(demo):
    names = demo.set_rules(RULES)
    assert "credit_grade" in names
    assert demo.evaluate_indicators(batch_size=100) == int(demo.stats()["entities"])
    assert "credit_grade" in [r["name"] for r in demo.rules()["scorecard"]]

    # An entity with an active court judgment.
    with open(os.path.join(DATA, "court.csv"), encoding="utf-8") as f:
        f.readline()
        court_id = f.readline().split(",")[0]
    entity = demo.entity_of("court", court_id)
    stored = {r["name"]: r for r in demo.indicators(entity["id"])}
    assert stored["credit_grade"]["value"]["grade"] in "ABCD"
    cited = [e for r in stored.values() for e in r["evidence"]
             if e["record"]["record_id"] == court_id]
    assert cited, stored

    # Disputed: the fact is cited nowhere any more.
    demo.set_fact_status(("court", court_id), 0, "disputed", "subject objects", actor="ana")
    stored = {r["name"]: r for r in demo.indicators(entity["id"])}
    assert not [e for r in stored.values() for e in r["evidence"]
                if e["record"]["record_id"] == court_id]
    with pytest.raises(credit.InvalidArgumentError):
        demo.set_fact_status(("court", court_id), 0, "forgotten", "x")

    # As of a day long ago nothing had happened yet.
    past = {r["name"]: r for r in demo.indicators(entity["id"], as_of=datetime.date(1990, 1, 1))}
    assert past["unpaid_court_judgments"]["value"]["number"] == 0
    assert past["unpaid_court_judgments"]["as_of"] == datetime.date(1990, 1, 1)


def test_python_indicator(demo):
    calls = []

    @demo.indicator(version=3)
    def fact_count(entity, as_of, inputs):
        """Facts that count as of the date."""
        calls.append(threading.get_ident())
        counted = [f for f in entity["facts"] if f["counts"]]
        return {"value": len(counted), "evidence": counted[:2],
                "explanation": f"{len(counted)} facts as of {as_of}"}

    @demo.indicator()
    def always_fails(entity, as_of, inputs):
        raise RuntimeError("no data source")

    assert demo.indicator_names() == ["fact_count", "always_fails"]
    demo.evaluate_indicators()
    entity = demo.entity_of("court", first_court_id())
    results = {r["name"]: r for r in demo.indicators(entity["id"])}
    assert results["fact_count"]["version"] == 3
    assert results["fact_count"]["value"]["number"] >= 1
    assert len(results["fact_count"]["evidence"]) >= 1
    assert "no data source" in results["always_fails"]["error"]
    assert calls

    with pytest.raises(credit.AlreadyExistsError):
        demo.indicator(name="fact_count")(lambda e, a, i: 1)


def first_court_id():
    with open(os.path.join(DATA, "court.csv"), encoding="utf-8") as f:
        f.readline()
        return f.readline().split(",")[0]


def test_python_indicator_two_argument_form_and_raising_does_not_stop_ingest(tmp_path):
    with credit.Engine.open(tmp_path / "db") as e:
        names = e.load_rules(RULES)
        assert "credit_grade" in names

        @e.indicator("court_facts", version=2)
        def court_facts(entity, as_of):
            facts = [f for f in entity["facts"] if f["counts"] and f["source"] == "court"]
            return len(facts), [(f["source"], f["record_id"], f["fact_index"]) for f in facts]

        @e.indicator
        def raises(entity, as_of, inputs):
            raise ValueError("broken rule")

        reports = e.ingest_file(os.path.join(DATA, "court.mapping.json"),
                                os.path.join(DATA, "court.csv"))
        assert reports[0]["accepted"] > 0 and reports[0]["quarantined"] == 0
        entity = e.entity_of("court", first_court_id())
        results = {r["name"]: r for r in e.indicators(entity["id"])}
        assert results["court_facts"]["version"] == 2
        assert results["court_facts"]["value"]["number"] >= 1
        assert results["court_facts"]["evidence"][0]["record"]["source"] == "court"
        assert "broken rule" in results["raises"]["error"]
        assert results["credit_grade"]["error"] == ""


def _market_and_tax():
    """(mapping, csv) paths of two demo sources."""
    return [(os.path.join(DATA, f"{s}.mapping.json"), os.path.join(DATA, f"{s}.csv"))
            for s in ("market", "tax")]


def _partition(engine):
    """The entities as sorted lists of (source, record_id), sorted."""
    return sorted(sorted((m["source"], m["record_id"]) for m in e["members"])
                  for e in engine.export())


def test_bulk_load_gives_the_entities_of_incremental_ingest_and_relink(tmp_path):
    files = _market_and_tax()
    with credit.Engine.open(tmp_path / "a") as a, credit.Engine.open(tmp_path / "b") as b:
        for mapping, csv_file in files:
            a.ingest_file(mapping, csv_file)
        a.resolve()
        for mapping, csv_file in files:
            b.ingest_file(mapping, csv_file, bulk=True)
        assert _partition(a) == _partition(b)
        # Relinking with the snapshot in force changes nothing.
        b.resolve(refresh_term_frequencies=False)
        assert _partition(a) == _partition(b)


def test_sources_stored_without_linking_link_in_one_resolve(tmp_path):
    files = _market_and_tax()
    with credit.Engine.open(tmp_path / "a") as a, credit.Engine.open(tmp_path / "b") as b:
        for mapping, csv_file in files:
            a.ingest_file(mapping, csv_file, bulk=True)
        for mapping, csv_file in files:
            b.ingest_file(mapping, csv_file, link=False)
        # Stored only: every record is still its own entity.
        assert all(len(e["members"]) == 1 for e in b.export())
        b.resolve()
        assert _partition(a) == _partition(b)
        with pytest.raises(credit.InvalidArgumentError, match="give one of them"):
            b.ingest_file(files[0][0], files[0][1], bulk=True, link=False)


def test_sources_stored_without_entities_get_them_in_one_resolve(tmp_path):
    files = _market_and_tax()
    with credit.Engine.open(tmp_path / "a") as a, credit.Engine.open(tmp_path / "b") as b:
        for mapping, csv_file in files:
            a.ingest_file(mapping, csv_file, link=False)
        a.resolve()
        for mapping, csv_file in files:
            b.ingest_file(mapping, csv_file, link=False, defer_entities=True)
        # Stored without entities until the relink, which says what to run.
        assert list(b.export()) == []
        source, record_id = _partition(a)[0][0]
        with pytest.raises(credit.FailedPreconditionError, match="credit resolve"):
            b.entity_of(source, record_id)
        b.resolve()
        assert _partition(a) == _partition(b)
        assert b.entity_of(source, record_id)["members"]
        with pytest.raises(credit.InvalidArgumentError, match="link=False"):
            b.ingest_file(files[0][0], files[0][1], defer_entities=True)


def test_python_indicator_calling_its_engine_gets_an_error_result(tmp_path):
    # An indicator runs inside the engine's ingest: calling back into it
    # would deadlock (stats, ingest) or close it under the ingest (close).
    with credit.Engine.open(tmp_path / "db") as e:
        for method in ("stats", "rules", "close"):
            e.indicator(name=f"calls_{method}")(
                lambda entity, as_of, inputs, m=method: getattr(e, m)() or 0)
        e.ingest_file(os.path.join(DATA, "court.mapping.json"),
                      os.path.join(DATA, "court.csv"))
        entity = e.entity_of("court", first_court_id())
        results = {r["name"]: r for r in e.indicators(entity["id"])}
        for method in ("stats", "rules", "close"):
            assert "cannot call the engine that evaluates it" in results[f"calls_{method}"]["error"]
        assert e.stats()["sources"]  # still open


def test_close_waits_for_a_call_on_another_thread(tmp_path):
    with open(os.path.join(DATA, "tax.csv"), encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split(",")
        rows = [dict(zip(header, line.rstrip("\n").split(","))) for line in f]
    many = [dict(row, **{header[0]: f"{row[header[0]]}_{i}"}) for i in range(4) for row in rows]
    e = credit.Engine.open(tmp_path / "db")
    e.register_source(os.path.join(DATA, "tax.mapping.json"))
    inside = threading.Event()

    @e.indicator()
    def slow_once(entity, as_of, inputs):
        # Runs inside the ingest: close() is called while the ingest runs.
        if not inside.is_set():
            inside.set()
            time.sleep(0.3)
        return 0

    reports = []
    thread = threading.Thread(target=lambda: reports.append(e.ingest("tax", many)))
    thread.start()
    assert inside.wait(60)
    e.close()  # waits for the ingest, then closes the store
    thread.join()
    assert reports[0]["accepted"] == len(many)
    with pytest.raises(credit.FailedPreconditionError):
        e.stats()
    with credit.Engine.open(tmp_path / "db") as again:  # the lock is free
        assert again.stats()["records"] == len(many)


def test_python_indicator_returns_numpy_scalars_and_checks_its_signature(tmp_path):
    numpy = pytest.importorskip("numpy")
    with credit.Engine.open(tmp_path / "db") as e:
        e.indicator(name="np_int")(lambda entity, as_of: numpy.int64(len(entity["facts"])))
        e.indicator(name="np_bool")(lambda entity, as_of: numpy.bool_(len(entity["facts"]) > 0))
        e.indicator(name="np_float", inputs="np_int")(
            lambda entity, as_of, inputs: numpy.float64(inputs["np_int"]) / 2)
        with pytest.raises(credit.InvalidArgumentError, match="takes"):
            e.indicator(name="one_argument")(lambda entity: 0)
        e.ingest_file(os.path.join(DATA, "court.mapping.json"),
                      os.path.join(DATA, "court.csv"))
        entity = e.entity_of("court", first_court_id())
        results = {r["name"]: r for r in e.indicators(entity["id"])}
        assert results["np_int"]["value"]["number"] >= 1 and not results["np_int"]["error"]
        assert results["np_bool"]["value"]["flag"] is True
        assert results["np_float"]["value"]["number"] == results["np_int"]["value"]["number"] / 2
        past = {r["name"]: r for r in e.indicators(entity["id"], as_of="1990-01-01")}
        assert past["np_int"]["as_of"] == datetime.date(1990, 1, 1)
        with pytest.raises(credit.InvalidArgumentError, match="YYYY-MM-DD"):
            e.indicators(entity["id"], as_of="yesterday")


def test_keyboard_interrupt_in_an_indicator_reaches_the_caller(tmp_path):
    with credit.Engine.open(tmp_path / "db") as e:
        calls = []

        @e.indicator()
        def interrupted(entity, as_of):
            calls.append(1)
            raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            e.ingest_file(os.path.join(DATA, "court.mapping.json"),
                          os.path.join(DATA, "court.csv"))
        # Once interrupted, the call's other evaluations stopped at once.
        assert len(calls) == 1
        e.stats()  # the engine is usable afterwards


def test_an_indicator_referring_to_its_engine_does_not_keep_the_store_open(tmp_path):
    import gc

    def open_and_forget():
        e = credit.Engine.open(tmp_path / "db")
        e.register_source(os.path.join(DATA, "court.mapping.json"))
        e.indicator(name="refers_to_engine")(lambda entity, as_of, e=e: 0)
        # No close(): the last reference goes with this frame.

    open_and_forget()
    gc.collect()
    with credit.Engine.open(tmp_path / "db") as again:  # the lock is free
        assert again.sources()
