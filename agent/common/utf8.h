#pragma once
// UTF-8 validation shared by everything that turns outside text into labels or JSON.

#include <cstddef>
#include <string_view>

namespace vnf {

// Length of the well-formed UTF-8 sequence starting at s[i] (1 to 4), or 0 if there is none:
// overlong forms, surrogates and code points beyond U+10FFFF are not well formed.
inline std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
  const unsigned char c1 = n > 1 ? byte(i + 1) : 0;
  if ((n == 2 && c < 0xc2) || (n == 3 && c == 0xe0 && c1 < 0xa0) || (n == 3 && c == 0xed && c1 >= 0xa0) ||
      (n == 4 && (c > 0xf4 || (c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 >= 0x90))))
    return 0;
  return n;
}

}  // namespace vnf
