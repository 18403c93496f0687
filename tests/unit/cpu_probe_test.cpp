#include "probes/cpu_probe.h"

#include <gtest/gtest.h>

namespace vnf::probes {
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

}  // namespace
}  // namespace vnf::probes
