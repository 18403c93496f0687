#pragma once
// Reading values out of a Prometheus text exposition in tests.

#include <cstdint>
#include <optional>
#include <string>

namespace vnf::test {

// Value of the sample `metric` whose labels include vnf="<vnf>"; nullopt if absent.
std::optional<double> vnf_sample(const std::string &exposition, const std::string &metric, const std::string &vnf);

// Value of the counter `metric` whose labels include vnf="<vnf>" and interface="<interface>",
// as the integer it was written as; nullopt if absent.
std::optional<std::uint64_t> vnf_interface_sample(const std::string &exposition, const std::string &metric,
                                                  const std::string &vnf, const std::string &interface);

// Value of the sample written exactly as `series` (name and labels, e.g. a self-metric);
// nullopt if absent.
std::optional<double> sample(const std::string &exposition, const std::string &series);

// True if any series of any vnf_* family carries vnf="<vnf>".
bool has_vnf(const std::string &exposition, const std::string &vnf);

// `promtool check metrics` over an exposition: exit code and everything it printed.
struct LintResult {
  int exit_code = -1;
  std::string output;
};
LintResult promtool_check_metrics(const std::string &exposition);

}  // namespace vnf::test
