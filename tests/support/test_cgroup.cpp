#include "support/test_cgroup.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <cerrno>
#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "cgroupfs/cgroup_files.h"
#include "cgroupfs/cgroup_paths.h"

namespace vnf::test {
namespace {

// This process's cgroup path: its v1 memory cgroup on hybrid hosts, else its v2 cgroup.
std::string own_cgroup_path() {
  std::ifstream in("/proc/self/cgroup");
  std::string line, v2_path, memory_path;
  while (std::getline(in, line)) {
    auto first = line.find(':'), second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    std::string controllers = line.substr(first + 1, second - first - 1);
    std::string path = line.substr(second + 1);
    if (controllers.empty()) v2_path = path;
    std::stringstream list(controllers);
    for (std::string c; std::getline(list, c, ',');)
      if (c == "memory") memory_path = path;
  }
  return memory_path.empty() ? v2_path : memory_path;
}

std::vector<std::filesystem::path> hierarchy_roots() {
  std::ifstream mountinfo("/proc/self/mountinfo");
  std::vector<std::filesystem::path> roots;
  for (const auto &m : cgroupfs::parse_cgroup_mounts(mountinfo)) {
    bool wanted = m.v2;
    for (const auto &c : m.controllers) wanted |= c == "cpu" || c == "cpuacct" || c == "memory";
    if (wanted && std::find(roots.begin(), roots.end(), m.mount_point) == roots.end()) roots.push_back(m.mount_point);
  }
  return roots;
}

// Parent directories that tests created (absent before), shared by every TestCgroup below
// them: the last one to go removes them.
struct SharedParents {
  std::mutex mutex;
  std::map<std::filesystem::path, int> users;
};
SharedParents &shared_parents() {
  static SharedParents parents;
  return parents;
}

void rmdir_when_idle(const std::filesystem::path &dir) {
  // A cgroup whose last task just died can stay busy for a moment.
  for (int attempt = 0; attempt < 100; ++attempt) {
    if (rmdir(dir.c_str()) == 0 || errno != EBUSY) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void write_file(const std::filesystem::path &path, const std::string &text) {
  std::ofstream out(path);
  out << text;
  out.flush();
  if (!out) throw std::runtime_error("cannot write " + path.string() + ": " + std::strerror(errno));
}

bool listed(const std::string &list, const std::string &name) {
  std::stringstream words(list);
  for (std::string word; words >> word;)
    if (word == name) return true;
  return false;
}

std::string read_text(const std::filesystem::path &path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

// On cgroup v2 a child has cpu.* and memory.* files only when its parent delegates those
// controllers, as systemd and container runtimes do down to each pod. Hosts that mount v2
// without a manager (a bare VM) delegate nothing, so the test parents do it themselves. A
// parent that holds processes cannot delegate (v2's no-internal-process rule). Returns whether
// `dir` delegates memory now, or has none to delegate (v1 and hybrid hosts: nothing to do).
bool delegate_controllers(const std::filesystem::path &dir) {
  const std::string available = read_text(dir / "cgroup.controllers");
  const std::string delegated = read_text(dir / "cgroup.subtree_control");
  for (const std::string controller : {"cpu", "memory"}) {
    if (!listed(available, controller) || listed(delegated, controller)) continue;
    std::ofstream out(dir / "cgroup.subtree_control");
    out << "+" << controller;
  }
  return !listed(available, "memory") || listed(read_text(dir / "cgroup.subtree_control"), "memory");
}

}  // namespace

TestCgroup::TestCgroup(const std::string &name) : name_(name), layout_(cgroupfs::detect_cgroup_layout()) {
  std::string base = own_cgroup_path();
  // On cgroup v2 this process's own cgroup holds processes (this one at least) and so cannot
  // give memory to children, unless it is the root or a manager already delegated it (v1 has
  // no such rule). Then the test cgroups go below a parent of their own at the top, as a
  // runtime's would.
  if (layout_.memory == cgroupfs::MemoryAccounting::v2 && !delegate_controllers(layout_.memory_root / base.substr(1)))
    base = "/vnf-agent-tests";
  if (base.empty() || base.back() != '/') base += '/';
  relative_path_ = base + name;
  try {
    create();
  } catch (...) {
    remove();  // no half-made cgroups left behind
    throw;
  }
}

void TestCgroup::create() {
  auto &parents = shared_parents();
  std::lock_guard lock(parents.mutex);
  for (const auto &root : hierarchy_roots()) {
    std::filesystem::path dir = root;
    delegate_controllers(dir);
    std::stringstream parts(relative_path_);
    std::vector<std::string> components;
    for (std::string part; std::getline(parts, part, '/');)
      if (!part.empty()) components.push_back(part);
    for (std::size_t i = 0; i < components.size(); ++i) {
      dir /= components[i];
      const bool leaf = i + 1 == components.size();
      if (mkdir(dir.c_str(), 0755) == 0) {
        if (leaf) leaves_.push_back(dir);
        else parents.users[dir] = 0;
      } else if (errno != EEXIST || leaf) {
        throw std::runtime_error("cannot create cgroup " + dir.string() + ": " + std::strerror(errno));
      }
      if (leaf) continue;
      delegate_controllers(dir);
      if (parents.users.count(dir)) {
        ++parents.users[dir];
        parents_.push_back(dir);
      }
    }
  }
}

TestCgroup::~TestCgroup() {
  for (const auto &leaf : leaves_) {
    std::ifstream procs(leaf / "cgroup.procs");  // only our own children can be inside
    for (pid_t pid; procs >> pid;) kill(pid, SIGKILL);
  }
  remove();
}

std::filesystem::path TestCgroup::v2_dir() const {
  if (layout_.unified_root.empty()) return {};
  return cgroupfs::cgroup_dir(layout_.unified_root, relative_path_);
}

void TestCgroup::add_process(pid_t pid) const {
  for (const auto &leaf : leaves_) write_file(leaf / "cgroup.procs", std::to_string(pid));
}

std::uint64_t TestCgroup::kernel_cpu_ns() const {
  const bool v2 = layout_.cpu == cgroupfs::CpuAccounting::v2;
  auto path = layout_.cpu_root / relative_path_.substr(1) / (v2 ? "cpu.stat" : "cpuacct.usage");
  std::string content;
  int error = 0;
  if (cgroupfs::read_cgroup_file(path, content, error) != cgroupfs::FileRead::ok)
    throw std::runtime_error("cannot read " + path.string());
  auto value = v2 ? cgroupfs::parse_keyed_value(content, "usage_usec") : cgroupfs::parse_single_value(content);
  if (!value) throw std::runtime_error("unexpected content in " + path.string());
  return v2 ? *value * 1000 : *value;
}

std::filesystem::path TestCgroup::memory_dir() const {
  if (layout_.memory == cgroupfs::MemoryAccounting::none) throw std::runtime_error("no memory controller mounted");
  return layout_.memory_root / relative_path_.substr(1);
}

std::string TestCgroup::read_memory_file(const std::string &name) const {
  std::string content;
  int error = 0;
  if (cgroupfs::read_cgroup_file(memory_dir() / name, content, error) != cgroupfs::FileRead::ok)
    throw std::runtime_error("cannot read " + (memory_dir() / name).string());
  return content;
}

void TestCgroup::set_memory_limit(std::uint64_t bytes) const {
  const auto dir = memory_dir();
  if (memory_v2()) {
    write_file(dir / "memory.max", std::to_string(bytes));
    if (std::filesystem::exists(dir / "memory.swap.max")) write_file(dir / "memory.swap.max", "0");
  } else {
    write_file(dir / "memory.limit_in_bytes", std::to_string(bytes));
    if (std::filesystem::exists(dir / "memory.memsw.limit_in_bytes"))
      write_file(dir / "memory.memsw.limit_in_bytes", std::to_string(bytes));
  }
}

std::uint64_t TestCgroup::kernel_memory_usage() const {
  auto value = cgroupfs::parse_single_value(read_memory_file(memory_v2() ? "memory.current" : "memory.usage_in_bytes"));
  if (!value) throw std::runtime_error("unexpected memory usage file content");
  return *value;
}

std::string TestCgroup::kernel_memory_limit_text() const {
  auto text = read_memory_file(memory_v2() ? "memory.max" : "memory.limit_in_bytes");
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

std::uint64_t TestCgroup::kernel_memory_stat(const std::string &key) const {
  auto value = cgroupfs::parse_keyed_value(read_memory_file("memory.stat"), key);
  if (!value) throw std::runtime_error("memory.stat has no " + key);
  return *value;
}

std::filesystem::path TestCgroup::bandwidth_dir() const {
  if (layout_.bandwidth == cgroupfs::BandwidthAccounting::none) throw std::runtime_error("no cpu controller mounted");
  return layout_.bandwidth_root / relative_path_.substr(1);
}

void TestCgroup::set_cpu_limit(std::uint64_t quota_us, std::uint64_t period_us) const {
  const auto dir = bandwidth_dir();
  if (layout_.bandwidth == cgroupfs::BandwidthAccounting::v2) {
    write_file(dir / "cpu.max", std::to_string(quota_us) + " " + std::to_string(period_us));
  } else {
    write_file(dir / "cpu.cfs_period_us", std::to_string(period_us));
    write_file(dir / "cpu.cfs_quota_us", std::to_string(quota_us));
  }
}

TestCgroup::Throttling TestCgroup::kernel_throttling() const {
  const bool v2 = layout_.bandwidth == cgroupfs::BandwidthAccounting::v2;
  const auto text = read_text(bandwidth_dir() / "cpu.stat");
  auto periods = cgroupfs::parse_keyed_value(text, "nr_periods");
  auto throttled = cgroupfs::parse_keyed_value(text, "nr_throttled");
  auto time = cgroupfs::parse_keyed_value(text, v2 ? "throttled_usec" : "throttled_time");
  if (!periods || !throttled || !time) throw std::runtime_error("cpu.stat has no throttling counters:\n" + text);
  return {*periods, *throttled, v2 ? *time * 1000 : *time};
}

std::uint64_t TestCgroup::kernel_pressure_us(const std::string &resource, const std::string &kind) const {
  const auto file = v2_dir() / (resource + ".pressure");
  std::istringstream lines(read_text(file));
  for (std::string line; std::getline(lines, line);) {
    const auto total = line.find(" total=");
    if (line.rfind(kind + " ", 0) == 0 && total != std::string::npos) return std::stoull(line.substr(total + 7));
  }
  throw std::runtime_error(file.string() + " has no " + kind + " total");
}

void TestCgroup::remove() {
  for (const auto &leaf : leaves_) rmdir_when_idle(leaf);
  leaves_.clear();
  auto &parents = shared_parents();
  std::lock_guard lock(parents.mutex);
  for (auto it = parents_.rbegin(); it != parents_.rend(); ++it) {  // deepest first
    if (--parents.users[*it] > 0) continue;
    parents.users.erase(*it);
    rmdir_when_idle(*it);
  }
  parents_.clear();
}

}  // namespace vnf::test
