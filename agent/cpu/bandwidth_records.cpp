#include "cpu/bandwidth_records.h"

#include <limits>

#include "cpu_bandwidth.skel.h"

namespace vnf::cpu {

BandwidthRecords::BandwidthRecords(const cgroupfs::CgroupLayout &layout, std::uint32_t max_cgroups)
    : records_(std::make_unique<Records>(
          "the CPU bandwidth iterator",
          Records::Iterator::Parts{[](cpu_bandwidth_bpf &s) { return s.maps.bandwidth_records; },
                                   [](cpu_bandwidth_bpf &s) { return s.maps.record_slots; },
                                   [](cpu_bandwidth_bpf &s) { return s.progs.vnf_bandwidth_dump; }},
          "bandwidth_records", layout.bandwidth_root, layout.bandwidth_root == layout.cpu_root, max_cgroups)) {}

BandwidthRecords::~BandwidthRecords() = default;

CpuBandwidth bandwidth_of(const vnf_bandwidth_record &record) {
  CpuBandwidth b;
  // RUNTIME_INF: cpu.max "max", cpu.cfs_quota_us -1.
  if (record.quota_ns != std::numeric_limits<std::uint64_t>::max() && record.quota_ns > 0 && record.period_ns > 0)
    b.limit_cores = static_cast<double>(record.quota_ns) / static_cast<double>(record.period_ns);
  b.periods = record.periods;
  b.throttled_periods = record.throttled_periods;
  b.throttled_ns = record.throttled_ns;
  return b;
}

CpuBandwidthByCgroup BandwidthRecords::read(const cgroupfs::CgroupTree &tree, const std::vector<std::size_t> &tracked) {
  return records_->read<CpuBandwidth>(tree, tracked, bandwidth_of);
}

}  // namespace vnf::cpu
