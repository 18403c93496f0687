#pragma once
// The Prometheus text exposition format (version 0.0.4), written straight into one string:
// numbers through std::to_chars (shortest round-trip form), no iostreams. prometheus-cpp's
// TextSerializer spent 69 ms of a 1,000-VNF scrape formatting through an ostream.
//
// A label set is written once, when its series is created (append_label), and then copied
// into every sample line of that series: a scrape escapes nothing it escaped before.

#include <prometheus/metric_family.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vnf::metrics {

// Counter and gauge families (the kinds the Registry creates).
void write_exposition(std::string &out, const std::vector<prometheus::MetricFamily> &families);

// "counter", "gauge", "histogram", "summary" or "untyped".
const char *metric_type_name(prometheus::MetricType type);

// "# HELP name help\n# TYPE name type\n".
void write_header(std::string &out, std::string_view name, std::string_view help, prometheus::MetricType type);

// Appends `name="value"` to a label set, the value escaped, a comma before it unless first.
void append_label(std::string &labels, std::string_view name, std::string_view value);

// One sample line: name suffix{labels,extra} value. `labels` and `extra` are label sets built
// by append_label; either may be empty.
void write_sample(std::string &out, std::string_view name, std::string_view suffix, std::string_view labels,
                  std::string_view extra, double value);
void write_sample(std::string &out, std::string_view name, std::string_view suffix, std::string_view labels,
                  std::string_view extra, std::uint64_t value);

// The `le` label sets of a histogram's buckets, the last one "+Inf": made once per family.
std::vector<std::string> bucket_labels(std::span<const double> upper_bounds);

// A histogram's _bucket (cumulative), _sum and _count lines from per-bucket counts, one count
// per entry of `le` (bucket_labels).
void write_histogram(std::string &out, std::string_view name, std::string_view labels,
                     std::span<const std::string> le, std::span<const std::uint64_t> counts, double sum);

}  // namespace vnf::metrics
