#include "metrics/vnf_labels.h"

namespace vnf::metrics {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not one.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
  if (n == 2 && c < 0xc2) return 0;                                   // overlong
  if (n == 3 && c == 0xe0 && byte(i + 1) < 0xa0) return 0;            // overlong
  if (n == 3 && c == 0xed && byte(i + 1) >= 0xa0) return 0;           // surrogates
  if (n == 4 && (c > 0xf4 || (c == 0xf0 && byte(i + 1) < 0x90) || (c == 0xf4 && byte(i + 1) >= 0x90))) return 0;
  return n;
}

}  // namespace

std::string sanitize_label_value(std::string_view value) {
  std::string out;
  out.reserve(std::min(value.size(), kMaxLabelValueBytes));
  for (std::size_t i = 0; i < value.size();) {
    std::size_t n = utf8_sequence(value, i);
    std::string_view piece = n ? value.substr(i, n) : std::string_view("\xef\xbf\xbd");
    if (n == 1 && static_cast<unsigned char>(value[i]) < 0x20 && value[i] != '\n') piece = "?";
    if (n == 1 && value[i] == 0x7f) piece = "?";
    if (out.size() + piece.size() > kMaxLabelValueBytes) break;
    out += piece;
    i += n ? n : 1;
  }
  return out;
}

discover::VnfIdentity sanitized(discover::VnfIdentity id) {
  for (auto *value : {&id.vnf, &id.vnf_type, &id.namespace_name, &id.pod, &id.container})
    *value = sanitize_label_value(*value);
  return id;
}

prometheus::Labels vnf_labels(const discover::VnfIdentity &id) {
  return {{"vnf", id.vnf},
          {"vnf_type", id.vnf_type},
          {"namespace", id.namespace_name},
          {"pod", id.pod},
          {"container", id.container}};
}

}  // namespace vnf::metrics
