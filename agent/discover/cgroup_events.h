#pragma once
// The cgroup event probe (bpf/cgroup_events.bpf.c): tells discovery that cgroups were created
// or removed since it last looked.

#include <bpf/libbpf.h>

#include <cstdint>
#include <memory>

#include "bpf/skeleton.h"

struct cgroup_events_bpf;

namespace vnf::discover {

class CgroupEvents {
 public:
  // Throws bpf::ProbeError; needs the kernel BTF (bpf::require_kernel_btf), as every probe does.
  CgroupEvents();
  ~CgroupEvents();

  // Events that arrived since the last call, without waiting.
  std::uint64_t drain();
  // Readable (poll) when events are waiting.
  int fd() const;
  // Events lost to a full buffer, so far.
  std::uint64_t lost() const;

 private:
  struct RingFree {
    void operator()(ring_buffer *ring) const { ring_buffer__free(ring); }
  };
  static int on_event(void *self, void *data, std::size_t size);

  bpf::Skeleton<cgroup_events_bpf> skel_;
  std::unique_ptr<ring_buffer, RingFree> ring_;
  std::uint64_t received_ = 0;
};

}  // namespace vnf::discover
