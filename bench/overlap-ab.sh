#!/usr/bin/env bash
# A/B: jirasync tap with max_parallel_streams 1 vs 4 against one cached simulator child (2k issues, 30 ms + 0.5 ms/KiB).
# Run from anywhere after `dotnet build -c Release` of src/JiraSync.Cli and bench/JiraSync.Bench; works in a temp folder.
set -u
W="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$(mktemp -d)"
BENCH=$W/bench/JiraSync.Bench/bin/Release/net10.0/JiraSync.Bench.dll
CLI=$W/src/JiraSync.Cli/bin/Release/net10.0/JiraSync.Cli.dll
rm -f in; mkfifo in
dotnet $BENCH serve --issues 2000 --latency 30 --per-kib 0.5 --cache --same-instant 0 < in > sim.out &
SIM=$!
exec 3>in
for i in $(seq 1 120); do [ -s sim.out ] && break; sleep 1; done
head -1 sim.out > info.json
python3 - <<'PY'
import json
i=json.load(open('info.json'))
for p in (1,4):
    json.dump({"base_url":i["baseUrl"],"username":i["username"],"password":i["password"],"ca_cert":i["caCert"],
               "start_date":"2020-01-01T00:00:00Z","user_agent":"jirasync-bench","max_concurrency":8,"max_parallel_streams":p},
              open(f"c{p}.json","w"))
PY
run() { /usr/bin/time -f "%e %U %S" -o t.txt dotnet $CLI tap --config c$1.json 2>/dev/null | grep -c '"type":"RECORD"' > n.txt; echo "p=$1 wall/user/sys: $(cat t.txt) records: $(cat n.txt) load: $(cut -d' ' -f1 /proc/loadavg)"; }
run 4   # warms the simulator's cache
for r in 1 2 3; do run 1; run 4; done
exec 3>&-
wait $SIM
