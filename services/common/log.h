// Structured logs: one JSON object per line on stderr.
//
//   Log(LogLevel::kInfo, "rpc", {{"method", "DeclareOutage"}, {"code", "OK"}, {"ms", 12}});
//   -> {"ts":"2026-01-27T10:50:00.123Z","level":"info","event":"rpc","method":...}
//
// Logs must never contain citizens' personal data: log ids, counts, codes and durations, never
// names, phone numbers, e-mail or postal addresses, or free text a citizen or clerk typed.
// Thread-safe; each line is written with one call.
#ifndef REBOOK_SERVICES_COMMON_LOG_H_
#define REBOOK_SERVICES_COMMON_LOG_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <variant>

namespace rebook {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

struct LogField {
  LogField(const char* k, std::string v) : key(k), value(std::move(v)) {}
  LogField(const char* k, const char* v) : key(k), value(std::string(v)) {}
  LogField(const char* k, std::int64_t v) : key(k), value(v) {}
  LogField(const char* k, int v) : key(k), value(static_cast<std::int64_t>(v)) {}
  LogField(const char* k, double v) : key(k), value(v) {}
  LogField(const char* k, bool v) : key(k), value(v) {}

  const char* key;
  std::variant<std::string, std::int64_t, double, bool> value;
};

void Log(LogLevel level, const char* event, std::initializer_list<LogField> fields = {});

// Lines below this level are dropped. Default kInfo.
void SetMinLogLevel(LogLevel level);

}  // namespace rebook

#endif  // REBOOK_SERVICES_COMMON_LOG_H_
