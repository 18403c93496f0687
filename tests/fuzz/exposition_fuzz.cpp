// libFuzzer target for the exposition writer (metrics/text_exposition.h): whatever label values
// and help text reach it, what it writes must be text that Prometheus' parser of the text
// format (0.0.4) accepts, and must read back as what was written. The input drives the writer
// the way the agent does: families with valid names (they are the code's constants; here any
// name of [a-zA-Z_:][a-zA-Z0-9_:]*), each with its header, then samples with label sets built
// by append_label, histograms by bucket_labels and write_histogram, and the Registry's path
// through write_exposition. Label values and help are the fuzzer's bytes as they are where
// they are valid UTF-8, and sanitised (discover::sanitize_label_value) where they are not, as
// every caller does. The output is checked by a validator written here: "# HELP name text"
// with only \\ and \n escaped, "# TYPE name type" once before the family's samples, one sample
// a line "name{label="value",...} value" with metric and label names that match their regexes,
// label names unique, values with only \\, \" and \n escaped, valid UTF-8 everywhere, and a
// value Go's ParseFloat reads as the number written (histograms: cumulative buckets ending at
// le="+Inf", equal to _count). Any violation is a __builtin_trap().

#include <fuzzer/FuzzedDataProvider.h>
#include <prometheus/metric_family.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "discover/vnf_identity.h"
#include "fuzz_checks.h"
#include "metrics/text_exposition.h"

namespace {

using namespace vnf;
using Labels = std::vector<std::pair<std::string, std::string>>;
using Value = std::variant<double, std::uint64_t>;

// What the writer was asked to write, line by line.
struct Header {
  std::string name, help;
  prometheus::MetricType type;
};
struct Sample {
  std::string name;  // with its suffix
  Labels labels;
  std::optional<double> le;  // a bucket's bound, the last label
  Value value;
};
using Line = std::variant<Header, Sample>;

[[noreturn]] void violation() { __builtin_trap(); }

// ---- the validator: a reader of the text format as strict as Prometheus' ----

bool metric_name_char(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (!first && c >= '0' && c <= '9');
}
bool label_name_char(char c, bool first) { return c != ':' && metric_name_char(c, first); }

// A name at the start of `s`, consumed.
std::string_view take_name(std::string_view &s, bool metric) {
  std::size_t n = 0;
  while (n < s.size() && (metric ? metric_name_char(s[n], n == 0) : label_name_char(s[n], n == 0))) ++n;
  if (n == 0) violation();
  auto name = s.substr(0, n);
  s.remove_prefix(n);
  return name;
}

void expect(std::string_view &s, std::string_view what) {
  if (!s.starts_with(what)) violation();
  s.remove_prefix(what.size());
}

// Go's strconv.ParseFloat, as far as a writer of shortest round-trip numbers may go: NaN,
// +Inf, -Inf, or [-]digits[.digits][e[+-]digits].
double parse_float(std::string_view s) {
  if (s == "NaN") return std::nan("");
  if (s == "+Inf") return INFINITY;
  if (s == "-Inf") return -INFINITY;
  std::size_t i = 0;
  auto digits = [&] {
    const auto start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) violation();
  };
  if (i < s.size() && s[i] == '-') ++i;
  digits();
  if (i < s.size() && s[i] == '.') ++i, digits();
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    digits();
  }
  if (i != s.size()) violation();
  return std::strtod(std::string(s).c_str(), nullptr);
}

bool same_double(double a, double b) { return std::isnan(a) ? std::isnan(b) : std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

void check_value(std::string_view text, const Value &expected) {
  const double read = parse_float(text);
  if (const auto *d = std::get_if<double>(&expected)) {
    if (!same_double(read, *d)) violation();
  } else {
    std::uint64_t exact = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), exact);
    if (ec != std::errc{} || end != text.data() + text.size() || exact != std::get<std::uint64_t>(expected)) violation();
  }
}

// A quoted label value after the opening quote, unescaped; consumes the closing quote.
std::string take_label_value(std::string_view &s) {
  std::string value;
  for (std::size_t i = 0;; ++i) {
    if (i >= s.size()) violation();  // unterminated
    const char c = s[i];
    if (c == '"') {
      s.remove_prefix(i + 1);
      break;
    }
    if (c == '\\') {
      if (++i >= s.size()) violation();
      if (s[i] == '\\') value += '\\';
      else if (s[i] == '"') value += '"';
      else if (s[i] == 'n') value += '\n';
      else violation();
    } else {
      value += c;
    }
  }
  if (!fuzz::valid_utf8(value)) violation();
  return value;
}

void check_sample(std::string_view line, const Header &family, const Sample &expected) {
  const auto name = take_name(line, true);
  if (name != expected.name) violation();
  const bool histogram = family.type == prometheus::MetricType::Histogram;
  if (name != family.name &&
      !(histogram && (name == family.name + "_bucket" || name == family.name + "_sum" || name == family.name + "_count")))
    violation();  // a sample of another family than the one its TYPE line named
  Labels labels;
  std::set<std::string, std::less<>> seen;
  if (line.starts_with('{')) {
    line.remove_prefix(1);
    for (bool first = true; !line.starts_with('}'); first = false) {
      if (!first) expect(line, ",");
      const auto label = take_name(line, false);
      if (!seen.insert(std::string(label)).second) violation();  // duplicate label name
      expect(line, "=\"");
      labels.emplace_back(label, take_label_value(line));
    }
    line.remove_prefix(1);
    if (labels.empty()) violation();  // "{}" is never written
  }
  expect(line, " ");
  if (expected.le) {
    if (labels.empty() || labels.back().first != "le") violation();
    if (!same_double(parse_float(labels.back().second), *expected.le)) violation();
    labels.pop_back();
  }
  if (labels != expected.labels) violation();
  check_value(line, expected.value);
}

void validate(std::string_view out, const std::vector<Line> &expected) {
  if (!out.empty() && !out.ends_with('\n')) violation();
  if (!fuzz::valid_utf8(out)) violation();
  std::size_t next = 0;
  std::optional<Header> family;
  std::set<std::string, std::less<>> families;
  while (!out.empty()) {
    const auto eol = out.find('\n');
    std::string_view line = out.substr(0, eol);
    out.remove_prefix(eol + 1);
    if (next >= expected.size()) violation();  // more lines than written
    const auto &want = expected[next++];
    if (line.starts_with("# HELP ")) {
      const auto *header = std::get_if<Header>(&want);
      if (!header) violation();
      line.remove_prefix(7);
      if (take_name(line, true) != header->name) violation();
      expect(line, " ");
      std::string help;
      for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] != '\\') {
          help += line[i];
        } else if (i + 1 < line.size() && (line[i + 1] == '\\' || line[i + 1] == 'n')) {
          help += line[++i] == 'n' ? '\n' : '\\';
        } else {
          violation();
        }
      }
      if (help != header->help) violation();
      // The TYPE line follows at once, for the same name.
      const auto type_eol = out.find('\n');
      if (type_eol == std::string_view::npos) violation();
      std::string_view type = out.substr(0, type_eol);
      out.remove_prefix(type_eol + 1);
      expect(type, "# TYPE ");
      if (take_name(type, true) != header->name) violation();
      expect(type, " ");
      if (type != metrics::metric_type_name(header->type)) violation();
      if (type != "counter" && type != "gauge" && type != "histogram" && type != "summary" && type != "untyped")
        violation();
      if (!families.insert(header->name).second) violation();  // a second TYPE for one name
      family = *header;
    } else if (line.starts_with('#')) {
      violation();  // no other comments are written
    } else {
      const auto *sample = std::get_if<Sample>(&want);
      if (!sample || !family) violation();
      check_sample(line, *family, *sample);
    }
  }
  if (next != expected.size()) violation();  // fewer lines than written
}

// ---- driving the writer from the input ----

std::string metric_name(FuzzedDataProvider &in) {
  static constexpr std::string_view chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_:0123456789";
  std::string name;
  const auto length = in.ConsumeIntegralInRange<std::size_t>(1, 24);
  for (std::size_t i = 0; i < length; ++i)
    name += chars[in.ConsumeIntegralInRange<std::size_t>(0, i == 0 ? chars.size() - 11 : chars.size() - 1)];
  return name;
}

std::string label_name(FuzzedDataProvider &in) {
  static constexpr std::string_view chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789";
  std::string name;
  const auto length = in.ConsumeIntegralInRange<std::size_t>(1, 12);
  for (std::size_t i = 0; i < length; ++i)
    name += chars[in.ConsumeIntegralInRange<std::size_t>(0, i == 0 ? chars.size() - 11 : chars.size() - 1)];
  return name;
}

// Outside text as the agent passes it on: as it is where valid UTF-8, sanitised where not.
std::string outside_text(FuzzedDataProvider &in, std::size_t max) {
  auto text = in.ConsumeRandomLengthString(max);
  return fuzz::valid_utf8(text) ? text : discover::sanitize_label_value(text);
}

double any_double(FuzzedDataProvider &in) {
  switch (in.ConsumeIntegralInRange(0, 3)) {
    case 0: return std::bit_cast<double>(in.ConsumeIntegral<std::uint64_t>());  // NaN, Inf, -0, subnormals
    case 1: return in.ConsumeIntegral<std::uint32_t>();
    case 2: return in.ConsumeProbability<double>();
    default: return in.ConsumeFloatingPoint<double>();
  }
}

// A label set built by append_label, and what it holds. Names are unique and not "le".
std::pair<std::string, Labels> label_set(FuzzedDataProvider &in, std::size_t max) {
  std::string text;
  Labels labels;
  std::set<std::string> names{"le"};
  const auto count = in.ConsumeIntegralInRange<std::size_t>(0, max);
  for (std::size_t i = 0; i < count; ++i) {
    auto name = label_name(in);
    auto value = outside_text(in, 300);
    if (!names.insert(name).second) continue;
    metrics::append_label(text, name, value);
    labels.emplace_back(std::move(name), std::move(value));
  }
  return {std::move(text), std::move(labels)};
}

void write_families(FuzzedDataProvider &in, std::string &out, std::vector<Line> &lines, std::set<std::string> &names) {
  const auto families = in.ConsumeIntegralInRange(1, 4);
  for (int f = 0; f < families && in.remaining_bytes() > 0; ++f) {
    const Header header{metric_name(in), outside_text(in, 200),
                        static_cast<prometheus::MetricType>(in.ConsumeIntegralInRange(0, 4))};
    if (!names.insert(header.name).second) continue;  // the Registry's names are unique
    metrics::write_header(out, header.name, header.help, header.type);
    lines.emplace_back(header);
    const auto series = in.ConsumeIntegralInRange(0, 3);
    for (int s = 0; s < series; ++s) {
      auto [labels, expected_labels] = label_set(in, 6);
      if (header.type == prometheus::MetricType::Histogram) {
        std::vector<double> bounds(in.ConsumeIntegralInRange(0, 4));
        for (auto &b : bounds) b = any_double(in);
        const auto le = metrics::bucket_labels(bounds);
        std::vector<std::uint64_t> counts(le.size());
        for (auto &c : counts) c = in.ConsumeIntegralInRange<std::uint64_t>(0, std::uint64_t{1} << 48);
        const double sum = any_double(in);
        metrics::write_histogram(out, header.name, labels, le, counts, sum);
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < le.size(); ++i) {
          cumulative += counts[i];
          lines.emplace_back(Sample{header.name + "_bucket", expected_labels, i < bounds.size() ? bounds[i] : INFINITY,
                                    cumulative});
        }
        lines.emplace_back(Sample{header.name + "_sum", expected_labels, std::nullopt, sum});
        lines.emplace_back(Sample{header.name + "_count", expected_labels, std::nullopt, cumulative});
      } else {
        // A sample, with an extra label set as the network and drop series have.
        auto [extra, extra_labels] = label_set(in, in.ConsumeBool() ? 1 : 0);
        Labels all = expected_labels;
        for (const auto &l : extra_labels) {
          if (std::any_of(all.begin(), all.end(), [&](const auto &m) { return m.first == l.first; }))
            extra.clear();  // callers keep the two sets apart
          else
            all.push_back(l);
        }
        if (extra.empty()) all = expected_labels;
        const Value value = in.ConsumeBool() ? Value(any_double(in)) : Value(in.ConsumeIntegral<std::uint64_t>());
        if (const auto *d = std::get_if<double>(&value)) metrics::write_sample(out, header.name, "", labels, extra, *d);
        else metrics::write_sample(out, header.name, "", labels, extra, std::get<std::uint64_t>(value));
        lines.emplace_back(Sample{header.name, all, std::nullopt, value});
      }
    }
  }
}

// The Registry's path: counter and gauge families as prometheus-cpp collects them.
void write_collected(FuzzedDataProvider &in, std::string &out, std::vector<Line> &lines, std::set<std::string> &names) {
  std::vector<prometheus::MetricFamily> families(in.ConsumeIntegralInRange(0, 2));
  for (auto &family : families) {
    family.name = metric_name(in);
    family.help = outside_text(in, 100);
    family.type = static_cast<prometheus::MetricType>(in.ConsumeIntegralInRange(0, 4));
    family.metric.resize(in.ConsumeIntegralInRange(0, 3));
    for (auto &m : family.metric) {
      auto [text, labels] = label_set(in, 4);
      for (auto &[name, value] : labels) m.label.push_back({name, value});
      m.counter.value = any_double(in);
      m.gauge.value = any_double(in);
    }
  }
  std::erase_if(families, [&](const auto &f) { return !f.metric.empty() && !names.insert(f.name).second; });
  metrics::write_exposition(out, families);
  for (const auto &family : families) {
    if (family.metric.empty()) continue;
    lines.emplace_back(Header{family.name, family.help, family.type});
    for (const auto &m : family.metric) {
      Labels labels;
      for (const auto &l : m.label) labels.emplace_back(l.name, l.value);
      if (family.type == prometheus::MetricType::Counter)
        lines.emplace_back(Sample{family.name, labels, std::nullopt, m.counter.value});
      else if (family.type == prometheus::MetricType::Gauge)
        lines.emplace_back(Sample{family.name, labels, std::nullopt, m.gauge.value});
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  std::string out;
  std::vector<Line> lines;
  std::set<std::string> names;
  write_families(in, out, lines, names);
  write_collected(in, out, lines, names);
  validate(out, lines);
  return 0;
}
