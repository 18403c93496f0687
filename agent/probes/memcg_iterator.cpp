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

MemcgIterator::MemcgIterator(const std::filesystem::path &hierarchy_root) {
  require_kernel_btf();
  skel_ = mem_bpf::open_and_load();
  if (!skel_) throw ProbeError(std::string("cannot load the memory cgroup iterator: ") + std::strerror(errno));

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

std::vector<vnf_memcg_record> MemcgIterator::read() const {
  Fd iter(bpf_iter_create(bpf_link__fd(link_)));
  if (iter.get() < 0) throw std::system_error(errno, std::generic_category(), "starting the memory cgroup iterator");
  std::vector<vnf_memcg_record> records;
  std::vector<char> buf(64 * 1024);
  std::size_t filled = 0;
  for (;;) {
    ssize_t n = ::read(iter.get(), buf.data() + filled, buf.size() - filled);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::system_error(errno, std::generic_category(), "reading the memory cgroup iterator");
    if (n == 0) break;
    filled += static_cast<std::size_t>(n);
    const std::size_t whole = filled / sizeof(vnf_memcg_record);
    const std::size_t before = records.size();
    records.resize(before + whole);
    std::memcpy(records.data() + before, buf.data(), whole * sizeof(vnf_memcg_record));
    const std::size_t rest = filled - whole * sizeof(vnf_memcg_record);
    std::memmove(buf.data(), buf.data() + whole * sizeof(vnf_memcg_record), rest);
    filled = rest;
  }
  return records;
}

}  // namespace vnf::probes
