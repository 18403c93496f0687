// Validates packaging/kubernetes against the Kubernetes OpenAPI schema (npm kubernetes-models)
// and checks the DaemonSet's security settings. Usage: node validate_manifests.mjs DIR
// [--without-cap-bpf] (the overlay for engines that lack CAP_BPF/CAP_PERFMON: CAP_SYS_ADMIN
// in their place).
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";
import { ConfigMap, Namespace, ServiceAccount } from "kubernetes-models/v1";
import { DaemonSet } from "kubernetes-models/apps/v1";

const models = { ConfigMap, Namespace, ServiceAccount, DaemonSet };
const dir = process.argv[2];
const withoutCapBpf = process.argv.includes("--without-cap-bpf");
const problems = [];
const objects = [];

for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")) {
  for (const doc of yaml.loadAll(readFileSync(join(dir, file), "utf8"))) {
    if (!doc) continue;
    const Model = models[doc.kind];
    if (!Model) {
      problems.push(`${file}: no schema for kind ${doc.kind}`);
      continue;
    }
    try {
      new Model(doc).validate();
      objects.push(doc);
    } catch (e) {
      problems.push(`${file}: ${doc.kind} ${doc.metadata?.name}: ${e.message}`);
    }
  }
}

const expect = (ok, message) => { if (!ok) problems.push(message); };
const ds = objects.find((o) => o.kind === "DaemonSet");
expect(ds, "no DaemonSet");
if (ds) {
  const pod = ds.spec.template.spec;
  const [c] = pod.containers;
  const sc = c.securityContext ?? {};
  const allowed = new Set(["NET_ADMIN", "SYS_PTRACE", "DAC_READ_SEARCH", ...(withoutCapBpf ? ["SYS_ADMIN"] : ["BPF", "PERFMON"])]);
  expect(sc.privileged !== true, "the container must not be privileged: it gets capabilities instead");
  expect(sc.allowPrivilegeEscalation === false, "allowPrivilegeEscalation must be false");
  expect(sc.readOnlyRootFilesystem === true, "the root filesystem must be read-only");
  expect((sc.capabilities?.drop ?? []).includes("ALL"), "capabilities must drop ALL first");
  for (const cap of sc.capabilities?.add ?? []) expect(allowed.has(cap), `capability ${cap} is more than the agent needs`);
  for (const cap of allowed)
    expect((sc.capabilities?.add ?? []).includes(cap), `capability ${cap} is missing`);
  expect(pod.hostPID === true, "hostPID is needed to see containers' tasks");
  expect(pod.hostNetwork === true, "hostNetwork: port 9090 on the node, host-network VNFs told apart");
  expect((pod.tolerations ?? []).some((t) => t.operator === "Exists" && !t.key), "must tolerate every taint (all nodes)");
  expect(c.resources?.requests?.cpu && c.resources?.requests?.memory, "resource requests are missing");
  expect(c.resources?.limits?.cpu && c.resources?.limits?.memory, "resource limits are missing");
  expect(c.livenessProbe?.httpGet?.path === "/healthz", "liveness probe must be /healthz");
  expect(c.readinessProbe?.httpGet?.path === "/readyz", "readiness probe must be /readyz");
  expect((c.ports ?? []).some((p) => p.containerPort === 9090 && p.hostPort === 9090), "port 9090 must be the node's");
  expect(pod.automountServiceAccountToken === false, "the agent calls no API: no service account token");
  const writable = new Set(["state", "socket"]);
  for (const m of c.volumeMounts ?? [])
    expect(writable.has(m.name) || m.readOnly === true, `mount ${m.mountPath} must be read-only`);
  const mounted = new Set((c.volumeMounts ?? []).map((m) => m.mountPath));
  expect((c.args ?? []).includes("--host-root=/host"), "--host-root=/host: the runtimes' state is mounted there");
  for (const path of ["/sys/fs/cgroup", "/sys/kernel/btf", "/sys/fs/bpf", "/host/run/containerd", "/host/run/containers"])
    expect(mounted.has(path), `${path} is not mounted`);
}

if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`${objects.length} objects valid against the Kubernetes schema; DaemonSet security settings hold`);
