#include "probes/memcg_iterator.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "mem.skel.h"
#include "probes/cpu_probe.h"

namespace vnf::probes {
namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd &) = delete;
  Fd &operator=(const Fd &) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

MemcgIterator::MemcgIterator(const std::filesystem::path &hierarchy_root, std::uint32_t max_cgroups) {
  require_kernel_btf();
  skel_ = mem_bpf::open();
  if (!skel_) throw ProbeError(std::string("cannot open the memory cgroup iterator: ") + std::strerror(errno));
  int err = bpf_map__set_max_entries(skel_->maps.memcg_records, max_cgroups);
  if (!err) err = mem_bpf::load(skel_);
  if (err) {
    mem_bpf::destroy(skel_);
    throw ProbeError(std::string("cannot load the memory cgroup iterator: ") + std::strerror(-err));
  }

  Fd root(open(hierarchy_root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (root.get() < 0) {
    int err = errno;
    mem_bpf::destroy(skel_);
    throw ProbeError("cannot open cgroup hierarchy " + hierarchy_root.string() + ": " + std::strerror(err));
  }
  union bpf_iter_link_info info {};
  info.cgroup.cgroup_fd = static_cast<__u32>(root.get());
  info.cgroup.order = BPF_CGROUP_ITER_DESCENDANTS_PRE;
  LIBBPF_OPTS(bpf_iter_attach_opts, opts, .link_info = &info, .link_info_len = sizeof info);
  link_ = bpf_program__attach_iter(skel_->progs.vnf_memcg_dump, &opts);
  if (!link_) {
    int err = errno;
    mem_bpf::destroy(skel_);
    throw ProbeError("cannot attach the memory cgroup iterator to " + hierarchy_root.string() + ": " +
                     std::strerror(err));
  }
}

MemcgIterator::~MemcgIterator() {
  bpf_link__destroy(link_);
  mem_bpf::destroy(skel_);
}

int MemcgIterator::program_fd() const { return bpf_program__fd(skel_->progs.vnf_memcg_dump); }

int MemcgIterator::records_fd() const { return bpf_map__fd(skel_->maps.memcg_records); }

std::uint32_t MemcgIterator::capacity() const { return bpf_map__max_entries(skel_->maps.memcg_records); }

std::uint64_t MemcgIterator::dropped() const { return skel_->bss->records_dropped; }

std::uint64_t MemcgIterator::walk() {
  skel_->bss->walk_generation = ++generation_;  // .bss is mapped into this process
  Fd iter(bpf_iter_create(bpf_link__fd(link_)));
  if (iter.get() < 0) throw std::system_error(errno, std::generic_category(), "starting the memory cgroup iterator");
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

}  // namespace vnf::probes
