#pragma once
// The agent's one metric registry. Every family is registered here; asking for a name that
// exists returns that family, and asking with a different type or help text is a bug that
// fails loudly instead of producing a second, conflicting family.

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_type.h>
#include <prometheus/registry.h>

#include <map>
#include <mutex>
#include <stdexcept>
#include <string>

namespace vnf::metrics {

// Raised when a family is registered twice with a different type or help.
class RegistrationConflict : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

class Registry {
 public:
  prometheus::Family<prometheus::Counter> &counter(const std::string &name, const std::string &help);
  prometheus::Family<prometheus::Gauge> &gauge(const std::string &name, const std::string &help);
  prometheus::Family<prometheus::Histogram> &histogram(const std::string &name, const std::string &help);

  // The text exposition format (version 0.0.4) of every family.
  std::string serialize() const;
  std::size_t family_count() const;

 private:
  struct Entry {
    prometheus::MetricType type;
    std::string help;
    void *family;
  };
  template <typename T>
  prometheus::Family<T> &family(const std::string &name, const std::string &help, prometheus::MetricType type);

  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;
  prometheus::Registry registry_{prometheus::Registry::InsertBehavior::Throw};
  mutable std::size_t last_size_ = 0;  // to size the next exposition's buffer at once
};

}  // namespace vnf::metrics
