#pragma once
// Reads every entry of a BPF hash map: in batches (one syscall per few hundred entries) where
// the kernel supports it, key by key on kernels before 5.6. Keep one reader per map: it
// remembers whether batches work, and reuses its buffers.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

struct bpf_map;

namespace vnf::bpf {

class MapReader {
 public:
  using Sink = std::function<void(const void *key, const void *value)>;

  // The value and key sizes come from the map; a per-CPU map's values are one per possible CPU.
  explicit MapReader(const bpf_map *map);
  // A map known by its descriptor: `value_bytes` is the size of one lookup's result (value size
  // times CPU count for a per-CPU map).
  MapReader(int map_fd, std::size_t value_bytes, std::size_t key_bytes = sizeof(std::uint64_t));

  // Calls `sink(key, value)` for every entry. Throws std::system_error on failure.
  void for_each_key(const Sink &sink);
  // The same for maps keyed by a u64.
  void for_each(const std::function<void(std::uint64_t, const void *)> &sink);
  // One entry: false if it is not there. `value` holds value_bytes().
  bool lookup(const void *key, void *value) const;
  std::size_t value_bytes() const { return value_bytes_; }
  int fd() const { return fd_; }
  std::uint32_t capacity() const { return capacity_; }  // the map's max_entries

 private:
  bool read_batched(const Sink &sink);
  void read_by_key(const Sink &sink);

  int fd_;
  std::size_t value_bytes_;
  std::size_t key_bytes_;
  std::uint32_t capacity_;
  bool batch_supported_ = true;
  std::vector<unsigned char> keys_;
  std::vector<unsigned char> values_;
};

}  // namespace vnf::bpf
