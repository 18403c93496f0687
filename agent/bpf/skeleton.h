#pragma once
// The owner of one probe's bpftool skeleton (<name>.skel.h): opened at construction, sized,
// loaded and attached in steps, and destroyed with its owner whichever step failed. Each step
// throws ProbeError naming the probe.

#include <bpf/libbpf.h>

#include <cerrno>
#include <cstdint>
#include <string>

#include "bpf/probe_error.h"

namespace vnf::bpf {

template <typename Skel>
class Skeleton {
 public:
  // `probe` names it in errors, e.g. "the CPU probe".
  explicit Skeleton(std::string probe) : probe_(std::move(probe)), skel_(Skel::open()) {
    if (!skel_) throw ProbeError("cannot open " + probe_ + ": " + describe_error(errno));
  }
  ~Skeleton() { Skel::destroy(skel_); }
  Skeleton(const Skeleton &) = delete;
  Skeleton &operator=(const Skeleton &) = delete;

  Skel *operator->() const { return skel_; }
  const bpf_object *object() const { return skel_->obj; }

  // Before load(): how many entries `map` holds.
  void resize(bpf_map *map, std::uint32_t entries) { check(bpf_map__set_max_entries(map, entries), "load"); }
  void load() { check(Skel::load(skel_), "load"); }
  // Attaches every program that declares where it attaches; `where` names those places in errors.
  void attach(const std::string &where = "") {
    const int err = Skel::attach(skel_);
    if (err) throw ProbeError("cannot attach " + probe_ + (where.empty() ? "" : " to " + where) + ": " + describe_error(err));
  }

 private:
  void check(int err, const char *step) {
    if (err) throw ProbeError("cannot " + std::string(step) + " " + probe_ + ": " + describe_error(err));
  }

  std::string probe_;
  Skel *skel_;
};

}  // namespace vnf::bpf
