#include "pressure/pressure_records.h"

#include "pressure.skel.h"

namespace vnf::pressure {

PressureRecords::PressureRecords(const std::filesystem::path &unified_root, bool same_as_walked,
                                 std::uint32_t max_cgroups)
    : records_(std::make_unique<Records>(
          "the pressure iterator",
          Records::Iterator::Parts{[](pressure_bpf &s) { return s.maps.pressure_records; },
                                   [](pressure_bpf &s) { return s.maps.record_slots; },
                                   [](pressure_bpf &s) { return s.progs.vnf_pressure_dump; }},
          "pressure_records", unified_root, same_as_walked, max_cgroups)) {}

PressureRecords::~PressureRecords() = default;

CgroupPressure pressure_of(const vnf_pressure_record &record) {
  constexpr std::uint64_t kNsPerUs = 1000;
  auto totals = [&](std::uint64_t some_ns, std::optional<std::uint64_t> full_ns) {
    StallTotals t;
    t.some_us = some_ns / kNsPerUs;
    if (full_ns) t.full_us = *full_ns / kNsPerUs;
    return std::optional(t);
  };
  CgroupPressure p;
  p[static_cast<std::size_t>(Resource::cpu)] =
      totals(record.cpu_some_ns, record.has_cpu_full ? std::optional(record.cpu_full_ns) : std::nullopt);
  p[static_cast<std::size_t>(Resource::memory)] = totals(record.memory_some_ns, record.memory_full_ns);
  p[static_cast<std::size_t>(Resource::io)] = totals(record.io_some_ns, record.io_full_ns);
  return p;
}

PressureByCgroup PressureRecords::read(const cgroupfs::CgroupTree &tree, const std::vector<std::size_t> &tracked) {
  return records_->read<CgroupPressure>(tree, tracked, pressure_of);
}

}  // namespace vnf::pressure
