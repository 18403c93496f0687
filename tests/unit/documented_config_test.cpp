// Every YAML example in the docs is a config the agent accepts: the README must stay honest.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "config/agent_config.h"
#include "discover/vnf_identity.h"

namespace vnf::config {
namespace {

std::vector<std::string> yaml_blocks(const std::string &file) {
  std::ifstream in(std::string(VNF_SOURCE_DIR) + "/" + file);
  std::vector<std::string> blocks;
  std::string line, block;
  bool inside = false;
  while (std::getline(in, line)) {
    if (!inside && line == "```yaml") {
      inside = true;
      block.clear();
    } else if (inside && line == "```") {
      inside = false;
      blocks.push_back(block);
    } else if (inside) {
      block += line + "\n";
    }
  }
  return blocks;
}

TEST(DocumentedConfig, EveryYamlExampleIsAccepted) {
  std::size_t checked = 0;
  for (const char *file : {"README.md", "docs/identity.md", "docs/operations.md"}) {
    for (const auto &yaml : yaml_blocks(file)) {
      SCOPED_TRACE(std::string(file) + ":\n" + yaml);
      AgentConfig config;
      ASSERT_NO_THROW(config = parse_config(yaml, file));
      EXPECT_NO_THROW(discover::IdentityResolver(config.vnf_rules, config.exclude));
      ++checked;
    }
  }
  EXPECT_GE(checked, 2u);
}

}  // namespace
}  // namespace vnf::config
