#include "hook/vnf_registration.h"

#include "hook/request_fields.h"

namespace vnf::hook {
namespace {

// A cgroup path as the kernel writes one: "/", or components that are neither empty, "." nor
// "..", so that it cannot name a directory outside the hierarchy ("//etc", "/..").
bool is_plain_cgroup_path(std::string_view path) {
  if (path == "/") return true;
  for (path.remove_prefix(1);;) {
    const auto slash = path.find('/');
    const auto part = path.substr(0, slash);
    if (part.empty() || part == "." || part == "..") return false;
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

}  // namespace

std::variant<VnfRegistration, RequestError> parse_vnf_registration(std::string_view text) {
  if (text.size() > kMaxBodyBytes) return RequestError{413, "body larger than 64 KiB"};
  const auto body = nlohmann::json::parse(text, nullptr, false);
  if (body.is_discarded()) return RequestError{400, "body is not valid JSON (RFC 8259: UTF-8 text)"};
  if (!body.is_object()) return RequestError{400, "body must be a JSON object"};
  if (auto error = only_fields(body, {"cgroup", "pid", "vnf", "vnf_type", "namespace", "pod", "container"})) return *error;
  VnfRegistration r;
  auto &id = r.identity;
  for (auto error : {text_field(body, "cgroup", 4096, false, r.cgroup), count_field(body, "pid", r.pid, 1 << 30),
                     text_field(body, "vnf", kMaxLabelBytes, true, id.vnf),
                     text_field(body, "vnf_type", kMaxLabelBytes, false, id.vnf_type),
                     text_field(body, "namespace", kMaxLabelBytes, false, id.namespace_name),
                     text_field(body, "pod", kMaxLabelBytes, false, id.pod),
                     text_field(body, "container", kMaxLabelBytes, false, id.container)})
    if (error) return *error;
  if (r.cgroup.empty() == !r.pid) return RequestError{400, "give exactly one of 'cgroup' and 'pid'"};
  if (!r.cgroup.empty() && r.cgroup.front() != '/')
    return RequestError{400, "field 'cgroup' must be a path from the hierarchy root, starting with '/'"};
  if (!r.cgroup.empty() && !is_plain_cgroup_path(r.cgroup))
    return RequestError{400, "field 'cgroup' must not have empty, '.' or '..' components"};
  return r;
}

}  // namespace vnf::hook
