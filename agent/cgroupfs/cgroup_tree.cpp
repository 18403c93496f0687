#include "cgroupfs/cgroup_tree.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <functional>
#include <memory>
#include <string_view>
#include <system_error>

namespace vnf::cgroupfs {
namespace {

struct DirCloser {
  void operator()(DIR *d) const { closedir(d); }
};

// Depth-first walk using directory fds, so deep or oddly named trees never build long paths
// for the kernel to resolve.
void walk_dir(int dir_fd, const std::string &path, std::size_t self,
              const std::function<std::size_t(std::uint64_t, std::string, std::size_t)> &add) {
  std::unique_ptr<DIR, DirCloser> dir(fdopendir(dir_fd));
  if (!dir) {
    close(dir_fd);
    return;
  }
  while (dirent *entry = readdir(dir.get())) {
    if (entry->d_type != DT_DIR && entry->d_type != DT_UNKNOWN) continue;
    std::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    int child_fd = openat(dirfd(dir.get()), entry->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (child_fd < 0) continue;  // removed since readdir, or not a directory
    struct stat st {};
    if (fstat(child_fd, &st) != 0) {
      close(child_fd);
      continue;
    }
    std::string child_path = path == "/" ? "/" + std::string(name) : path + "/" + std::string(name);
    std::size_t child = add(st.st_ino, child_path, self);
    walk_dir(child_fd, child_path, child, add);
  }
}

}  // namespace

void CgroupTree::add(std::uint64_t id, std::string path, std::size_t parent) {
  by_id_.emplace(id, nodes_.size());
  nodes_.push_back(CgroupNode{id, std::move(path), parent});
}

CgroupTree CgroupTree::walk(const std::filesystem::path &root) {
  CgroupTree tree;
  int fd = open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    throw std::system_error(errno, std::generic_category(), "cannot open cgroup root " + root.string());
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    int err = errno;
    close(fd);
    throw std::system_error(err, std::generic_category(), "cannot stat cgroup root " + root.string());
  }
  tree.add(st.st_ino, "/", CgroupNode::kNoParent);
  walk_dir(fd, "/", 0, [&tree](std::uint64_t id, std::string path, std::size_t parent) {
    tree.add(id, std::move(path), parent);
    return tree.nodes_.size() - 1;
  });
  return tree;
}

CgroupTree CgroupTree::from_paths(const std::vector<std::pair<std::uint64_t, std::string>> &cgroups) {
  CgroupTree tree;
  std::unordered_map<std::string, std::size_t> by_path;
  for (const auto &[id, path] : cgroups) {
    std::size_t parent = CgroupNode::kNoParent;
    if (path != "/") {
      auto slash = path.rfind('/');
      auto it = by_path.find(slash == 0 ? "/" : path.substr(0, slash));
      if (it != by_path.end()) parent = it->second;
    }
    by_path[path] = tree.nodes_.size();
    tree.add(id, path, parent);
  }
  return tree;
}

const CgroupNode *CgroupTree::find(std::uint64_t id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &nodes_[it->second];
}

}  // namespace vnf::cgroupfs
