#include "probes/net_probe.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "net.skel.h"

namespace vnf::probes {

NetProbe::NetProbe(const Options &options) : unified_root_(options.unified_root) {
  require_kernel_btf();
  skel_ = net_bpf::open();
  if (!skel_) throw ProbeError(std::string("cannot open the network probe: ") + std::strerror(errno));
  // The agent runs in the host's namespace (the systemd unit; hostNetwork in the DaemonSet).
  struct stat own_netns {};
  if (stat("/proc/self/ns/net", &own_netns) == 0) host_netns_inode_ = own_netns.st_ino;
  skel_->rodata->host_netns_inum = host_netns_inode_;
  int err = bpf_map__set_max_entries(skel_->maps.netns_traffic, options.max_namespaces);
  if (!err) err = bpf_map__set_max_entries(skel_->maps.netns_drops, options.max_namespaces * 4);
  if (!err) err = bpf_map__set_max_entries(skel_->maps.cgroup_traffic, options.max_namespaces);
  if (!err) err = net_bpf::load(skel_);
  if (!err) {
    // The device and drop probes; the cgroup_skb ones attach to a cgroup below.
    for (auto *prog : {skel_->progs.vnf_netif_receive_skb, skel_->progs.vnf_net_dev_start_xmit, skel_->progs.vnf_kfree_skb}) {
      if (!bpf_program__attach(prog)) {
        err = -errno;
        break;
      }
    }
  }
  if (err) {
    net_bpf::destroy(skel_);
    throw ProbeError(std::string("cannot load the network probe: ") + std::strerror(-err));
  }
  if (options.unified_root.empty()) return;
  std::vector<bpf_link *> trial;
  socket_counting_ = attach_sockets(options.unified_root, trial);
  if (!socket_counting_)
    spdlog::warn("network: socket counting for host-network VNFs is off: cannot attach to {}: {}",
                 options.unified_root.string(), std::strerror(errno));
  for (auto *l : trial) bpf_link__destroy(l);
}

NetProbe::~NetProbe() {
  for (const auto &[id, links] : socket_links_)
    for (auto *l : links) bpf_link__destroy(l);
  net_bpf::destroy(skel_);
}

bool NetProbe::attach_sockets(const std::filesystem::path &cgroup, std::vector<bpf_link *> &links) {
  int fd = open(cgroup.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  for (auto *prog : {skel_->progs.vnf_cgroup_ingress, skel_->progs.vnf_cgroup_egress}) {
    bpf_link *link = bpf_program__attach_cgroup(prog, fd);
    if (!link) break;
    links.push_back(link);
  }
  const int err = errno;
  close(fd);
  if (links.size() == 2) return true;
  for (auto *l : links) bpf_link__destroy(l);
  links.clear();
  errno = err;
  return false;
}

void NetProbe::count_sockets_of(const std::unordered_map<std::uint64_t, std::string_view> &cgroups) {
  if (!socket_counting_) return;
  for (auto it = socket_links_.begin(); it != socket_links_.end();) {
    if (cgroups.count(it->first)) {
      ++it;
      continue;
    }
    for (auto *l : it->second) bpf_link__destroy(l);
    it = socket_links_.erase(it);
  }
  for (const auto &[id, path] : cgroups) {
    if (socket_links_.count(id)) continue;
    const auto dir = unified_root_ / path.substr(1);  // built only for a cgroup not counted yet
    std::vector<bpf_link *> links;
    if (attach_sockets(dir, links)) socket_links_.emplace(id, std::move(links));
    else spdlog::debug("network: cannot count the sockets of {}: {}", dir.string(), std::strerror(errno));
  }
}

int NetProbe::netns_traffic_fd() const { return bpf_map__fd(skel_->maps.netns_traffic); }
int NetProbe::netns_drops_fd() const { return bpf_map__fd(skel_->maps.netns_drops); }
int NetProbe::cgroup_traffic_fd() const { return bpf_map__fd(skel_->maps.cgroup_traffic); }
int NetProbe::overflow_fd() const { return bpf_map__fd(skel_->maps.net_overflow); }

std::uint32_t NetProbe::capacity(int map_fd) const {
  bpf_map_info info{};
  __u32 len = sizeof info;
  return bpf_obj_get_info_by_fd(map_fd, &info, &len) == 0 ? info.max_entries : 0;
}

std::vector<ProgramStats> NetProbe::program_stats() const { return probes::program_stats(skel_->obj); }

std::unordered_map<std::uint64_t, std::string> load_drop_reason_names() {
  std::unordered_map<std::uint64_t, std::string> names;
  btf *vmlinux = btf__load_vmlinux_btf();
  if (!vmlinux) return names;
  const int id = btf__find_by_name_kind(vmlinux, "skb_drop_reason", BTF_KIND_ENUM);
  if (id > 0) {
    const btf_type *type = btf__type_by_id(vmlinux, id);
    const auto *member = btf_enum(type);
    constexpr std::string_view prefix = "SKB_DROP_REASON_";
    for (int i = 0; i < btf_vlen(type); ++i, ++member) {
      std::string name = btf__name_by_offset(vmlinux, member->name_off);
      if (name.rfind(prefix, 0) == 0) name.erase(0, prefix.size());
      else if (name.rfind("SKB_", 0) == 0) name.erase(0, 4);
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      names.emplace(static_cast<std::uint32_t>(member->val), name);
    }
  }
  btf__free(vmlinux);
  return names;
}

}  // namespace vnf::probes
