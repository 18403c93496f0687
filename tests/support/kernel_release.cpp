#include "support/kernel_release.h"

#include <sys/utsname.h>

#include <cstdio>
#include <filesystem>
#include <utility>

namespace vnf::test {
namespace {

std::pair<int, int> running_release() {
  utsname u{};
  uname(&u);
  int major = 0, minor = 0;
  std::sscanf(u.release, "%d.%d", &major, &minor);
  return {major, minor};
}

struct Introduced {
  int major, minor;
  const char *what;
};

Introduced introduced(KernelFeature feature) {
  switch (feature) {
    case KernelFeature::task_storage: return {5, 11, "task storage maps"};
    case KernelFeature::drop_reasons: return {5, 17, "drop reasons on kfree_skb"};
    case KernelFeature::cgroup_iter: return {6, 1, "the cgroup iterator"};
    case KernelFeature::ringbuf: return {5, 8, "ring buffer maps"};
  }
  return {0, 0, "?"};
}

}  // namespace

bool running_kernel_has(KernelFeature feature) {
  const auto [major, minor] = running_release();
  const auto since = introduced(feature);
  return std::pair{major, minor} >= std::pair{since.major, since.minor};
}

std::string kernel_lacks(KernelFeature feature) {
  const auto [major, minor] = running_release();
  const auto since = introduced(feature);
  return "Linux " + std::to_string(major) + "." + std::to_string(minor) + " has no " + since.what + " (" +
         std::to_string(since.major) + "." + std::to_string(since.minor) + ")";
}

std::optional<std::string> kernel_lacks_psi() {
  std::error_code error;
  if (std::filesystem::exists("/proc/pressure/cpu", error)) return std::nullopt;
  const auto [major, minor] = running_release();
  return "Linux " + std::to_string(major) + "." + std::to_string(minor) +
         " accounts no pressure (no /proc/pressure: built without CONFIG_PSI, or PSI is off at boot; psi=1 turns it on)";
}

}  // namespace vnf::test
