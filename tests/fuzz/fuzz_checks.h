#pragma once
// Checks the fuzzers make of what the agent outputs, written apart from the agent's own code so
// that a fuzzer does not check a function against itself.

#include <cstddef>
#include <string_view>

namespace vnf::fuzz {

// Well-formed UTF-8 as Go's utf8.ValidString (Prometheus, promtool) has it: no overlong forms,
// no surrogates, nothing beyond U+10FFFF.
inline bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned c = b(i);
    std::size_t n;
    unsigned lo = 0x80, hi = 0xbf;  // the range of the second byte
    if (c < 0x80) n = 1;
    else if (c >= 0xc2 && c <= 0xdf) n = 2;
    else if (c >= 0xe0 && c <= 0xef) n = 3, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
    else if (c >= 0xf0 && c <= 0xf4) n = 4, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
    else return false;
    if (i + n > s.size()) return false;
    if (n > 1 && (b(i + 1) < lo || b(i + 1) > hi)) return false;
    for (std::size_t k = 2; k < n; ++k)
      if (b(i + k) < 0x80 || b(i + k) > 0xbf) return false;
    i += n;
  }
  return true;
}

// What a sanitised label value may hold: valid UTF-8 without control characters but '\n'.
inline bool clean_label_value(std::string_view s) {
  for (char c : s)
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\n') || c == 0x7f) return false;
  return valid_utf8(s);
}

}  // namespace vnf::fuzz
