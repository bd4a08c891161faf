#!/usr/bin/env bash
# The demo behind `make demo`: ingest the multi-agency sample in
# examples/data/ into a fresh database and print a readable summary.
set -euo pipefail
build_dir=${1:-build/release}
root=$(cd "$(dirname "$0")/.." && pwd)
credit="$build_dir/bin/credit"
data="$root/examples/data"
db="$build_dir/demo-db"

rm -rf "$db"
echo "== libcredit demo: $(ls "$data"/*.mapping.json | wc -l) agency sources from examples/data"
for mapping in "$data"/*.mapping.json; do
  source_file="${mapping%.mapping.json}.csv"
  echo "-- ingest $(basename "$source_file")"
  "$credit" ingest --db "$db" --mapping "$mapping" --warnings 3 "$source_file"
done

echo
echo "== link records into entities"
"$credit" resolve --db "$db"

echo
echo "== stats"
"$credit" stats --db "$db" | sed -n '1,/^$/p'
"$credit" stats --db "$db" | grep -E '^(entities|audit events)'

echo
echo "== credit rules: examples/rules/credit_rules.textproto"
"$credit" indicators --db "$db" --rules "$root/examples/rules/credit_rules.textproto" \
  --save-rules --limit 0

echo
echo "== a few entities (largest first), with their credit indicators"
"$credit" export --db "$db" --format csv |
  tail -n +2 | cut -d, -f3 | sort | uniq -c | sort -k1,1nr -k2,2n | head -n 3 |
  while read -r members entity; do
    echo "-- entity $entity ($members records)"
    "$credit" show --db "$db" --entity "$entity" |
      "$root/examples/summarize_entity.sh"
    "$credit" indicators --db "$db" --entity "$entity" | tail -n +2
  done

echo
echo "== credit grades: how many entities got each"
"$credit" indicators --db "$db" --format csv | awk -F, '$2 == "credit_grade" {print $4}' |
  sort | uniq -c

echo
echo "== quarantine (first 3)"
"$credit" quarantine --db "$db" --limit 3
