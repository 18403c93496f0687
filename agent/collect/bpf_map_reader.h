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
  // `value_bytes` is the size of one lookup result: value size times CPU count for per-CPU maps.
  BpfMapReader(int map_fd, std::size_t value_bytes);

  // Calls `sink(key, value)` for every entry. Throws std::system_error on failure.
  void for_each(const std::function<void(std::uint64_t, const void *)> &sink);

 private:
  bool read_batched(const std::function<void(std::uint64_t, const void *)> &sink);
  void read_by_key(const std::function<void(std::uint64_t, const void *)> &sink);

  int fd_;
  std::size_t value_bytes_;
  bool batch_supported_ = true;
  std::vector<std::uint64_t> keys_;
  std::vector<unsigned char> values_;
};

}  // namespace vnf::collect
