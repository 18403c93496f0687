#include "bpf/map_reader.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "bpf/per_cpu.h"

namespace vnf::bpf {
namespace {

constexpr std::uint32_t kBatchSize = 256;

bool is_per_cpu(const bpf_map *map) {
  switch (bpf_map__type(map)) {
    case BPF_MAP_TYPE_PERCPU_HASH:
    case BPF_MAP_TYPE_PERCPU_ARRAY:
    case BPF_MAP_TYPE_LRU_PERCPU_HASH:
      return true;
    default:
      return false;
  }
}

// The kernel rounds each CPU's value up to 8 bytes.
std::size_t lookup_bytes(const bpf_map *map) {
  const std::size_t value = bpf_map__value_size(map);
  if (!is_per_cpu(map)) return value;
  return (value + 7) / 8 * 8 * static_cast<std::size_t>(possible_cpus());
}

}  // namespace

MapReader::MapReader(const bpf_map *map) : MapReader(bpf_map__fd(map), lookup_bytes(map), bpf_map__key_size(map)) {}

MapReader::MapReader(int map_fd, std::size_t value_bytes, std::size_t key_bytes)
    : fd_(map_fd),
      value_bytes_(value_bytes),
      key_bytes_(key_bytes),
      capacity_(0),
      keys_(kBatchSize * key_bytes),
      values_(kBatchSize * value_bytes) {
  bpf_map_info info{};
  __u32 len = sizeof info;
  if (bpf_obj_get_info_by_fd(fd_, &info, &len) == 0) capacity_ = info.max_entries;
}

void MapReader::for_each_key(const Sink &sink) {
  if (batch_supported_ && read_batched(sink)) return;
  read_by_key(sink);
}

void MapReader::for_each(const std::function<void(std::uint64_t, const void *)> &sink) {
  for_each_key([&sink](const void *key, const void *value) {
    std::uint64_t k;
    std::memcpy(&k, key, sizeof k);
    sink(k, value);
  });
}

bool MapReader::lookup(const void *key, void *value) const { return bpf_map_lookup_elem(fd_, key, value) == 0; }

bool MapReader::read_batched(const Sink &sink) {
  std::vector<unsigned char> token(key_bytes_);
  bool first = true;
  LIBBPF_OPTS(bpf_map_batch_opts, opts);
  for (;;) {
    __u32 count = kBatchSize;
    int err = bpf_map_lookup_batch(fd_, first ? nullptr : token.data(), token.data(), keys_.data(), values_.data(),
                                   &count, &opts);
    int e = err ? errno : 0;
    if (err && e != ENOENT) {
      if (first && (e == EINVAL || e == ENOTSUP || e == EOPNOTSUPP)) {
        batch_supported_ = false;
        return false;
      }
      throw std::system_error(e, std::generic_category(), "reading a BPF map in batches");
    }
    for (__u32 i = 0; i < count; ++i) sink(keys_.data() + i * key_bytes_, values_.data() + i * value_bytes_);
    if (err) return true;  // ENOENT: that was the last batch
    first = false;
  }
}

void MapReader::read_by_key(const Sink &sink) {
  std::vector<unsigned char> key(key_bytes_), next(key_bytes_);
  const void *prev = nullptr;
  while (bpf_map_get_next_key(fd_, prev, next.data()) == 0) {
    if (bpf_map_lookup_elem(fd_, next.data(), values_.data()) == 0) sink(next.data(), values_.data());
    key = next;
    prev = key.data();
  }
}

}  // namespace vnf::bpf
