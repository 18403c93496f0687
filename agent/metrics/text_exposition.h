#pragma once
// The Prometheus text exposition format (version 0.0.4), written straight into one string:
// numbers through std::to_chars (shortest round-trip form), no iostreams. prometheus-cpp's
// TextSerializer spent 69 ms of a 1,000-VNF scrape formatting through an ostream.

#include <prometheus/metric_family.h>

#include <string>
#include <vector>

namespace vnf::metrics {

// Counters, gauges, histograms and untyped families (the kinds the Registry creates).
void write_exposition(std::string &out, const std::vector<prometheus::MetricFamily> &families);

// "counter", "gauge", "histogram", "summary" or "untyped".
const char *metric_type_name(prometheus::MetricType type);

}  // namespace vnf::metrics
