#include "metrics/registry.h"

#include "metrics/text_exposition.h"

#include <prometheus/check_names.h>

namespace vnf::metrics {

template <typename T>
prometheus::Family<T> &Registry::family(const std::string &name, const std::string &help,
                                        prometheus::MetricType type) {
  std::lock_guard lock(mutex_);
  if (auto it = entries_.find(name); it != entries_.end()) {
    const Entry &e = it->second;
    if (e.writer)
      throw RegistrationConflict("metric family " + name + " is already registered as a per-VNF family");
    if (e.type != type || e.help != help)
      throw RegistrationConflict("metric family " + name + " is already registered as a " + metric_type_name(e.type) +
                                 " (\"" + e.help + "\"); asked again as a " + metric_type_name(type) + " (\"" + help + "\")");
    return *static_cast<prometheus::Family<T> *>(e.family);
  }
  auto &family = prometheus::detail::Builder<T>().Name(name).Help(help).Register(registry_);
  entries_.emplace(name, Entry{type, help, &family});
  return family;
}

prometheus::Family<prometheus::Counter> &Registry::counter(const std::string &name, const std::string &help) {
  return family<prometheus::Counter>(name, help, prometheus::MetricType::Counter);
}

prometheus::Family<prometheus::Gauge> &Registry::gauge(const std::string &name, const std::string &help) {
  return family<prometheus::Gauge>(name, help, prometheus::MetricType::Gauge);
}

void write_header(std::string &out, const FamilyInfo &family) {
  write_header(out, family.name, family.help, family.type);
}

void Registry::add_writer(const std::vector<FamilyInfo> &families, const FamilyWriter &writer) {
  std::lock_guard lock(mutex_);
  for (const auto &f : families) {
    if (!prometheus::CheckMetricName(f.name)) throw std::invalid_argument("invalid metric name: " + f.name);
    if (entries_.count(f.name)) throw RegistrationConflict("metric family " + f.name + " is already registered");
  }
  for (const auto &f : families) entries_.emplace(f.name, Entry{f.type, f.help, nullptr, &writer});
  writers_.push_back(&writer);
}

void Registry::remove_writer(const FamilyWriter &writer) {
  std::lock_guard lock(mutex_);
  std::erase(writers_, &writer);
  std::erase_if(entries_, [&](const auto &entry) { return entry.second.writer == &writer; });
}

void Registry::serialize(std::string &out) const {
  out.clear();
  out.reserve(last_size_ + last_size_ / 8);
  write_exposition(out, registry_.Collect());
  std::lock_guard lock(mutex_);
  for (const auto *writer : writers_) writer->write(out);
  last_size_ = out.size();
}

WriterRegistration::WriterRegistration(Registry &registry, const std::vector<FamilyInfo> &families,
                                       const FamilyWriter &writer)
    : registry_(registry), writer_(writer) {
  registry.add_writer(families, writer);
}

WriterRegistration::~WriterRegistration() { registry_.remove_writer(writer_); }

std::string Registry::serialize() const {
  std::string out;
  serialize(out);
  return out;
}

std::size_t Registry::family_count() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace vnf::metrics
