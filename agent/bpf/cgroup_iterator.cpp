#include "bpf/cgroup_iterator.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
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

}  // namespace vnf::bpf
