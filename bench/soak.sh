#!/usr/bin/env bash
# vnf-agent soak test, not part of CI (as root, after `bash scripts/test.sh` built the agent):
#   bash bench/soak.sh
#   SOAK_MINUTES=240 SOAK_VNFS=2000 bash bench/soak.sh   # longer and bigger
# Runs the agent for SOAK_MINUTES (default 30) under everything production throws at it at once:
# SOAK_VNFS (default 500) VNF cgroups of which a few come and go every few seconds, forwarded
# UDP through a watched VNF's network namespace, a scrape every second, scaling hook calls,
# a SIGHUP reload every 30 s and a client that sends its request a byte at a time. Every
# SOAK_SAMPLE_SECONDS (default 60) it prints the agent's footprint as a table row; at the end it
# fails (exit 1, saying which) if the footprint grew, the agent died, scrapes failed or the
# agent's VNFs parted from the cgroups there are.
# A leak that costs a few bytes per scrape or per VNF is invisible in a benchmark's minute and
# an outage after a month in production: this is the run that sees it.
#
# Other knobs: SOAK_COLLECTOR (bpf), SOAK_RATE (iperf3 -b, 50M), SOAK_CHURN_PERCENT (5) of the
# VNFs replaced every SOAK_CHURN_SECONDS (5), SOAK_OUT (where the table, the raw samples and the
# agent's log are kept; default a new /tmp/vnf-soak.* directory), AGENT (another build's agent,
# or a copy of this one while others rebuild build/), SOAK_WARMUP_MINUTES (see below).
# The growth check's slack, also overridable (SOAK_RSS_SLACK_PCT, SOAK_RSS_SLACK_MIB,
# SOAK_FD_SLACK, SOAK_THREAD_SLACK, SOAK_SERIES_SLACK_PCT, SOAK_MAX_SCRAPE_FAILURES), is
# explained where it is defined.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
build=${BUILD_DIR:-build}
agent=${AGENT:-$build/agent/vnf-agent}
minutes=${SOAK_MINUTES:-30}
vnfs=${SOAK_VNFS:-500}
sample_s=${SOAK_SAMPLE_SECONDS:-60}
collector=${SOAK_COLLECTOR:-bpf}
rate=${SOAK_RATE:-50M}
churn_pct=${SOAK_CHURN_PERCENT:-5}
churn_s=${SOAK_CHURN_SECONDS:-5}
# Growth allowed between a quarter of the samples taken after the warm-up and the last
# quarter. The warm-up is the first quarter, or SOAK_WARMUP_MINUTES (default 11) if longer:
# allocator arenas, caches and the scaling journal settle in the first minutes, and under churn
# each per-VNF metric set keeps a departed VNF's series for 10 minutes (up to 4096 of them,
# VnfSeriesSet::kRetiredFor, so that one that comes back continues its counters), so the
# agent's memory rightly rises for the first 10 minutes of a soak with churn. With SOAK_MINUTES
# below twice the warm-up nothing is left to compare: the soak says so and checks only the rest
# (a short trial run: SOAK_WARMUP_MINUTES=0). RSS moves with the allocator's whims by a few
# percent either way, so 10 % or 2 MiB, whichever is larger; descriptors by what is open at the
# sample's instant (scrape, hook and slow-client connections; four per VNF, and VNFs in flight),
# so 16; threads are created at start and never after, so 0. Series follow the VNFs (the count
# moves by the churn in flight), so per VNF, 2 %; and the VNFs the agent exports must be the
# cgroups there are.
warmup_min=${SOAK_WARMUP_MINUTES:-11}
rss_slack_pct=${SOAK_RSS_SLACK_PCT:-10}
rss_slack_mib=${SOAK_RSS_SLACK_MIB:-2}
fd_slack=${SOAK_FD_SLACK:-16}
thread_slack=${SOAK_THREAD_SLACK:-0}
series_slack_pct=${SOAK_SERIES_SLACK_PCT:-2}
max_scrape_failures=${SOAK_MAX_SCRAPE_FAILURES:-3}
[[ $(id -u) -eq 0 ]] || { echo "soak: run as root (BPF, cgroups, namespaces)" >&2; exit 1; }
[[ -x $agent ]] || { echo "soak: build first (bash scripts/test.sh)" >&2; exit 1; }
for tool in curl iperf3 python3 ip; do
  command -v $tool >/dev/null || { echo "soak: needs $tool" >&2; exit 1; }
done
for n in "$minutes" "$vnfs" "$sample_s" "$churn_pct" "$churn_s"; do
  [[ $n =~ ^[0-9]+$ && $n -gt 0 ]] || { echo "soak: SOAK_MINUTES, SOAK_VNFS, SOAK_SAMPLE_SECONDS, SOAK_CHURN_*: positive integers" >&2; exit 2; }
done
[[ $warmup_min =~ ^[0-9]+$ ]] || { echo "soak: SOAK_WARMUP_MINUTES: a whole number of minutes" >&2; exit 2; }

tmp=$(mktemp -d /tmp/vnf-soak-tmp.XXXXXX)
out=${SOAK_OUT:-$(mktemp -d /tmp/vnf-soak.XXXXXX)}
mkdir -p "$out"
ns=vs$$  # network namespaces ${ns}a, ${ns}v, ${ns}b
agent_pid="" fwd_pid="" iperf_server="" loops=() roots=() made=() own="" parent=""

# A loop is a subshell running a command in the foreground (curl, iperf3, sleep): killing just
# the subshell would orphan that command. Freeze the processes first, then their children as
# they are found, so that none forks after the list is taken; then end them all.
stop_tree() {  # stop_tree PID...
  local all=" $* " more
  kill -STOP "$@" 2>/dev/null || true
  for _ in $(seq 10); do  # bounded: frozen processes cannot fork, so each round goes a level deeper
    more=$(ps -e -o pid=,ppid= | awk -v all="$all" 'index(all, " " $2 " ") && !index(all, " " $1 " ") {print $1}')
    [[ -n $more ]] || break
    # shellcheck disable=SC2086  # a list of PIDs
    kill -STOP $more 2>/dev/null || true
    all+="${more//$'\n'/ } "
  done
  # shellcheck disable=SC2086
  { kill -TERM $all; kill -CONT $all; } 2>/dev/null || true
}

cleanup() {
  set +e
  trap - INT TERM
  local pid r d
  (( ${#loops[@]} )) && stop_tree "${loops[@]}"
  for pid in "${loops[@]}"; do wait "$pid" 2>/dev/null; done
  [[ -n $agent_pid ]] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null
  for pid in $fwd_pid $iperf_server; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  # The VNF tasks belonged to the churn loop, now gone: find them by their cgroups, and wait
  # for them to exit, as a cgroup with tasks cannot be removed.
  if [[ -n $parent ]]; then
    for r in "${roots[@]}"; do
      for d in "$r$parent"/*/; do
        [[ -f $d/cgroup.procs ]] || continue
        while read -r pid; do kill "$pid" 2>/dev/null; done <"$d/cgroup.procs"
      done
    done
    for r in "${roots[@]}"; do
      for d in "$r$parent"/*/; do
        [[ -d $d ]] || continue
        for _ in $(seq 50); do [[ -n $(cat "$d/cgroup.procs" 2>/dev/null) ]] || break; sleep 0.1; done
        for _ in $(seq 20); do rmdir "$d" 2>/dev/null && break; sleep 0.1; done
      done
      rmdir "$r$parent" 2>/dev/null || echo "soak: could not remove $r$parent" >&2
    done
    remove_made
  fi
  for n in a v b; do ip netns del "$ns$n" 2>/dev/null; done
  [[ -f $tmp/agent.log ]] && cp "$tmp/agent.log" "$out/agent.log"
  rm -rf "$tmp"
  echo "soak: results in $out"
}
trap cleanup EXIT
trap 'echo "soak: interrupted" >&2; exit 130' INT TERM

# VNF cgroups laid out as bench/run.sh lays them out (bench/lib.sh): $own/vnfsoak/NAME.
cgroups_setup() {
  local r
  cgroup_roots
  for r in "${roots[@]}"; do  # not ours to clean up: another soak's, or a killed one's
    [[ ! -e $r$own/vnfsoak ]] || { echo "soak: $r$own/vnfsoak exists: another soak running? (if not, remove its cgroups)" >&2; exit 1; }
  done
  parent=$own/vnfsoak
  vnf_parent vnfsoak
}
vnf_cgroup() {  # vnf_cgroup NAME PID
  local r
  for r in "${roots[@]}"; do mkdir "$r$parent/$1" && echo "$2" >"$r$parent/$1/cgroup.procs" || return 1; done
}
vnf_cgroup_remove() {  # vnf_cgroup_remove NAME (its task gone)
  local r
  for r in "${roots[@]}"; do
    for _ in $(seq 20); do rmdir "$r$parent/$1" 2>/dev/null && continue 2; sleep 0.05; done
    echo "soak: could not remove $r$parent/$1 (tasks: $(tr '\n' ' ' <"$r$parent/$1/cgroup.procs"))" >&2
  done
}

# Keeps about $vnfs VNFs alive, replacing the oldest $churn_pct % every $churn_s seconds under
# names never used before (s1, s2, ...), so that the agent sees new cgroup ids all the time
# and never an old one back. Writes "created removed" to churn.count after each round.
churn() {
  set +e  # a failed kill, curl or iperf3 run is counted, not the end of the loop
  local deadline=$1 next=1 queue=() pid name i n
  declare -A task
  add() {
    sleep 36000 &
    task[s$next]=$!
    vnf_cgroup "s$next" $! || echo "soak: could not create VNF cgroup s$next" >&2
    queue+=("s$next"); next=$((next + 1))
  }
  for _ in $(seq "$vnfs"); do add; done
  echo "$((next - 1)) 0" >"$tmp/churn.count"
  local removed=0
  n=$(( (vnfs * churn_pct + 99) / 100 ))
  while (( EPOCHSECONDS < deadline )); do
    sleep "$churn_s"
    for ((i = 0; i < n; i++)); do
      name=${queue[0]}; queue=("${queue[@]:1}")
      pid=${task[$name]}; unset "task[$name]"
      kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
      vnf_cgroup_remove "$name"
      removed=$((removed + 1))
      add
    done
    echo "$((next - 1)) $removed" >"$tmp/churn.count"
  done
  wait  # the soak ends by killing this loop; until then, its VNFs stay
}

# The watched forwarding VNF: host A -> VNF -> host B over veth, as bench/run.sh's `packets`,
# with 198.18.0.0/15 (benchmarking) addresses only, all inside namespaces this soak creates.
topology() {
  for n in a v b; do ip netns add "$ns$n"; ip -n "$ns$n" link set lo up; done
  ip link add a0 netns "${ns}a" type veth peer name v0 netns "${ns}v"
  ip link add v1 netns "${ns}v" type veth peer name b0 netns "${ns}b"
  ip -n "${ns}a" addr add 198.18.1.1/24 dev a0; ip -n "${ns}v" addr add 198.18.1.2/24 dev v0
  ip -n "${ns}v" addr add 198.18.2.1/24 dev v1; ip -n "${ns}b" addr add 198.18.2.2/24 dev b0
  for d in a:a0 v:v0 v:v1 b:b0; do ip -n "$ns${d%%:*}" link set "${d##*:}" up; done
  ip -n "${ns}a" route add default via 198.18.1.2; ip -n "${ns}b" route add default via 198.18.2.1
  ip netns exec "${ns}v" sysctl -qw net.ipv4.ip_forward=1
  ip netns exec "${ns}v" sleep 36000 &  # the VNF's task (ip netns exec execs it: same pid)
  fwd_pid=$!
  vnf_cgroup s0 "$fwd_pid"
  ip netns exec "${ns}b" iperf3 -s -p 5301 >/dev/null 2>&1 &
  iperf_server=$!
}
traffic() {  # iperf3 runs back to back; "runs failed" in traffic.count
  set +e  # a failed kill, curl or iperf3 run is counted, not the end of the loop
  local deadline=$1 runs=0 failed=0 left
  while (( (left = deadline - EPOCHSECONDS) > 1 )); do
    (( left > 60 )) && left=60
    if ip netns exec "${ns}a" iperf3 -c 198.18.2.2 -p 5301 -u -b "$rate" -t "$left" >/dev/null 2>&1; then
      runs=$((runs + 1))
    else
      failed=$((failed + 1)); sleep 1
    fi
    echo "$runs $failed" >"$tmp/traffic.count"
  done
}

# Config variants the SIGHUP loop alternates between: both valid, both naming every soak VNF,
# so that the series count does not depend on which one is in force.
config_variant() {  # config_variant 0|1
  if [[ $1 == 0 ]]; then
    cat <<'EOF'
vnf_rules:
  - match: {cgroup_path: '/vnfsoak/s[0-9]*([0-9])$'}
    vnf_type: 'soak-{cgroup_path.1}'
exclude:
  - {cgroup_path: '/vnfsoak/never$'}
EOF
  else
    cat <<'EOF'
vnf_rules:
  - match: {cgroup_path: '/vnfsoak/(s[0-9]+)$'}
    vnf: '{cgroup_path.1}'
    vnf_type: soak
EOF
  fi
}
reloads() {  # rewrite (atomically: the agent may read at any time) and SIGHUP every 30 s
  set +e  # a failed kill, curl or iperf3 run is counted, not the end of the loop
  local deadline=$1 v=0 sent=0
  while (( EPOCHSECONDS + 30 < deadline )); do
    sleep 30
    v=$((1 - v))
    config_variant $v >"$tmp/config.yaml.new" && mv "$tmp/config.yaml.new" "$tmp/config.yaml"
    kill -HUP "$agent_pid" 2>/dev/null && sent=$((sent + 1))
    echo "$sent" >"$tmp/reloads.count"
  done
}

scrapes() {  # one line per scrape: "epoch http_code seconds"
  set +e  # a failed kill, curl or iperf3 run is counted, not the end of the loop
  local deadline=$1 result
  while (( EPOCHSECONDS < deadline )); do
    result=$(curl -s -o /dev/null --max-time 10 -w '%{http_code} %{time_total}' "http://127.0.0.1:$agent_port/metrics") || true
    echo "$EPOCHSECONDS ${result:-000 0}" >>"$tmp/scrapes.log"
    sleep 1
  done
}

hooks() {  # a scaling event every 3 s, types and directions in turn; "ok failed" in hooks.count
  set +e  # a failed kill, curl or iperf3 run is counted, not the end of the loop
  local deadline=$1 types=(firewall router nat) i=0 ok=0 failed=0 dir
  while (( EPOCHSECONDS < deadline )); do
    dir=out; (( i / 3 % 2 )) && dir=in
    if "$agent" scale --socket "$tmp/sock" --type "${types[i % 3]}" --direction $dir --vnf "soak-$i" \
         --from 1 --to 2 --reason soak >/dev/null 2>>"$tmp/hooks.err"; then
      ok=$((ok + 1))
    else
      failed=$((failed + 1))
    fi
    i=$((i + 1))
    echo "$ok $failed" >"$tmp/hooks.count"
    sleep 3
  done
}

# A client that trickles its request a byte at a time, then reads the answer slowly: in turn
# fast enough to be answered within the agent's read timeout (10 s) and too slow, so that it is
# cut. Neither may hold anything else up, nor leave anything behind in the agent.
slow_client() {
  python3 - "$agent_port" "$1" "$tmp/slow.count" <<'EOF'
import os, signal, socket, sys, time
signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: the soak's trap reports it, once
port, deadline, count = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
request = b"GET /metrics HTTP/1.1\r\nHost: soak\r\nConnection: close\r\n\r\n"
outcome = {}
turn = 0
while time.time() < deadline - 2:
    gap = (0.1, 0.3)[turn % 2]
    turn += 1
    status = "cut"
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
            for b in request:
                s.sendall(bytes([b]))
                time.sleep(gap)
            head = b""
            while time.time() < deadline:
                chunk = s.recv(16384)
                if not chunk:
                    break
                head = head or chunk
                time.sleep(0.01)
            if head.startswith(b"HTTP/1.1 "):
                status = head[9:12].decode()
    except OSError:
        time.sleep(1)  # refused: the agent is gone, and the soak about to say so
    key = "%s %s" % ("fast" if gap < 0.2 else "slow", status)
    outcome[key] = outcome.get(key, 0) + 1
    with open(count + ".new", "w") as f:
        f.write(", ".join("%s: %d" % kv for kv in sorted(outcome.items())) + "\n")
    os.replace(count + ".new", count)
EOF
}

echo "## vnf-agent soak: $minutes min, $vnfs VNFs (${churn_pct} % replaced every ${churn_s} s), collector $collector, UDP $rate forwarded, /metrics every second"
cgroups_setup
topology
churn $(( EPOCHSECONDS + minutes * 60 + 600 )) &  # ends when the soak kills it
loops+=($!)
for _ in $(seq 600); do [[ -f $tmp/churn.count ]] && break; sleep 0.1; done
[[ -f $tmp/churn.count ]] || { echo "soak: could not create $vnfs VNF cgroups within a minute" >&2; exit 1; }

config_variant 0 >"$tmp/config.yaml"
head -c 32 /dev/urandom | base64 >"$tmp/token"
"$agent" run --collector "$collector" --listen 127.0.0.1:0 --state-dir "$tmp/state" --socket "$tmp/sock" \
  --config "$tmp/config.yaml" --cgroup-match '/vnfsoak/(s[0-9]+)$' --max-vnfs 8192 --token-file "$tmp/token" \
  >"$tmp/agent.log" 2>&1 &
agent_pid=$!
agent_port=$(agent_port "$tmp/agent.log" "$agent_pid") || true
[[ -n $agent_port ]] || { echo "soak: the agent did not start:" >&2; cat "$tmp/agent.log" >&2; exit 1; }
echo "agent pid $agent_pid on 127.0.0.1:$agent_port, VNF cgroups in ${roots[*]} below $parent, log $out/agent.log (copied at the end)"

start=$EPOCHSECONDS
deadline=$(( start + minutes * 60 ))
traffic $deadline & loops+=($!)
scrapes $deadline & loops+=($!)
hooks $deadline & loops+=($!)
reloads $deadline & loops+=($!)
slow_client $deadline & loops+=($!)

metric_sum() {  # metric_sum NAME < exposition: the sum of that family's samples
  awk -v n="$1" '$1 == n || index($1, n "{") == 1 {s += $NF} END {printf "%d", s}'
}
samples=$(( minutes * 60 / sample_s ))
echo
printf '| minute | RSS MiB | fds | threads | series | VNFs | scrape p50 ms | p99 ms |\n|---|---|---|---|---|---|---|---|\n' | tee "$out/table.md"
: >"$out/samples.tsv"
died=""
seen=0
for ((k = 1; k <= samples; k++)); do
  while (( EPOCHSECONDS < start + k * sample_s )); do
    kill -0 "$agent_pid" 2>/dev/null || break 2
    sleep 1
  done
  kill -0 "$agent_pid" 2>/dev/null || break
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$agent_pid/status" 2>/dev/null || true)
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$agent_pid/status" 2>/dev/null || true)
  fds=$(find "/proc/$agent_pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l || true)
  [[ -n $rss && -n $threads ]] || break  # it died just now
  if curl -sf --max-time 10 -o "$tmp/sample.prom" "http://127.0.0.1:$agent_port/metrics"; then
    series=$(grep -vc '^#' "$tmp/sample.prom" || true)
    live=$(metric_sum vnf_instances <"$tmp/sample.prom")
  else
    echo "$EPOCHSECONDS 000 0" >>"$tmp/scrapes.log"  # counted with the loop's failures
    series=0 live=0
  fi
  # Latency of the scrape loop's successful scrapes since the last sample.
  read -r p50 p99 < <(tail -n +$((seen + 1)) "$tmp/scrapes.log" | awk '$2 == 200 {print $3 * 1000}' | sort -g |
    awk '{a[NR] = $1} END {if (NR == 0) {print "- -"; exit} i = int(NR * 0.99); if (i < NR * 0.99) i++; printf "%.1f %.1f\n", a[int((NR + 1) / 2)], a[i]}')
  seen=$(wc -l <"$tmp/scrapes.log")
  # The VNFs the agent exports against the cgroups there are (one hierarchy's; churn in flight
  # makes them differ by one or two): shown only where they differ.
  cgroups=$(find "${roots[0]}$parent" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | wc -l || true)
  shown=$live; (( live == cgroups )) || shown="$live ($cgroups cgroups)"
  minute=$(awk "BEGIN {printf \"%g\", $k * $sample_s / 60}")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$minute" "$rss" "$fds" "$threads" "$series" "$live" "$p50" "$p99" "$cgroups" >>"$out/samples.tsv"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$minute" "$(awk "BEGIN {printf \"%.1f\", $rss / 1024}")" \
    "$fds" "$threads" "$series" "$shown" "$p50" "$p99" | tee -a "$out/table.md"
done
kill -0 "$agent_pid" 2>/dev/null || { wait "$agent_pid" && status=0 || status=$?; died="the agent died (exit status $status) $((EPOCHSECONDS - start)) s into the soak"; agent_pid=""; }

# What the agent saw of the soak, from its own self-metrics, before it stops.
if [[ -z $died ]] && curl -sf --max-time 10 -o "$tmp/final.prom" "http://127.0.0.1:$agent_port/metrics"; then
  echo
  echo "Agent's view at the end:"
  grep -E '^vnf_network_(receive|transmit)_packets_total\{.*vnf="s0"' "$tmp/final.prom" | sed 's/^/  /'
  grep -E '^vnf_agent_(http_rejected_total|scrape_errors_total|vnfs_over_limit|tracked_cgroups)' "$tmp/final.prom" | sed 's/^/  /'
  grep -E '^vnf_scaling_actions_total' "$tmp/final.prom" | sed 's/^/  /'
fi
stop_tree "${loops[@]}"
for pid in "${loops[@]}"; do wait "$pid" 2>/dev/null || true; done
loops=()
stopped=""
if [[ -n $agent_pid ]]; then
  kill "$agent_pid"
  for _ in $(seq 100); do kill -0 "$agent_pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$agent_pid" 2>/dev/null; then
    stopped="the agent did not stop within 10 s of SIGTERM"
  else
    wait "$agent_pid" && status=0 || status=$?
    [[ $status -eq 0 ]] || stopped="the agent exited with status $status on SIGTERM"
  fi
fi

scrape_total=$(wc -l <"$tmp/scrapes.log")
scrape_failed=$(awk '$2 != 200' "$tmp/scrapes.log" | wc -l)
read -r created removed <"$tmp/churn.count"
echo
echo "Load: $scrape_total scrapes ($scrape_failed failed); VNF cgroups created $((created + 1)), removed $removed;" \
  "iperf3 runs done, failed: $(cat "$tmp/traffic.count" 2>/dev/null || echo '0 0');" \
  "hook calls ok, failed: $(cat "$tmp/hooks.count" 2>/dev/null || echo '0 0');" \
  "SIGHUPs sent $(cat "$tmp/reloads.count" 2>/dev/null || echo 0), reloaded $(grep -c 'SIGHUP: configuration reloaded' "$tmp/agent.log" || true)," \
  "rejected $(grep -c 'SIGHUP: configuration rejected' "$tmp/agent.log" || true); slow client: $(cat "$tmp/slow.count" 2>/dev/null || echo none)"
[[ -s $tmp/hooks.err ]] && { echo "Hook errors (first 3):"; head -3 "$tmp/hooks.err" | sed 's/^/  /'; }
# Its log lines are "TIME LEVEL MESSAGE".
if awk '$2 ~ /^(warn|warning|error|critical)$/ {found = 1} END {exit !found}' "$tmp/agent.log"; then
  echo "Agent log warnings and errors (distinct, times dropped, most frequent first, 10 at most):"
  awk '$2 ~ /^(warn|warning|error|critical)$/ {$1 = ""; print substr($0, 2)}' "$tmp/agent.log" | sort | uniq -c | sort -rn | head -10 | sed 's/^/  /'
fi

failures=()
[[ -n $died ]] && failures+=("$died")
[[ -n $stopped ]] && failures+=("$stopped")
(( scrape_failed > max_scrape_failures )) && failures+=("$scrape_failed scrapes failed (more than $max_scrape_failures)")
# VNFs the agent still exports after their cgroups went, or misses, two samples in a row (one
# sample may catch the churn and the agent's discovery, 100 ms behind, in flight).
stale=$(awk -F'\t' '{d = $6 - $9; if (d < 0) d = -d} d > 3 && prev {printf "the agent exported %s VNFs where there were %s cgroups at minute %s\n", $6, $9, $1; exit} {prev = d > 3}' "$out/samples.tsv")
[[ -n $stale ]] && failures+=("$stale")

# The quarter after the warm-up against the last quarter.
n=$(wc -l <"$out/samples.tsv")
q=$(( n / 4 ))
warm=$(( (warmup_min * 60 + sample_s - 1) / sample_s ))
(( warm > q )) || warm=$q
checked=""
if (( q >= 1 && warm + q <= n - q )); then
  checked="growth from minute $(awk "BEGIN {printf \"%g\", $warm * $sample_s / 60}") on checked"
  growth=$(awk -F'\t' -v n="$n" -v q="$q" -v w="$warm" -v rp="$rss_slack_pct" -v rm="$rss_slack_mib" -v fs="$fd_slack" \
    -v ts="$thread_slack" -v sp="$series_slack_pct" '
    { rss[NR] = $2 / 1024; fds[NR] = $3; thr[NR] = $4; per[NR] = $6 > 0 ? $5 / $6 : 0 }
    function mean(a, from, to,   i, s) { for (i = from; i <= to; i++) s += a[i]; return s / (to - from + 1) }
    function check(what, a, slack, unit,   b, e) {
      b = mean(a, w + 1, w + q); e = mean(a, n - q + 1, n)
      if (e > b + slack) printf "%s grew from %.2f to %.2f%s (allowed +%.2f)\n", what, b, e, unit, slack
    }
    END {
      s = mean(rss, w + 1, w + q) * rp / 100; if (s < rm) s = rm
      check("RSS", rss, s, " MiB")
      check("open descriptors", fds, fs, "")
      check("threads", thr, ts, "")
      check("series per VNF", per, mean(per, w + 1, w + q) * sp / 100, "")
    }' "$out/samples.tsv")
  while IFS= read -r line; do [[ -n $line ]] && failures+=("$line"); done <<<"$growth"
else
  checked="growth NOT checked: $n samples, $warm of them warm-up, leave none to compare (needs SOAK_MINUTES >= 2 * SOAK_WARMUP_MINUTES=$warmup_min, and 4 samples at least)"
  echo "soak: $checked"
fi
echo
if (( ${#failures[@]} )); then
  for f in "${failures[@]}"; do echo "soak: FAIL: $f"; done
  exit 1
fi
echo "soak: PASS ($checked; slack: RSS +${rss_slack_pct} % or +${rss_slack_mib} MiB, fds +$fd_slack, threads +$thread_slack, series per VNF +${series_slack_pct} %)"
