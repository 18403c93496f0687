#include "network/netns_owners.h"

#include <tuple>

namespace vnf::network {
namespace {

bool owns_before(const Member &a, const Member &b) {
  return std::forward_as_tuple(!a.vnf->network_owner, a.vnf->identity, a.cgroup->path) <
         std::forward_as_tuple(!b.vnf->network_owner, b.vnf->identity, b.cgroup->path);
}

}  // namespace

std::unordered_map<std::uint64_t, std::size_t> namespace_owners(const std::vector<Member> &members) {
  std::unordered_map<std::uint64_t, std::size_t> owners;
  for (std::size_t i = 0; i < members.size(); ++i) {
    auto [it, first] = owners.try_emplace(members[i].netns_inode, i);
    if (!first && owns_before(members[i], members[it->second])) it->second = i;
  }
  return owners;
}

}  // namespace vnf::network
