#include "memory/memcg_iterator.h"

#include <bpf/bpf.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "common/unique_fd.h"
#include "mem.skel.h"
#include "probe_types.h"

namespace vnf::memory {

MemcgIterator::MemcgIterator(const std::filesystem::path &hierarchy_root, std::uint32_t max_cgroups)
    : skel_("the memory cgroup iterator"), overflow_(skel_->maps.overflow) {
  skel_.resize(skel_->maps.memcg_records, max_cgroups);
  skel_.load();
  UniqueFd root(open(hierarchy_root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!root)
    throw bpf::ProbeError("cannot open cgroup hierarchy " + hierarchy_root.string() + ": " + bpf::describe_error(errno));
  union bpf_iter_link_info info {};
  info.cgroup.cgroup_fd = static_cast<__u32>(root.get());
  info.cgroup.order = BPF_CGROUP_ITER_DESCENDANTS_PRE;
  LIBBPF_OPTS(bpf_iter_attach_opts, opts, .link_info = &info, .link_info_len = sizeof info);
  link_.reset(bpf_program__attach_iter(skel_->progs.vnf_memcg_dump, &opts));
  if (!link_)
    throw bpf::ProbeError("cannot attach the memory cgroup iterator to " + hierarchy_root.string() + ": " +
                          bpf::describe_error(errno));
}

MemcgIterator::~MemcgIterator() = default;

const bpf_map *MemcgIterator::records() const { return skel_->maps.memcg_records; }

std::uint64_t MemcgIterator::overflow() const { return overflow_.lost(VNF_OVERFLOW_MEMCG_RECORDS); }

std::uint64_t MemcgIterator::walk() {
  skel_->bss->walk_generation = ++generation_;  // .bss is mapped into this process
  UniqueFd iter(bpf_iter_create(bpf_link__fd(link_.get())));
  if (!iter) throw std::system_error(errno, std::generic_category(), "starting the memory cgroup iterator");
  // The program writes nothing to the iterator's output: the first read() walks everything and
  // returns 0.
  char unused[64];
  for (;;) {
    ssize_t n = ::read(iter.get(), unused, sizeof unused);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::system_error(errno, std::generic_category(), "walking the memory cgroup iterator");
    if (n == 0) break;
  }
  return generation_;
}

}  // namespace vnf::memory
