// ops/log.hpp — structured JSON-lines logging with secret redaction.
//
// Every event is one line holding one JSON object, keys in this order:
//   {"ts":"2024-03-29T14:30:00.000000Z","level":"info","component":"gateway",
//    "event":"connected","run_id":"20240329T143000Z-5f3a","message":"...", <fields...>}
// `ts` comes from the injected af::Clock (UTC, microseconds); `fields` is any JSON object and is
// merged at the top level (a field named like a reserved key is written as "field_<name>").
//
// Redaction: the Logger is built with the secret values (af::config::Config::secret_values(),
// or secrets_from_environment()). Every occurrence of a secret — in the message, in field values,
// in field names, inside larger strings, in numbers — is replaced by "<redacted>" before any sink
// sees the line. Two layers make this hold for every path:
//   1. the event is redacted structurally (each string, key and scalar of the JSON), so the line
//      stays valid JSON;
//   2. the only sink attached to the underlying spdlog logger is a RedactingSink that scans the
//      finished line again for the raw and the JSON-escaped form of every secret before handing
//      it to the real sinks (console, rotating file, stream). spdlog's own error messages go
//      through the same Redactor. The spdlog logger is private to the Logger and never
//      registered in spdlog's global registry, so nothing else can write to those sinks.
// Matching is exact and case-sensitive. Secrets shorter than kShortSecretLength (4) characters
// are still redacted everywhere they occur — the guarantee wins over readability — but such
// values match ordinary text (a 3-character password "abc" also blanks "abc" in "abcdef"), so the
// Logger writes one warning at construction ("ops" / "short_secrets", with the count, never the
// values); configuration should reject them.
//
// Levels: debug and info are informational; warn, error and critical are problems. With
// ConsoleTarget::kSplit informational lines go to stdout and problems to stderr.
//
// Thread-safety: Logger's log methods are safe to call from several threads (spdlog *_mt sinks
// plus a mutex in the RedactingSink). The Clock must be safe to read from those threads.
// No global mutable state of ours; spdlog's console sinks share its internal console mutex.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace spdlog {
class logger;
}

namespace af::ops {

inline constexpr std::string_view kRedacted = "<redacted>";
inline constexpr std::size_t kShortSecretLength = 4;

// Replaces secret values in text and JSON. Immutable after construction; thread-safe.
class Redactor {
 public:
  Redactor() = default;
  // Empty strings are ignored; duplicates are merged; longer secrets are matched first.
  explicit Redactor(std::vector<std::string> secrets);

  // Every occurrence of a secret's raw or JSON-escaped form replaced by "<redacted>".
  std::string redact_text(std::string_view text) const;
  // Deep copy with every string, object key and scalar redacted; scalars (numbers, booleans)
  // whose text contains a secret become the string "<redacted>".
  nlohmann::ordered_json redact_json(const nlohmann::ordered_json& value) const;
  // For a finished JSON line: text redaction that keeps the line valid JSON (falls back to
  // structural redaction, and finally to a fixed "log_line_withheld" object).
  std::string redact_json_line(std::string_view line) const;

  bool contains_secret(std::string_view text) const;
  std::size_t secret_count() const noexcept { return secrets_.size(); }
  std::size_t short_secret_count() const noexcept;
  bool empty() const noexcept { return secrets_.empty(); }

 private:
  std::vector<std::string> secrets_;  // longest first
  std::vector<std::string> forms_;    // raw and JSON-escaped forms, longest first
};

// Values of the named environment variables that are set and non-empty, in the order given.
// The names come from the configuration's list of secret variables (e.g. TELEGRAM_BOT_TOKEN,
// EMAIL_PASSWORD, DB_PASSWORD); the values are for the Redactor only — never log them.
std::vector<std::string> secrets_from_environment(std::span<const std::string> variable_names);

enum class LogLevel { kDebug, kInfo, kWarn, kError, kCritical };
std::string_view to_string(LogLevel level) noexcept;  // "debug", "info", "warn", ...
Result<LogLevel> parse_log_level(std::string_view text);

enum class ConsoleTarget {
  kNone,
  kStdout,
  kStderr,
  kSplit,  // debug/info -> stdout, warn/error/critical -> stderr
};

struct LoggerOptions {
  std::string run_id;                        // written on every line; must not be empty
  LogLevel min_level = LogLevel::kInfo;      // lines below this level are dropped
  ConsoleTarget console = ConsoleTarget::kStderr;
  std::filesystem::path file;                // rotating JSON-lines file; empty = no file
  std::size_t max_file_bytes = 10 * 1024 * 1024;  // rotate when the file would exceed this
  std::size_t max_files = 5;                 // rotated files kept (file.1.jsonl ... file.N.jsonl)
  std::ostream* stream = nullptr;            // extra sink (tests, embedding); not owned; must
                                             // outlive the Logger
  bool flush_every_line = true;              // crash-only design: lines reach disk at once
};

// A run id: "<UTC start as YYYYMMDDTHHMMSSZ>-<8 hex digits of nonce>". The caller supplies the
// nonce (main() uses std::random_device) so that this stays a pure function.
std::string make_run_id(Timestamp start, std::uint32_t nonce);

class Logger {
 public:
  // Opens the sinks. Throws std::runtime_error when the log file cannot be opened; prefer
  // create(), which returns that as an Error{kIo} naming the path.
  Logger(LoggerOptions options, const Clock& clock, std::vector<std::string> secrets);
  static Result<std::unique_ptr<Logger>> create(LoggerOptions options, const Clock& clock,
                                                std::vector<std::string> secrets);
  ~Logger();
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  // The full form. `fields` must be a JSON object or null (anything else is written under
  // "fields").
  void log(LogLevel level, std::string_view component, std::string_view event,
           std::string_view message, const nlohmann::json& fields = nullptr) const;

  // Shorthands: logger.info("gateway", "connected", {{"port", 4002}});
  //             logger.warn("gateway", "slow_reply", {{"ms", 850}}, "reply took 850 ms");
  void debug(std::string_view component, std::string_view event,
             const nlohmann::json& fields = nullptr, std::string_view message = {}) const;
  void info(std::string_view component, std::string_view event,
            const nlohmann::json& fields = nullptr, std::string_view message = {}) const;
  void warn(std::string_view component, std::string_view event,
            const nlohmann::json& fields = nullptr, std::string_view message = {}) const;
  void error(std::string_view component, std::string_view event,
             const nlohmann::json& fields = nullptr, std::string_view message = {}) const;
  void critical(std::string_view component, std::string_view event,
                const nlohmann::json& fields = nullptr, std::string_view message = {}) const;
  // An af::Error at level error: message = error.message, field "error_code".
  void log_error(std::string_view component, std::string_view event, const Error& error,
                 const nlohmann::json& fields = nullptr) const;

  bool enabled(LogLevel level) const noexcept { return level >= options_.min_level; }
  void flush() const;
  const std::string& run_id() const noexcept { return options_.run_id; }
  // The same redaction for other outputs (alerts, reports, crash messages).
  const Redactor& redactor() const noexcept { return *redactor_; }

 private:
  LoggerOptions options_;
  const Clock& clock_;
  std::shared_ptr<const Redactor> redactor_;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace af::ops
