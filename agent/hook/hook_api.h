#pragma once
// The orchestrator API, independent of transport (TCP with a bearer token, or the local unix
// socket): POST /v1/scaling-events records an event, GET /v1/scaling-events lists the journal,
// POST /v1/vnfs registers a cgroup as a VNF. Every answer is JSON; every rejection names the
// problem.

#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "discover/discovery.h"
#include "hook/api_response.h"
#include "hook/scaling_journal.h"
#include "hook/scaling_metrics.h"

namespace vnf::hook {

class HookApi {
 public:
  // `discovery` may be null: then POST /v1/vnfs is unavailable (503). Events of more than
  // `max_vnf_types` distinct VNF types are refused (422): each type adds series for good.
  HookApi(ScalingJournal &journal, ScalingMetrics &metrics, discover::Discovery *discovery = nullptr,
          std::size_t max_vnf_types = 4096);

  // POST /v1/scaling-events, `content_type` as sent.
  ApiResponse post_scaling_event(std::string_view content_type, std::string_view body);
  // GET /v1/scaling-events; `query` holds the URL query parameters.
  ApiResponse list_scaling_events(const std::map<std::string, std::string> &query) const;
  // POST /v1/vnfs: registers a cgroup as a VNF with explicit labels.
  ApiResponse register_vnf(std::string_view content_type, std::string_view body);

 private:
  ScalingJournal &journal_;
  ScalingMetrics &metrics_;
  discover::Discovery *discovery_;
  std::size_t max_vnf_types_;
  std::mutex new_type_mutex_;  // the limit check and the count of a new type, together
};

// Dispatches a request of any transport to the API: 404 for other paths, 405 for other methods.
ApiResponse route(HookApi &api, const std::string &method, const std::string &path,
                  const std::map<std::string, std::string> &query, const std::string &content_type,
                  const std::string &body);

}  // namespace vnf::hook
