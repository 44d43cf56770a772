#include "services/domain/short_reference.h"

#include <cstdint>

namespace rebook::domain {
namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int SymbolValue(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (c == 'O') c = '0';
  if (c == 'I' || c == 'L') c = '1';
  for (int i = 0; i < 32; ++i) {
    if (kAlphabet[i] == c) return i;
  }
  return -1;
}

// Luhn mod N over base-32 symbols: catches every single wrong symbol and every swap of two
// neighbours.
int CheckValue(const int* values, int n) {
  int factor = 2, sum = 0;
  for (int i = n - 1; i >= 0; --i) {
    int addend = factor * values[i];
    factor = factor == 2 ? 1 : 2;
    addend = addend / 32 + addend % 32;
    sum += addend;
  }
  return (32 - sum % 32) % 32;
}

std::string Format(const int* values) {
  std::string out;
  for (int i = 0; i < 9; ++i) {
    if (i == 4) out += '-';
    out += kAlphabet[values[i]];
  }
  return out;
}

}  // namespace

std::string ShortReference(std::string_view outage_id, std::string_view appointment_id) {
  std::uint64_t h = 14695981039346656037ull;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
  };
  mix(outage_id);
  mix("/");
  mix(appointment_id);
  h ^= h >> 29;  // fold the high bits in before taking 40
  int values[9];
  for (int i = 7; i >= 0; --i) {
    values[i] = static_cast<int>(h & 31);
    h >>= 5;
  }
  values[8] = CheckValue(values, 8);
  return Format(values);
}

std::optional<std::string> NormalizeShortReference(std::string_view text) {
  int values[9];
  int n = 0;
  for (char c : text) {
    if (c == ' ' || c == '-') continue;
    const int v = SymbolValue(c);
    if (v < 0 || n == 9) return std::nullopt;
    values[n++] = v;
  }
  if (n != 9 || CheckValue(values, 8) != values[8]) return std::nullopt;
  return Format(values);
}

}  // namespace rebook::domain
