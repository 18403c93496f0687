#pragma once
// Reading and parsing the small text files cgroupfs exposes.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace vnf::collect {

enum class FileRead { ok, gone, failed };

// Reads a (small) cgroupfs file into `out`. `gone` means the cgroup was removed meanwhile
// (ENOENT/ENODEV), which is part of normal churn, not an error.
FileRead read_cgroup_file(const std::filesystem::path &path, std::string &out, int &error);

// Value of `key` in a flat-keyed file such as cpu.stat ("usage_usec 1234\n...").
std::optional<std::uint64_t> parse_keyed_value(std::string_view content, std::string_view key);

// A file holding one unsigned integer, such as cpuacct.usage.
std::optional<std::uint64_t> parse_single_value(std::string_view content);

}  // namespace vnf::collect
