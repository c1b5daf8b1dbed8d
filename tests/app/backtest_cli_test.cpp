// `abstractfinance backtest` end to end: the real binary as a whole process on a bar store
// imported from the bundled data (`data import --bundled --store`, once per build: see
// shared_store()); outputs go to a per-process temporary directory.
//
// Expected values come from outside the code under test: the trading days are counted in the
// bundled CSV of the core US series (data/sp500_daily_2000_2020.csv, the series of
// strategy.core_index_rv.us_long = us_index_etf), file names, columns and keys from
// docs/BACKTEST.md, exit codes from README.md (0 ok, 1 runtime failure, 2 usage error).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;

struct CliRun {
  int exit_code = -1;
  std::string out, err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Per-process scratch directory: ctest runs each test case in its own process, in parallel.
const fs::path& scratch() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("af_backtest_cli_" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

// Runs the binary with stdout and stderr redirected to files (neither is a terminal).
CliRun run(const std::string& args) {
  static int counter = 0;
  const std::string tag = std::to_string(++counter);
  const fs::path out = scratch() / ("stdout_" + tag), err = scratch() / ("stderr_" + tag);
  std::ostringstream cmd;
  cmd << "'" << AF_CLI_BINARY << "' " << args << " </dev/null >'" << out.string() << "' 2>'" << err.string() << "'";
  const int status = std::system(cmd.str().c_str());
  return CliRun{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

// Runs the binary with stderr on a pseudo-terminal (stdout to a file); returns what the
// terminal received in `err`.
CliRun run_with_terminal_stderr(const std::vector<std::string>& args) {
  CliRun r;
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) return r;
  // The parent opens the slave before forking so that a slave end is open until the child exits
  // (reading the master then ends with EIO, not before the child has started).
  const int slave = ::open(::ptsname(master), O_RDWR | O_NOCTTY);
  if (slave < 0) return r;
  const fs::path out = scratch() / "stdout_tty";
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int in_fd = ::open("/dev/null", O_RDONLY);
    ::dup2(in_fd, 0);
    ::dup2(out_fd, 1);
    ::dup2(slave, 2);
    ::close(master);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(AF_CLI_BINARY));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(AF_CLI_BINARY, argv.data());
    ::_exit(127);
  }
  ::close(slave);
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(master, buf, sizeof buf);
    if (n > 0) {
      r.err.append(buf, static_cast<std::size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;  // EIO: the child and every copy of the slave are gone
    }
  }
  ::close(master);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  return r;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

std::vector<std::string> split(const std::string& line, char sep = ',') {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, sep)) fields.push_back(field);
  if (!line.empty() && line.back() == sep) fields.emplace_back();
  return fields;
}

// Dates of the core US series in [from, to], read straight from the bundled CSV.
std::vector<std::string> core_us_dates(const std::string& from, const std::string& to) {
  std::ifstream in(std::string(AF_SOURCE_DIR) + "/data/sp500_daily_2000_2020.csv");
  std::string line;
  std::getline(in, line);  // header
  std::vector<std::string> dates;
  while (std::getline(in, line)) {
    const std::string date = line.substr(0, line.find(','));
    if (date >= from && date <= to) dates.push_back(date);
  }
  return dates;
}

constexpr const char* kFrom = "2008-09-01";
constexpr const char* kTo = "2008-12-31";

// The bar store with the bundled data, shared by the test processes of this build: ctest runs
// every test case in its own process, and the import takes seconds (tens under the sanitizers).
// The file name carries the modification times of the binary and of the bundled data, so a new
// binary or new data gets a fresh import; an exclusive lock makes concurrent processes wait for
// the one that imports instead of importing too.
std::string shared_store() {
  auto stamp = [](const fs::path& p) {
    return static_cast<long long>(fs::last_write_time(p).time_since_epoch().count());
  };
  std::string stamps = std::to_string(stamp(AF_CLI_BINARY));
  for (const auto& e : fs::directory_iterator(fs::path(AF_SOURCE_DIR) / "data")) {
    stamps.append(" ").append(e.path().filename().string()).append("@").append(std::to_string(stamp(e.path())));
  }
  std::ostringstream key;
  key << std::hex << std::hash<std::string>{}(stamps);
  const fs::path dir = fs::path(AF_BINARY_DIR) / "test-out" / "backtest-cli";
  fs::create_directories(dir);
  const fs::path store = dir / ("bars-" + key.str() + ".sqlite");

  const int lock = ::open((dir / "import.lock").c_str(), O_RDWR | O_CREAT, 0600);
  if (lock < 0 || ::flock(lock, LOCK_EX) != 0) {
    ADD_FAILURE() << "cannot lock " << (dir / "import.lock");
    return store.string();
  }
  if (!fs::exists(store)) {
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().filename().string().rfind("bars-", 0) == 0) fs::remove(e.path());  // older imports
    }
    const fs::path tmp = dir / ("importing-" + std::to_string(::getpid()) + ".sqlite");
    fs::remove(tmp);
    CliRun r = run("data import --bundled --store '" + tmp.string() + "'");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    if (r.exit_code == 0) fs::rename(tmp, store);
  }
  ::close(lock);  // releases the lock
  return store.string();
}

class BacktestCli : public ::testing::Test {
 protected:
  static const std::string& store() {
    static const std::string path = shared_store();
    return path;
  }
  // One backtest over a few months of 2008 with --out (text summary), on first use.
  static const CliRun& full_run() {
    static const CliRun r = run("backtest --store '" + store() + "' --from " + kFrom + " --to " + kTo + " --out '" +
                                out_dir().string() + "'");
    return r;
  }
  static fs::path out_dir() { return scratch() / "out"; }
  static void TearDownTestSuite() { fs::remove_all(scratch()); }
};

TEST_F(BacktestCli, WritesTheFourFilesWithOneEquityRowPerCoreUsTradingDay) {
  const CliRun& r = full_run();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* f : {"report.html", "metrics.json", "equity.csv", "trades.csv"}) {
    EXPECT_TRUE(fs::is_regular_file(out_dir() / f)) << f;
    EXPECT_GT(fs::file_size(out_dir() / f), 0u) << f;
  }

  const std::vector<std::string> expected_dates = core_us_dates(kFrom, kTo);
  // 2008-09-01 was Labor Day: the first trading day is 2 September; 85 NYSE sessions to year end.
  ASSERT_EQ(expected_dates.front(), "2008-09-02");
  ASSERT_EQ(expected_dates.size(), 85u);

  const auto lines = lines_of(slurp(out_dir() / "equity.csv"));
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], "date,nav,daily_return,drawdown,scaling,regime");
  ASSERT_EQ(lines.size(), expected_dates.size() + 1);
  const std::set<std::string> regimes = {"NORMAL", "ELEVATED", "CRISIS", "RECOVERY"};
  double peak = 0.0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const auto f = split(lines[i]);
    ASSERT_EQ(f.size(), 6u) << lines[i];
    EXPECT_EQ(f[0], expected_dates[i - 1]);
    const double nav = std::stod(f[1]), ret = std::stod(f[2]), dd = std::stod(f[3]), scaling = std::stod(f[4]);
    EXPECT_GT(nav, 0.0) << lines[i];
    if (i == 1) {
      EXPECT_EQ(ret, 0.0);
    } else {
      // daily_return = nav / previous nav - 1 (NAV printed in cents).
      const double prev = std::stod(split(lines[i - 1])[1]);
      EXPECT_NEAR(ret, nav / prev - 1, 1e-6) << lines[i];
    }
    peak = std::max(peak, nav);
    EXPECT_NEAR(dd, nav / peak - 1, 1e-6) << lines[i];
    EXPECT_GE(scaling, 0.0) << lines[i];
    EXPECT_TRUE(regimes.count(f[5])) << lines[i];
  }

  const auto trades = lines_of(slurp(out_dir() / "trades.csv"));
  ASSERT_FALSE(trades.empty());
  EXPECT_EQ(trades[0],
            "decision_date,fill_date,client_order_id,instrument,sleeve,side,quantity,order_type,limit_price,"
            "reference_price,market_price,fill_price,price_unit,status,reason,notional_usd,commission,"
            "commission_currency,commission_usd,slippage_usd");
  EXPECT_GT(trades.size(), 1u) << "a fresh book must trade on its first day";
}

TEST_F(BacktestCli, MetricsJsonCarriesTheDocumentedKeys) {
  const CliRun& r = full_run();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(slurp(out_dir() / "metrics.json"));
  for (const char* key : {"metrics", "run", "data_sources", "assumptions", "notes"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_TRUE(j["metrics"].is_object());
  EXPECT_TRUE(j["run"].is_object());
  ASSERT_TRUE(j["data_sources"].is_array());
  EXPECT_FALSE(j["assumptions"].empty());
  // The bundle mixes real and synthetic series, and the report says which is which.
  std::set<std::string> kinds;
  for (const auto& s : j["data_sources"]) kinds.insert(s.at("kind").get<std::string>());
  EXPECT_EQ(kinds, (std::set<std::string>{"real", "synthetic"}));
  // Total return over the run = last NAV / first NAV - 1 (docs/METRICS.md: NAV_0 is the first
  // day's close), read from equity.csv.
  const auto eq = lines_of(slurp(out_dir() / "equity.csv"));
  ASSERT_GE(eq.size(), 3u);
  const double nav0 = std::stod(split(eq[1])[1]), nav_n = std::stod(split(eq.back())[1]);
  EXPECT_NEAR(j["metrics"]["returns"]["total_return"].get<double>(), nav_n / nav0 - 1, 1e-7);
}

TEST_F(BacktestCli, ReportIsSelfContained) {
  const CliRun& r = full_run();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = slurp(out_dir() / "report.html");
  // Nothing is fetched when the page opens: no external script, stylesheet, image or import.
  const std::regex script_src(R"(<script[^>]*\ssrc\s*=)", std::regex::icase);
  const std::regex remote_attr(R"((src|href)\s*=\s*["']?\s*(https?:)?//)", std::regex::icase);
  const std::regex css_import(R"(@import|url\(\s*["']?(https?:)?//)", std::regex::icase);
  EXPECT_FALSE(std::regex_search(html, script_src));
  EXPECT_FALSE(std::regex_search(html, remote_attr));
  EXPECT_FALSE(std::regex_search(html, css_import));
  // The charting library and the data are inline.
  EXPECT_NE(html.find("<canvas"), std::string::npos);
  EXPECT_NE(html.find("new Chart("), std::string::npos);
  EXPECT_NE(html.find("synthetic"), std::string::npos);
}

TEST_F(BacktestCli, QuietWhenNotATerminal) {
  const CliRun& r = full_run();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // No progress bar (or anything else) on stderr; stdout is the short summary only.
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out.find('\r'), std::string::npos);
  const auto lines = lines_of(r.out);
  EXPECT_GE(lines.size(), 1u);
  EXPECT_LE(lines.size(), 4u) << r.out;
  EXPECT_NE(r.out.find("85 days"), std::string::npos) << r.out;

  // --json: stdout is one JSON document, stderr stays empty.
  CliRun j = run("--json backtest --store '" + store() + "' --from " + kFrom + " --to " + kTo + " --out '" +
                 (scratch() / "out_json").string() + "'");
  ASSERT_EQ(j.exit_code, 0) << j.err;
  EXPECT_EQ(j.err, "");
  const auto doc = nlohmann::json::parse(j.out);  // throws on trailing text
  EXPECT_EQ(doc.at("from"), "2008-09-02");
  EXPECT_EQ(doc.at("to"), "2008-12-31");
  EXPECT_EQ(doc.at("trading_days"), 85);
}

TEST_F(BacktestCli, ProgressBarOnATerminal) {
  CliRun r = run_with_terminal_stderr({"backtest", "--store", store(), "--from", "2008-11-03", "--to", "2008-11-28",
                                       "--out", (scratch() / "out_tty").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // November 2008: 20 weekdays from the 3rd to the 28th, Thanksgiving (27th) closed.
  ASSERT_EQ(core_us_dates("2008-11-03", "2008-11-28").size(), 19u);
  EXPECT_NE(r.err.find("\rbacktest ["), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("100% 19/19 days"), std::string::npos) << r.err;
}

TEST_F(BacktestCli, UsageErrorsExitTwoNamingTheProblem) {
  const std::string base = "backtest --store '" + store() + "' --out '" + (scratch() / "bad").string() + "' ";
  CliRun bad_date = run(base + "--from 2008-13-01 --to 2008-12-31");
  EXPECT_EQ(bad_date.exit_code, 2);
  EXPECT_NE(bad_date.err.find("--from 2008-13-01"), std::string::npos) << bad_date.err;

  CliRun bad_to = run(base + "--from 2008-09-01 --to 2008-02-30");
  EXPECT_EQ(bad_to.exit_code, 2);
  EXPECT_NE(bad_to.err.find("--to 2008-02-30"), std::string::npos) << bad_to.err;

  CliRun reversed = run(base + "--from 2008-12-31 --to 2008-09-01");
  EXPECT_EQ(reversed.exit_code, 2);
  EXPECT_NE(reversed.err.find("--to 2008-09-01 is before --from 2008-12-31"), std::string::npos) << reversed.err;

  // A range without a bar of the core US series (the bundled S&P 500 ends 2020-04-17).
  CliRun empty = run(base + "--from 2030-01-01 --to 2030-06-30");
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_NE(empty.err.find("no trading date between 2030-01-01 and 2030-06-30"), std::string::npos) << empty.err;

  CliRun fill = run(base + "--from 2008-09-01 --to 2008-09-30 --fill-model tomorrow");
  EXPECT_EQ(fill.exit_code, 2);
  EXPECT_NE(fill.err.find("--fill-model"), std::string::npos) << fill.err;

  // No output written for any of them.
  EXPECT_FALSE(fs::exists(scratch() / "bad"));
}

TEST_F(BacktestCli, MissingStoreIsARuntimeFailureNamingTheFix) {
  const std::string missing = (scratch() / "no_such_store.sqlite").string();
  CliRun r = run("backtest --store '" + missing + "' --from 2008-09-01 --to 2008-09-30 --out '" +
                 (scratch() / "never").string() + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(missing), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("data import --bundled"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(scratch() / "never"));
}

TEST_F(BacktestCli, WithoutOutPrintsTheSummaryAndWritesNothing) {
  // --out is optional (src/app/cmd_backtest.cpp: "With --out DIR writes ..."): without it the
  // command runs and prints its summary, and no report files appear in the working directory.
  CliRun r = run("--json backtest --store '" + store() + "' --from 2008-11-03 --to 2008-11-28");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_TRUE(doc.at("out_dir").is_null());
  EXPECT_EQ(doc.at("trading_days"), 19);
  for (const char* f : {"report.html", "metrics.json", "equity.csv", "trades.csv"}) {
    EXPECT_FALSE(fs::exists(fs::current_path() / f)) << f;
  }
}

// `montecarlo --model strategy` on the same store: the whole command, its files and the
// thread-count independence of its numbers (docs/BACKTEST.md, "Full-strategy Monte Carlo").
TEST_F(BacktestCli, StrategyMonteCarloSameNumbersWithOneOrTwoThreads) {
  const fs::path out = scratch() / "mc-strategy";
  auto mc = [&](int threads, const std::string& extra) {
    return run("--json montecarlo --model strategy --store '" + store() + "' --paths 2 --years 1 --seed 5 --threads " +
               std::to_string(threads) + extra);
  };
  CliRun one = mc(1, " --out '" + out.string() + "'");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(one.err, "") << "quiet when stderr is not a terminal";
  CliRun two = mc(2, "");
  ASSERT_EQ(two.exit_code, 0) << two.err;
  auto a = nlohmann::json::parse(one.out);
  auto b = nlohmann::json::parse(two.out);
  EXPECT_EQ(a.at("threads"), 1);
  EXPECT_EQ(b.at("threads"), 2);
  a.erase("threads");
  b.erase("threads");
  EXPECT_EQ(a, b) << "numbers depend on the thread count";
  // The simulation starts after the last bar of the bundled core US CSV (a Friday).
  const std::vector<std::string> last_days = core_us_dates("2020-01-01", "2020-12-31");
  ASSERT_FALSE(last_days.empty());
  EXPECT_EQ(last_days.back(), "2020-04-17");
  EXPECT_EQ(a.at("start"), last_days.back());
  EXPECT_EQ(a.at("first_simulated_date"), "2020-04-20");
  EXPECT_EQ(a.at("days_per_path"), 252);
  EXPECT_EQ(a.at("successful_paths"), 2);
  EXPECT_EQ(a.at("final_return").at("count"), 2);
  EXPECT_EQ(a.at("path_model").at("model"), "bootstrap");
  for (const char* f : {"summary.json", "paths.csv", "fan.csv", "fan_chart.html"}) {
    EXPECT_TRUE(fs::is_regular_file(out / f)) << f;
  }
  std::ifstream summary(out / "summary.json");
  EXPECT_EQ(nlohmann::json::parse(summary).at("final_return"), a.at("final_return"));
}

}  // namespace
