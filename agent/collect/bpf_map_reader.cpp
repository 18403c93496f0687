#include "collect/bpf_map_reader.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace vnf::collect {
namespace {
constexpr std::uint32_t kBatchSize = 256;
}

BpfMapReader::BpfMapReader(int map_fd, std::size_t value_bytes, std::size_t key_bytes)
    : fd_(map_fd),
      value_bytes_(value_bytes),
      key_bytes_(key_bytes),
      keys_(kBatchSize * key_bytes),
      values_(kBatchSize * value_bytes) {}

void BpfMapReader::for_each_key(const Sink &sink) {
  if (batch_supported_ && read_batched(sink)) return;
  read_by_key(sink);
}

void BpfMapReader::for_each(const std::function<void(std::uint64_t, const void *)> &sink) {
  for_each_key([&sink](const void *key, const void *value) {
    std::uint64_t k;
    std::memcpy(&k, key, sizeof k);
    sink(k, value);
  });
}

bool BpfMapReader::read_batched(const Sink &sink) {
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

void BpfMapReader::read_by_key(const Sink &sink) {
  std::vector<unsigned char> key(key_bytes_), next(key_bytes_);
  const void *prev = nullptr;
  while (bpf_map_get_next_key(fd_, prev, next.data()) == 0) {
    if (bpf_map_lookup_elem(fd_, next.data(), values_.data()) == 0) sink(next.data(), values_.data());
    key = next;
    prev = key.data();
  }
}

int possible_cpus() {
  int n = libbpf_num_possible_cpus();
  if (n <= 0) throw std::system_error(-n, std::generic_category(), "cannot count possible CPUs");
  return n;
}

std::uint64_t read_percpu_counter(int map_fd, std::uint32_t index) {
  static const int ncpus = possible_cpus();
  std::vector<std::uint64_t> per_cpu(static_cast<std::size_t>(ncpus));
  std::uint64_t total = 0;
  if (bpf_map_lookup_elem(map_fd, &index, per_cpu.data()) == 0)
    for (auto n : per_cpu) total += n;
  return total;
}

}  // namespace vnf::collect
