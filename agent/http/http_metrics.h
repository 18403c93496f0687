#pragma once
// The server's own series, in the style of Go's promhttp: requests by handler and status
// code, open connections by listener, and what the limits turned away, by reason.

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>

#include <string>
#include <string_view>

#include "metrics/registry.h"

namespace vnf::http {

enum class Rejection { connection_limit, client_limit, read_timeout, body_limit, scrape_limit };
enum class Listener { tcp, unix_socket };

std::string_view name_of(Rejection reason);
std::string_view name_of(Listener listener);

class HttpMetrics {
 public:
  explicit HttpMetrics(metrics::Registry &registry);

  void count_request(std::string_view handler, int code);
  void count(Rejection reason);
  void connection_opened(Listener listener) { connections(listener).Increment(); }
  void connection_closed(Listener listener) { connections(listener).Decrement(); }

 private:
  prometheus::Gauge &connections(Listener listener) { return listener == Listener::tcp ? tcp_ : unix_; }

  prometheus::Family<prometheus::Counter> &requests_;
  prometheus::Family<prometheus::Counter> &rejected_;
  prometheus::Family<prometheus::Gauge> &connections_;
  prometheus::Gauge &tcp_;
  prometheus::Gauge &unix_;
};

}  // namespace vnf::http
