#include "bpf/cgroup_iterator.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <utility>
#include <system_error>

#include "common/unique_fd.h"

namespace vnf::bpf {

Link attach_cgroup_iterator(bpf_program *program, const std::filesystem::path &root, const std::string &probe) {
  UniqueFd dir(open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir) throw ProbeError("cannot open cgroup hierarchy " + root.string() + ": " + describe_error(errno));
  union bpf_iter_link_info info {};
  info.cgroup.cgroup_fd = static_cast<__u32>(dir.get());
  info.cgroup.order = BPF_CGROUP_ITER_DESCENDANTS_PRE;
  LIBBPF_OPTS(bpf_iter_attach_opts, opts, .link_info = &info, .link_info_len = sizeof info);
  Link link(bpf_program__attach_iter(program, &opts));
  if (!link) throw ProbeError("cannot attach " + probe + " to " + root.string() + ": " + describe_error(errno));
  return link;
}

void run_cgroup_iterator(const Link &link, const std::string &probe) {
  UniqueFd iter(bpf_iter_create(bpf_link__fd(link.get())));
  if (!iter) throw std::system_error(errno, std::generic_category(), "starting " + probe);
  // A cgroup iterator must finish its walk in one read(): the kernel does not resume a walk
  // once it let cgroup_mutex go. The programs write nothing, so that read walks everything and
  // returns 0.
  char unused[64];
  for (;;) {
    ssize_t n = ::read(iter.get(), unused, sizeof unused);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::system_error(errno, std::generic_category(), "walking with " + probe);
    if (n == 0) break;
  }
}

MappedArray::MappedArray(int fd, std::size_t bytes, const std::string &probe) {
  const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  bytes_ = (bytes + page - 1) / page * page;
  void *address = mmap(nullptr, bytes_, PROT_READ, MAP_SHARED, fd, 0);
  if (address == MAP_FAILED) throw ProbeError("cannot map the records of " + probe + ": " + describe_error(errno));
  address_ = address;
}

MappedArray::~MappedArray() {
  if (address_) munmap(address_, bytes_);
}

MappedArray::MappedArray(MappedArray &&other) noexcept
    : address_(std::exchange(other.address_, nullptr)), bytes_(std::exchange(other.bytes_, 0)) {}

MappedArray &MappedArray::operator=(MappedArray &&other) noexcept {
  std::swap(address_, other.address_);
  std::swap(bytes_, other.bytes_);
  return *this;
}

bool SlotTable::take(std::uint32_t &slot) {
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
    return true;
  }
  if (never_used_ == capacity_) return false;
  slot = never_used_++;
  return true;
}

}  // namespace vnf::bpf
