#pragma once
// CPU bandwidth of every tracked cgroup from the CPU bandwidth iterator (bpf/cpu_bandwidth.bpf.c):
// one walk of the cpu hierarchy per read records each tracked cgroup's quota, period and
// throttling in its slot; no file per cgroup.

#include <filesystem>
#include <memory>

#include "collector/tracked_cgroup_records.h"
#include "cgroupfs/cgroup_layout.h"
#include "cpu/bandwidth_source.h"
#include "probe_types.h"

struct cpu_bandwidth_bpf;

namespace vnf::cpu {

class BandwidthRecords final : public BandwidthSource {
 public:
  // Loads the iterator with room for `max_cgroups` records and attaches it to the layout's
  // cpu hierarchy. Throws bpf::ProbeError.
  BandwidthRecords(const cgroupfs::CgroupLayout &layout, std::uint32_t max_cgroups);
  ~BandwidthRecords() override;

  CpuBandwidthByCgroup read(const cgroupfs::CgroupTree &tree, const std::vector<std::size_t> &tracked) override;
  void on_discovery(const discover::DiscoverySnapshot &snapshot) override { records_->on_discovery(snapshot); }
  collector::Health health() const override { return records_->health(); }

 private:
  using Records = collector::TrackedCgroupRecords<cpu_bandwidth_bpf, vnf_bandwidth_record>;
  std::unique_ptr<Records> records_;
};

// The bandwidth a record shows.
CpuBandwidth bandwidth_of(const vnf_bandwidth_record &record);

}  // namespace vnf::cpu
