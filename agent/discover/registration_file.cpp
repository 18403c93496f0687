#include "discover/registration_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace vnf::discover {
namespace {

constexpr int kFormat = 1;

std::runtime_error failure(const std::filesystem::path &path, const std::string &what) {
  return std::runtime_error("registrations file " + path.string() + ": " + what);
}

void write_all(int fd, const std::string &text, const std::filesystem::path &path) {
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw failure(path, std::string("cannot write: ") + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

std::map<std::string, VnfIdentity> RegistrationFile::load() const {
  std::ifstream in(path_);
  if (!in) {
    if (errno == ENOENT) return {};
    throw failure(path_, std::string("cannot read: ") + std::strerror(errno));
  }
  std::stringstream text;
  text << in.rdbuf();
  std::map<std::string, VnfIdentity> all;
  try {
    const auto doc = nlohmann::json::parse(text.str());
    if (doc.at("format").get<int>() != kFormat) throw failure(path_, "unknown format " + doc.at("format").dump());
    for (const auto &r : doc.at("registrations")) {
      const auto cgroup = r.at("cgroup").get<std::string>();
      if (cgroup.empty() || cgroup.front() != '/') throw failure(path_, "not a cgroup path: \"" + cgroup + "\"");
      all[cgroup] = {r.at("vnf").get<std::string>(), r.at("vnf_type").get<std::string>(),
                     r.at("namespace").get<std::string>(), r.at("pod").get<std::string>(),
                     r.at("container").get<std::string>()};
    }
  } catch (const nlohmann::json::exception &e) {
    throw failure(path_, e.what());
  }
  return all;
}

void RegistrationFile::save(const std::map<std::string, VnfIdentity> &all) const {
  auto list = nlohmann::json::array();
  for (const auto &[cgroup, id] : all)
    list.push_back({{"cgroup", cgroup}, {"vnf", id.vnf}, {"vnf_type", id.vnf_type}, {"namespace", id.namespace_name},
                    {"pod", id.pod}, {"container", id.container}});
  // The identities were sanitised to valid UTF-8 when registered; replace guards the rest.
  const std::string text = nlohmann::json{{"format", kFormat}, {"registrations", list}}.dump(
                               1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";

  const auto temporary = path_.string() + ".new";
  const int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw failure(temporary, std::string("cannot create: ") + std::strerror(errno));
  try {
    write_all(fd, text, temporary);
    if (fsync(fd) != 0) throw failure(temporary, std::string("cannot flush: ") + std::strerror(errno));
  } catch (...) {
    close(fd);
    unlink(temporary.c_str());
    throw;
  }
  close(fd);
  if (rename(temporary.c_str(), path_.c_str()) != 0) {
    const int error = errno;
    unlink(temporary.c_str());
    throw failure(path_, std::string("cannot replace: ") + std::strerror(error));
  }
  // The rename itself is durable only once the directory is.
  const auto dir = path_.has_parent_path() ? path_.parent_path() : std::filesystem::path(".");
  if (int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
}

}  // namespace vnf::discover
