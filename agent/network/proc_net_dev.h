#pragma once
// Network traffic without BPF: a member task's /proc/PID/net/dev, the interface counters of
// the namespace it is in. Nothing for VNFs in the host's namespace, whose interfaces are not
// theirs, and no drops.

#include <string>

#include "network/network_backend.h"

namespace vnf::network {

class ProcNetDev final : public NetworkBackend {
 public:
  explicit ProcNetDev(std::uint64_t host_netns_inode) : host_netns_(host_netns_inode) {}

  void follow(const std::vector<Member> &) override {}
  NetworkByCgroup read(const std::vector<Member> &members) override;
  void on_discovery(const discover::DiscoverySnapshot &) override {}
  void report(collector::Health &health) const override { health.unreadable_files += read_errors_; }

 private:
  std::uint64_t host_netns_;
  std::uint64_t read_errors_ = 0;
  std::string content_;
};

}  // namespace vnf::network
