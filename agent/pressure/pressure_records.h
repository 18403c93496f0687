#pragma once
// PSI totals of every tracked cgroup from the pressure iterator (bpf/pressure.bpf.c): one walk
// of the unified hierarchy per read records each tracked cgroup's stall totals in its slot;
// no file per cgroup. The kernel brings those totals up to date every two seconds while a
// cgroup's tasks change state, and whenever its files are read: the records lag the files by
// at most two seconds of stall, never lead them.

#include <filesystem>
#include <memory>

#include "collector/tracked_cgroup_records.h"
#include "pressure/pressure_source.h"
#include "probe_types.h"

struct pressure_bpf;

namespace vnf::pressure {

class PressureRecords final : public PressureSource {
 public:
  // Loads the iterator with room for `max_cgroups` records and attaches it to the unified
  // hierarchy at `unified_root`; `same_as_walked`: it is the CPU hierarchy, whose ids need no
  // lookup. Throws bpf::ProbeError.
  PressureRecords(const std::filesystem::path &unified_root, bool same_as_walked, std::uint32_t max_cgroups);
  ~PressureRecords() override;

  PressureByCgroup read(const cgroupfs::CgroupTree &tree, const std::vector<std::size_t> &tracked) override;
  void on_discovery(const discover::DiscoverySnapshot &snapshot) override { records_->on_discovery(snapshot); }
  collector::Health health() const override { return records_->health(); }

 private:
  using Records = collector::TrackedCgroupRecords<pressure_bpf, vnf_pressure_record>;
  std::unique_ptr<Records> records_;
};

// The totals a record shows, in µs as the files have them.
CgroupPressure pressure_of(const vnf_pressure_record &record);

}  // namespace vnf::pressure
