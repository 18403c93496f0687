#pragma once
// Where API registrations outlive the agent: one JSON file in the state directory, rewritten
// whole on every change (written beside, flushed to disk, then renamed over the old one), so a
// crash leaves either the old or the new set, never a torn one. Registrations are few and
// change rarely; a database would buy nothing here.

#include <filesystem>
#include <map>
#include <string>

#include "discover/container_cgroup.h"

namespace vnf::discover {

class RegistrationFile {
 public:
  explicit RegistrationFile(std::filesystem::path path) : path_(std::move(path)) {}

  const std::filesystem::path &path() const { return path_; }
  // The saved registrations by cgroup path; none if there is no file yet. Throws
  // std::runtime_error naming the file and what is wrong with it.
  std::map<std::string, VnfIdentity> load() const;
  // Replaces the saved registrations with `all`. Throws std::runtime_error on I/O errors.
  void save(const std::map<std::string, VnfIdentity> &all) const;

 private:
  std::filesystem::path path_;
};

}  // namespace vnf::discover
