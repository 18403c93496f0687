"""The DaemonSet's container settings, read from packaging/kubernetes (and an overlay's
patches), turned into what a container engine takes: `docker run` arguments, or an OCI
runtime spec for runc. The end-to-end tests run the agent's image with these, so what is
tested is what the manifest deploys."""

import copy
import json
import os

import yaml

CAPABILITY_PREFIX = "CAP_"


def _load_documents(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def _apply_json_patch(document, operations):
    """The subset of RFC 6902 the overlays use: add (with "-" to append) and replace."""
    for op in operations:
        parts = [p.replace("~1", "/").replace("~0", "~") for p in op["path"].split("/")[1:]]
        parent = document
        for part in parts[:-1]:
            parent = parent[int(part)] if isinstance(parent, list) else parent[part]
        last = parts[-1]
        if op["op"] == "add" and isinstance(parent, list):
            if last == "-":
                parent.append(op["value"])
            else:
                parent.insert(int(last), op["value"])
        elif op["op"] in ("add", "replace"):
            if isinstance(parent, list):
                parent[int(last)] = op["value"]
            else:
                parent[last] = op["value"]
        else:
            raise ValueError(f"patch operation {op['op']} is not supported here")
    return document


class Settings:
    """The vnf-agent container of the DaemonSet, and the ConfigMap's config.yaml."""

    def __init__(self, kubernetes_dir, overlay_dir=None):
        daemonset = configmap = None
        for name in os.listdir(kubernetes_dir):
            if not name.endswith(".yaml") or name == "kustomization.yaml":
                continue
            for doc in _load_documents(os.path.join(kubernetes_dir, name)):
                if doc["kind"] == "DaemonSet":
                    daemonset = doc
                elif doc["kind"] == "ConfigMap":
                    configmap = doc
        if overlay_dir:
            with open(os.path.join(overlay_dir, "kustomization.yaml")) as f:
                kustomization = yaml.safe_load(f)
            for patch in kustomization.get("patches", []):
                if patch["target"]["kind"] == "DaemonSet":
                    daemonset = _apply_json_patch(copy.deepcopy(daemonset), yaml.safe_load(patch["patch"]))
        self.pod = daemonset["spec"]["template"]["spec"]
        self.container = self.pod["containers"][0]
        self.config_yaml = configmap["data"]["config.yaml"]
        self.security = self.container.get("securityContext", {})
        self.volumes = {v["name"]: v for v in self.pod.get("volumes", [])}

    @property
    def capabilities(self):
        return [CAPABILITY_PREFIX + c for c in self.security["capabilities"]["add"]]

    @property
    def supplemental_groups(self):
        return list(self.pod.get("securityContext", {}).get("supplementalGroups", []))

    @property
    def args(self):
        return list(self.container.get("args", []))

    def env(self, overrides):
        env = {e["name"]: e["value"] for e in self.container.get("env", [])}
        env.update(overrides)
        return env

    def mounts(self, host_path_of, configmap_dir):
        """(source on this host, path in the container, read-only) per volume mount.
        `host_path_of` maps a hostPath volume's path to where this test keeps it."""
        mounts = []
        for m in self.container.get("volumeMounts", []):
            volume = self.volumes[m["name"]]
            if "configMap" in volume:
                source = configmap_dir
            elif "hostPath" in volume:
                source = host_path_of(volume["hostPath"]["path"])
            else:
                raise ValueError(f"volume {m['name']}: only hostPath and configMap volumes are run here")
            mounts.append((source, m["mountPath"], bool(m.get("readOnly"))))
        return mounts

    def memory_limit_bytes(self):
        value = self.container["resources"]["limits"]["memory"]
        units = {"Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30}
        for suffix, factor in units.items():
            if value.endswith(suffix):
                return int(value[: -len(suffix)]) * factor
        return int(value)

    def cpu_limit_cores(self):
        value = str(self.container["resources"]["limits"]["cpu"])
        return int(value[:-1]) / 1000 if value.endswith("m") else float(value)

    def docker_run_args(self, image, name, host_path_of, configmap_dir, env_overrides):
        """`docker run` arguments for the container as the kubelet would start it."""
        args = ["run", "-d", "--name", name, "--user", str(self.security.get("runAsUser", 0))]
        for gid in self.supplemental_groups:
            args += ["--group-add", str(gid)]
        if self.pod.get("hostPID"):
            args += ["--pid", "host"]
        if self.pod.get("hostNetwork"):
            args += ["--network", "host"]
        args += ["--cap-drop", "ALL"] + [a for c in self.capabilities for a in ("--cap-add", c)]
        if self.security.get("seccompProfile", {}).get("type") == "Unconfined":
            args += ["--security-opt", "seccomp=unconfined"]
        if self.security.get("allowPrivilegeEscalation") is False:
            args += ["--security-opt", "no-new-privileges"]
        if self.security.get("readOnlyRootFilesystem"):
            args += ["--read-only"]
        args += ["--memory", str(self.memory_limit_bytes()), "--cpus", str(self.cpu_limit_cores())]
        for key, value in self.env(env_overrides).items():
            args += ["-e", f"{key}={value}"]
        for source, target, read_only in self.mounts(host_path_of, configmap_dir):
            args += ["-v", f"{source}:{target}" + (":ro" if read_only else "")]
        return args + [image] + self.args

    def oci_spec(self, entrypoint, host_path_of, configmap_dir, env_overrides, cgroups_path):
        """An OCI runtime spec (config.json) for runc: the exact capability set, which
        Docker 20.10 refuses but runc takes."""
        caps = self.capabilities
        namespaces = [{"type": "mount"}, {"type": "ipc"}]
        if not self.pod.get("hostPID"):
            namespaces.append({"type": "pid"})
        if not self.pod.get("hostNetwork"):
            namespaces += [{"type": "network"}, {"type": "uts"}]
        mounts = [
            {"destination": "/proc", "type": "proc", "source": "proc", "options": ["nosuid", "noexec", "nodev"]},
            {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
            {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
             "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]},
            {"destination": "/dev/shm", "type": "tmpfs", "source": "shm", "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
            {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue", "options": ["nosuid", "noexec", "nodev"]},
            {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]},
        ]
        for source, target, read_only in self.mounts(host_path_of, configmap_dir):
            mounts.append({"destination": target, "type": "bind", "source": source,
                           "options": ["rbind", "rprivate"] + (["ro"] if read_only else [])})
        cpu_period = 100000
        spec = {
            "ociVersion": "1.0.2",
            "process": {
                "terminal": False,
                "user": {"uid": self.security.get("runAsUser", 0), "gid": 0,
                         "additionalGids": self.supplemental_groups},
                "args": entrypoint + self.args,
                "env": [f"{k}={v}" for k, v in self.env(env_overrides).items()]
                + ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                "cwd": "/",
                "capabilities": {"bounding": caps, "effective": caps, "permitted": caps},
                "noNewPrivileges": self.security.get("allowPrivilegeEscalation") is False,
            },
            "root": {"path": "rootfs", "readonly": bool(self.security.get("readOnlyRootFilesystem"))},
            "mounts": mounts,
            "linux": {
                "namespaces": namespaces,
                "cgroupsPath": cgroups_path,
                "resources": {
                    "memory": {"limit": self.memory_limit_bytes()},
                    "cpu": {"quota": int(self.cpu_limit_cores() * cpu_period), "period": cpu_period},
                },
                "maskedPaths": ["/proc/kcore", "/proc/keys", "/proc/timer_list", "/sys/firmware"],
                "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
            },
        }
        return json.dumps(spec, indent=2)
