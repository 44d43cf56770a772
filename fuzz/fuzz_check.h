// Helpers shared by the fuzz targets (fuzz/*_fuzzer.cc): splitting a structured input and
// checking an invariant. Header-only; no libFuzzer dependency, so the targets also build as
// replay tests with GCC.
#ifndef REBOOK_FUZZ_FUZZ_CHECK_H_
#define REBOOK_FUZZ_FUZZ_CHECK_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace rebook::fuzz {

// A broken invariant: prints `what` and aborts, which libFuzzer reports as a crash (and keeps
// the input) and the replay test as a failure.
#define REBOOK_FUZZ_CHECK(condition, what)                                                      \
  do {                                                                                          \
    if (!(condition)) {                                                                         \
      std::fprintf(stderr, "%s:%d: invariant broken: %s: %s\n", __FILE__, __LINE__, #condition, \
                   std::string(what).c_str());                                                  \
      std::abort();                                                                             \
    }                                                                                           \
  } while (false)

inline std::string_view AsText(const std::uint8_t* data, std::size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// Splits `input` at each line that is exactly `separator` ("%%" splits "a\n%%\nb" into "a\n"
// and "b"). At most `max_parts` parts; the last one keeps the rest.
inline std::vector<std::string_view> SplitAtLines(std::string_view input,
                                                  std::string_view separator,
                                                  std::size_t max_parts) {
  std::vector<std::string_view> parts;
  const std::string marker = "\n" + std::string(separator) + "\n";
  while (parts.size() + 1 < max_parts) {
    const std::size_t at = input.find(marker);
    if (at == std::string_view::npos) break;
    parts.push_back(input.substr(0, at + 1));
    input.remove_prefix(at + marker.size());
  }
  parts.push_back(input);
  return parts;
}

// RFC 3629 UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
inline bool IsUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

}  // namespace rebook::fuzz

#endif  // REBOOK_FUZZ_FUZZ_CHECK_H_
