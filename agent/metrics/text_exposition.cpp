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

void escaped(std::string &out, const std::string &s, bool quotes) {
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '"' && quotes) out += "\\\"";
    else out += c;
  }
}

// name{labels[,extra_name="extra_value"]} value\n
void sample(std::string &out, const std::string &name, const char *suffix,
            const std::vector<prometheus::ClientMetric::Label> &labels, const char *extra_name,
            const std::string &extra_value) {
  out += name;
  out += suffix;
  if (!labels.empty() || extra_name) {
    out += '{';
    bool first = true;
    for (const auto &l : labels) {
      if (!first) out += ',';
      first = false;
      out += l.name;
      out += "=\"";
      escaped(out, l.value, true);
      out += '"';
    }
    if (extra_name) {
      if (!first) out += ',';
      out += extra_name;
      out += "=\"";
      out += extra_value;
      out += '"';
    }
    out += '}';
  }
  out += ' ';
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

void write_exposition(std::string &out, const std::vector<prometheus::MetricFamily> &families) {
  std::string le;
  for (const auto &family : families) {
    if (family.metric.empty()) continue;
    out += "# HELP ";
    out += family.name;
    out += ' ';
    escaped(out, family.help, false);
    out += "\n# TYPE ";
    out += family.name;
    out += ' ';
    out += metric_type_name(family.type);
    out += '\n';
    for (const auto &m : family.metric) {
      switch (family.type) {
        case prometheus::MetricType::Counter:
          sample(out, family.name, "", m.label, nullptr, {});
          number(out, m.counter.value);
          break;
        case prometheus::MetricType::Gauge:
          sample(out, family.name, "", m.label, nullptr, {});
          number(out, m.gauge.value);
          break;
        case prometheus::MetricType::Untyped:
          sample(out, family.name, "", m.label, nullptr, {});
          number(out, m.untyped.value);
          break;
        case prometheus::MetricType::Histogram:
          for (const auto &b : m.histogram.bucket) {
            le.clear();
            number(le, b.upper_bound);
            sample(out, family.name, "_bucket", m.label, "le", le);
            number(out, b.cumulative_count);
            out += '\n';
          }
          sample(out, family.name, "_sum", m.label, nullptr, {});
          number(out, m.histogram.sample_sum);
          out += '\n';
          sample(out, family.name, "_count", m.label, nullptr, {});
          number(out, m.histogram.sample_count);
          break;
        case prometheus::MetricType::Summary:  // never registered: the Registry has no summaries
          continue;
      }
      out += '\n';
    }
  }
}

}  // namespace vnf::metrics
