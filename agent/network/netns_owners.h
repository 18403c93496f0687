#pragma once
// Which VNF exports a network namespace that several VNFs share (the containers of one pod,
// docker's --network container:), so that sum() over VNFs or VNF types counts each
// namespace's interfaces and drops once. The owner is the VNF a rule marks network_owner, then
// the first by identity (vnf, vnf_type, namespace, pod, container) and cgroup path: the same
// VNF whatever order the agent found them in, and after the agent restarts.

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "network/netns_membership.h"

namespace vnf::network {

// For each namespace of `members`, the index in `members` of its owner.
std::unordered_map<std::uint64_t, std::size_t> namespace_owners(const std::vector<Member> &members);

}  // namespace vnf::network
