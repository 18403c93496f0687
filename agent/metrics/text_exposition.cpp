#include "metrics/text_exposition.h"

#include <charconv>
#include <cmath>

namespace vnf::metrics {
namespace {

void number(std::string &out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, end);
  }
}

void number(std::string &out, std::uint64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

void escaped(std::string &out, std::string_view s, bool quotes) {
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '"' && quotes) out += "\\\"";
    else out += c;
  }
}

// name suffix{labels,extra} and the space before the value.
void sample_prefix(std::string &out, std::string_view name, std::string_view suffix, std::string_view labels,
                   std::string_view extra) {
  out += name;
  out += suffix;
  if (!labels.empty() || !extra.empty()) {
    out += '{';
    out += labels;
    if (!labels.empty() && !extra.empty()) out += ',';
    out += extra;
    out += '}';
  }
  out += ' ';
}

std::string label_set(const std::vector<prometheus::ClientMetric::Label> &labels) {
  std::string set;
  for (const auto &l : labels) append_label(set, l.name, l.value);
  return set;
}

}  // namespace

const char *metric_type_name(prometheus::MetricType type) {
  switch (type) {
    case prometheus::MetricType::Counter: return "counter";
    case prometheus::MetricType::Gauge: return "gauge";
    case prometheus::MetricType::Histogram: return "histogram";
    case prometheus::MetricType::Summary: return "summary";
    case prometheus::MetricType::Untyped: return "untyped";
  }
  return "untyped";
}

void write_header(std::string &out, std::string_view name, std::string_view help, prometheus::MetricType type) {
  out += "# HELP ";
  out += name;
  out += ' ';
  escaped(out, help, false);
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += metric_type_name(type);
  out += '\n';
}

void append_label(std::string &labels, std::string_view name, std::string_view value) {
  if (!labels.empty()) labels += ',';
  labels += name;
  labels += "=\"";
  escaped(labels, value, true);
  labels += '"';
}

void write_sample(std::string &out, std::string_view name, std::string_view suffix, std::string_view labels,
                  std::string_view extra, double value) {
  sample_prefix(out, name, suffix, labels, extra);
  number(out, value);
  out += '\n';
}

void write_sample(std::string &out, std::string_view name, std::string_view suffix, std::string_view labels,
                  std::string_view extra, std::uint64_t value) {
  sample_prefix(out, name, suffix, labels, extra);
  number(out, value);
  out += '\n';
}

std::vector<std::string> bucket_labels(std::span<const double> upper_bounds) {
  std::vector<std::string> le;
  for (double bound : upper_bounds) {
    std::string value;
    number(value, bound);
    le.emplace_back();
    append_label(le.back(), "le", value);
  }
  le.emplace_back();
  append_label(le.back(), "le", "+Inf");
  return le;
}

void write_histogram(std::string &out, std::string_view name, std::string_view labels,
                     std::span<const std::string> le, std::span<const std::uint64_t> counts, double sum) {
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < le.size() && i < counts.size(); ++i) {
    cumulative += counts[i];
    write_sample(out, name, "_bucket", labels, le[i], cumulative);
  }
  write_sample(out, name, "_sum", labels, {}, sum);
  write_sample(out, name, "_count", labels, {}, cumulative);
}

void write_exposition(std::string &out, const std::vector<prometheus::MetricFamily> &families) {
  for (const auto &family : families) {
    if (family.metric.empty()) continue;
    write_header(out, family.name, family.help, family.type);
    for (const auto &m : family.metric) {
      const auto labels = label_set(m.label);
      switch (family.type) {
        case prometheus::MetricType::Counter:
          write_sample(out, family.name, "", labels, {}, m.counter.value);
          break;
        case prometheus::MetricType::Gauge:
          write_sample(out, family.name, "", labels, {}, m.gauge.value);
          break;
        default:  // never registered: the Registry makes counters and gauges only
          break;
      }
    }
  }
}

}  // namespace vnf::metrics
