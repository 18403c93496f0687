#include "probes/cgroup_events.h"

#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>

#include "cgroup_events.skel.h"
#include "collect/bpf_map_reader.h"
#include "probes/cpu_probe.h"

namespace vnf::probes {

CgroupEvents::CgroupEvents() {
  require_kernel_btf();
  skel_ = cgroup_events_bpf::open_and_load();
  if (!skel_) throw ProbeError(std::string("cannot load the cgroup event probe: ") + std::strerror(errno));
  int err = cgroup_events_bpf::attach(skel_);
  if (!err) {
    ring_ = ring_buffer__new(bpf_map__fd(skel_->maps.events), on_event, this, nullptr);
    if (!ring_) err = -errno;
  }
  if (err) {
    cgroup_events_bpf::destroy(skel_);
    throw ProbeError(std::string("cannot attach the cgroup event probe: ") + std::strerror(-err));
  }
}

CgroupEvents::~CgroupEvents() {
  ring_buffer__free(ring_);
  cgroup_events_bpf::destroy(skel_);
}

int CgroupEvents::on_event(void *self, void *, std::size_t) {
  ++static_cast<CgroupEvents *>(self)->received_;
  return 0;
}

std::uint64_t CgroupEvents::drain() {
  const auto before = received_;
  ring_buffer__consume(ring_);
  return received_ - before;
}

std::uint64_t CgroupEvents::wait(int timeout_ms) {
  const auto before = received_;
  ring_buffer__poll(ring_, timeout_ms);
  return received_ - before;
}

int CgroupEvents::fd() const { return ring_buffer__epoll_fd(ring_); }

std::uint64_t CgroupEvents::lost() const {
  return collect::read_percpu_counter(bpf_map__fd(skel_->maps.events_lost), 0);
}

}  // namespace vnf::probes
