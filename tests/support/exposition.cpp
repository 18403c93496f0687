#include "support/exposition.h"

#include <sstream>

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

bool has_vnf(const std::string &exposition, const std::string &vnf) {
  return exposition.find("vnf=\"" + vnf + "\"") != std::string::npos;
}

}  // namespace vnf::test
