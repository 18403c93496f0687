#include "discover/vnf_identity.h"

#include "common/utf8.h"

#include <stdexcept>

namespace vnf::discover {
namespace {

constexpr const char *kFieldNames[] = {"namespace", "pod", "container", "image", "cgroup_path", "runtime"};

int field_of(std::string_view name) {
  for (int i = 0; i < static_cast<int>(std::size(kFieldNames)); ++i)
    if (name == kFieldNames[i]) return i;
  return -1;
}

std::string known_fields() {
  std::string list;
  for (const char *f : kFieldNames) list += (list.empty() ? "" : ", ") + std::string(f);
  return list;
}


}  // namespace

std::string sanitize_label_value(std::string_view value) {
  std::string out;
  out.reserve(std::min(value.size(), kMaxLabelValueBytes));
  for (std::size_t i = 0; i < value.size();) {
    std::size_t n = utf8_sequence_length(value, i);
    std::string_view piece = n ? value.substr(i, n) : std::string_view("\xef\xbf\xbd");
    if (n == 1 && static_cast<unsigned char>(value[i]) < 0x20 && value[i] != '\n') piece = "?";
    if (n == 1 && value[i] == 0x7f) piece = "?";
    if (out.size() + piece.size() > kMaxLabelValueBytes) break;
    out += piece;
    i += n ? n : 1;
  }
  return out;
}

VnfIdentity sanitized_identity(VnfIdentity id) {
  for (auto *value : {&id.vnf, &id.vnf_type, &id.namespace_name, &id.pod, &id.container})
    *value = sanitize_label_value(*value);
  return id;
}


std::string image_base_name(std::string_view image) {
  if (auto at = image.find('@'); at != std::string_view::npos) image = image.substr(0, at);
  if (auto slash = image.rfind('/'); slash != std::string_view::npos) image = image.substr(slash + 1);
  if (auto colon = image.find(':'); colon != std::string_view::npos) image = image.substr(0, colon);
  return std::string(image);
}

IdentityResolver::Match IdentityResolver::compile_match(const std::map<std::string, std::string> &match,
                                                        const std::string &context) {
  Match m;
  for (const auto &[name, pattern] : match) {
    const int field = field_of(name);
    if (field < 0) throw std::invalid_argument(context + ": unknown field '" + name + "' (fields: " + known_fields() + ")");
    try {
      m.regexes.emplace_back(static_cast<Field>(field), std::regex(pattern, std::regex::ECMAScript));
    } catch (const std::regex_error &e) {
      throw std::invalid_argument(context + ": invalid regex for " + name + " '" + pattern + "': " + e.what());
    }
  }
  return m;
}

IdentityResolver::Template IdentityResolver::compile_template(const std::string &text, const std::string &context) {
  Template t;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto open = text.find('{', pos);
    if (open == std::string::npos) {
      t.push_back({text.substr(pos)});
      break;
    }
    if (open > pos) t.push_back({text.substr(pos, open - pos)});
    auto close = text.find('}', open);
    if (close == std::string::npos) throw std::invalid_argument(context + ": unclosed '{' in template '" + text + "'");
    std::string ref = text.substr(open + 1, close - open - 1);
    TemplatePart part;
    if (auto dot = ref.find('.'); dot != std::string::npos) {
      const std::string group = ref.substr(dot + 1);
      if (group.empty() || group.find_first_not_of("0123456789") != std::string::npos)
        throw std::invalid_argument(context + ": '{" + ref + "}' needs a capture group number after the dot");
      if (group.size() > 4) throw std::invalid_argument(context + ": '{" + ref + "}': no regex has that many groups");
      part.group = std::stoi(group);
      ref.resize(dot);
    }
    part.field = field_of(ref);
    if (part.field < 0) throw std::invalid_argument(context + ": unknown field '{" + ref + "}' in template '" + text + "'");
    t.push_back(part);
    pos = close + 1;
  }
  return t;
}

IdentityResolver::IdentityResolver(const std::vector<config::VnfRuleConfig> &rules,
                                   const std::vector<std::map<std::string, std::string>> &exclude) {
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const std::string context = "vnf_rules[" + std::to_string(i) + "]";
    rules_.push_back({compile_match(rules[i].match, context), compile_template(rules[i].vnf, context),
                      compile_template(rules[i].vnf_type, context), rules[i].network_owner});
  }
  for (std::size_t i = 0; i < exclude.size(); ++i)
    exclude_.push_back(compile_match(exclude[i], "exclude[" + std::to_string(i) + "]"));
}

bool IdentityResolver::Match::matches(const Subject &subject, Captures &captures) const {
  for (const auto &[field, regex] : regexes) {
    std::smatch m;
    if (!std::regex_search(subject[field], m, regex)) return false;
    captures[field].clear();
    for (const auto &group : m) captures[field].push_back(group.str());
  }
  return true;
}

std::string IdentityResolver::expand(const Template &t, const Subject &subject, const Captures &captures) {
  std::string out;
  for (const auto &part : t) {
    if (part.field < 0) out += part.literal;
    else if (part.group < 0) out += subject[part.field];
    else if (static_cast<std::size_t>(part.group) < captures[part.field].size()) out += captures[part.field][part.group];
  }
  return out;
}

VnfIdentity IdentityResolver::default_identity(const ContainerCgroup &container,
                                               const std::optional<ContainerMetadata> &metadata) {
  if (!metadata) return container.identity;  // what the cgroup path alone tells
  VnfIdentity id;
  id.container = metadata->name;
  if (!metadata->pod.empty()) {
    id.vnf = metadata->pod;
    id.vnf_type = metadata->name;
    id.namespace_name = metadata->namespace_name;
    id.pod = metadata->pod;
  } else {
    id.vnf = metadata->name;
    id.vnf_type = image_base_name(metadata->image);
  }
  return id;
}

std::optional<ResolvedVnf> IdentityResolver::resolve(const ContainerCgroup &container,
                                                     const std::optional<ContainerMetadata> &metadata,
                                                     std::string_view cgroup_path) const {
  if (metadata && metadata->sandbox) return std::nullopt;
  const VnfIdentity fallback = default_identity(container, metadata);
  Subject subject;
  subject[kNamespace] = fallback.namespace_name;
  subject[kPod] = fallback.pod;
  subject[kContainer] = metadata ? metadata->name : fallback.container;
  subject[kImage] = metadata ? metadata->image : std::string();
  subject[kCgroupPath] = std::string(cgroup_path);
  subject[kRuntime] = container.runtime;

  Captures captures;
  for (const auto &m : exclude_)
    if (m.matches(subject, captures)) return std::nullopt;
  for (const auto &rule : rules_) {
    if (!rule.match.matches(subject, captures)) continue;
    VnfIdentity id = fallback;
    if (!rule.vnf.empty()) id.vnf = expand(rule.vnf, subject, captures);
    if (!rule.vnf_type.empty()) id.vnf_type = expand(rule.vnf_type, subject, captures);
    return ResolvedVnf{sanitized_identity(std::move(id)), rule.network_owner};
  }
  return ResolvedVnf{sanitized_identity(fallback)};
}

}  // namespace vnf::discover
