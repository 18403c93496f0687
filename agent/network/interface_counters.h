#pragma once
// A network device's own counters as the kernel keeps them (struct rtnl_link_stats64), and the
// parser of the /proc/PID/net/dev table they are read from: every interface of the namespace
// that task is in, read without entering it.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vnf::network {

// The eight counters of an interface the agent exports. Receive drops are rx_dropped plus
// rx_missed_errors, the sum /proc/net/dev shows (and node_exporter exports): both are packets
// the device received and could not deliver.
struct InterfaceCounters {
  std::string name;
  std::uint64_t rx_packets = 0, rx_bytes = 0, rx_errors = 0, rx_dropped = 0;
  std::uint64_t tx_packets = 0, tx_bytes = 0, tx_errors = 0, tx_dropped = 0;
};

// Fills `interfaces` with those of a /proc/PID/net/dev table but `lo`, in the table's order,
// reusing its room (a device name fits a std::string's own, so a table the size of the last
// allocates nothing); false, and `interfaces` unspecified, if the table is malformed (no
// header, a short line, a number that is not one).
bool parse_net_dev(std::string_view content, std::vector<InterfaceCounters> &interfaces);

}  // namespace vnf::network
