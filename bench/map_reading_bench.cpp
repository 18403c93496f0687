// Microbenchmarks of reading the probes' maps as a scrape does: a per-CPU hash of N cgroups
// (cpu_stats' shape) through bpf::MapReader, and one walk of the memcg iterator with its
// records read back. They need root and BPF; without them they report an error instead of a time.

#include <benchmark/benchmark.h>
#include <bpf/bpf.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <memory>
#include <vector>

#include "bpf/map_reader.h"
#include "bpf/per_cpu.h"
#include "bpf/cgroup_iterator.h"
#include "cgroupfs/cgroup_paths.h"
#include "mem.skel.h"
#include "probe_types.h"

namespace {

using namespace vnf;

void BM_ReadPerCpuHash(benchmark::State &state) {
  const auto entries = static_cast<std::uint32_t>(state.range(0));
  int fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_HASH, "bench_cpu_stats", sizeof(std::uint64_t),
                          sizeof(vnf_cpu_stats), entries, nullptr);
  if (fd < 0) {
    state.SkipWithError("cannot create a BPF map (needs root and BPF)");
    return;
  }
  const int ncpus = bpf::possible_cpus();
  std::vector<vnf_cpu_stats> value(static_cast<std::size_t>(ncpus), vnf_cpu_stats{12345});
  for (std::uint64_t key = 0; key < entries; ++key) bpf_map_update_elem(fd, &key, value.data(), BPF_ANY);
  bpf::MapReader reader(fd, sizeof(vnf_cpu_stats) * static_cast<std::size_t>(ncpus));
  for (auto _ : state) {
    std::uint64_t sum = 0;
    reader.for_each([&](std::uint64_t, const void *v) { sum += static_cast<const vnf_cpu_stats *>(v)->on_cpu_ns; });
    benchmark::DoNotOptimize(sum);
  }
  close(fd);
  state.SetItemsProcessed(state.iterations() * entries);
}
BENCHMARK(BM_ReadPerCpuHash)->Arg(100)->Arg(1000)->Arg(5000)->Unit(benchmark::kMicrosecond);

// The directory of this process's own memory cgroup (v1 memory on hybrid hosts, else v2).
std::filesystem::path own_memory_cgroup(std::filesystem::path &root) {
  std::ifstream in("/proc/self/cgroup");
  std::string line, v2;
  while (std::getline(in, line)) {
    const auto path = line.substr(line.rfind(':') + 1);
    if (line.find(":memory:") != std::string::npos) {
      root = "/sys/fs/cgroup/memory";
      return root / path.substr(1);
    }
    if (line.starts_with("0::")) v2 = path;
  }
  root = "/sys/fs/cgroup";
  return root / v2.substr(1);
}

// One walk of the memcg iterator over a memory hierarchy holding N more (empty) cgroups than
// the host's own, made below this process's cgroup, tracked, and removed afterwards; then each
// tracked cgroup's record looked up, as a scrape reads them.
void BM_MemcgIteratorWalk(benchmark::State &state) {
  using Iterator = bpf::CgroupIterator<mem_bpf, vnf_memcg_record>;
  std::filesystem::path root;
  const auto parent = own_memory_cgroup(root) / ("vnf-bench-" + std::to_string(getpid()));
  std::error_code ec;
  std::vector<std::uint64_t> ids;
  for (std::int64_t i = 0; i < state.range(0) && !ec; ++i) {
    const auto dir = parent / ("c" + std::to_string(i));
    std::filesystem::create_directories(dir, ec);
    if (auto id = cgroupfs::inode_of(dir)) ids.push_back(*id);
  }
  std::unique_ptr<Iterator> iterator;
  try {
    if (ec) throw std::runtime_error("cannot create cgroups (needs root): " + ec.message());
    iterator = std::make_unique<Iterator>(
        "the memory cgroup iterator",
        Iterator::Parts{[](mem_bpf &s) { return s.maps.memcg_records; }, [](mem_bpf &s) { return s.maps.record_slots; },
                        [](mem_bpf &s) { return s.progs.vnf_memcg_dump; }},
        root, 65536);
    for (auto id : ids) iterator->track(id, id);
  } catch (const std::exception &e) {
    state.SkipWithError(e.what());
  }
  if (iterator) {
    std::uint64_t records = 0;
    for (auto _ : state) {
      iterator->walk();
      records = 0;
      for (auto id : ids) records += iterator->find(id) != nullptr;
    }
    state.counters["cgroups"] = static_cast<double>(records);
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(records));
  }
  iterator.reset();
  for (std::int64_t i = 0; i < state.range(0); ++i) std::filesystem::remove(parent / ("c" + std::to_string(i)), ec);
  std::filesystem::remove(parent, ec);
}
BENCHMARK(BM_MemcgIteratorWalk)->Arg(100)->Arg(1000)->Arg(5000)->Unit(benchmark::kMicrosecond);

}  // namespace
