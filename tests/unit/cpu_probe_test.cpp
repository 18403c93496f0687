#include "cpu/cpu_probe.h"

#include <gtest/gtest.h>
#include <unistd.h>

namespace vnf::cpu {
using bpf::kKernelBtf;
using bpf::ProbeError;
using bpf::require_kernel_btf;

namespace {

TEST(CpuProbe, MissingBtfIsOneActionableMessage) {
  try {
    require_kernel_btf("/nonexistent/btf/vmlinux");
    FAIL() << "expected ProbeError";
  } catch (const ProbeError &e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("kernel BTF not readable at /nonexistent/btf/vmlinux"), std::string::npos) << what;
    EXPECT_NE(what.find("CONFIG_DEBUG_INFO_BTF"), std::string::npos) << what;
    EXPECT_NE(what.find("--collector=cgroupfs"), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
}

TEST(CpuProbe, SchedInfoAsTheKernelBtfDescribesIt) {
  EXPECT_FALSE(kernel_has_sched_info("/nonexistent/btf/vmlinux"));
  if (access(kKernelBtf, R_OK) != 0) GTEST_SKIP() << "no readable kernel BTF";
  // /proc/PID/schedstat exists exactly when the kernel keeps task_struct.sched_info.
  EXPECT_EQ(kernel_has_sched_info(), access("/proc/self/schedstat", F_OK) == 0);
}

}  // namespace
}  // namespace vnf::cpu
