#pragma once
// Integration tests need root (cgroups) and BPF. Without them they skip with the reason;
// under CI=true a skip would hide a broken pipeline, so it is a failure instead.

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace vnf::test {

std::optional<std::string> missing_root_or_bpf();
bool in_ci();

}  // namespace vnf::test

#define VNF_REQUIRE_ROOT_AND_BPF()                                                      \
  do {                                                                                  \
    if (auto why = ::vnf::test::missing_root_or_bpf()) {                                \
      if (::vnf::test::in_ci()) FAIL() << *why << " (CI=true turns this skip into a failure)"; \
      GTEST_SKIP() << *why;                                                             \
    }                                                                                   \
  } while (0)
