#pragma once
// The features a probe needs, by the mainline release that brought them (docs/compatibility.md):
// what the tests expect of a kernel, worked out from `uname -r` alone, independently of how the
// agent detects them. Distribution kernels that backport a feature (RHEL) would need more than
// the version; the tests run on Debian's, which do not.

#include <optional>
#include <string>

namespace vnf::test {

enum class KernelFeature {
  task_storage,  // 5.11: the CPU probe (CPU time and run-queue wait from BPF)
  drop_reasons,  // 5.17: drops by reason
  cgroup_iter,   // 6.1: memory from the BPF cgroup iterator
  ringbuf,       // 5.8: cgroup events
};

bool running_kernel_has(KernelFeature feature);
// "Linux 5.10 has no task storage maps (5.11)": why a test of that feature cannot run here.
std::string kernel_lacks(KernelFeature feature);

// PSI is a build and boot option, not a release: why this kernel shows no pressure files
// (no /proc/pressure: CONFIG_PSI off, or psi=0 / CONFIG_PSI_DEFAULT_DISABLED without psi=1),
// or nullopt where it does.
std::optional<std::string> kernel_lacks_psi();

}  // namespace vnf::test

#define VNF_REQUIRE_PSI()                                                                \
  do {                                                                                   \
    if (auto why = ::vnf::test::kernel_lacks_psi()) GTEST_SKIP() << "[kernel fallback] " << *why; \
  } while (0)

// A test of something only some kernels do skips, saying why, on a kernel without it; even
// with CI=true, because it is the kernel, not the set-up, that cannot (tests/vm runs each).
#define VNF_REQUIRE_KERNEL_FEATURE(feature)                                              \
  do {                                                                                   \
    if (!::vnf::test::running_kernel_has(::vnf::test::KernelFeature::feature))           \
      GTEST_SKIP() << "[kernel fallback] " << ::vnf::test::kernel_lacks(::vnf::test::KernelFeature::feature); \
  } while (0)
