#include "hook/hook_api.h"

#include "hook/vnf_registration.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <charconv>
#include <chrono>

namespace vnf::hook {
namespace {

using nlohmann::json;

json to_json(const JournalEntry &e) {
  json j = {{"seq", e.seq}, {"timestamp", e.timestamp}, {"vnf_type", e.event.vnf_type},
            {"direction", e.event.direction}};
  if (!e.event.vnf.empty()) j["vnf"] = e.event.vnf;
  if (e.event.from) j["from"] = *e.event.from;
  if (e.event.to) j["to"] = *e.event.to;
  if (!e.event.reason.empty()) j["reason"] = e.event.reason;
  if (!e.event.id.empty()) j["id"] = e.event.id;
  return j;
}

std::optional<std::int64_t> non_negative(const std::map<std::string, std::string> &query, const char *name,
                                         std::int64_t fallback, bool &bad) {
  auto it = query.find(name);
  if (it == query.end()) return fallback;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  if (ec != std::errc{} || end != it->second.data() + it->second.size() || v < 0) bad = true;
  return v;
}

}  // namespace

HookApi::HookApi(ScalingJournal &journal, ScalingMetrics &metrics, discover::Discovery *discovery,
                 std::size_t max_vnf_types)
    : journal_(journal), metrics_(metrics), discovery_(discovery), max_vnf_types_(max_vnf_types) {}

ApiResponse HookApi::register_vnf(std::string_view content_type, std::string_view body) {
  if (content_type.substr(0, content_type.find(';')) != "application/json")
    return json_error(415, "Content-Type must be application/json");
  if (!discovery_) return json_error(503, "VNF registration is not available");
  auto parsed = parse_vnf_registration(body);
  if (auto *error = std::get_if<RequestError>(&parsed)) return json_error(error->status, error->message);
  auto &r = std::get<VnfRegistration>(parsed);
  if (r.pid) {
    auto path = discover::cgroup_path_of_pid(static_cast<long>(*r.pid), discovery_->accounting());
    if (!path) return json_error(404, "no process " + std::to_string(*r.pid) + " (or it has no cgroup here)");
    r.cgroup = *path;
  }
  try {
    if (!discovery_->register_vnf(r.cgroup, r.identity)) return json_error(404, "no cgroup " + r.cgroup);
  } catch (const std::exception &e) {
    spdlog::error("api: {}", e.what());
    return json_error(503, "the registration could not be made durable; retry");
  }
  spdlog::info("api: registered cgroup {} as VNF {} ({})", r.cgroup, r.identity.vnf, r.identity.vnf_type);
  return {201, json{{"status", "registered"}, {"cgroup", r.cgroup}}.dump(-1, ' ', false, json::error_handler_t::replace) + "\n"};
}

ApiResponse HookApi::post_scaling_event(std::string_view content_type, std::string_view body) {
  if (content_type.substr(0, content_type.find(';')) != "application/json")
    return json_error(415, "Content-Type must be application/json");
  auto parsed = parse_scaling_event(body);
  if (auto *error = std::get_if<RequestError>(&parsed)) return json_error(error->status, error->message);
  const auto &event = std::get<ScalingEvent>(parsed);

  std::unique_lock<std::mutex> new_type;  // held only while a type not yet counted is checked and counted
  if (!metrics_.counts(event.vnf_type)) {
    new_type = std::unique_lock(new_type_mutex_);
    if (!metrics_.counts(event.vnf_type) && metrics_.vnf_types() >= max_vnf_types_) {
      spdlog::warn("hook: refused an event of a new vnf_type: {} types are counted already, the most this agent keeps",
                   max_vnf_types_);
      return json_error(422, "this agent counts " + std::to_string(max_vnf_types_) +
                                 " VNF types already, the most it keeps (--max-vnfs); this event's vnf_type is new");
    }
  }

  const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::optional<JournalEntry> entry;
  try {
    entry = journal_.record(event, now);
  } catch (const std::exception &e) {
    spdlog::error("hook: {}", e.what());
    return json_error(503, "the event could not be made durable; retry with the same id");
  }
  if (!entry) return {200, json{{"status", "duplicate"}, {"id", event.id}}.dump() + "\n"};
  metrics_.count(event.vnf_type, event.direction, now);
  spdlog::info("hook: scale {} {} (vnf {}, {} -> {}){}", event.vnf_type, event.direction,
               event.vnf.empty() ? "-" : event.vnf, event.from ? std::to_string(*event.from) : "?",
               event.to ? std::to_string(*event.to) : "?", event.reason.empty() ? "" : ": " + event.reason);
  return {201, json{{"status", "recorded"}, {"event", to_json(*entry)}}.dump() + "\n"};
}

ApiResponse HookApi::list_scaling_events(const std::map<std::string, std::string> &query) const {
  bool bad = false;
  const auto since = non_negative(query, "since", 0, bad);
  const auto limit = non_negative(query, "limit", 100, bad);
  if (bad) return json_error(400, "'since' and 'limit' must be non-negative integers");
  json events = json::array();
  for (const auto &e : journal_.list(*since, static_cast<std::size_t>(std::min<std::int64_t>(*limit, 1000))))
    events.push_back(to_json(e));
  return {200, json{{"events", std::move(events)}}.dump() + "\n"};
}

ApiResponse route(HookApi &api, const std::string &method, const std::string &path,
                  const std::map<std::string, std::string> &query, const std::string &content_type,
                  const std::string &body) {
  if (path == "/v1/vnfs") {
    if (method == "POST") return api.register_vnf(content_type, body);
    return json_error(405, "method " + method + " not allowed on " + path + " (POST; GET on the TCP port)");
  }
  if (path != "/v1/scaling-events") return json_error(404, "not found: " + path);
  if (method == "POST") return api.post_scaling_event(content_type, body);
  if (method == "GET") return api.list_scaling_events(query);
  return json_error(405, "method " + method + " not allowed on " + path + " (GET, POST)");
}

}  // namespace vnf::hook
