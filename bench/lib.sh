# Sourced by bench/run.sh and bench/soak.sh: where benchmark VNF cgroups go, laid out as
# runtimes lay out containers (one relative path below this shell's own cgroup in every
# hierarchy that matters), and the port of an agent started with --listen 127.0.0.1:0.

# cgroup_roots: sets `roots` (the hierarchies: unified, cpu, cpuacct and memory on a hybrid
# host, /sys/fs/cgroup on pure v2), `own` (this shell's cgroup, the parent of the benchmark's)
# and `made` (the folders of $own it had to create, last one deepest).
cgroup_roots() {
  local r d part
  own=$(awk -F: '$2=="memory"{print $3}' /proc/self/cgroup); [[ -n $own ]] || own=$(awk -F: '$1=="0"{print $3}' /proc/self/cgroup)
  own=${own%/}
  made=() roots=()
  for r in /sys/fs/cgroup/unified /sys/fs/cgroup/cpu /sys/fs/cgroup/cpuacct /sys/fs/cgroup/memory; do [[ -d $r ]] && roots+=("$r"); done
  if [[ ${#roots[@]} -eq 0 ]]; then  # pure cgroup v2
    roots=(/sys/fs/cgroup)
    # A cgroup holding processes (this shell's) cannot give memory to children: unless it
    # already does, or is the root, the benchmark's cgroups go below the root.
    delegate() { for c in cpu memory; do echo "+$c" >"$1/cgroup.subtree_control" 2>/dev/null || true; done; }
    delegate "/sys/fs/cgroup$own"
    grep -qw memory "/sys/fs/cgroup$own/cgroup.subtree_control" || { own=""; delegate /sys/fs/cgroup; }
  fi
  for r in "${roots[@]}"; do
    d=$r; for part in $(echo "$own" | tr '/' ' '); do d=$d/$part; [[ -d $d ]] || { mkdir "$d"; made+=("$d"); }; done
  done
}

# vnf_parent NAME: makes $own/NAME in every root; on cgroup v2 its children get cpu and
# memory, as under a runtime.
vnf_parent() {
  local r c
  for r in "${roots[@]}"; do
    mkdir "$r$own/$1"
    [[ -f $r$own/$1/cgroup.controllers ]] || continue
    for c in cpu memory; do
      grep -qw $c "$r$own/$1/cgroup.controllers" && echo "+$c" >"$r$own/$1/cgroup.subtree_control"
    done
  done
}

# remove_made: removes the folders cgroup_roots created, deepest first.
remove_made() {
  local i
  for ((i=${#made[@]}-1; i>=0; i--)); do rmdir "${made[i]}" 2>/dev/null || true; done
}

# agent_port LOG PID: the port the agent logged as "(port N)", within 30 s; fails if it did
# not log one or exited first.
agent_port() {
  local port
  for _ in $(seq 300); do
    port=$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$1")
    [[ -n $port ]] && { echo "$port"; return 0; }
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
