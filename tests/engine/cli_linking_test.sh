#!/usr/bin/env bash
# End-to-end check of the linking commands of the `credit` tool on the demo
# data: incremental ingest links, explain (entity and pair), search, the
# review queue and a reviewer's decision, `ingest --bulk` and `--no-link`.
#   cli_linking_test.sh CREDIT_BINARY EXAMPLES_DATA_DIR WORK_DIR
set -euo pipefail
credit=$1 data=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
db=$work/db
fail() { echo "FAIL: $*" >&2; exit 1; }

for source in market tax court; do
  "$credit" ingest --db "$db" --quiet --warnings 0 \
    --mapping "$data/$source.mapping.json" "$data/$source.csv" >/dev/null
done

# Incremental ingest linked the market and tax rows of one company.
uscc=$(sed -n 2p "$data/market.csv" | cut -d, -f4)
name=$(sed -n 2p "$data/market.csv" | cut -d, -f3)
market_id=$(sed -n 2p "$data/market.csv" | cut -d, -f1)
entity=$("$credit" show --db "$db" --record "market/$market_id" |
  sed -n 's/.*"entityId": "\([0-9]*\)".*/\1/p')
[ -n "$entity" ] || fail "no entity for market/$market_id"

out=$("$credit" explain --db "$db" --entity "$entity")
grep -q "^entity $entity: " <<<"$out" || fail "explain entity header: $out"

# Search by the company's code finds that entity first.
out=$("$credit" search --db "$db" --id "$uscc")
echo "$out" | sed -n 2p | grep -q "^entity $entity " || fail "search by id: $out"
out=$("$credit" search --db "$db" --name "$name" --json)
grep -q "\"entityId\": \"$entity\"" <<<"$out" || fail "search by name: $out"

# A resident id that also passes the USCC check (about 1 in 31 do) is found
# as a person's without --kind, and with resident_id= or --kind person; as
# an organisation's it finds nothing.
person=$("$credit" show --db "$db" --record "court/（2021）渝0103民初1039号" |
  sed -n 's/.*"entityId": "\([0-9]*\)".*/\1/p')
"$credit" validate-id --scheme uscc 500103197606307272 | grep -q '"valid":true' ||
  fail "the test id no longer passes the USCC check"
for how in "--id 500103197606307272" "--id resident_id=500103197606307272" \
    "--id 500103197606307272 --kind person"; do
  out=$("$credit" search --db "$db" $how)
  echo "$out" | sed -n 2p | grep -q "^entity $person " || fail "search $how: $out"
done
out=$("$credit" search --db "$db" --id 500103197606307272 --kind org)
grep -q "^0 entities" <<<"$out" || fail "search as an org's id: $out"

# Explain a pair in JSON: comparisons, thresholds and a verdict.
other=$(sed -n 3p "$data/market.csv" | cut -d, -f1)
out=$("$credit" explain --db "$db" --pair "market/$market_id" "market/$other" --json)
grep -q '"reviewThreshold"' <<<"$out" || fail "explain pair json: $out"
grep -q '"feature": "prior"' <<<"$out" || fail "explain pair prior: $out"

# A reviewer forces two unrelated records together, then withdraws it.
out=$("$credit" review --db "$db" --same "market/$market_id" "market/$other" \
  --reviewer tester --note "test decision")
grep -q "same subject by tester" <<<"$out" || fail "review same: $out"
e1=$("$credit" show --db "$db" --record "market/$market_id" | sed -n 's/.*"entityId": "\([0-9]*\)".*/\1/p')
e2=$("$credit" show --db "$db" --record "market/$other" | sed -n 's/.*"entityId": "\([0-9]*\)".*/\1/p')
[ "$e1" = "$e2" ] || fail "reviewer same did not merge ($e1 vs $e2)"
"$credit" review --db "$db" --withdraw "market/$market_id" "market/$other" >/dev/null
e2=$("$credit" show --db "$db" --record "market/$other" | sed -n 's/.*"entityId": "\([0-9]*\)".*/\1/p')
[ "$e1" != "$e2" ] || fail "withdrawn decision still merges"
"$credit" review --db "$db" --list --limit 5 >/dev/null

# Bad input gets a clear error and a usage exit code.
set +e
"$credit" explain --db "$db" --pair "market/$market_id" 2>"$work/err"; code=$?
set -e
[ $code -ne 0 ] && grep -q "two records" "$work/err" || fail "explain with one record: exit $code"

# Credit indicators: rules saved and evaluated, shown with the entity, and a
# disputed fact stops counting.
rules=$(dirname "$data")/rules/credit_rules.textproto
"$credit" indicators --db "$db" --rules "$rules" --save-rules --limit 0 2>/dev/null
out=$("$credit" show --db "$db" --entity "$entity")
grep -q '"indicators": \[' <<<"$out" || fail "show without indicators"
out=$("$credit" indicators --db "$db" --format csv)
[[ "${out%%$'\n'*}" == entity_id,indicator,version,value,as_of* ]] ||
  fail "indicators csv header"
court_id=$(sed -n 2p "$data/court.csv" | cut -d, -f1)
court_entity=$("$credit" show --db "$db" --record "court/$court_id" |
  sed -n 's/.*"entityId": "\([0-9]*\)".*/\1/p')
"$credit" fact-status --db "$db" --record "court/$court_id" --fact 0 \
  --status disputed --reason "subject objects" --actor tester >/dev/null
out=$("$credit" indicators --db "$db" --entity "$court_entity" --format json)
if grep -q "court/$court_id\"}, *\"factIndex\"" <<<"$out"; then
  fail "disputed fact still cited as evidence: $out"
fi
set +e
"$credit" indicators --db "$db" --rules /nonexistent.textproto 2>"$work/err"; code=$?
set -e
[ $code -ne 0 ] && grep -q "nonexistent" "$work/err" || fail "missing rules file"

# Bulk load gives one pass of linking at the end.
out=$("$credit" ingest --db "$work/bulk" --bulk --quiet --warnings 0 \
  --mapping "$data/market.mapping.json" "$data/market.csv")
grep -q "linked all 486 records into" <<<"$out" || fail "bulk ingest: $out"

# A first load of several sources: --no-link each, then one resolve. It
# gives the entities of the same sources loaded with linking and relinked.
entities() { "$credit" stats --db "$1" | sed -n 's/^entities: //p'; }
for source in market tax court; do
  out=$("$credit" ingest --db "$work/deferred" --no-link --quiet --warnings 0 \
    --mapping "$data/$source.mapping.json" "$data/$source.csv")
  grep -q "stored without linking" <<<"$out" || fail "ingest --no-link: $out"
done
records=$(wc -l < "$data/market.csv")
[ "$(entities "$work/deferred")" -ge "$records" ] ||
  fail "--no-link linked: $(entities "$work/deferred") entities"
"$credit" resolve --db "$work/deferred" >/dev/null
"$credit" resolve --db "$db" >/dev/null
[ "$(entities "$work/deferred")" = "$(entities "$db")" ] ||
  fail "--no-link + resolve: $(entities "$work/deferred") entities, linked + resolve: $(entities "$db")"
set +e
"$credit" ingest --db "$work/deferred" --no-link --bulk \
  --mapping "$data/market.mapping.json" "$data/market.csv" 2>"$work/err"; code=$?
set -e
[ $code -ne 0 ] && grep -q "give one of them" "$work/err" || fail "--no-link with --bulk"
# The same first load without single-record entities: none until the
# resolve, then the same entities.
for source in market tax court; do
  "$credit" ingest --db "$work/deferred2" --no-link --defer-entities --quiet     --warnings 0 --mapping "$data/$source.mapping.json" "$data/$source.csv" >/dev/null
done
[ "$(entities "$work/deferred2")" = 0 ] ||
  fail "--defer-entities: $(entities "$work/deferred2") entities before resolve"
# Until the resolve, the tools say why the records are in no entity.
"$credit" stats --db "$work/deferred2" | grep -q "^awaiting link" ||
  fail "stats does not say the store awaits a link"
"$credit" export --db "$work/deferred2" 2>&1 >/dev/null |
  grep -q "no entity until \`credit resolve" || fail "export gives no note"
"$credit" resolve --db "$work/deferred2" >/dev/null
! "$credit" export --db "$work/deferred2" 2>&1 >/dev/null | grep -q "note:" ||
  fail "the awaiting-link note outlives the resolve"
[ "$(entities "$work/deferred2")" = "$(entities "$work/deferred")" ] ||
  fail "--defer-entities + resolve: $(entities "$work/deferred2") entities, --no-link + resolve: $(entities "$work/deferred")"
set +e
"$credit" ingest --db "$work/deferred2" --defer-entities \
  --mapping "$data/market.mapping.json" "$data/market.csv" 2>"$work/err"; code=$?
set -e
[ $code -ne 0 ] && grep -q "goes with --no-link" "$work/err" || fail "--defer-entities without --no-link"
# Flags take digits only; a file whose every row is quarantined, and a
# missing later file, fail the command (the latter after saying what the
# files before it ingested).
expect_failure() {  # expect_failure MESSAGE COMMAND...: exit 1, MESSAGE on stderr or stdout
  local message=$1; shift
  set +e
  "$@" >"$work/out" 2>"$work/err"; local code=$?
  set -e
  [ $code -eq 1 ] && grep -q -- "$message" "$work/out" "$work/err" ||
    fail "expected exit 1 and '$message' from: $* (exit $code: $(cat "$work/out" "$work/err"))"
}
expect_failure "takes a number, not '-1'" "$credit" show --db "$db" --entity -1
expect_failure "day 30 does not exist" "$credit" search --db "$db" --dob 2023-02-30
expect_failure "no source 'nosuch'" "$credit" quarantine --db "$db" --source nosuch
expect_failure "not 0" "$credit" ingest --db "$work/flags" --batch-size 0 \
  --mapping "$data/market.mapping.json" "$data/market.csv"
head -1 "$data/market.csv" > "$work/bad.csv"
printf ',no record id,,\n,none either,,\n' >> "$work/bad.csv"
expect_failure "all 2 were quarantined" "$credit" ingest --db "$work/flags" \
  --quiet --mapping "$data/market.mapping.json" "$work/bad.csv"
expect_failure "1 of 2 files ingested before" "$credit" ingest --db "$work/flags" \
  --quiet --mapping "$data/market.mapping.json" "$data/market.csv" "$work/absent.csv"
out=$("$credit" quarantine --db "$work/flags" --limit 1)
grep -q "^1 of 2 quarantined rows shown" <<<"$out" || fail "quarantine --limit: $out"

# A company's name without its legal form does not look like one: search
# takes it as either kind and finds the company.
short=$(sed 's/有限责任公司$//; s/股份有限公司$//; s/有限公司$//' <<<"$name")
[ "$short" != "$name" ] || fail "the test name has no legal form: $name"
out=$("$credit" search --db "$db" --name "$short")
echo "$out" | sed -n 2p | grep -q "^entity $entity " || fail "search --name $short: $out"
echo "cli linking: ok"
