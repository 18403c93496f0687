#include "http/http_metrics.h"

namespace vnf::http {

std::string_view name_of(Rejection reason) {
  switch (reason) {
    case Rejection::connection_limit: return "connection_limit";
    case Rejection::client_limit: return "client_limit";
    case Rejection::read_timeout: return "read_timeout";
    case Rejection::body_limit: return "body_limit";
    case Rejection::scrape_limit: return "scrape_limit";
  }
  return "unknown";
}

std::string_view name_of(Listener listener) { return listener == Listener::tcp ? "tcp" : "unix"; }

HttpMetrics::HttpMetrics(metrics::Registry &registry)
    : requests_(registry.counter("vnf_agent_http_requests_total",
                                 "HTTP requests answered by the agent, by handler and status code")),
      rejected_(registry.counter("vnf_agent_http_rejected_total",
                                 "Connections closed and requests refused by the server's limits, by reason "
                                 "(docs/operations.md, \"HTTP limits\")")),
      connections_(registry.gauge("vnf_agent_http_connections", "Open HTTP connections, by listener (tcp, unix)")),
      tcp_(connections_.Add({{"listener", "tcp"}})),
      unix_(connections_.Add({{"listener", "unix"}})) {
  for (auto reason : {Rejection::connection_limit, Rejection::client_limit, Rejection::read_timeout, Rejection::body_limit,
                      Rejection::scrape_limit})
    rejected_.Add({{"reason", std::string(name_of(reason))}});  // every reason's series exists from the start
}

void HttpMetrics::count_request(std::string_view handler, int code) {
  requests_.Add({{"handler", std::string(handler)}, {"code", std::to_string(code)}}).Increment();
}

void HttpMetrics::count(Rejection reason) { rejected_.Add({{"reason", std::string(name_of(reason))}}).Increment(); }

}  // namespace vnf::http
