#include "http/connection_table.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

namespace vnf::http {

std::string client_address(const sockaddr *address, socklen_t length) {
  char text[INET6_ADDRSTRLEN] = "";
  if (address && address->sa_family == AF_INET && length >= sizeof(sockaddr_in)) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in *>(address)->sin_addr, text, sizeof text);
  } else if (address && address->sa_family == AF_INET6 && length >= sizeof(sockaddr_in6)) {
    const auto &a6 = reinterpret_cast<const sockaddr_in6 *>(address)->sin6_addr;
    if (IN6_IS_ADDR_V4MAPPED(&a6)) inet_ntop(AF_INET, &a6.s6_addr[12], text, sizeof text);
    else inet_ntop(AF_INET6, &a6, text, sizeof text);
  }
  return text;
}

ConnectionTable::ConnectionTable(std::size_t max_connections, std::size_t max_per_client)
    : max_connections_(max_connections), max_per_client_(max_per_client) {}

Admission ConnectionTable::admit(const std::string &client) const {
  std::lock_guard lock(mutex_);
  if (entries_.size() >= max_connections_) return Admission::connection_limit;
  if (!client.empty()) {
    auto it = per_client_.find(client);
    if (it != per_client_.end() && it->second >= max_per_client_) return Admission::client_limit;
  }
  return Admission::accepted;
}

ConnectionTable::Id ConnectionTable::opened(const std::string &client, int fd, Clock::time_point deadline) {
  std::lock_guard lock(mutex_);
  const Id id = next_id_++;
  entries_.emplace(id, Entry{client, fd, deadline});
  ++per_client_[client];
  return id;
}

void ConnectionTable::closed(Id id) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  auto count = per_client_.find(it->second.client);
  if (count != per_client_.end() && --count->second == 0) per_client_.erase(count);
  entries_.erase(it);
}

void ConnectionTable::arm(Id id, Clock::time_point deadline) {
  std::lock_guard lock(mutex_);
  if (auto it = entries_.find(id); it != entries_.end() && deadline < it->second.deadline) it->second.deadline = deadline;
}

void ConnectionTable::disarm(Id id) {
  std::lock_guard lock(mutex_);
  if (auto it = entries_.find(id); it != entries_.end()) it->second.deadline = Clock::time_point::max();
}

std::size_t ConnectionTable::expire(Clock::time_point now, const std::function<void(int)> &close_fd) {
  std::lock_guard lock(mutex_);
  std::size_t expired = 0;
  for (auto &[id, entry] : entries_) {
    if (entry.deadline > now) continue;
    entry.deadline = Clock::time_point::max();  // once: the event thread closes it and calls closed()
    close_fd(entry.fd);
    ++expired;
  }
  return expired;
}

std::size_t ConnectionTable::open() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

std::size_t ConnectionTable::open_from(const std::string &client) const {
  std::lock_guard lock(mutex_);
  auto it = per_client_.find(client);
  return it == per_client_.end() ? 0 : it->second;
}

}  // namespace vnf::http
