// Runs `abstractfinance --json montecarlo --model spread ...` as a whole process and checks the
// JSON against the numbers the original printed (issue 4 / original-system.md §3.10.3).
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

namespace {

struct Run {
  int exit_code = -1;
  std::string out;
};

// stdout only, or stdout and stderr together with capture_stderr.
Run run(const std::string& args, bool capture_stderr = false) {
  const std::string cmd = std::string(AF_CLI_PATH) + " " + args + (capture_stderr ? " 2>&1" : " 2>/dev/null");
  Run r;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf;
  while (std::fgets(buf.data(), buf.size(), pipe)) r.out += buf.data();
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST(BacktestMonteCarloCli, JsonReproducesTheOriginalsNumbers) {
  const auto r = run("--json montecarlo --model spread --rng numpy-legacy --paths 1000 --years 10 --seed 42");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("model"), "spread");
  EXPECT_EQ(j.at("rng"), "numpy-legacy");
  EXPECT_EQ(j.at("paths"), 1000);
  EXPECT_EQ(j.at("years"), 10);
  EXPECT_EQ(j.at("seed"), 42);
  EXPECT_NEAR(j.at("median_final_return").get<double>(), 0.433852, 5e-7);
  EXPECT_NEAR(j.at("mean_final_return").get<double>(), 0.495640, 5e-7);
  EXPECT_NEAR(j.at("p10_final_return").get<double>(), 0.003811, 5e-7);
  EXPECT_NEAR(j.at("p90_final_return").get<double>(), 1.075026, 5e-7);
  EXPECT_NEAR(j.at("prob_loss").get<double>(), 0.0950, 5e-5);
  EXPECT_NEAR(j.at("median_max_drawdown").get<double>(), -0.196101, 5e-7);
  EXPECT_NEAR(j.at("worst_max_drawdown").get<double>(), -0.519163, 5e-7);
}

TEST(BacktestMonteCarloCli, OutWritesSummaryAndPerPathCsv) {
  const auto dir = std::filesystem::path(AF_BINARY_DIR) / "test-out" / "montecarlo-cli";
  std::filesystem::remove_all(dir);
  const auto r = run("--json montecarlo --model spread --rng fast --paths 20 --years 1 --seed 3 --threads 2 --out " +
                     dir.string());
  ASSERT_EQ(r.exit_code, 0);
  std::ifstream summary(dir / "summary.json");
  const auto j = nlohmann::json::parse(summary);
  EXPECT_EQ(j.at("rng"), "fast");
  EXPECT_EQ(j, nlohmann::json::parse(r.out));
  std::ifstream csv(dir / "paths.csv");
  std::string line;
  int rows = 0;
  std::getline(csv, line);
  EXPECT_EQ(line, "path,final_return,max_drawdown");
  while (std::getline(csv, line)) ++rows;
  EXPECT_EQ(rows, 20);
}

TEST(BacktestMonteCarloCli, UsageErrorsExitTwo) {
  EXPECT_EQ(run("montecarlo --model spread --rng numpy").exit_code, 2);
  EXPECT_EQ(run("montecarlo --model spread --paths 0").exit_code, 2);
  EXPECT_EQ(run("montecarlo --model spread --rng numpy-legacy --seed 99999999999").exit_code, 2);
  EXPECT_EQ(run("montecarlo --model strategy --path-model normal").exit_code, 2);
  EXPECT_EQ(run("montecarlo --model strategy --block-days 0").exit_code, 2);
  EXPECT_EQ(run("montecarlo --model strategy --config /nonexistent-af-config --paths 1").exit_code, 2);
}

TEST(BacktestMonteCarloCli, StrategyModelNamesAMissingBarStore) {
  // Tests run from the project root: config/ is the shipped configuration.
  const auto r = run("montecarlo --model strategy --paths 1 --years 1 --store /nonexistent-af/bars.sqlite", true);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("/nonexistent-af/bars.sqlite does not exist"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("data import --bundled"), std::string::npos) << r.out;
}

}  // namespace
