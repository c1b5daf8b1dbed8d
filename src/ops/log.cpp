// ops/log.cpp — see log.hpp for the line format and the redaction guarantee.
#include "ops/log.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <stdexcept>

#include <fmt/format.h>
#include <spdlog/logger.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace af::ops {
namespace {

using ordered_json = nlohmann::ordered_json;

constexpr auto kDumpIndent = -1;
constexpr auto kDumpIndentChar = ' ';
constexpr bool kDumpEnsureAscii = false;
constexpr auto kDumpInvalidUtf8 = nlohmann::json::error_handler_t::replace;

std::string dump(const ordered_json& j) {
  return j.dump(kDumpIndent, kDumpIndentChar, kDumpEnsureAscii, kDumpInvalidUtf8);
}

// Replaces every occurrence of `needle` in `text`, scanning forward (no re-scan of the
// replacement). Returns true when something was replaced.
bool replace_all(std::string& text, std::string_view needle, std::string_view replacement) {
  if (needle.empty()) return false;
  bool replaced = false;
  std::size_t pos = 0;
  while ((pos = text.find(needle, pos)) != std::string::npos) {
    text.replace(pos, needle.size(), replacement);
    pos += replacement.size();
    replaced = true;
  }
  return replaced;
}

spdlog::level::level_enum to_spdlog(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return spdlog::level::debug;
    case LogLevel::kInfo: return spdlog::level::info;
    case LogLevel::kWarn: return spdlog::level::warn;
    case LogLevel::kError: return spdlog::level::err;
    case LogLevel::kCritical: return spdlog::level::critical;
  }
  return spdlog::level::critical;
}

// The only sink attached to the Logger's spdlog logger: redacts the finished line, then hands
// it to the real sinks, each with its own level range.
class RedactingSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  struct Target {
    spdlog::sink_ptr sink;
    spdlog::level::level_enum min_level;
    spdlog::level::level_enum max_level;
  };

  RedactingSink(std::shared_ptr<const Redactor> redactor, std::vector<Target> targets)
      : redactor_(std::move(redactor)), targets_(std::move(targets)) {
    for (auto& t : targets_) {
      // The payload is the complete JSON line; the targets only append the newline.
      t.sink->set_formatter(std::make_unique<spdlog::pattern_formatter>(
          "%v", spdlog::pattern_time_type::utc, "\n"));
    }
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    const std::string clean =
        redactor_->redact_json_line(std::string_view(msg.payload.data(), msg.payload.size()));
    spdlog::details::log_msg out = msg;
    out.payload = spdlog::string_view_t(clean.data(), clean.size());
    for (const auto& t : targets_) {
      if (msg.level >= t.min_level && msg.level <= t.max_level) t.sink->log(out);
    }
  }
  void flush_() override {
    for (const auto& t : targets_) t.sink->flush();
  }
  // The line format is fixed; callers cannot install a pattern that bypasses redaction.
  void set_pattern_(const std::string&) override {}
  void set_formatter_(std::unique_ptr<spdlog::formatter>) override {}

 private:
  std::shared_ptr<const Redactor> redactor_;
  std::vector<Target> targets_;
};

const std::string_view kReservedKeys[] = {"ts", "level", "component", "event", "run_id",
                                          "message"};

bool is_reserved(std::string_view key) {
  return std::find(std::begin(kReservedKeys), std::end(kReservedKeys), key) !=
         std::end(kReservedKeys);
}

}  // namespace

// ------------------------------------------------------------------------------------------
// Redactor

Redactor::Redactor(std::vector<std::string> secrets) {
  secrets.erase(std::remove_if(secrets.begin(), secrets.end(),
                               [](const std::string& s) { return s.empty(); }),
                secrets.end());
  auto longest_first = [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  };
  std::sort(secrets.begin(), secrets.end(), longest_first);
  secrets.erase(std::unique(secrets.begin(), secrets.end()), secrets.end());
  secrets_ = std::move(secrets);
  for (const auto& s : secrets_) {
    forms_.push_back(s);
    // How the secret looks inside a JSON string: quotes, backslashes and control characters
    // are escaped, so the raw form would not match there.
    std::string escaped = dump(ordered_json(s));
    escaped = escaped.substr(1, escaped.size() - 2);
    if (escaped != s) forms_.push_back(std::move(escaped));
  }
  std::sort(forms_.begin(), forms_.end(), longest_first);
  forms_.erase(std::unique(forms_.begin(), forms_.end()), forms_.end());
}

std::string Redactor::redact_text(std::string_view text) const {
  std::string out(text);
  for (const auto& form : forms_) replace_all(out, form, kRedacted);
  return out;
}

bool Redactor::contains_secret(std::string_view text) const {
  return std::any_of(forms_.begin(), forms_.end(), [&](const std::string& form) {
    return text.find(form) != std::string_view::npos;
  });
}

std::size_t Redactor::short_secret_count() const noexcept {
  return static_cast<std::size_t>(std::count_if(secrets_.begin(), secrets_.end(), [](const auto& s) {
    return s.size() < kShortSecretLength;
  }));
}

ordered_json Redactor::redact_json(const ordered_json& value) const {
  if (secrets_.empty()) return value;
  switch (value.type()) {
    case ordered_json::value_t::object: {
      ordered_json out = ordered_json::object();
      for (const auto& [key, item] : value.items()) {
        std::string clean_key = redact_text(key);
        // Two keys that redact to the same text must both survive.
        while (out.contains(clean_key)) clean_key += "_";
        out[clean_key] = redact_json(item);
      }
      return out;
    }
    case ordered_json::value_t::array: {
      ordered_json out = ordered_json::array();
      for (const auto& item : value) out.push_back(redact_json(item));
      return out;
    }
    case ordered_json::value_t::string: return redact_text(value.get_ref<const std::string&>());
    case ordered_json::value_t::null:
    case ordered_json::value_t::discarded: return value;
    default: {
      // Numbers and booleans: their JSON text must not spell a secret either.
      if (contains_secret(dump(value))) return std::string(kRedacted);
      return value;
    }
  }
}

std::string Redactor::redact_json_line(std::string_view line) const {
  if (!contains_secret(line)) return std::string(line);
  std::string text = redact_text(line);
  if (ordered_json::accept(text)) return text;
  // A secret that spans JSON syntax (e.g. `":` or a bare number) broke the line: redact the
  // parsed structure instead, which keeps it valid.
  if (ordered_json::accept(line)) {
    std::string structural = dump(redact_json(ordered_json::parse(line)));
    if (!contains_secret(structural)) return structural;
  }
  return R"({"level":"error","component":"ops","event":"log_line_withheld","message":"a log line could not be redacted safely and was dropped"})";
}

std::vector<std::string> secrets_from_environment(std::span<const std::string> variable_names) {
  std::vector<std::string> values;
  for (const auto& name : variable_names) {
    const char* value = std::getenv(name.c_str());
    if (value != nullptr && *value != '\0') values.emplace_back(value);
  }
  return values;
}

// ------------------------------------------------------------------------------------------
// Levels and run ids

std::string_view to_string(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
    case LogLevel::kCritical: return "critical";
  }
  return "critical";
}

Result<LogLevel> parse_log_level(std::string_view text) {
  for (LogLevel level : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError,
                         LogLevel::kCritical}) {
    if (to_string(level) == text) return level;
  }
  if (text == "warning") return LogLevel::kWarn;
  return Error{ErrorCode::kInvalidArgument,
               fmt::format("unknown log level `{}`: expected debug, info, warn, error or critical",
                           text)};
}

std::string make_run_id(Timestamp start, std::uint32_t nonce) {
  // to_iso: "2024-03-29T14:30:00.000000Z" -> "20240329T143000Z".
  const std::string iso = to_iso(start);
  std::string compact;
  for (char c : iso.substr(0, 19)) {
    if (c != '-' && c != ':') compact += c;
  }
  return fmt::format("{}Z-{:08x}", compact, nonce);
}

// ------------------------------------------------------------------------------------------
// Logger

Logger::Logger(LoggerOptions options, const Clock& clock, std::vector<std::string> secrets)
    : options_(std::move(options)),
      clock_(clock),
      redactor_(std::make_shared<const Redactor>(std::move(secrets))) {
  if (options_.run_id.empty()) throw std::invalid_argument("LoggerOptions.run_id is empty");
  using spdlog::level::level_enum;
  std::vector<RedactingSink::Target> targets;
  const auto all = [&](spdlog::sink_ptr sink) {
    targets.push_back({std::move(sink), level_enum::trace, level_enum::critical});
  };
  switch (options_.console) {
    case ConsoleTarget::kNone: break;
    case ConsoleTarget::kStdout: all(std::make_shared<spdlog::sinks::stdout_sink_mt>()); break;
    case ConsoleTarget::kStderr: all(std::make_shared<spdlog::sinks::stderr_sink_mt>()); break;
    case ConsoleTarget::kSplit:
      targets.push_back(
          {std::make_shared<spdlog::sinks::stdout_sink_mt>(), level_enum::trace, level_enum::info});
      targets.push_back({std::make_shared<spdlog::sinks::stderr_sink_mt>(), level_enum::warn,
                         level_enum::critical});
      break;
  }
  if (!options_.file.empty()) {
    // Throws spdlog::spdlog_ex (a std::runtime_error) when the file cannot be opened.
    all(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
        options_.file.string(), options_.max_file_bytes, options_.max_files));
  }
  if (options_.stream != nullptr) {
    all(std::make_shared<spdlog::sinks::ostream_sink_mt>(*options_.stream, /*force_flush=*/true));
  }
  auto sink = std::make_shared<RedactingSink>(redactor_, std::move(targets));
  // Constructed directly, not through spdlog's registry: nothing global can reach it.
  logger_ = std::make_shared<spdlog::logger>("af", std::move(sink));
  logger_->set_level(to_spdlog(options_.min_level));
  if (options_.flush_every_line) logger_->flush_on(spdlog::level::trace);
  // spdlog reports sink failures through this handler; its text passes the redactor too.
  std::weak_ptr<const Redactor> weak = redactor_;
  logger_->set_error_handler([weak](const std::string& what) {
    const auto redactor = weak.lock();
    const std::string text = redactor ? redactor->redact_text(what) : std::string("(logger gone)");
    std::fprintf(stderr, "abstractfinance: log write failed: %s\n", text.c_str());
  });

  if (redactor_->short_secret_count() > 0) {
    warn("ops", "short_secrets",
         {{"count", redactor_->short_secret_count()},
          {"min_length", kShortSecretLength}},
         "some secret values are shorter than 4 characters; they are redacted wherever they "
         "occur, which can blank unrelated text: configure longer secrets");
  }
}

Result<std::unique_ptr<Logger>> Logger::create(LoggerOptions options, const Clock& clock,
                                               std::vector<std::string> secrets) {
  if (options.run_id.empty()) {
    return Error{ErrorCode::kInvalidArgument, "logger: run_id is empty (use make_run_id())"};
  }
  const std::string path = options.file.string();
  try {
    return std::make_unique<Logger>(std::move(options), clock, std::move(secrets));
  } catch (const std::exception& e) {
    return Error{ErrorCode::kIo,
                 fmt::format("cannot open log file `{}`: {}; check that the directory exists "
                             "and is writable, or change the log file setting",
                             path, e.what())};
  }
}

Logger::~Logger() {
  if (logger_) logger_->flush();
}

void Logger::log(LogLevel level, std::string_view component, std::string_view event,
                 std::string_view message, const nlohmann::json& fields) const {
  if (!enabled(level)) return;
  ordered_json line = ordered_json::object();
  line["ts"] = to_iso(clock_.now());
  line["level"] = to_string(level);
  line["component"] = component;
  line["event"] = event;
  line["run_id"] = options_.run_id;
  line["message"] = message;
  if (fields.is_object()) {
    for (const auto& [key, value] : fields.items()) {
      const std::string name = is_reserved(key) ? "field_" + key : key;
      line[name] = ordered_json(value);
    }
  } else if (!fields.is_null()) {
    line["fields"] = ordered_json(fields);
  }
  // Layer 1: structural redaction keeps the line valid JSON. Layer 2 is the RedactingSink.
  const std::string text = dump(redactor_->redact_json(line));
  logger_->log(to_spdlog(level), spdlog::string_view_t(text.data(), text.size()));
}

void Logger::debug(std::string_view component, std::string_view event,
                   const nlohmann::json& fields, std::string_view message) const {
  log(LogLevel::kDebug, component, event, message, fields);
}
void Logger::info(std::string_view component, std::string_view event,
                  const nlohmann::json& fields, std::string_view message) const {
  log(LogLevel::kInfo, component, event, message, fields);
}
void Logger::warn(std::string_view component, std::string_view event,
                  const nlohmann::json& fields, std::string_view message) const {
  log(LogLevel::kWarn, component, event, message, fields);
}
void Logger::error(std::string_view component, std::string_view event,
                   const nlohmann::json& fields, std::string_view message) const {
  log(LogLevel::kError, component, event, message, fields);
}
void Logger::critical(std::string_view component, std::string_view event,
                      const nlohmann::json& fields, std::string_view message) const {
  log(LogLevel::kCritical, component, event, message, fields);
}

void Logger::log_error(std::string_view component, std::string_view event, const Error& error,
                       const nlohmann::json& fields) const {
  nlohmann::json all = fields.is_object() ? fields : nlohmann::json::object();
  if (!fields.is_null() && !fields.is_object()) all["fields"] = fields;
  all["error_code"] = af::to_string(error.code);
  log(LogLevel::kError, component, event, error.message, all);
}

void Logger::flush() const { logger_->flush(); }

}  // namespace af::ops
