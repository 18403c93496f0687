#pragma once
// The running kernel's BTF: whether CO-RE probes can load at all, and the load-time facts the
// probes decide on (a struct member that exists only with some config, an enum's values). One
// parse of the kernel's types costs ~17 ms: parse once and ask it everything.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct btf;
struct btf_type;

namespace vnf::bpf {

inline constexpr const char *kKernelBtf = "/sys/kernel/btf/vmlinux";

// Throws ProbeError if this kernel cannot run CO-RE probes at all (no BTF at `btf_path`).
void require_kernel_btf(const char *btf_path = kKernelBtf);

class KernelBtf {
 public:
  // Parses the BTF at `btf_path`; an unreadable one answers every question in the negative.
  explicit KernelBtf(const char *btf_path = kKernelBtf);
  ~KernelBtf();
  KernelBtf(const KernelBtf &) = delete;
  KernelBtf &operator=(const KernelBtf &) = delete;

  bool has_struct(std::string_view type) const;
  bool struct_has_member(std::string_view type, std::string_view member) const;
  // The enumerators of enum `type`, by name; empty if there is no such enum.
  std::vector<std::pair<std::string, std::uint64_t>> enum_values(std::string_view type) const;

 private:
  const btf_type *find(std::string_view name, unsigned kind) const;  // null if there is none

  btf *btf_;
};

}  // namespace vnf::bpf
