#include "network/proc_net_dev.h"

#include "cgroupfs/cgroup_files.h"

namespace vnf::network {

NetworkByCgroup ProcNetDev::read(const std::vector<Member> &members) {
  NetworkByCgroup result;
  for (const auto &m : members) {
    if (m.netns_inode == host_netns_) continue;  // the host's interfaces are not this VNF's
    int error = 0;
    const std::string file = "/proc/" + std::to_string(m.pid) + "/net/dev";
    if (cgroupfs::read_cgroup_file(file, content_, error) != cgroupfs::FileRead::ok) continue;  // the task exited
    auto traffic = parse_net_dev(content_);
    if (!traffic) {
      cgroupfs::count_unreadable("network", file, 0, read_errors_);
      continue;
    }
    result.emplace(m.cgroup->id, NetworkUsage{*traffic, {}, m.netns_inode});
  }
  return result;
}

}  // namespace vnf::network
