#include "collect/bpf_map_reader.h"

#include <bpf/bpf.h>

#include <cerrno>
#include <system_error>

namespace vnf::collect {
namespace {
constexpr std::uint32_t kBatchSize = 256;
}

BpfMapReader::BpfMapReader(int map_fd, std::size_t value_bytes)
    : fd_(map_fd), value_bytes_(value_bytes), keys_(kBatchSize), values_(kBatchSize * value_bytes) {}

void BpfMapReader::for_each(const std::function<void(std::uint64_t, const void *)> &sink) {
  if (batch_supported_ && read_batched(sink)) return;
  read_by_key(sink);
}

bool BpfMapReader::read_batched(const std::function<void(std::uint64_t, const void *)> &sink) {
  std::uint64_t token = 0;
  bool first = true;
  LIBBPF_OPTS(bpf_map_batch_opts, opts);
  for (;;) {
    __u32 count = kBatchSize;
    int err = bpf_map_lookup_batch(fd_, first ? nullptr : &token, &token, keys_.data(), values_.data(), &count, &opts);
    int e = err ? errno : 0;
    if (err && e != ENOENT) {
      if (first && (e == EINVAL || e == ENOTSUP || e == EOPNOTSUPP)) {
        batch_supported_ = false;
        return false;
      }
      throw std::system_error(e, std::generic_category(), "reading a BPF map in batches");
    }
    for (__u32 i = 0; i < count; ++i) sink(keys_[i], values_.data() + i * value_bytes_);
    if (err) return true;  // ENOENT: that was the last batch
    first = false;
  }
}

void BpfMapReader::read_by_key(const std::function<void(std::uint64_t, const void *)> &sink) {
  std::uint64_t key = 0, next = 0;
  const std::uint64_t *prev = nullptr;
  while (bpf_map_get_next_key(fd_, prev, &next) == 0) {
    if (bpf_map_lookup_elem(fd_, &next, values_.data()) == 0) sink(next, values_.data());
    key = next;
    prev = &key;
  }
}

}  // namespace vnf::collect
