#!/usr/bin/env bash
# vnf-agent benchmarks, one command (as root, after `bash scripts/test.sh` built everything):
#   bash bench/run.sh [sched|packets|netstage|scrape|micro|all]
# Prints median (min-max) of several runs and the ratio against the baseline measured in the
# same run: absolute times on a shared machine are noise, ratios are the result.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
build=${BUILD_DIR:-build}
agent=${AGENT:-$build/agent/vnf-agent}  # AGENT: another build's agent, for before/after
pingpong=$build/bench/pipe_pingpong
scrape=$build/bench/scrape_client
net_dev_floor=$build/bench/net_dev_floor
micro=$build/bench/micro_benchmarks
runs=${RUNS:-5}
scrapes=${SCRAPES:-30}
what=${1:-all}
[[ $(id -u) -eq 0 ]] || { echo "bench: run as root (BPF, cgroups, namespaces)" >&2; exit 1; }
[[ -x $agent && -x $pingpong && -x $scrape && -x $net_dev_floor ]] || { echo "bench: build first (bash scripts/test.sh)" >&2; exit 1; }

spread() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)], a[1], a[NR]}'; }  # numbers in, "median min max" out
stats() {  # reads numbers, prints "median (min-max)"
  local p50 lo hi
  read -r p50 lo hi < <(spread)
  printf '%s (%s-%s)' "$p50" "$lo" "$hi"
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
calc() { awk "BEGIN {printf \"%.3f\", $1}"; }
tmp=$(mktemp -d)
agent_pid=""
cleanup() {
  [[ -n $agent_pid ]] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
start_agent() {  # start_agent COLLECTOR [args...]; sets agent_pid and agent_port
  "$agent" run --collector "$1" --listen 127.0.0.1:0 --state-dir "$tmp/state" --socket "$tmp/sock" "${@:2}" \
    >"$tmp/agent.log" 2>&1 &
  agent_pid=$!
  agent_port=$(agent_port "$tmp/agent.log" "$agent_pid") || { cat "$tmp/agent.log" >&2; exit 1; }
}
stop_agent() { kill "$agent_pid"; wait "$agent_pid" 2>/dev/null || true; agent_pid=""; }

# Benchmark cgroups ($own/vnfbench/NAME, bench/lib.sh): cgroups_setup first, then
# bench_cgroup NAME PID for each, cgroups_teardown at the end (the PIDs must be gone).
cgroups_setup() { cgroup_roots; vnf_parent vnfbench; }
bench_cgroup() {  # bench_cgroup NAME PID
  for r in "${roots[@]}"; do mkdir "$r$own/vnfbench/$1"; done
  for r in "${roots[@]}"; do echo "$2" > "$r$own/vnfbench/$1/cgroup.procs"; done
}
cgroups_teardown() {
  for r in "${roots[@]}"; do
    for d in "$r$own"/vnfbench/*/; do [[ -d $d ]] && rmdir "$d"; done
    rmdir "$r$own/vnfbench"
  done
  remove_made
}

sched() {
  echo "## Scheduler hot path: pipe ping-pong on one CPU, ns per context switch ($runs alternated rounds)"
  local trips=200000 base=() agent_ns=() bt=()
  local have_bpftrace=false
  if command -v bpftrace >/dev/null; then  # a host without it still gets the other rows
    have_bpftrace=true
    mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing
  fi
  for _ in $(seq "$runs"); do  # alternated, so that drift on a shared machine hits all three
    base+=("$("$pingpong" $trips 0)")
    start_agent bpf
    agent_ns+=("$("$pingpong" $trips 0)")
    stop_agent
    $have_bpftrace || continue
    # The peer a user might reach for: per-cgroup on-CPU time at every switch, in bpftrace.
    bpftrace -e 'tracepoint:sched:sched_switch { $now = nsecs; if (@last[cpu]) { @oncpu[cgroup] = sum($now - @last[cpu]); } @last[cpu] = $now; }' \
      >"$tmp/bpftrace.log" 2>&1 &
    local bt_pid=$!
    for _ in $(seq 100); do grep -q Attaching "$tmp/bpftrace.log" && break; sleep 0.1; done
    sleep 1
    bt+=("$("$pingpong" $trips 0)")
    kill -INT $bt_pid; wait $bt_pid 2>/dev/null || true
  done
  local b a t
  b=$(printf '%s\n' "${base[@]}" | median); a=$(printf '%s\n' "${agent_ns[@]}" | median)
  printf '| setup | ns per switch | ratio | added ns |\n|---|---|---|---|\n'
  printf '| no probe | %s | 1.00 | 0 |\n' "$(printf '%s\n' "${base[@]}" | stats)"
  printf '| vnf-agent probes | %s | %s | %s |\n' "$(printf '%s\n' "${agent_ns[@]}" | stats)" "$(calc "$a / $b")" "$(calc "$a - $b")"
  if [[ ${#bt[@]} -gt 0 ]]; then
    t=$(printf '%s\n' "${bt[@]}" | median)
    printf '| bpftrace per-cgroup accounting | %s | %s | %s |\n' "$(printf '%s\n' "${bt[@]}" | stats)" "$(calc "$t / $b")" "$(calc "$t - $b")"
  else
    printf '| bpftrace per-cgroup accounting | not installed | | |\n'
  fi
  # The probes' own time per switch (kernel.bpf_stats_enabled; other CPUs' switches included).
  start_agent bpf
  local stats_was before after
  stats_was=$(sysctl -n kernel.bpf_stats_enabled)
  sysctl -qw kernel.bpf_stats_enabled=1
  before=$(probe_ns); "$pingpong" $trips 0 >/dev/null; after=$(probe_ns)
  sysctl -qw kernel.bpf_stats_enabled="$stats_was"
  stop_agent
  echo
  printf '| ns in the scheduler probes per switch |\n|---|\n| %s |\n' \
    "$(calc "($(echo "$after" | cut -d' ' -f2) - $(echo "$before" | cut -d' ' -f2)) / (2 * $trips)")"
}

# Nanoseconds the agent's programs have run so far: "network scheduler" (bpf_stats on).
probe_ns() {
  bpftool prog show -j | python3 -c '
import json, sys
net = sched = 0
for p in json.load(sys.stdin):
    name, ns = p.get("name", ""), p.get("run_time_ns", 0)
    if name.startswith(("vnf_kfree", "vnf_cgroup")): net += ns
    elif name.startswith("vnf_sched"): sched += ns
print(net, sched)'
}

# vnf_kfree_skb's "runs ns" so far (bpf_stats on).
kfree_stats() {
  bpftool prog show -j | python3 -c '
import json, sys
cnt = ns = 0
for p in json.load(sys.stdin):
    if p.get("name", "").startswith("vnf_kfree"): cnt += p.get("run_cnt", 0); ns += p.get("run_time_ns", 0)
print(cnt, ns)'
}

packets() {
  echo "## Packet path: host A -> watched VNF -> host B over veth (default offloads), iperf3, /metrics scraped every second ($runs alternated pairs of 5 s runs)"
  local s=vb$$ own made roots
  for n in a v b; do ip netns add $s$n; ip -n $s$n link set lo up; done
  ip link add a0 netns ${s}a type veth peer name v0 netns ${s}v
  ip link add v1 netns ${s}v type veth peer name b0 netns ${s}b
  ip -n ${s}a addr add 198.18.1.1/24 dev a0; ip -n ${s}v addr add 198.18.1.2/24 dev v0
  ip -n ${s}v addr add 198.18.2.1/24 dev v1; ip -n ${s}b addr add 198.18.2.2/24 dev b0
  for d in a:a0 v:v0 v:v1 b:b0; do ip -n $s${d%%:*} link set ${d##*:} up; done
  ip -n ${s}a route add default via 198.18.1.2; ip -n ${s}b route add default via 198.18.2.1
  ip netns exec ${s}v sysctl -qw net.ipv4.ip_forward=1
  cgroups_setup
  ip netns exec ${s}v sleep 36000 &  # the VNF's task (ip netns exec execs it: same pid)
  local member=$!
  bench_cgroup fwd $member
  measure() {  # measure udp|tcp [UDP bitrate]: prints receiver bits/s (TCP) or packets/s (UDP)
    # Sender (and the forwarding it drives in softirq) on CPU 0, receiver on CPU 1: fewer
    # migrations, less run-to-run noise.
    ip netns exec ${s}b iperf3 -s -1 -D -p 5301 -A 1; sleep 0.3
    if [[ $1 == udp ]]; then
      ip netns exec ${s}a iperf3 -c 198.18.2.2 -p 5301 -A 0 -u -b "${2:-0}" -l 64 -t 5 -J |
        python3 -c 'import json,sys; e=json.load(sys.stdin)["end"]["sum"]; print(int(e["packets"]*(1-e["lost_percent"]/100)/e["seconds"]))'
    else
      ip netns exec ${s}a iperf3 -c 198.18.2.2 -p 5301 -A 0 -t 5 -J |
        python3 -c 'import json,sys; print(int(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]))'
    fi
  }
  watch_vnf() {  # watch_vnf [COLLECTOR]: the agent watching the VNF, scraped every second as Prometheus would
    start_agent "${1:-bpf}" --cgroup-match '/vnfbench/(fwd)$'
    (while :; do curl -sf -o /dev/null "http://127.0.0.1:$agent_port/metrics"; sleep 1; done) &
    scraper=$!
  }
  unwatch_vnf() { kill $scraper; wait $scraper 2>/dev/null || true; stop_agent; }
  local scraper
  # The cgroupfs column is the agent without any BPF program: the same network numbers (the
  # devices' counters), so what it costs is the scrapes'; the bpf column adds the scheduler
  # and drop probes.
  printf '| traffic | without vnf-agent | with vnf-agent (bpf) | ratio | with vnf-agent (cgroupfs) | ratio |\n|---|---|---|---|---|---|\n'
  for proto in udp tcp; do
    local without=() with=() with_files=()
    for _ in $(seq "$runs"); do  # alternated, so that drift on a shared machine hits every column
      without+=("$(measure $proto)")
      watch_vnf bpf
      with+=("$(measure $proto)")
      unwatch_vnf
      watch_vnf cgroupfs
      with_files+=("$(measure $proto)")
      unwatch_vnf
    done
    local base; base=$(printf '%s\n' "${without[@]}" | median)
    printf '| %s | %s | %s | %s | %s | %s |\n' "$([[ $proto == udp ]] && echo 'UDP 64 B, packets/s' || echo 'TCP, bits/s')" \
      "$(printf '%s\n' "${without[@]}" | stats)" "$(printf '%s\n' "${with[@]}" | stats)" \
      "$(calc "$(printf '%s\n' "${with[@]}" | median) / $base")" "$(printf '%s\n' "${with_files[@]}" | stats)" \
      "$(calc "$(printf '%s\n' "${with_files[@]}" | median) / $base")"
  done
  # What the agent takes from forwarding, counted rather than inferred from throughput (whose
  # run-to-run spread on a small VM is wider than the effect): during an unlimited 64-byte UDP
  # run, the agent process's CPU time (/proc/PID/stat, its scrapes every second included) plus
  # its programs' run time (kernel.bpf_stats_enabled), as a share of all CPU time in the run.
  # Throughput can fall by no more than the CPU the agent takes from it.
  echo
  printf '| UDP 64 B, unlimited, 5 s | forwarded packets/s | agent process CPU ms | scheduler probes ms | network probes ms | share of the CPUs'"'"' time |\n|---|---|---|---|---|---|\n'
  for _ in $(seq "$runs"); do
    watch_vnf bpf
    local stats_was t0 t1 before after pps cpus ticks
    stats_was=$(sysctl -n kernel.bpf_stats_enabled)
    sysctl -qw kernel.bpf_stats_enabled=1
    cpus=$(nproc); ticks=$(getconf CLK_TCK)
    before=$(probe_ns); t0=$(awk '{print $14+$15}' /proc/$agent_pid/stat)
    pps=$(measure udp)
    after=$(probe_ns); t1=$(awk '{print $14+$15}' /proc/$agent_pid/stat)
    sysctl -qw kernel.bpf_stats_enabled="$stats_was"
    unwatch_vnf
    local agent_ms net_ms sched_ms
    agent_ms=$(calc "($t1 - $t0) * 1000 / $ticks")
    net_ms=$(calc "($(echo "$after" | cut -d' ' -f1) - $(echo "$before" | cut -d' ' -f1)) / 1000000")
    sched_ms=$(calc "($(echo "$after" | cut -d' ' -f2) - $(echo "$before" | cut -d' ' -f2)) / 1000000")
    printf '| | %s | %s | %s | %s | %s %% |\n' "$pps" "$agent_ms" "$sched_ms" "$net_ms" \
      "$(calc "($agent_ms + $sched_ms + $net_ms) * 100 / (5000 * $cpus)")"
  done
  # The drop probe's own time (kernel.bpf_stats_enabled): UDP at a rate host B keeps up with,
  # then with a tenth of the VNF's input sent to an address it has no route to (dropped there).
  watch_vnf
  local stats_was; stats_was=$(sysctl -n kernel.bpf_stats_enabled)
  sysctl -qw kernel.bpf_stats_enabled=1
  echo
  printf '| UDP 64 B forwarded at 20 Mbit/s | forwarded packets/s | kfree_skb runs per forwarded packet | ns in kfree_skb per forwarded packet | ns per run |\n|---|---|---|---|---|\n'
  for drops in none tenth; do
    local flood="" before after pps
    before=$(kfree_stats)
    if [[ $drops == tenth ]]; then
      ip netns exec ${s}a python3 -c '
import socket, sys, time
rate, end = float(sys.argv[1]), time.time() + 5.5
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
start, sent = time.time(), 0
while time.time() < end:
    for _ in range(50): s.sendto(b"x" * 36, ("198.19.255.1", 9))
    sent += 50
    pause = start + sent / rate - time.time()
    if pause > 0: time.sleep(pause)' "$((${pps_none:-30000} / 9))" &
      flood=$!
    fi
    pps=$(measure udp 20M)
    [[ -n $flood ]] && wait $flood
    after=$(kfree_stats)
    [[ $drops == none ]] && pps_none=$pps
    read -r c0 n0 <<<"$before"; read -r c1 n1 <<<"$after"
    printf '| %s | %s | %s | %s | %s |\n' "$([[ $drops == none ]] && echo 'no drops' || echo '+ 10% of the input unroutable')" "$pps" \
      "$(calc "($c1 - $c0) / ($pps * 5)")" "$(calc "($n1 - $n0) / ($pps * 5)")" "$(calc "($n1 - $n0) / (($c1 - $c0) + 0.000001)")"
  done
  sysctl -qw kernel.bpf_stats_enabled="$stats_was"
  unwatch_vnf
  kill $member; wait $member 2>/dev/null || true
  cgroups_teardown
  for n in a v b; do ip netns del $s$n; done
}

# The network stage of a scrape (vnf_agent_scrape_duration_seconds{stage="network"}) with
# $NETSTAGE_VNFS VNFs (default 1000), each in a network namespace of its own holding a veth pair.
netstage() {
  local n=${NETSTAGE_VNFS:-1000} own made roots pids=()
  echo "## Network stage: $n VNFs, each in its own network namespace with two interfaces and lo ($scrapes scrapes)"
  cgroups_setup
  {
    for i in $(seq "$n"); do
      echo "netns add vn$$-$i"
      echo "link add e0x$i type veth peer name e1x$i"
      echo "link set e0x$i netns vn$$-$i name e0"
      echo "link set e1x$i netns vn$$-$i name e1"
    done
  } >"$tmp/netns.batch"
  ip -batch "$tmp/netns.batch"
  for i in $(seq "$n"); do
    ip netns exec vn$$-$i sleep 3600 &
    pids+=($!)
    bench_cgroup "n$i" $!
  done
  printf '| reader | network stage p50 ms | min-max ms |\n|---|---|---|\n'
  local p50 lo hi
  for collector in bpf cgroupfs; do
    start_agent $collector --cgroup-match '/vnfbench/(n[0-9]+)$' --max-vnfs 8192
    "$scrape" "$agent_port" 3 >/dev/null
    local stage=()
    for _ in $(seq "$scrapes"); do
      stage+=("$(curl -sf "http://127.0.0.1:$agent_port/metrics" |
        awk '/^vnf_agent_scrape_duration_seconds\{stage="network"\}/ {printf "%.3f", $2 * 1000}')")
    done
    read -r p50 lo hi < <(printf '%s\n' "${stage[@]}" | spread)
    printf '| vnf-agent --collector %s | %s | %s-%s |\n' "$collector" "$p50" "$lo" "$hi"
    stop_agent
  done
  # The same tables read by a bare program, as many threads as the agent's readers: the kernel's
  # part of the stage, with the caches as a benchmark loop leaves them, after 64 MiB written,
  # and after the VNFs' memory.stat files were read, as a scrape's memory stage reads them.
  local readers=$(( $(nproc) < 4 ? $(nproc) : 4 ))
  printf '%s\n' "${roots[-1]}$own"/vnfbench/n*/memory.stat >"$tmp/memory_stat.list"
  for caches in warm cold "$tmp/memory_stat.list"; do
    read -r p50 lo hi < <(printf '%s\n' "${pids[@]}" | "$net_dev_floor" "$readers" "$scrapes" "$caches")
    local how="$caches caches"; [[ $caches == "$tmp"/* ]] && how="after reading the VNFs' memory.stat"
    printf '| the tables alone, %s (bench/net_dev_floor, %s threads) | %s | %s-%s |\n' "$how" "$readers" "$p50" "$lo" "$hi"
  done
  kill "${pids[@]}" 2>/dev/null; wait "${pids[@]}" 2>/dev/null || true
  for i in $(seq "$n"); do echo "netns del vn$$-$i"; done >"$tmp/netns.batch"
  ip -batch "$tmp/netns.batch"
  cgroups_teardown
}

# measure_scrapes PID PORT LABEL...: one table row of $SCRAPES scrapes (default 30), $SCRAPE_GAP_MS
# apart (default 0: back to back), after 3 warm-ups. Prometheus scrapes every 15-60 s: a gap of
# a few seconds shows the costs that back-to-back scrapes hide behind caches.
measure_scrapes() {
  local pid=$1 port=$2; shift 2
  "$scrape" "$port" 3 >/dev/null
  local t0 t1 out p50 p99 bytes series ticks
  t0=$(awk '{print $14+$15}' /proc/$pid/stat)
  out=$("$scrape" "$port" "$scrapes" "${SCRAPE_GAP_MS:-0}")
  t1=$(awk '{print $14+$15}' /proc/$pid/stat)
  ticks=$(getconf CLK_TCK)
  read -r p50 p99 bytes series <<<"$out"
  local cpu_ms; cpu_ms=$(calc "($t1 - $t0) * 1000 / $ticks / $scrapes")
  # The last scrape's time in each stage (vnf_agent_scrape_duration_seconds), in ms.
  local stages; stages=$(curl -sf "http://127.0.0.1:$port/metrics" |
    awk -F'"' '/^vnf_agent_scrape_duration_seconds\{stage="/ {split($3, v, " "); printf "%s%s %.2f", sep, $2, v[2] * 1000; sep = ", "}')
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$@" "$p50" "$p99" "$bytes" "$series" "$cpu_ms" \
    "$(calc "$cpu_ms * 1000 / $series")" "$(awk '/VmRSS/ {printf "%.1f", $2/1024}' /proc/$pid/status)" "${stages:--}"
}

scrape_cost() {
  echo "## Scrape cost and footprint ($scrapes scrapes each, ${SCRAPE_GAP_MS:-0} ms apart; each cgroup holds a sleeping task)"
  local own made roots
  printf '| cgroups | collector | /metrics p50 ms | p99 ms | bytes | series | agent CPU ms per scrape | CPU us per series | agent RSS MiB | stages of the last scrape, ms |\n'
  printf '|---|---|---|---|---|---|---|---|---|---|\n'
  for n in ${SCRAPE_SIZES:-100 1000 5000}; do
    local pids=()
    cgroups_setup
    for i in $(seq "$n"); do
      sleep 3600 & pids+=($!)
      bench_cgroup "c$i" $!
    done
    for collector in ${SCRAPE_COLLECTORS:-bpf cgroupfs}; do
      start_agent $collector --cgroup-match '/vnfbench/(c[0-9]+)$' --max-vnfs 8192
      measure_scrapes "$agent_pid" "$agent_port" "$n" "$collector"
      stop_agent
    done
    kill "${pids[@]}" 2>/dev/null; wait "${pids[@]}" 2>/dev/null || true
    cgroups_teardown
  done
  # Reference for per-series exposition cost: node_exporter serving this host's own metrics.
  if command -v prometheus-node-exporter >/dev/null; then
    prometheus-node-exporter --web.listen-address=127.0.0.1:19100 >"$tmp/node_exporter.log" 2>&1 &
    agent_pid=$!
    for _ in $(seq 100); do curl -sf -o /dev/null http://127.0.0.1:19100/metrics && break; sleep 0.1; done
    measure_scrapes "$agent_pid" 19100 "host" "node_exporter $(prometheus-node-exporter --version 2>&1 | awk 'NR==1 {print $3}')"
    stop_agent
  fi
}

micro() {
  echo "## Microbenchmarks (Google Benchmark; median of 3 repetitions)"
  [[ -x $micro ]] || { echo "bench: $micro was not built (install libbenchmark-dev)" >&2; exit 1; }
  printf '| benchmark | time | CPU | rate |\n|---|---|---|---|\n'
  "$micro" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true 2>/dev/null |
    awk '/^BM_/ && /_median/ {sub(/_median/, "", $1); rate = ""; for (i = 7; i <= NF; i++) rate = rate " " $i
                              printf "| %s | %s %s | %s %s |%s |\n", $1, $2, $3, $4, $5, rate}'
}

case $what in
  sched) sched ;;
  packets) packets ;;
  netstage) netstage ;;
  scrape) scrape_cost ;;
  micro) micro ;;
  all) sched; echo; packets; echo; netstage; echo; scrape_cost; echo; micro ;;
  *) echo "usage: bench/run.sh [sched|packets|netstage|scrape|micro|all]" >&2; exit 2 ;;
esac
