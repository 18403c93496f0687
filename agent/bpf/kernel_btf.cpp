#include "bpf/kernel_btf.h"

#include <bpf/btf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "bpf/probe_error.h"

namespace vnf::bpf {

void require_kernel_btf(const char *btf_path) {
  if (access(btf_path, R_OK) != 0)
    throw ProbeError(std::string("kernel BTF not readable at ") + btf_path + ": " + std::strerror(errno) +
                     " (the kernel needs CONFIG_DEBUG_INFO_BTF=y; use --collector=cgroupfs otherwise)");
}

KernelBtf::KernelBtf(const char *btf_path) : btf_(btf__parse(btf_path, nullptr)) {}

KernelBtf::~KernelBtf() { btf__free(btf_); }

const btf_type *KernelBtf::find(std::string_view name, unsigned kind) const {
  if (!btf_) return nullptr;
  const int id = btf__find_by_name_kind(btf_, std::string(name).c_str(), kind);
  return id > 0 ? btf__type_by_id(btf_, static_cast<__u32>(id)) : nullptr;
}

bool KernelBtf::has_struct(std::string_view type) const { return find(type, BTF_KIND_STRUCT) != nullptr; }

bool KernelBtf::struct_has_member(std::string_view type, std::string_view member) const {
  const btf_type *t = find(type, BTF_KIND_STRUCT);
  if (!t) return false;
  const btf_member *m = btf_members(t);
  for (int i = 0; i < btf_vlen(t); ++i, ++m)
    if (btf__name_by_offset(btf_, m->name_off) == member) return true;
  return false;
}

std::vector<std::pair<std::string, std::uint64_t>> KernelBtf::enum_values(std::string_view type) const {
  std::vector<std::pair<std::string, std::uint64_t>> values;
  const btf_type *t = find(type, BTF_KIND_ENUM);
  if (!t) return values;
  const auto *e = btf_enum(t);
  for (int i = 0; i < btf_vlen(t); ++i, ++e)
    values.emplace_back(btf__name_by_offset(btf_, e->name_off), static_cast<std::uint32_t>(e->val));
  return values;
}

}  // namespace vnf::bpf
