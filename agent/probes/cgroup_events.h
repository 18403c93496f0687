#pragma once
// The cgroup event probe (bpf/cgroup_events.bpf.c): tells the agent that cgroups were created
// or removed since it last looked.

#include <cstdint>

struct cgroup_events_bpf;
struct ring_buffer;

namespace vnf::probes {

class CgroupEvents {
 public:
  CgroupEvents();  // throws ProbeError
  ~CgroupEvents();
  CgroupEvents(const CgroupEvents &) = delete;
  CgroupEvents &operator=(const CgroupEvents &) = delete;

  // Events that arrived since the last call, without waiting.
  std::uint64_t drain();
  // Waits up to `timeout_ms` for events; returns how many arrived.
  std::uint64_t wait(int timeout_ms);
  // Readable (poll) when events are waiting.
  int fd() const;
  // Events lost to a full buffer, so far.
  std::uint64_t lost() const;

 private:
  static int on_event(void *self, void *data, std::size_t size);

  cgroup_events_bpf *skel_ = nullptr;
  ring_buffer *ring_ = nullptr;
  std::uint64_t received_ = 0;
};

}  // namespace vnf::probes
