#include "network/net_probe.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cerrno>

#include "common/unique_fd.h"
#include "net.skel.h"

namespace vnf::network {

NetProbe::NetProbe(const Options &options) : skel_("the network probe"), overflow_(skel_->maps.overflow) {
  skel_->rodata->host_netns_inum = options.host_netns_inode;
  skel_.resize(skel_->maps.netns_drops, options.max_namespaces * 4);
  skel_.resize(skel_->maps.cgroup_traffic, options.max_namespaces);
  drop_counting_ = options.drops;
  if (!drop_counting_) bpf_program__set_autoload(skel_->progs.vnf_kfree_skb, false);
  skel_.load();
  // The drop probe's link is kept by the skeleton; the cgroup_skb programs attach to cgroups,
  // below and as VNFs need them.
  if (drop_counting_ && !(skel_->links.vnf_kfree_skb = bpf_program__attach(skel_->progs.vnf_kfree_skb)))
    throw bpf::ProbeError("cannot load the network probe: " + bpf::describe_error(errno));
  if (options.unified_root.empty()) return;
  SocketLinks trial;
  socket_counting_ = attach_sockets(options.unified_root, trial);
  if (!socket_counting_)
    spdlog::warn("network: socket counting for host-network VNFs is off: cannot attach to {}: {}",
                 options.unified_root.string(), bpf::describe_error(errno));
}

NetProbe::~NetProbe() = default;

bool NetProbe::attach_sockets(const std::filesystem::path &cgroup, SocketLinks &links) {
  UniqueFd fd(open(cgroup.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) return false;
  links[0].reset(bpf_program__attach_cgroup(skel_->progs.vnf_cgroup_ingress, fd.get()));
  if (links[0]) links[1].reset(bpf_program__attach_cgroup(skel_->progs.vnf_cgroup_egress, fd.get()));
  if (links[1]) return true;
  const int err = errno;
  links = {};
  errno = err;
  return false;
}

bool NetProbe::count_sockets_of(std::uint64_t id, const std::filesystem::path &dir) {
  SocketLinks links;
  if (!attach_sockets(dir, links)) return false;
  socket_links_[id] = std::move(links);
  return true;
}

std::vector<std::uint64_t> NetProbe::socket_cgroups() const {
  std::vector<std::uint64_t> ids;
  for (const auto &[id, links] : socket_links_) ids.push_back(id);
  return ids;
}

const bpf_map *NetProbe::netns_drops() const { return skel_->maps.netns_drops; }
const bpf_map *NetProbe::cgroup_traffic() const { return skel_->maps.cgroup_traffic; }

std::vector<bpf::ProgramStats> NetProbe::program_stats() const { return bpf::program_stats(skel_.object()); }

std::unordered_map<std::uint64_t, std::string> drop_reason_names(const bpf::KernelBtf &btf) {
  std::unordered_map<std::uint64_t, std::string> names;
  constexpr std::string_view prefix = "SKB_DROP_REASON_";
  for (auto [name, value] : btf.enum_values("skb_drop_reason")) {
    if (name.rfind(prefix, 0) == 0) name.erase(0, prefix.size());
    else if (name.rfind("SKB_", 0) == 0) name.erase(0, 4);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    names.emplace(value, std::move(name));
  }
  return names;
}

}  // namespace vnf::network
