// `abstractfinance plan` end to end: the real binary on the bundled data.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

namespace {

struct CliRun {
  int exit_code = -1;
  std::string out, err;
};

CliRun run(const std::string& args) {
  const auto dir = std::filesystem::temp_directory_path();
  // Per-process names: ctest runs these tests in parallel processes.
  const std::string tag = std::to_string(::getpid());
  const std::string out = (dir / ("af_plan_cli_out_" + tag)).string(), err = (dir / ("af_plan_cli_err_" + tag)).string();
  const std::string cmd = "'" + std::string(AF_CLI_BINARY) + "' " + args + " >'" + out + "' 2>'" + err + "'";
  const int status = std::system(cmd.c_str());
  auto slurp = [](const std::string& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  return CliRun{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

class PlanCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    store_ = (std::filesystem::temp_directory_path() / ("af_plan_cli_bars_" + std::to_string(::getpid()) + ".sqlite")).string();
    std::filesystem::remove(store_);
    CliRun r = run("data import --bundled --store '" + store_ + "'");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() { std::filesystem::remove(store_); }
  static std::string store_;
};
std::string PlanCli::store_;

TEST_F(PlanCli, JsonPlanOnAStressDayIsCompleteAndOrdered) {
  CliRun r = run("--json plan --store '" + store_ + "' --as-of 2008-10-13");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["as_of"], "2008-10-13");
  // A new book: the configured cash, in USD.
  EXPECT_DOUBLE_EQ(j["book"]["nav_usd"].get<double>(), 1'000'000.0);
  // 13 Oct 2008 was in the crisis (the real VIX closed above 50): CRISIS by the VIX rule.
  EXPECT_EQ(j["risk"]["regime"], "CRISIS");
  ASSERT_FALSE(j["orders"].empty());
  std::set<std::string> ids;
  bool seen_buy = false;
  for (const auto& o : j["orders"]) {
    EXPECT_TRUE(ids.insert(o["client_order_id"].get<std::string>()).second) << o["client_order_id"];
    if (o["side"] == "BUY") seen_buy = true;
    else EXPECT_FALSE(seen_buy) << "a sell after a buy";
    EXPECT_GT(o["quantity"].get<double>(), 0.0);
  }
  for (const char* key : {"data", "fx", "risk", "sleeves", "hedge_plan", "crisis_playbook", "skipped"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["sleeves"].size(), 6u);
}

TEST_F(PlanCli, ExamplePortfolioLoadsAndIsValuedInUsd) {
  CliRun r = run("--json plan --store '" + store_ + "' --as-of 2020-04-17 --portfolio config/portfolio.example.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  // NAV = cash in USD + position values + option hedges (all reported); they must add up.
  double values = 0;
  for (const auto& p : j["book"]["positions"]) values += p["value_usd"].get<double>();
  EXPECT_NEAR(j["book"]["nav_usd"].get<double>(),
              j["book"]["cash_usd"].get<double>() + values + j["book"]["option_hedges_usd"].get<double>(), 1e-6);
  EXPECT_EQ(j["book"]["positions"].size(), 4u);
}

TEST_F(PlanCli, BadInputsExitTwoNamingTheProblem) {
  const auto bad = std::filesystem::temp_directory_path() / ("af_bad_book_" + std::to_string(::getpid()) + ".json");
  std::ofstream(bad) << R"({"positions": [{"instrument": "us_index_etf", "quantity": "ten"}]})";
  CliRun r = run("plan --store '" + store_ + "' --portfolio '" + bad.string() + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("positions[0].quantity: expected a number"), std::string::npos) << r.err;
  CliRun d = run("plan --store '" + store_ + "' --as-of 2008-13-01");
  EXPECT_EQ(d.exit_code, 2);
  EXPECT_NE(d.err.find("--as-of"), std::string::npos) << d.err;
}

}  // namespace
