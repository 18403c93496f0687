#pragma once
// Reads all entries of a BPF hash map keyed by u64: in batches (one syscall per few hundred
// entries) where the kernel supports it, key by key on kernels before 5.6.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace vnf::collect {

class BpfMapReader {
 public:
  using Sink = std::function<void(const void *key, const void *value)>;

  // `value_bytes` is the size of one lookup result: value size times CPU count for per-CPU maps.
  BpfMapReader(int map_fd, std::size_t value_bytes, std::size_t key_bytes = sizeof(std::uint64_t));

  // Calls `sink(key, value)` for every entry. Throws std::system_error on failure.
  void for_each_key(const Sink &sink);
  // The same for maps keyed by a u64.
  void for_each(const std::function<void(std::uint64_t, const void *)> &sink);

 private:
  bool read_batched(const Sink &sink);
  void read_by_key(const Sink &sink);

  int fd_;
  std::size_t value_bytes_;
  std::size_t key_bytes_;
  bool batch_supported_ = true;
  std::vector<unsigned char> keys_;
  std::vector<unsigned char> values_;
};

// Sum over CPUs of slot `index` of a per-CPU array of u64 counters; 0 if unreadable.
std::uint64_t read_percpu_counter(int map_fd, std::uint32_t index);

// Number of possible CPUs, the length of every per-CPU value. Throws std::system_error.
int possible_cpus();

}  // namespace vnf::collect
