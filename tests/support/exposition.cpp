#include "support/exposition.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/agent_process.h"

namespace vnf::test {

std::optional<double> vnf_sample(const std::string &exposition, const std::string &metric, const std::string &vnf) {
  std::istringstream lines(exposition);
  const std::string label = "vnf=\"" + vnf + "\"";
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(metric + "{", 0) != 0 || line.find(label) == std::string::npos) continue;
    return std::stod(line.substr(line.rfind(' ') + 1));
  }
  return std::nullopt;
}

std::optional<std::uint64_t> vnf_interface_sample(const std::string &exposition, const std::string &metric,
                                                  const std::string &vnf, const std::string &interface) {
  std::istringstream lines(exposition);
  const std::string vnf_label = "vnf=\"" + vnf + "\"", interface_label = "interface=\"" + interface + "\"";
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(metric + "{", 0) != 0 || line.find(vnf_label) == std::string::npos ||
        line.find(interface_label) == std::string::npos)
      continue;
    return std::stoull(line.substr(line.rfind(' ') + 1));
  }
  return std::nullopt;
}

std::optional<double> sample(const std::string &exposition, const std::string &series) {
  std::istringstream lines(exposition);
  for (std::string line; std::getline(lines, line);)
    if (line.size() > series.size() && line.rfind(series, 0) == 0 && line[series.size()] == ' ')
      return std::stod(line.substr(series.size() + 1));
  return std::nullopt;
}

LintResult promtool_check_metrics(const std::string &exposition) {
  auto file = std::filesystem::temp_directory_path() / ("vnf-agent-lint-" + std::to_string(getpid()) + ".prom");
  std::ofstream(file) << exposition;
  auto result = run_shell(std::string(VNF_PROMTOOL) + " check metrics < " + file.string());
  std::filesystem::remove(file);
  return {result.exit_code, result.output};
}

bool has_vnf(const std::string &exposition, const std::string &vnf) {
  return exposition.find("vnf=\"" + vnf + "\"") != std::string::npos;
}

}  // namespace vnf::test
