#!/usr/bin/env bash
# Installs the validator's npm packages into the build tree (once) and validates the manifests.
# Usage: run.sh BUILD_DIR SOURCE_DIR. Exit 77 = skipped (a failure under CI=true).
set -euo pipefail
work=$1/kubernetes-validate
src=$2
skip() {
  if [[ ${CI:-} == true ]]; then echo "FAIL (CI=true turns this skip into a failure): $*"; exit 1; fi
  echo "SKIP: $*"; exit 77
}
command -v node >/dev/null && command -v npm >/dev/null || skip "node and npm are needed"
mkdir -p "$work"
cp "$src/tests/kubernetes/validate_manifests.mjs" "$work/"
if [[ ! -d $work/node_modules/kubernetes-models ]]; then
  (cd "$work" && npm install --silent --no-audit --no-fund --no-save kubernetes-models@4 js-yaml@4) \
    || skip "cannot install kubernetes-models from the npm registry"
fi
node "$work/validate_manifests.mjs" "$src/packaging/kubernetes"
# The web-config overlay, rendered as kubectl apply -k would (kustomize runs offline).
command -v kubectl >/dev/null || skip "kubectl is needed to render packaging/kubernetes-web-config"
rm -rf "$work/rendered-web-config" && mkdir -p "$work/rendered-web-config"
kubectl kustomize "$src/packaging/kubernetes-web-config" > "$work/rendered-web-config/all.yaml"
grep -q -- "--web.config.file=/etc/vnf-agent-web/web.yml" "$work/rendered-web-config/all.yaml"
node "$work/validate_manifests.mjs" "$work/rendered-web-config"
# The overlay for engines without CAP_BPF/CAP_PERFMON: CAP_SYS_ADMIN in their place, nothing else.
rm -rf "$work/rendered-without-cap-bpf" && mkdir -p "$work/rendered-without-cap-bpf"
kubectl kustomize "$src/packaging/kubernetes-without-cap-bpf" > "$work/rendered-without-cap-bpf/all.yaml"
python3 - "$work/rendered-without-cap-bpf/all.yaml" "$src/packaging/kubernetes/daemonset.yaml" <<'PY'
import sys, yaml
def container(path):
    for doc in yaml.safe_load_all(open(path)):
        if doc and doc.get("kind") == "DaemonSet":
            return doc["spec"]["template"]["spec"]["containers"][0]
overlay, base = container(sys.argv[1]), container(sys.argv[2])
caps = overlay["securityContext"]["capabilities"]["add"]
base_caps = base["securityContext"]["capabilities"]["add"]
assert "SYS_ADMIN" in caps and "BPF" not in caps and "PERFMON" not in caps, caps
assert set(caps) - {"SYS_ADMIN"} == set(base_caps) - {"BPF", "PERFMON"}, (caps, base_caps)
overlay["securityContext"]["capabilities"]["add"] = base_caps
assert overlay == base, "the overlay changes only the capabilities"
PY
node "$work/validate_manifests.mjs" "$work/rendered-without-cap-bpf" --without-cap-bpf
