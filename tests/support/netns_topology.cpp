#include "support/netns_topology.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sstream>
#include <stdexcept>

#include "support/agent_process.h"

namespace vnf::test {

void must_run(const std::string &command) {
  auto result = run_shell(command);
  if (result.exit_code != 0) throw std::runtime_error("'" + command + "' failed: " + result.output);
}

NetnsTopology::NetnsTopology(Offloads offloads) {
  const std::string base = "vnft" + std::to_string(getpid());
  a_ = base + "a";
  v_ = base + "v";
  b_ = base + "b";
  try {
    for (const auto &ns : {a_, v_, b_}) {
      must_run("ip netns add " + ns);
      must_run("ip -n " + ns + " link set lo up");
      // IPv6 would add router solicitations and the like to the counters mid-measurement.
      must_run("ip netns exec " + ns + " sysctl -qw net.ipv6.conf.all.disable_ipv6=1");
    }
    must_run("ip link add a0 netns " + a_ + " type veth peer name v0 netns " + v_);
    must_run("ip link add v1 netns " + v_ + " type veth peer name b0 netns " + b_);
    const struct {
      std::string ns, dev, address;
    } interfaces[] = {{a_, "a0", "198.18.1.1/24"}, {v_, "v0", "198.18.1.2/24"},
                      {v_, "v1", "198.18.2.1/24"}, {b_, "b0", "198.18.2.2/24"}};
    for (const auto &i : interfaces) {
      must_run("ip -n " + i.ns + " addr add " + i.address + " dev " + i.dev);
      if (i.ns == v_ && offloads.vnf_gro) must_run("ip netns exec " + i.ns + " ethtool -K " + i.dev + " gro on");
      if (i.ns != v_ && !offloads.sender_segmentation)
        must_run("ip netns exec " + i.ns + " ethtool -K " + i.dev + " tso off gso off");
      must_run("ip -n " + i.ns + " link set " + i.dev + " up");
    }
    must_run("ip -n " + a_ + " route add default via 198.18.1.2");
    must_run("ip -n " + b_ + " route add default via 198.18.2.1");
    must_run("ip netns exec " + v_ + " sysctl -qw net.ipv4.ip_forward=1");
  } catch (...) {
    for (const auto &ns : {a_, v_, b_}) run_shell("ip netns del " + ns);
    throw;
  }
}

NetnsTopology::~NetnsTopology() {
  // Deleting a namespace deletes its veth ends (and so their peers).
  for (const auto &ns : {a_, v_, b_}) run_shell("ip netns del " + ns);
}

std::map<std::string, InterfaceStatistics> NetnsTopology::vnf_interfaces() const {
  // Shell builtins only (read, echo, arithmetic): under an emulated kernel every process the
  // command starts costs the better part of a second, and this runs before and after each scrape.
  auto result = run_shell("ip netns exec " + v_ +
                          " sh -c 'cd /sys/class/net && for d in *; do [ $d = lo ] && continue; s=$d/statistics; "
                          "read rp < $s/rx_packets; read rb < $s/rx_bytes; read re < $s/rx_errors; "
                          "read rd < $s/rx_dropped; read rm < $s/rx_missed_errors; read tp < $s/tx_packets; "
                          "read tb < $s/tx_bytes; read te < $s/tx_errors; read td < $s/tx_dropped; "
                          "echo $d $rp $rb $re $((rd + rm)) $tp $tb $te $td; done'");
  if (result.exit_code != 0) throw std::runtime_error("cannot read the VNF's interface counters: " + result.output);
  std::map<std::string, InterfaceStatistics> interfaces;
  std::istringstream in(result.output);
  std::string name;
  InterfaceStatistics s;
  while (in >> name >> s.rx_packets >> s.rx_bytes >> s.rx_errors >> s.rx_dropped >> s.tx_packets >> s.tx_bytes >>
         s.tx_errors >> s.tx_dropped)
    interfaces[name] = s;
  return interfaces;
}

NetnsMember::NetnsMember(const std::string &netns, const TestCgroup &cgroup) {
  int ns_fd = open(("/var/run/netns/" + netns).c_str(), O_RDONLY | O_CLOEXEC);
  if (ns_fd < 0) throw std::runtime_error("cannot open namespace " + netns);
  int entered[2];
  if (pipe2(entered, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    char ok = setns(ns_fd, CLONE_NEWNET) == 0 ? 1 : 0;
    if (write(entered[1], &ok, 1) != 1 || !ok) _exit(2);
    for (;;) pause();
  }
  close(ns_fd);
  close(entered[1]);
  char ok = 0;
  const bool in_namespace = read(entered[0], &ok, 1) == 1 && ok;
  close(entered[0]);
  if (!in_namespace) throw std::runtime_error("cannot enter namespace " + netns);
  cgroup.add_process(pid_);  // only now: the agent must never see it in the host namespace
}

NetnsMember::~NetnsMember() {
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

}  // namespace vnf::test
