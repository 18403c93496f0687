#include "cgroupfs/cgroup_layout.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace vnf::cgroupfs {
namespace {

// mountinfo escapes space, tab, newline and backslash as \ooo.
std::string unescape_mountinfo(const std::string &field) {
  auto octal = [](char c) { return c >= '0' && c <= '7'; };
  std::string out;
  out.reserve(field.size());
  for (std::size_t i = 0; i < field.size(); ++i) {
    // The kernel escapes space, tab, newline and backslash as three octal digits; anything
    // else after a backslash is kept as it is.
    if (field[i] == '\\' && i + 3 < field.size() && octal(field[i + 1]) && octal(field[i + 2]) && octal(field[i + 3])) {
      out.push_back(static_cast<char>((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 + (field[i + 3] - '0')));
      i += 3;
    } else {
      out.push_back(field[i]);
    }
  }
  return out;
}

std::vector<std::string> split(const std::string &s, char sep) {
  std::vector<std::string> parts;
  std::stringstream in(s);
  for (std::string part; std::getline(in, part, sep);) parts.push_back(part);
  return parts;
}

// v1 super options mix controller names with mount options.
bool is_mount_option(const std::string &opt) {
  static const char *const options[] = {"rw", "ro", "xattr", "noprefix", "clone_children", "cpuset_v2_mode",
                                        "favordynmods"};
  if (opt.find('=') != std::string::npos) return true;  // name=systemd, release_agent=...
  return std::find(std::begin(options), std::end(options), opt) != std::end(options);
}

const CgroupMount *find_v1(const std::vector<CgroupMount> &mounts, const std::string &controller) {
  for (const auto &m : mounts) {
    if (!m.v2 && std::find(m.controllers.begin(), m.controllers.end(), controller) !=
                     m.controllers.end())
      return &m;
  }
  return nullptr;
}

}  // namespace

std::vector<CgroupMount> parse_cgroup_mounts(std::istream &mountinfo) {
  std::vector<CgroupMount> mounts;
  for (std::string line; std::getline(mountinfo, line);) {
    // id parent major:minor root mount_point options [optional...] - fstype source super_options
    std::istringstream fields(line);
    std::string id, parent, devno, root, mount_point, options, word;
    if (!(fields >> id >> parent >> devno >> root >> mount_point >> options)) continue;
    while (fields >> word && word != "-") {
    }
    std::string fstype, source, super_options;
    if (!(fields >> fstype >> source)) continue;
    fields >> super_options;
    if (fstype != "cgroup" && fstype != "cgroup2") continue;
    CgroupMount m;
    m.mount_point = unescape_mountinfo(mount_point);
    m.v2 = fstype == "cgroup2";
    if (!m.v2) {
      for (const auto &opt : split(super_options, ','))
        if (!is_mount_option(opt)) m.controllers.push_back(opt);
    }
    mounts.push_back(std::move(m));
  }
  return mounts;
}

CgroupLayout choose_cgroup_layout(const std::vector<CgroupMount> &mounts,
                                  const std::string &v2_controllers) {
  CgroupLayout layout;
  auto v2 = std::find_if(mounts.begin(), mounts.end(), [](const auto &m) { return m.v2; });
  if (v2 != mounts.end()) layout.unified_root = v2->mount_point;

  std::istringstream words(v2_controllers);
  bool cpu_on_v2 = false, memory_on_v2 = false;
  for (std::string w; words >> w;) {
    cpu_on_v2 |= w == "cpu";
    memory_on_v2 |= w == "memory";
  }

  if (v2 != mounts.end() && memory_on_v2) {
    layout.memory = MemoryAccounting::v2;
    layout.memory_root = v2->mount_point;
  } else if (const auto *m = find_v1(mounts, "memory")) {
    layout.memory = MemoryAccounting::v1;
    layout.memory_root = m->mount_point;
  }

  if (v2 != mounts.end() && cpu_on_v2) {
    layout.bandwidth = BandwidthAccounting::v2;
    layout.bandwidth_root = v2->mount_point;
  } else if (const auto *m = find_v1(mounts, "cpu")) {
    layout.bandwidth = BandwidthAccounting::v1;
    layout.bandwidth_root = m->mount_point;
  }

  if (v2 != mounts.end() && cpu_on_v2) {
    layout.cpu = CpuAccounting::v2;
    layout.cpu_root = v2->mount_point;
  } else if (const auto *m = find_v1(mounts, "cpuacct")) {
    layout.cpu = CpuAccounting::v1_cpuacct;
    layout.cpu_root = m->mount_point;
  } else if (const auto *m = find_v1(mounts, "cpu")) {
    layout.cpu = CpuAccounting::v1_cpu;
    layout.cpu_root = m->mount_point;
  } else if (v2 != mounts.end()) {
    layout.cpu = CpuAccounting::v2;
    layout.cpu_root = v2->mount_point;
  } else {
    throw std::runtime_error("no cgroup hierarchy is mounted (looked for cgroup2 and v1 cpu/cpuacct in /proc/self/mountinfo)");
  }
  return layout;
}

CgroupLayout detect_cgroup_layout() {
  std::ifstream mountinfo("/proc/self/mountinfo");
  if (!mountinfo) throw std::runtime_error("cannot read /proc/self/mountinfo");
  auto mounts = parse_cgroup_mounts(mountinfo);
  std::string controllers;
  for (const auto &m : mounts) {
    if (!m.v2) continue;
    std::ifstream f(m.mount_point / "cgroup.controllers");
    std::getline(f, controllers);
    break;
  }
  return choose_cgroup_layout(mounts, controllers);
}

const char *to_string(CpuAccounting accounting) {
  switch (accounting) {
    case CpuAccounting::v2: return "v2";
    case CpuAccounting::v1_cpuacct: return "v1-cpuacct";
    case CpuAccounting::v1_cpu: return "v1-cpu";
  }
  return "unknown";
}

const char *to_string(MemoryAccounting accounting) {
  switch (accounting) {
    case MemoryAccounting::none: return "none";
    case MemoryAccounting::v2: return "v2";
    case MemoryAccounting::v1: return "v1-memory";
  }
  return "unknown";
}

const char *to_string(BandwidthAccounting accounting) {
  switch (accounting) {
    case BandwidthAccounting::none: return "none";
    case BandwidthAccounting::v2: return "v2";
    case BandwidthAccounting::v1: return "v1-cpu";
  }
  return "unknown";
}

}  // namespace vnf::cgroupfs
