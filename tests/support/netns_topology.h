#pragma once
// Test hosts in network namespaces: host A — VNF — host B over veth pairs, addresses from
// 198.18.0.0/15, forwarding on in the VNF, GRO on at the VNF's interfaces and segmentation
// offloads off everywhere (so each skb the VNF receives is one packet on the wire and the
// interface counters of veth count the same packets the probe counts). Removed on destruction.

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "support/test_cgroup.h"

namespace vnf::test {

struct InterfaceTotals {
  std::uint64_t rx_packets = 0, rx_bytes = 0, tx_packets = 0, tx_bytes = 0;
};

class NetnsTopology {
 public:
  static constexpr const char *kHostBAddress = "198.18.2.2";
  static constexpr const char *kUnroutableAddress = "198.19.255.1";  // no route in the VNF

  NetnsTopology();  // throws std::runtime_error with the failing command
  ~NetnsTopology();
  NetnsTopology(const NetnsTopology &) = delete;
  NetnsTopology &operator=(const NetnsTopology &) = delete;

  const std::string &host_a() const { return a_; }
  const std::string &vnf() const { return v_; }
  const std::string &host_b() const { return b_; }

  // Sum of every interface's counters in the VNF namespace (/sys/class/net/*/statistics).
  InterfaceTotals vnf_interface_totals() const;

 private:
  std::string a_, v_, b_;
};

// A process that sits in a network namespace (and a cgroup) until destroyed.
class NetnsMember {
 public:
  NetnsMember(const std::string &netns, const TestCgroup &cgroup);
  ~NetnsMember();
  NetnsMember(const NetnsMember &) = delete;
  NetnsMember &operator=(const NetnsMember &) = delete;

 private:
  pid_t pid_ = -1;
};

// Runs `command` and throws std::runtime_error with its output if it fails.
void must_run(const std::string &command);

}  // namespace vnf::test
