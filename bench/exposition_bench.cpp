// Microbenchmarks of the scrape's userspace path: bringing the per-VNF series up to date and
// writing the exposition, at 100, 1,000 and 5,000 VNFs; and parsing memory.stat and
// /proc/PID/net/dev, read once per VNF and once per network namespace at each scrape.
// `bash bench/run.sh micro` runs them.

#include <benchmark/benchmark.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "cpu/cpu_metrics.h"
#include "memory/memory_metrics.h"
#include "metrics/registry.h"
#include "network/interface_counters.h"
#include "network/network_metrics.h"

namespace {

using namespace vnf;

// N container-like VNFs with Kubernetes-shaped names, and one reading of each collector.
struct Host {
  explicit Host(std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      discover::TrackedVnf v;
      v.cgroup_id = 1000 + i;
      v.identity.vnf = "upf-" + std::to_string(i);
      v.identity.vnf_type = i % 2 ? "upf" : "firewall";
      v.identity.namespace_name = "core-network";
      v.identity.pod = "upf-" + std::to_string(i) + "-7d9f8c6b5-x2x9q";
      v.identity.container = "dataplane";
      vnfs.push_back(v);
    }
  }

  void advance(std::uint64_t step) {
    for (const auto &v : vnfs) {
      auto &c = cpu[v.cgroup_id];
      c.cpu_ns += 3'000'000 * step;
      c.runq_wait_ns += 40'000 * step;
      c.runq_hist[3] += step;
      c.runq_hist[9] += 1;
      auto &m = memory[v.cgroup_id];
      m.usage_bytes = 200u << 20;
      m.limit_bytes = 512u << 20;
      m.working_set_bytes = m.rss_bytes = 150u << 20;
      m.cache_bytes = 50u << 20;
      auto &table = interfaces[v.cgroup_id];
      if (table.empty()) table = {{"eth0"}, {"net1"}};  // a router's two sides
      for (auto &i : table) {
        i.rx_packets += 1000 * step;
        i.rx_bytes += 640000 * step;
        i.tx_packets += 1000 * step;
        i.tx_bytes += 680000 * step;
      }
      network[v.cgroup_id] = {4026531840 + v.cgroup_id, table, std::nullopt, {}};
    }
  }

  std::vector<discover::TrackedVnf> vnfs;
  cpu::CpuUsageByCgroup cpu;
  memory::MemoryByCgroup memory;
  std::unordered_map<std::uint64_t, std::vector<network::InterfaceCounters>> interfaces;  // as the reader keeps them
  network::NetworkByCgroup network;
};

struct Exported {
  metrics::Registry registry;
  cpu::CpuMetrics cpu{registry, true};
  memory::MemoryMetrics memory{registry};
  network::NetworkMetrics network{registry};

  void update(const Host &host) {
    cpu.update(host.vnfs, host.cpu);
    memory.update(host.vnfs, host.memory);
    network.update(host.vnfs, host.network);
  }
};

void BM_UpdateSeries(benchmark::State &state) {
  Host host(static_cast<std::size_t>(state.range(0)));
  Exported exported;
  std::uint64_t step = 1;
  host.advance(step);
  exported.update(host);
  for (auto _ : state) {
    host.advance(++step);
    exported.update(host);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_UpdateSeries)->Arg(100)->Arg(1000)->Arg(5000)->Unit(benchmark::kMicrosecond);

void BM_Serialize(benchmark::State &state) {
  Host host(static_cast<std::size_t>(state.range(0)));
  Exported exported;
  host.advance(1);
  exported.update(host);
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto text = exported.registry.serialize();
    bytes += text.size();
    benchmark::DoNotOptimize(text.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Serialize)->Arg(100)->Arg(1000)->Arg(5000)->Unit(benchmark::kMicrosecond);

// A v1 memory.stat as the kernel writes it (hierarchical totals at the end).
std::string v1_memory_stat() {
  std::string s;
  const char *keys[] = {"cache", "rss", "rss_huge", "shmem", "mapped_file", "dirty", "writeback", "swap",
                        "pgpgin", "pgpgout", "pgfault", "pgmajfault", "inactive_anon", "active_anon",
                        "inactive_file", "active_file", "unevictable"};
  for (const char *k : keys) s += std::string(k) + " 4096000\n";
  s += "hierarchical_memory_limit 9223372036854771712\nhierarchical_memsw_limit 9223372036854771712\n";
  for (const char *k : keys) s += std::string("total_") + k + " 8192000\n";
  return s;
}

void BM_ParseMemoryStat(benchmark::State &state) {
  const auto content = v1_memory_stat();
  for (auto _ : state) benchmark::DoNotOptimize(memory::parse_memory_stat(content, cgroupfs::MemoryAccounting::v1));
}
BENCHMARK(BM_ParseMemoryStat);

// A container's /proc/PID/net/dev as the kernel writes it: lo and one veth.
void BM_ParseNetDev(benchmark::State &state) {
  const std::string content =
      "Inter-|   Receive                                                |  Transmit\n"
      " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
      "    lo:  123456    1234    0    0    0     0          0         0   123456    1234    0    0    0     0       0          0\n"
      "  eth0: 9876543210 12345678    0   12    0     0          0         0 1234567890 2345678    0    0    0     0       0          0\n";
  std::vector<network::InterfaceCounters> interfaces;  // reused, as the agent reuses each namespace's
  for (auto _ : state) benchmark::DoNotOptimize(network::parse_net_dev(content, interfaces));
}
BENCHMARK(BM_ParseNetDev);

}  // namespace
