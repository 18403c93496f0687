#pragma once
// Owners of the libbpf handles a probe holds besides its skeleton.

#include <bpf/libbpf.h>

#include <memory>

namespace vnf::bpf {

struct LinkDestroyer {
  void operator()(bpf_link *link) const { bpf_link__destroy(link); }
};
// A program attached somewhere; detached when the owner goes.
using Link = std::unique_ptr<bpf_link, LinkDestroyer>;

}  // namespace vnf::bpf
