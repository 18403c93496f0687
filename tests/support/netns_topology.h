#pragma once
// Test hosts in network namespaces: host A — VNF — host B over veth pairs (A's a0 to the VNF's
// v0, the VNF's v1 to B's b0), addresses from 198.18.0.0/15, forwarding on in the VNF. Offloads
// are the kernel's defaults for veth (GRO off, TSO and GSO on) unless the test asks otherwise.
// Removed on destruction.

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>

#include "support/test_cgroup.h"

namespace vnf::test {

// An interface's counters as the kernel keeps them (/sys/class/net/<name>/statistics), the
// eight the agent exports; receive drops are rx_dropped + rx_missed_errors.
struct InterfaceStatistics {
  std::uint64_t rx_packets = 0, rx_bytes = 0, rx_errors = 0, rx_dropped = 0;
  std::uint64_t tx_packets = 0, tx_bytes = 0, tx_errors = 0, tx_dropped = 0;
};

class NetnsTopology {
 public:
  static constexpr const char *kHostBAddress = "198.18.2.2";
  static constexpr const char *kUnroutableAddress = "198.19.255.1";  // no route in the VNF

  struct Offloads {
    bool vnf_gro = false;             // GRO on the VNF's interfaces (veth's default: off)
    bool sender_segmentation = true;  // TSO and GSO at hosts A and B (veth's default: on)
  };

  explicit NetnsTopology(Offloads offloads);  // throws std::runtime_error with the failing command
  NetnsTopology() : NetnsTopology(Offloads{}) {}
  ~NetnsTopology();
  NetnsTopology(const NetnsTopology &) = delete;
  NetnsTopology &operator=(const NetnsTopology &) = delete;

  const std::string &host_a() const { return a_; }
  const std::string &vnf() const { return v_; }
  const std::string &host_b() const { return b_; }

  // Every interface of the VNF namespace but lo, by name, from sysfs inside the namespace.
  std::map<std::string, InterfaceStatistics> vnf_interfaces() const;

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
