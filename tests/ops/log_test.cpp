// JSON-lines logging and secret redaction (ops/log.hpp).
#include "ops/log.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace af::ops {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kCanary = "CANARY-7f3a9c";

Timestamp at(int y, unsigned mo, unsigned d, std::chrono::microseconds tod) {
  return Timestamp{Date(y, mo, d).sys_days().time_since_epoch() + tod};
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A fresh temporary directory, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("af_ops_log_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

// Options that write only to `stream`.
LoggerOptions stream_options(std::string run_id, std::ostream& stream) {
  LoggerOptions options;
  options.run_id = std::move(run_id);
  options.console = ConsoleTarget::kNone;
  options.stream = &stream;
  return options;
}

// Everything written to every log file in `dir` (current and rotated).
std::string all_files(const fs::path& dir) {
  std::string text;
  for (const auto& entry : fs::directory_iterator(dir)) text += read_file(entry.path());
  return text;
}

void expect_valid_lines_with_required_fields(const std::string& text, const std::string& run_id) {
  const auto lines = split_lines(text);
  ASSERT_FALSE(lines.empty());
  for (const auto& line : lines) {
    ASSERT_TRUE(json::accept(line)) << "not JSON: " << line;
    const json j = json::parse(line);
    ASSERT_TRUE(j.is_object()) << line;
    for (const char* key : {"ts", "level", "component", "event", "run_id", "message"}) {
      EXPECT_TRUE(j.contains(key)) << "missing `" << key << "` in " << line;
    }
    EXPECT_EQ(j.value("run_id", ""), run_id) << line;
  }
}

std::size_t count_of(const std::string& text, std::string_view needle) {
  std::size_t n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) {
    ++n;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// The canary: a secret set in the environment, collected the way the app collects secrets
// (by variable name), then logged through every path. It must never reach any output.

TEST(OpsLogRedaction, CanarySecretFromEnvironmentNeverAppearsInAnyOutput) {
  ASSERT_EQ(::setenv("TELEGRAM_BOT_TOKEN", kCanary, 1), 0);
  ::unsetenv("EMAIL_PASSWORD");
  const std::vector<std::string> secret_variables = {"TELEGRAM_BOT_TOKEN", "EMAIL_PASSWORD",
                                                     "DB_PASSWORD"};
  const auto secrets = secrets_from_environment(secret_variables);
  ASSERT_EQ(std::count(secrets.begin(), secrets.end(), std::string(kCanary)), 1);

  TempDir dir;
  std::ostringstream captured;
  ManualClock clock(at(2024, 3, 29, 14h + 30min));
  LoggerOptions options;
  options.run_id = "run-canary";
  options.min_level = LogLevel::kDebug;
  options.console = ConsoleTarget::kNone;
  options.file = dir.path() / "engine.jsonl";
  options.stream = &captured;
  {
    Logger logger(options, clock, secrets);
    const std::string canary = kCanary;
    logger.info("alerts", "message_path", nullptr, canary);                        // message
    logger.info("alerts", "field_path", {{"token", canary}});                      // field value
    logger.warn("alerts", "embedded", {{"url", "https://api.telegram.org/bot" + canary +
                                                   "/sendMessage"}});              // larger string
    logger.info("alerts", "nested", {{"request", {{"headers", {"X-Token", canary}},
                                                  {"retries", {1, 2, canary}}}}});  // nested
    logger.info("alerts", "as_key", {{canary, 1}});                                // field name
    logger.log_error("alerts", "send_failed",
                     Error{ErrorCode::kUnavailable, "telegram rejected token " + canary +
                                                        ": 401 Unauthorized"});    // error
    logger.critical("alerts", "quoted", nullptr,
                    "payload {\"token\":\"" + canary + "\"}\nsecond line " + canary);
    logger.debug("alerts", "debug_level", {{"t", canary}});
    logger.flush();
  }

  const std::string stream_text = captured.str();
  const std::string file_text = all_files(dir.path());
  for (const std::string* text : {&stream_text, &file_text}) {
    EXPECT_EQ(text->find(kCanary), std::string::npos) << *text;
    EXPECT_EQ(text->find("7f3a9c"), std::string::npos);  // not even a fragment
    EXPECT_EQ(split_lines(*text).size(), 8u);              // one line per event
    // Each of the 8 events carried the canary at least once (quoted twice, nested twice).
    EXPECT_GE(count_of(*text, "<redacted>"), 10u) << *text;
    expect_valid_lines_with_required_fields(*text, "run-canary");
  }
  // The redacted content is still recognisable.
  EXPECT_NE(stream_text.find("https://api.telegram.org/bot<redacted>/sendMessage"),
            std::string::npos);
  EXPECT_NE(stream_text.find("telegram rejected token <redacted>: 401 Unauthorized"),
            std::string::npos);
  ::unsetenv("TELEGRAM_BOT_TOKEN");
}

TEST(OpsLogRedaction, SecretWithJsonSpecialCharactersIsRedactedInEscapedForm) {
  // A password containing a quote and a backslash appears escaped inside JSON strings.
  const std::string secret = "pa\"ss\\word-9";
  std::ostringstream captured;
  ManualClock clock;
  LoggerOptions options = stream_options("r1", captured);
  {
    Logger logger(options, clock, {secret});
    logger.info("db", "connect", {{"dsn", "postgres://af:" + secret + "@db/af"}}, secret);
  }
  const std::string text = captured.str();
  EXPECT_EQ(text.find(secret), std::string::npos);
  EXPECT_EQ(text.find(R"(pa\"ss\\word-9)"), std::string::npos) << text;  // JSON-escaped form
  EXPECT_NE(text.find("postgres://af:<redacted>@db/af"), std::string::npos) << text;
  expect_valid_lines_with_required_fields(text, "r1");
}

TEST(OpsLogRedaction, NumericSecretInANumberKeepsTheLineValidJson) {
  const std::string pin = "40021234";
  std::ostringstream captured;
  ManualClock clock;
  LoggerOptions options = stream_options("r2", captured);
  {
    Logger logger(options, clock, {pin});
    logger.info("gateway", "login", {{"pin", 40021234}, {"port", 4002}});
  }
  const std::string text = captured.str();
  EXPECT_EQ(text.find(pin), std::string::npos) << text;
  expect_valid_lines_with_required_fields(text, "r2");
  const json line = json::parse(split_lines(text).at(0));
  EXPECT_EQ(line["pin"], "<redacted>");
  EXPECT_EQ(line["port"], 4002);  // unrelated numbers untouched
}

TEST(OpsLogRedaction, ShortSecretIsRedactedAndWarnedAboutWithoutItsValue) {
  std::ostringstream captured;
  ManualClock clock;
  LoggerOptions options = stream_options("r3", captured);
  {
    Logger logger(options, clock, {"xq7"});
    logger.info("x", "y", {{"v", "id-xq7-z"}});
  }
  const auto lines = split_lines(captured.str());
  ASSERT_EQ(lines.size(), 2u);
  const json warning = json::parse(lines[0]);
  EXPECT_EQ(warning["event"], "short_secrets");
  EXPECT_EQ(warning["level"], "warn");
  EXPECT_EQ(warning["count"], 1);
  EXPECT_EQ(captured.str().find("xq7"), std::string::npos);
  EXPECT_EQ(json::parse(lines[1])["v"], "id-<redacted>-z");
}

TEST(OpsLogRedaction, RedactorFallsBackWhenASecretSpansJsonSyntax) {
  // The secret `1,"b` spans a number, a comma and a key: text replacement would break the
  // JSON, structural redaction cannot isolate it, so the line is withheld.
  const Redactor redactor({"1,\"b"});
  const std::string out = redactor.redact_json_line(R"({"a":1,"b":2})");
  EXPECT_TRUE(json::accept(out)) << out;
  EXPECT_EQ(out.find("1,\"b"), std::string::npos);
  EXPECT_EQ(json::parse(out)["event"], "log_line_withheld");
  // Lines without secrets pass unchanged.
  EXPECT_EQ(redactor.redact_json_line(R"({"a":3})"), R"({"a":3})");
}

TEST(OpsLogRedaction, RedactorPrefersLongerSecretsAndIgnoresEmptyOnes) {
  const Redactor redactor({"", "abcd", "abcdefgh", "abcd"});
  EXPECT_EQ(redactor.secret_count(), 2u);
  EXPECT_EQ(redactor.redact_text("x abcdefgh y abcd z"), "x <redacted> y <redacted> z");
  EXPECT_EQ(Redactor{}.redact_text("abcd"), "abcd");
}

// ---------------------------------------------------------------------------------------------
// Line format

TEST(OpsLogFormat, LineCarriesTimestampFromInjectedClockAndFieldsInOrder) {
  std::ostringstream captured;
  ManualClock clock(at(2024, 3, 29, 14h + 30min + 1500ms));
  LoggerOptions options = stream_options("20240329T143000Z-00005f3a", captured);
  Logger logger(options, clock, {});
  logger.info("gateway", "connected", {{"port", 4002}, {"level", "shadowed"}});
  clock.advance(2s);
  logger.warn("gateway", "slow_reply", {{"ms", 850}}, "reply took 850 ms");
  const auto lines = split_lines(captured.str());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].rfind(R"({"ts":"2024-03-29T14:30:01.500000Z","level":"info",)", 0), 0u)
      << lines[0];
  const json first = json::parse(lines[0]);
  EXPECT_EQ(first["component"], "gateway");
  EXPECT_EQ(first["event"], "connected");
  EXPECT_EQ(first["run_id"], "20240329T143000Z-00005f3a");
  EXPECT_EQ(first["message"], "");
  EXPECT_EQ(first["port"], 4002);
  EXPECT_EQ(first["level"], "info");             // reserved key not overwritten by a field
  EXPECT_EQ(first["field_level"], "shadowed");   // the field is kept under another name
  const json second = json::parse(lines[1]);
  EXPECT_EQ(second["ts"], "2024-03-29T14:30:03.500000Z");
  EXPECT_EQ(second["level"], "warn");
  EXPECT_EQ(second["message"], "reply took 850 ms");
  EXPECT_EQ(second["ms"], 850);
}

TEST(OpsLogFormat, LevelsBelowTheMinimumAreDropped) {
  std::ostringstream captured;
  ManualClock clock;
  LoggerOptions options = stream_options("r", captured);
  options.min_level = LogLevel::kWarn;
  Logger logger(options, clock, {});
  logger.debug("c", "d");
  logger.info("c", "i");
  logger.warn("c", "w");
  logger.error("c", "e");
  logger.critical("c", "x");
  const auto lines = split_lines(captured.str());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(json::parse(lines[0])["level"], "warn");
  EXPECT_EQ(json::parse(lines[1])["level"], "error");
  EXPECT_EQ(json::parse(lines[2])["level"], "critical");
  EXPECT_FALSE(logger.enabled(LogLevel::kInfo));
}

TEST(OpsLogFormat, NonObjectFieldsAreKeptUnderFields) {
  std::ostringstream captured;
  ManualClock clock;
  Logger logger(stream_options("r", captured), clock, {});
  logger.info("c", "e", json::array({1, 2}));
  EXPECT_EQ(json::parse(split_lines(captured.str()).at(0))["fields"], json::array({1, 2}));
}

TEST(OpsLogFormat, RotatingFileRotatesAndEveryFileHoldsValidLines) {
  TempDir dir;
  ManualClock clock;
  LoggerOptions options;
  options.run_id = "rot";
  options.console = ConsoleTarget::kNone;
  options.file = dir.path() / "engine.jsonl";
  options.max_file_bytes = 2048;
  options.max_files = 3;
  {
    Logger logger(options, clock, {"SECRET-rotation-1"});
    for (int i = 0; i < 100; ++i) {
      logger.info("loop", "tick", {{"i", i}, {"note", "SECRET-rotation-1"}});
    }
  }
  EXPECT_TRUE(fs::exists(dir.path() / "engine.jsonl"));
  EXPECT_TRUE(fs::exists(dir.path() / "engine.1.jsonl"));  // rotated at least once
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    ++files;
    EXPECT_LE(fs::file_size(entry.path()), 2048u) << entry.path();
    const std::string text = read_file(entry.path());
    EXPECT_EQ(text.find("SECRET-rotation-1"), std::string::npos);
    expect_valid_lines_with_required_fields(text, "rot");
  }
  EXPECT_LE(files, 4u);  // current + 3 rotated
}

TEST(OpsLogFormat, UnwritableLogFileIsAnIoErrorNamingThePath) {
  TempDir dir;
  const fs::path blocker = dir.path() / "not_a_dir";
  std::ofstream(blocker) << "x";
  ManualClock clock;
  LoggerOptions options;
  options.run_id = "r";
  options.console = ConsoleTarget::kNone;
  options.file = blocker / "a.jsonl";
  auto logger = Logger::create(options, clock, {});
  ASSERT_FALSE(logger.ok());
  EXPECT_EQ(logger.error().code, ErrorCode::kIo);
  EXPECT_NE(logger.error().message.find("not_a_dir/a.jsonl"), std::string::npos)
      << logger.error().message;

  auto no_run_id = Logger::create(LoggerOptions{}, clock, {});
  ASSERT_FALSE(no_run_id.ok());
  EXPECT_EQ(no_run_id.error().code, ErrorCode::kInvalidArgument);
}

TEST(OpsLogFormat, RunIdAndLevelNames) {
  EXPECT_EQ(make_run_id(at(2024, 3, 29, 14h + 30min + 5s), 0x5f3a), "20240329T143005Z-00005f3a");
  EXPECT_EQ(*parse_log_level("warn"), LogLevel::kWarn);
  EXPECT_EQ(*parse_log_level("warning"), LogLevel::kWarn);
  EXPECT_FALSE(parse_log_level("loud").ok());
  EXPECT_EQ(to_string(LogLevel::kCritical), "critical");
}

}  // namespace
}  // namespace af::ops
