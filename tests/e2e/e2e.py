#!/usr/bin/env python3
"""End-to-end tests with a real container engine (CTest label e2e; see tests/CMakeLists.txt).

Debian's docker.io (Engine 20.10 with containerd and runc) runs the agent's image with the
DaemonSet's settings and real VNF containers; the agent's numbers are compared with the
kernel's own accounting of those containers. Steps, each a CTest test:

  engine-start  dockerd on its own socket and data root, base images from a cached mmdebstrap
  image         builds packaging/container/Containerfile; size, apt leftovers, socket group
  agent-runc    the agent in the image with the manifest's exact capabilities, through runc
  vnfs          the agent in docker with the overlay's CAP_SYS_ADMIN set; real VNF containers
  engine-stop   removes every container, network, mount, cgroup and directory it made

Exit status 77 means skipped (not root, no engine): with CI=true that is a failure instead.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import daemonset  # noqa: E402

STATE = "/run/vnf-agent-e2e"          # dockerd's exec root, socket, pid file; runc's state
DATA = "/var/lib/vnf-agent-e2e"       # docker's data root, the runc bundle, the agents' volumes
CACHE = "/var/cache/vnf-agent-e2e"    # the Debian 12 root filesystem, kept between runs
SOCKET = f"{STATE}/docker.sock"
DOCKER = ["/usr/bin/docker", "-H", f"unix://{SOCKET}"]
RUNC = ["runc", "--root", f"{STATE}/runc"]
BASE_TAR = f"{CACHE}/debian-12-slim.tar"
BASE_MAX_AGE_S = 7 * 86400            # rebuilt weekly, for Debian's security updates
AGENT_IMAGE = "vnf-agent:e2e"
PEER_IMAGE = "vnf-e2e-peer"
AGENT_CONTAINER = "vnf-e2e-agent"
RUNC_AGENT = "vnf-e2e-agent-exact-caps"
BRIDGE = "vnfe2e0"                   # the default bridge network's
NETWORK = "vnf-e2e-net"
NETWORK_BRIDGE = "vnfe2e1"            # that network's, named so that cleanup finds it
NETWORK_SUBNET = "198.18.216.0/24"    # inside dockerd's --default-address-pool
SERVER_IP = "198.18.216.10"
IMAGE_SIZE_LIMIT = 120 * 1000 * 1000  # bytes, as `docker images` counts MB
SOCKET_GID = 9090                     # the image's vnf-agent group
VNF_CONTAINERS = ["vnf-e2e-busy", "vnf-e2e-memory", "vnf-e2e-by-id", "vnf-e2e-server", "vnf-e2e-client"]


def log(message):
    print(message, flush=True)


class Skip(Exception):
    pass


def run(cmd, check=True, capture=True, timeout=600, **kwargs):
    result = subprocess.run(cmd, text=True, capture_output=capture, timeout=timeout, **kwargs)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {result.returncode}:\n{result.stdout}{result.stderr}")
    return result


def docker(*args, **kwargs):
    return run(DOCKER + list(args), **kwargs)


# --- cgroups -------------------------------------------------------------------------------

def own_cgroup():
    """Where this process's containers may go: below its own memory cgroup on hybrid hosts
    (the sandbox lets processes move only into its descendants), its v2 cgroup otherwise."""
    lines = [line.rstrip("\n").split(":", 2) for line in open("/proc/self/cgroup")]
    for hierarchy, controllers, path in lines:
        if "memory" in controllers.split(","):
            return path
    return next(path for hierarchy, controllers, path in lines if hierarchy == "0")


def docker_cgroup_parent():
    return own_cgroup().rstrip("/") + "/docker"  # the agent knows ".../docker/<id>" as docker's


def runc_agent_cgroup():
    return own_cgroup().rstrip("/") + "/" + RUNC_AGENT


def pure_v2():
    return os.path.exists("/sys/fs/cgroup/cgroup.controllers")


def kernel_cpu_seconds(cgroup_path):
    """The kernel's CPU accounting of a cgroup, as the agent documents its oracle."""
    if pure_v2():
        for line in open(f"/sys/fs/cgroup{cgroup_path}/cpu.stat"):
            key, value = line.split()
            if key == "usage_usec":
                return int(value) / 1e6
    return int(open(f"/sys/fs/cgroup/cpuacct{cgroup_path}/cpuacct.usage").read()) / 1e9


def kernel_memory_bytes(cgroup_path):
    if pure_v2():
        return int(open(f"/sys/fs/cgroup{cgroup_path}/memory.current").read())
    return int(open(f"/sys/fs/cgroup/memory{cgroup_path}/memory.usage_in_bytes").read())


def hierarchy_roots():
    if pure_v2():
        return ["/sys/fs/cgroup"]
    return [os.path.join("/sys/fs/cgroup", d) for d in os.listdir("/sys/fs/cgroup")
            if os.path.isdir(os.path.join("/sys/fs/cgroup", d)) and not os.path.islink(os.path.join("/sys/fs/cgroup", d))]


def kill_tasks_below(path):
    """SIGKILLs every process in the cgroup at `path` and its descendants."""
    pids = set()
    for root in hierarchy_roots():
        for directory, _, files in os.walk(root + path):
            if "cgroup.procs" in files:
                pids.update(int(p) for p in open(os.path.join(directory, "cgroup.procs")).read().split())
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
            log(f"cleanup: killed {pid}, left in {path}")
        except ProcessLookupError:
            pass
    if pids:
        time.sleep(1)


def remove_cgroups_below(path):
    """Removes the cgroup at `path` and its descendants in every hierarchy (empty ones only)."""
    for root in hierarchy_roots():
        top = root + path
        if not os.path.isdir(top):
            continue
        for directory, _, _ in sorted(os.walk(top), key=lambda w: -w[0].count("/")):
            try:
                os.rmdir(directory)
            except OSError as e:
                log(f"cleanup: cannot remove cgroup {directory}: {e}")


# --- the agent's port ----------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(port, path, timeout=5):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def wait_until(what, predicate, timeout_s=60, interval_s=0.2):
    deadline = time.monotonic() + timeout_s
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as e:  # the thing waited for is not there yet
            last_error = e
        time.sleep(interval_s)
    raise RuntimeError(f"timed out after {timeout_s} s waiting for {what}" + (f": {last_error}" if last_error else ""))


def wait_for_agent(port, logs):
    try:
        wait_until("the agent's /readyz", lambda: http_get(port, "/readyz")[0] == 200, timeout_s=60)
    except RuntimeError:
        log("agent log:\n" + logs())
        raise


SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def scrape(port):
    """Samples of /metrics as (name, {labels}, value)."""
    status, text = http_get(port, "/metrics")
    if status != 200:
        raise RuntimeError(f"/metrics answered {status}")
    samples = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        if m:
            samples.append((m.group(1), dict(LABEL.findall(m.group(2) or "")), float(m.group(3))))
    return samples


def series(samples, name, **labels):
    return [(l, v) for n, l, v in samples if n == name and all(l.get(k) == v for k, v in labels.items())]


def one_value(samples, name, **labels):
    found = series(samples, name, **labels)
    if len(found) != 1:
        raise AssertionError(f"expected one {name}{labels}, found {len(found)}: {found}")
    return found[0][1]


def check(condition, message):
    if not condition:
        raise AssertionError(message)
    log(f"ok: {message}")


# --- the engine ----------------------------------------------------------------------------

def require_tools():
    if os.geteuid() != 0:
        raise Skip("needs root (a container engine, cgroups, BPF)")
    for tool in ["/usr/bin/docker", "dockerd", "containerd", "runc", "mmdebstrap"]:
        if not shutil.which(tool):
            raise Skip(f"{tool} is not installed (scripts/install-deps.sh --test installs docker.io, runc, mmdebstrap)")


def base_rootfs():
    """A Debian 12 root filesystem made like the official slim image (minbase, merged /usr,
    no documentation), cached between runs: the official images need a registry."""
    if os.path.isfile(BASE_TAR) and time.time() - os.path.getmtime(BASE_TAR) < BASE_MAX_AGE_S:
        log(f"base image: cached {BASE_TAR}")
        return
    os.makedirs(CACHE, exist_ok=True)
    for stale in (BASE_TAR, BASE_TAR + ".new"):  # directories left by runs that let mmdebstrap guess the format
        if os.path.isdir(stale):
            shutil.rmtree(stale)
    started = time.monotonic()
    excludes = ["/usr/share/man/*", "/usr/share/doc/*", "/usr/share/info/*", "/usr/share/locale/*"]
    options = [f"--dpkgopt=path-exclude={e}" for e in excludes] + ["--dpkgopt=path-include=/usr/share/doc/*/copyright"]
    # The format is explicit: mmdebstrap guesses it from the name, and ".new" means a directory.
    run(["mmdebstrap", "--variant=minbase", "--format=tar", "--quiet", "--hook-dir=/usr/share/mmdebstrap/hooks/merged-usr",
         *options, "bookworm", BASE_TAR + ".new", "http://deb.debian.org/debian"], timeout=900)
    os.replace(BASE_TAR + ".new", BASE_TAR)
    log(f"base image: mmdebstrap made {BASE_TAR} in {time.monotonic() - started:.0f} s")


def dockerd_pid():
    try:
        pid = int(open(f"{STATE}/dockerd.pid").read())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def engine_start(args):
    if dockerd_pid():
        log("an earlier run's dockerd is still up: stopping it first")
        engine_stop(args)
    base_rootfs()
    os.makedirs(STATE, exist_ok=True)
    os.makedirs(f"{DATA}/docker", exist_ok=True)
    parent = docker_cgroup_parent()
    # Its own bridge, not docker0, which belongs to any engine the host already runs.
    run(["ip", "link", "add", BRIDGE, "type", "bridge"], check=False)
    run(["ip", "addr", "replace", "198.18.200.1/24", "dev", BRIDGE])
    run(["ip", "link", "set", BRIDGE, "up"])
    daemon_log = open(f"{STATE}/dockerd.log", "w")
    subprocess.Popen(
        ["dockerd", "--data-root", f"{DATA}/docker", "--exec-root", f"{STATE}/exec",
         "--pidfile", f"{STATE}/dockerd.pid", "-H", f"unix://{SOCKET}",
         "--iptables=false", "--ip-masq=false", "--ip6tables=false",
         "--bridge", BRIDGE, "--default-address-pool", "base=198.18.208.0/20,size=24",
         "--exec-opt", "native.cgroupdriver=cgroupfs", f"--cgroup-parent={parent}",
         "--storage-driver", "overlay2",
         # A containerd already on the host (a node's, Docker CE's) is shared, not taken over.
         "--containerd-namespace", "vnf-agent-e2e", "--containerd-plugins-namespace", "vnf-agent-e2e-plugins"],
        stdout=daemon_log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until("dockerd", lambda: docker("info", check=False).returncode == 0, timeout_s=60, interval_s=0.5)
    except RuntimeError:
        log(open(f"{STATE}/dockerd.log").read()[-4000:])
        raise
    log(docker("version", "--format", "engine {{.Server.Version}}").stdout.strip()
        + f", runc {run(['runc', '--version']).stdout.split()[2]}, cgroup parent {parent}")
    docker("import", BASE_TAR, "debian:12")
    docker("tag", "debian:12", "debian:12-slim")


def engine_stop(args):
    """Everything the other steps made goes, whatever state they left."""
    if os.path.isdir(f"{STATE}/runc"):
        run(RUNC + ["delete", "--force", RUNC_AGENT], check=False)
    if dockerd_pid():
        ids = docker("ps", "-aq", check=False).stdout.split()
        if ids:
            docker("rm", "-f", *ids, check=False)
        docker("network", "rm", NETWORK, check=False)
        pid = dockerd_pid()
        try:
            os.kill(pid, signal.SIGTERM)
            wait_until("dockerd to stop", lambda: dockerd_pid() is None, timeout_s=30)
        except (TypeError, ProcessLookupError):
            pass  # it exited meanwhile
        except RuntimeError:
            os.kill(pid, signal.SIGKILL)
    cgroups = [docker_cgroup_parent(), runc_agent_cgroup()]
    for path in cgroups:
        kill_tasks_below(path)  # shims and containers that outlived their daemon
    for line in reversed(open("/proc/self/mounts").read().splitlines()):
        mount_point = line.split()[1]
        if mount_point.startswith((DATA + "/", STATE + "/")):
            run(["umount", "-l", mount_point], check=False)
    for bridge in [BRIDGE, NETWORK_BRIDGE]:
        run(["ip", "link", "delete", bridge], check=False, capture=True)
    shutil.rmtree(DATA, ignore_errors=True)
    shutil.rmtree(STATE, ignore_errors=True)
    for path in cgroups:
        remove_cgroups_below(path)
    log("engine stopped; containers, networks, mounts, cgroups and directories removed")


# --- the image -----------------------------------------------------------------------------

def image(args):
    started = time.monotonic()
    docker("build", "--network", "host", "-q", "-f", f"{args.source}/packaging/container/Containerfile",
           "-t", AGENT_IMAGE, args.source, timeout=1800)
    built_s = time.monotonic() - started
    size = int(docker("image", "inspect", "-f", "{{.Size}}", AGENT_IMAGE).stdout)
    log(f"[measured] image {AGENT_IMAGE}: built in {built_s:.0f} s, {size / 1e6:.1f} MB")
    check(size <= IMAGE_SIZE_LIMIT, f"the image is at most {IMAGE_SIZE_LIMIT / 1e6:.0f} MB ({size / 1e6:.1f} MB)")
    leftovers = docker("run", "--rm", "--entrypoint", "sh", AGENT_IMAGE, "-c",
                       "find /var/lib/apt/lists /var/cache/apt /var/log/apt -type f 2>/dev/null; true").stdout.split()
    check(not leftovers, f"no apt lists or caches in the image ({len(leftovers)} files)")
    group = docker("run", "--rm", "--entrypoint", "getent", AGENT_IMAGE, "group", "vnf-agent").stdout.strip()
    check(group.split(":")[2] == str(SOCKET_GID), f"the image has group vnf-agent with GID {SOCKET_GID} ({group})")
    context = docker("build", "--network", "host", "-q", "-f", "-", args.source, input=(
        "FROM debian:12-slim\nCOPY . /context\nRUN test ! -e /context/.git && test ! -e /context/build\n"),
        check=False)
    check(context.returncode == 0, "the build context holds neither .git nor a build tree")
    docker("build", "--network", "host", "-q", "-f", f"{args.source}/tests/e2e/peer.Containerfile",
           "-t", PEER_IMAGE, f"{args.source}/tests/e2e", timeout=900)


# --- the agent in its image ----------------------------------------------------------------

class AgentVolumes:
    """Where this test keeps the DaemonSet's hostPath volumes: docker's state is this
    dockerd's, the agent's own state and socket are fresh, other runtimes' are empty."""

    def __init__(self, name):
        self.root = f"{DATA}/{name}"
        self.config = f"{self.root}/config"
        os.makedirs(self.config, exist_ok=True)

    def host_path_of(self, path):
        if path.startswith("/var/lib/docker/"):
            return f"{DATA}/docker/" + path[len("/var/lib/docker/"):]
        if path in ("/sys/fs/cgroup", "/sys/kernel/btf", "/sys/fs/bpf"):
            return path
        local = self.root + path
        os.makedirs(local, exist_ok=True)
        return local

    def write_config(self, settings):
        with open(f"{self.config}/config.yaml", "w") as f:
            f.write(settings.config_yaml)


def capability_mask(names):
    numbers = {"CAP_DAC_READ_SEARCH": 2, "CAP_NET_ADMIN": 12, "CAP_SYS_PTRACE": 19, "CAP_SYS_ADMIN": 21,
               "CAP_PERFMON": 38, "CAP_BPF": 39}
    return sum(1 << numbers[n] for n in names)


def process_capabilities(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("CapEff:"):
            return int(line.split()[1], 16)
    raise RuntimeError(f"no CapEff for {pid}")


def agent_runc(args):
    """The manifest's exact capability set. Docker 20.10 refuses it, so runc runs the image
    from an OCI spec made from the manifest."""
    settings = daemonset.Settings(f"{args.source}/packaging/kubernetes")
    refused = docker("run", "--rm", "--cap-drop", "ALL", *[a for c in settings.capabilities for a in ("--cap-add", c)],
                     "--entrypoint", "true", AGENT_IMAGE, check=False)
    log(f"[measured] docker {docker('version', '--format', '{{.Server.Version}}').stdout.strip()} with the manifest's "
        f"capabilities: exit {refused.returncode} {refused.stderr.strip()[:200]}")
    volumes = AgentVolumes("runc-agent")
    volumes.write_config(settings)
    bundle = f"{DATA}/runc-bundle"
    os.makedirs(f"{bundle}/rootfs", exist_ok=True)
    created = docker("create", AGENT_IMAGE).stdout.strip()
    export = subprocess.Popen(DOCKER + ["export", created], stdout=subprocess.PIPE)
    run(["tar", "-x", "-C", f"{bundle}/rootfs"], stdin=export.stdout)
    export.wait()
    docker("rm", created)
    entrypoint = json.loads(docker("image", "inspect", "-f", "{{json .Config.Entrypoint}}", AGENT_IMAGE).stdout)
    port = free_port()
    cgroups_path = runc_agent_cgroup()
    with open(f"{bundle}/config.json", "w") as f:
        f.write(settings.oci_spec(entrypoint, volumes.host_path_of, volumes.config, {"METRICS_PORT": str(port)}, cgroups_path))
    agent_log = f"{DATA}/runc-agent.log"
    with open(agent_log, "w") as out:
        run(RUNC + ["run", "-d", "--bundle", bundle, "--pid-file", f"{DATA}/runc-agent.pid", RUNC_AGENT],
            capture=False, stdout=out, stderr=out, stdin=subprocess.DEVNULL)
    try:
        wait_for_agent(port, lambda: open(agent_log).read())
        pid = int(open(f"{DATA}/runc-agent.pid").read())
        check(process_capabilities(pid) == capability_mask(settings.capabilities),
              f"the agent runs with exactly {', '.join(settings.capabilities)}")
        samples = scrape(port)
        check(series(samples, "vnf_agent_build_info", collector="bpf"),
              "with the manifest's capabilities the agent loads its BPF probes (build_info collector=bpf)")
        sock = os.stat(f"{volumes.root}/run/vnf-agent/agent.sock")
        check(sock.st_gid == SOCKET_GID and sock.st_mode & 0o777 == 0o660,
              f"the hook socket is 0660 group {SOCKET_GID} on the node ({sock.st_mode & 0o777:o}, gid {sock.st_gid})")
    finally:
        log("agent log (runc):\n" + open(agent_log).read()[-3000:])
        run(RUNC + ["kill", RUNC_AGENT, "TERM"], check=False)
        try:
            wait_until("the runc agent to exit", lambda: (lambda state: state.returncode != 0 or "stopped" in state.stdout)(
                run(RUNC + ["state", RUNC_AGENT], check=False)), timeout_s=20)
        except RuntimeError as e:
            log(f"{e}; deleting it by force")
        run(RUNC + ["delete", "--force", RUNC_AGENT], check=False)


# --- real VNF containers -------------------------------------------------------------------

def container_info(name):
    info = json.loads(docker("inspect", name).stdout)[0]
    return info["Id"], info["State"]["Pid"]


def cgroup_of(container_id):
    return docker_cgroup_parent() + "/" + container_id


def interface_counters(pid):
    """The container's interfaces as the kernel counts them (what `ip -s link` shows)."""
    counters = {}
    for line in open(f"/proc/{pid}/net/dev").read().splitlines()[2:]:
        name, numbers = line.split(":", 1)
        name, values = name.strip(), [int(v) for v in numbers.split()]
        if name != "lo":
            counters[name] = {"receive_bytes": values[0], "receive_packets": values[1],
                              "transmit_bytes": values[8], "transmit_packets": values[9]}
    return counters


def agent_interface_counters(samples, vnf):
    counters = {}
    for kind in ["receive_bytes", "receive_packets", "transmit_bytes", "transmit_packets"]:
        for labels, value in series(samples, f"vnf_network_{kind}_total", vnf=vnf):
            counters.setdefault(labels["interface"], {})[kind] = int(value)
    return counters


def vnfs(args):
    settings = daemonset.Settings(f"{args.source}/packaging/kubernetes",
                                  f"{args.source}/packaging/kubernetes-without-cap-bpf")
    volumes = AgentVolumes("docker-agent")
    volumes.write_config(settings)
    port = free_port()
    docker(*settings.docker_run_args(AGENT_IMAGE, AGENT_CONTAINER, volumes.host_path_of, volumes.config,
                                     {"METRICS_PORT": str(port)}))
    agent_logs = lambda: (lambda r: (r.stdout + r.stderr)[-4000:])(docker("logs", AGENT_CONTAINER, check=False))  # noqa: E731
    try:
        wait_for_agent(port, agent_logs)
        vnf_checks(port)
    finally:
        log("agent log (docker):\n" + agent_logs())
        docker("rm", "-f", AGENT_CONTAINER, *VNF_CONTAINERS, check=False)
        docker("network", "rm", NETWORK, check=False)


def vnf_checks(port):
    check(series(scrape(port), "vnf_agent_build_info", collector="bpf"),
          "with CAP_SYS_ADMIN in place of CAP_BPF/CAP_PERFMON the agent runs BPF in docker")
    debian_id = docker("image", "inspect", "-f", "{{.Id}}", "debian:12").stdout.strip()
    docker("run", "-d", "--name", "vnf-e2e-busy", "debian:12", "sh", "-c", "while :; do :; done")
    docker("run", "-d", "--name", "vnf-e2e-memory", "--tmpfs", "/hog:size=300m", "debian:12", "sh", "-c",
           "dd if=/dev/zero of=/hog/fill bs=1M count=200 status=none && echo filled && exec sleep infinity")
    docker("run", "-d", "--name", "vnf-e2e-by-id", debian_id.split(":")[1][:12], "sleep", "infinity")
    docker("network", "create", "--subnet", NETWORK_SUBNET, "-o", f"com.docker.network.bridge.name={NETWORK_BRIDGE}", NETWORK)
    docker("run", "-d", "--name", "vnf-e2e-server", "--network", NETWORK, "--ip", SERVER_IP, PEER_IMAGE, "iperf3", "-s")
    docker("run", "-d", "--name", "vnf-e2e-client", "--network", NETWORK, PEER_IMAGE, "sh", "-c",
           f"for i in $(seq 50); do iperf3 -c {SERVER_IP} -t 3 && break; sleep 0.2; done"
           f" && iperf3 -c {SERVER_IP} -u -b 20M -l 1200 -t 2 && echo done"
           " && exec sleep infinity")
    wait_until("the memory hog to fill", lambda: "filled" in docker("logs", "vnf-e2e-memory").stdout, timeout_s=60)
    wait_until("the iperf3 client to finish", lambda: "done" in docker("logs", "vnf-e2e-client").stdout, timeout_s=90)

    # Labels: docker containers are named by their container name, typed by their image.
    expected = {"vnf-e2e-busy": "debian", "vnf-e2e-memory": "debian", "vnf-e2e-by-id": "debian",
                "vnf-e2e-server": PEER_IMAGE, "vnf-e2e-client": PEER_IMAGE}
    listed = wait_until("every VNF container in /v1/vnfs", lambda: (lambda v: v if set(expected) <= set(v) else None)(
        {e["vnf"]: e for e in json.loads(http_get(port, "/v1/vnfs")[1])["vnfs"]}), timeout_s=30)
    for name, vnf_type in expected.items():
        entry = listed[name]
        check((entry["vnf_type"], entry["container"], entry["namespace"], entry["pod"]) == (vnf_type, name, "", ""),
              f"{name}: vnf_type={entry['vnf_type']!r} container={entry['container']!r} (started by "
              f"{'image id' if name == 'vnf-e2e-by-id' else 'image name'})")
    samples = scrape(port)
    check(not any(e["vnf"] == AGENT_CONTAINER or e["vnf_type"] == "vnf-agent" for e in listed.values())
          and not series(samples, "vnf_cpu_seconds_total", vnf=AGENT_CONTAINER)
          and not series(samples, "vnf_cpu_seconds_total", vnf_type="vnf-agent"),
          "the agent's own container is not a VNF")
    for name, vnf_type in expected.items():
        one_value(samples, "vnf_cpu_seconds_total", vnf=name, vnf_type=vnf_type, container=name)

    # CPU and memory against the containers' cgroups, bounded by readings either side.
    busy_id, _ = container_info("vnf-e2e-busy")
    time.sleep(3)
    before = kernel_cpu_seconds(cgroup_of(busy_id))
    agent = one_value(scrape(port), "vnf_cpu_seconds_total", vnf="vnf-e2e-busy")
    after = kernel_cpu_seconds(cgroup_of(busy_id))
    log(f"[measured] busy loop: agent {agent:.3f} s, kernel {before:.3f}..{after:.3f} s")
    check(before * 0.98 <= agent <= after * 1.02, "busy loop CPU within 2% of the container cgroup's accounting")
    memory_id, _ = container_info("vnf-e2e-memory")
    before = kernel_memory_bytes(cgroup_of(memory_id))
    agent = one_value(scrape(port), "vnf_memory_usage_bytes", vnf="vnf-e2e-memory")
    after = kernel_memory_bytes(cgroup_of(memory_id))
    log(f"[measured] memory hog: agent {agent / 2**20:.2f} MiB, kernel {before / 2**20:.2f}..{after / 2**20:.2f} MiB")
    check(agent >= 200 * 2**20, "the memory hog holds its 200 MiB")
    check(min(before, after) * 0.99 <= agent <= max(before, after) * 1.01,
          "memory within 1% of the container cgroup's accounting")

    # Network: the container's own interface counters, equal, read when nothing moved meanwhile.
    for name in ["vnf-e2e-server", "vnf-e2e-client"]:
        _, pid = container_info(name)
        for attempt in range(20):
            kernel_before = interface_counters(pid)
            agent = agent_interface_counters(scrape(port), name)
            if kernel_before == interface_counters(pid):
                break
            time.sleep(0.5)
        log(f"[measured] {name}: agent {agent}, kernel {kernel_before}")
        check(kernel_before and agent == kernel_before and kernel_before["eth0"]["receive_packets"] > 1000,
              f"{name}: every interface's packets and bytes equal the container's interface counters")

    # docker restart: same labels, counters never go back.
    last = one_value(scrape(port), "vnf_cpu_seconds_total", vnf="vnf-e2e-busy", vnf_type="debian")
    restart = subprocess.Popen(DOCKER + ["restart", "-t", "1", "vnf-e2e-busy"], stdout=subprocess.DEVNULL)
    readings, labels_seen, absent = [last], [], 0
    deadline, give_up = None, time.monotonic() + 120
    while (deadline is None or time.monotonic() < deadline) and time.monotonic() < give_up:  # scrapes while it is down, too
        if deadline is None and restart.poll() is not None:
            deadline = time.monotonic() + 3
        found = series(scrape(port), "vnf_cpu_seconds_total", vnf="vnf-e2e-busy")
        absent += not found
        labels_seen += [l for l, _ in found]
        readings += [v for _, v in found]
        time.sleep(0.05)
    check(restart.poll() == 0, "docker restart succeeded")
    log(f"[measured] CPU seconds across docker restart: {readings[0]:.3f} -> {readings[-1]:.3f} over "
        f"{len(readings) - 1 + absent} scrapes, {absent} of them while the container was down")
    check(all(l["vnf_type"] == "debian" and l["container"] == "vnf-e2e-busy" for l in labels_seen),
          "through docker restart the busy loop keeps its labels")
    check(all(b >= a for a, b in zip(readings, readings[1:])) and readings[-1] > readings[0],
          "through docker restart the CPU counter is monotonic and goes on growing")

    # docker rm: gone at the next scrape.
    docker("rm", "-f", "vnf-e2e-busy")
    samples = scrape(port)
    check(not [s for s in samples if s[1].get("vnf") == "vnf-e2e-busy"], "docker rm removes the VNF's series at the next scrape")


STEPS = {"engine-start": engine_start, "image": image, "agent-runc": agent_runc, "vnfs": vnfs, "engine-stop": engine_stop}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", required=True, help="the repository root")
    parser.add_argument("step", choices=sorted(STEPS))
    args = parser.parse_args()
    try:
        require_tools()
        STEPS[args.step](args)
    except Skip as e:
        if os.environ.get("CI") == "true":
            print(f"FAIL (CI=true turns this skip into a failure): {e}")
            return 1
        print(f"SKIP: {e}")
        return 77
    except (AssertionError, RuntimeError, subprocess.TimeoutExpired, OSError) as e:
        print(f"FAIL: {e}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
