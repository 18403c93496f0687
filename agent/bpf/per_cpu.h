#pragma once
// Per-CPU map values: one value per possible CPU, one after another.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace vnf::bpf {

// Number of possible CPUs, the length of every per-CPU value (read once). Throws std::system_error.
int possible_cpus();

// The sum over `ncpus` CPUs of a per-CPU value made of u64 counters only, as every value of
// bpf/probe_types.h is: field by field.
template <typename T>
T sum_per_cpu(const void *per_cpu, int ncpus) {
  static_assert(std::is_trivially_copyable_v<T> && sizeof(T) % sizeof(std::uint64_t) == 0,
                "a per-CPU counter value is a struct of u64");
  constexpr std::size_t kWords = sizeof(T) / sizeof(std::uint64_t);
  std::array<std::uint64_t, kWords> total{}, value{};
  const auto *bytes = static_cast<const unsigned char *>(per_cpu);
  for (int cpu = 0; cpu < ncpus; ++cpu) {
    std::memcpy(value.data(), bytes + static_cast<std::size_t>(cpu) * sizeof(T), sizeof(T));
    for (std::size_t i = 0; i < kWords; ++i) total[i] += value[i];
  }
  T sum;
  std::memcpy(&sum, total.data(), sizeof(T));
  return sum;
}

}  // namespace vnf::bpf
