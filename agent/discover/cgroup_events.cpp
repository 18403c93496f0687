#include "discover/cgroup_events.h"

#include <cerrno>

#include "bpf/overflow_counters.h"
#include "cgroup_events.skel.h"
#include "probe_types.h"

namespace vnf::discover {

CgroupEvents::CgroupEvents() : skel_("the cgroup event probe") {
  skel_.load();
  skel_.attach();
  ring_.reset(ring_buffer__new(bpf_map__fd(skel_->maps.events), on_event, this, nullptr));
  if (!ring_) throw bpf::ProbeError("cannot attach the cgroup event probe: " + bpf::describe_error(errno));
}

CgroupEvents::~CgroupEvents() = default;

int CgroupEvents::on_event(void *self, void *, std::size_t) {
  ++static_cast<CgroupEvents *>(self)->received_;
  return 0;
}

std::uint64_t CgroupEvents::drain() {
  const auto before = received_;
  ring_buffer__consume(ring_.get());
  return received_ - before;
}

int CgroupEvents::fd() const { return ring_buffer__epoll_fd(ring_.get()); }

std::uint64_t CgroupEvents::lost() const {
  return bpf::OverflowCounters(skel_->maps.overflow).lost(VNF_OVERFLOW_CGROUP_EVENTS);
}

}  // namespace vnf::discover
