#pragma once
// Where the network collector's numbers come from: the network probe's maps, or the
// namespaces' own interface counters (/proc/PID/net/dev) without BPF.

#include <vector>

#include "collector/collector.h"
#include "network/netns_membership.h"
#include "network/network_usage.h"

namespace vnf::network {

class NetworkBackend {
 public:
  virtual ~NetworkBackend() = default;

  // The VNFs that have a task at this scrape, and their namespaces: sets up what counting them
  // needs, and takes down what VNFs that left no longer need.
  virtual void follow(const std::vector<Member> &members) = 0;
  // The traffic of each member; changes nothing in the kernel.
  virtual NetworkByCgroup read(const std::vector<Member> &members) = 0;
  // A new discovery snapshot: lets go of what no VNF has used lately.
  virtual void on_discovery(const discover::DiscoverySnapshot &snapshot) = 0;
  virtual void report(collector::Health &health) const = 0;
};

}  // namespace vnf::network
