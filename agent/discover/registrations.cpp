#include "discover/registrations.h"

#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "cgroupfs/cgroup_paths.h"
#include "discover/vnf_identity.h"

namespace vnf::discover {

std::size_t Registrations::keep_in(RegistrationFile file) {
  std::lock_guard lock(mutex_);
  file_ = std::move(file);
  std::map<std::string, VnfIdentity> saved;
  try {
    saved = file_->load();
  } catch (const std::runtime_error &e) {
    const auto aside = file_->path().string() + ".bad";
    std::error_code ec;
    std::filesystem::rename(file_->path(), aside, ec);
    throw std::runtime_error(std::string(e.what()) + (ec ? "; it could not be set aside: " + ec.message()
                                                         : "; set aside as " + aside));
  }
  for (auto &[path, identity] : saved)
    if (path.find("/../") == std::string::npos) by_path_[path] = sanitized_identity(std::move(identity));
  return by_path_.size();
}

void Registrations::add(const std::string &cgroup_path, const VnfIdentity &identity) {
  std::lock_guard lock(mutex_);
  auto changed = by_path_;
  changed[cgroup_path] = identity;
  if (file_) file_->save(changed);
  by_path_ = std::move(changed);
}

std::optional<VnfIdentity> Registrations::find(const std::string &cgroup_path) const {
  std::lock_guard lock(mutex_);
  auto it = by_path_.find(cgroup_path);
  if (it == by_path_.end()) return std::nullopt;
  return it->second;
}

void Registrations::retain(const std::unordered_set<std::string> &live_paths) {
  std::lock_guard lock(mutex_);
  const auto before = by_path_.size();
  std::erase_if(by_path_, [&](const auto &entry) { return !live_paths.count(entry.first); });
  if (!file_ || by_path_.size() == before) return;
  try {
    file_->save(by_path_);
  } catch (const std::runtime_error &e) {
    spdlog::warn("api: {}", e.what());
  }
}

std::size_t Registrations::size() const {
  std::lock_guard lock(mutex_);
  return by_path_.size();
}

std::optional<std::string> cgroup_path_of_pid(long pid, cgroupfs::CpuAccounting accounting) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cgroup");
  std::stringstream content;
  content << in.rdbuf();
  return cgroupfs::parse_proc_cgroup(content.str(), accounting);
}

}  // namespace vnf::discover
