#pragma once
// The agent's one metric registry. Every family is registered here; asking for a name that
// exists returns that family, and asking with a different type or help text is a bug that
// fails loudly instead of producing a second, conflicting family.
//
// Two kinds of family live in it: prometheus-cpp counters and gauges (self-metrics, scaling
// counters: few series, updated from any thread) and written families, whose owner keeps the numbers
// of one series per VNF in plain structs and writes them into the exposition itself. The
// per-VNF families are written ones: a scrape then neither allocates nor copies label maps
// per series, which is what made prometheus-cpp's Collect() the bulk of a 1,000-VNF scrape.

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/metric_type.h>
#include <prometheus/registry.h>

#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace vnf::metrics {

// Raised when a family is registered twice with a different type or help.
class RegistrationConflict : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// What a written family is: its name, help text and type.
struct FamilyInfo {
  std::string name;
  std::string help;
  prometheus::MetricType type;
};

// "# HELP" and "# TYPE" lines of a written family.
void write_header(std::string &out, const FamilyInfo &family);

// The owner of written families. write() runs inside Registry::serialize(); its owner must
// not change the numbers meanwhile (the scrape updates and serializes under one lock).
class FamilyWriter {
 public:
  virtual ~FamilyWriter() = default;
  virtual void write(std::string &out) const = 0;
};

class Registry;

// Keeps a writer's families in the registry for as long as the writer lives. Make it the
// writer's last member: it registers once everything else is constructed, and unregisters
// before anything is destroyed.
class WriterRegistration {
 public:
  // Throws as Registry::add_writer.
  WriterRegistration(Registry &registry, const std::vector<FamilyInfo> &families, const FamilyWriter &writer);
  ~WriterRegistration();
  WriterRegistration(const WriterRegistration &) = delete;
  WriterRegistration &operator=(const WriterRegistration &) = delete;

 private:
  Registry &registry_;
  const FamilyWriter &writer_;
};

class Registry {
 public:
  prometheus::Family<prometheus::Counter> &counter(const std::string &name, const std::string &help);
  prometheus::Family<prometheus::Gauge> &gauge(const std::string &name, const std::string &help);

  // Registers written families; their names are then taken as any family's are. Throws
  // RegistrationConflict if a name is already registered, std::invalid_argument if invalid.
  void add_writer(const std::vector<FamilyInfo> &families, const FamilyWriter &writer);
  // Unregisters a writer's families.
  void remove_writer(const FamilyWriter &writer);

  // The text exposition format (version 0.0.4) of every family: into `out` (cleared first,
  // its capacity kept), or into a new string.
  void serialize(std::string &out) const;
  std::string serialize() const;
  std::size_t family_count() const;

 private:
  struct Entry {
    prometheus::MetricType type;
    std::string help;
    void *family;                         // a prometheus::Family<T>, or null for a written family
    const FamilyWriter *writer = nullptr;  // the owner of a written family
  };
  template <typename T>
  prometheus::Family<T> &family(const std::string &name, const std::string &help, prometheus::MetricType type);

  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;
  std::vector<const FamilyWriter *> writers_;
  prometheus::Registry registry_{prometheus::Registry::InsertBehavior::Throw};
  mutable std::size_t last_size_ = 0;  // to size the next exposition's buffer at once
};

}  // namespace vnf::metrics
