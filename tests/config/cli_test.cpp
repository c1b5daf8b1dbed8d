// Runs the built `abstractfinance config check` on the real configuration and on malformed copies
// of it: exit code 2 and the file/line/key message on stderr; one JSON document on stdout.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "test_util.hpp"

namespace af::config {
namespace {

namespace fs = std::filesystem;

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class ConfigCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("af_config_cli_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "config");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write_config(const std::string& settings, const std::string& instruments) {
    std::ofstream(dir_ / "config" / "settings.yaml") << settings;
    std::ofstream(dir_ / "config" / "instruments.yaml") << instruments;
  }

  // `env` is a prefix like "TELEGRAM_BOT_TOKEN=x " (passed through env(1)).
  CliRun run(const std::string& args, const std::string& env = "") {
    const fs::path out = dir_ / "stdout.txt", err = dir_ / "stderr.txt";
    std::string cmd = "env " + env + "'" + std::string(AF_CLI_BINARY) + "' " + args + " >'" +
                      out.string() + "' 2>'" + err.string() + "'";
    int status = std::system(cmd.c_str());
    CliRun r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = testing::read_file(out.string());
    r.err = testing::read_file(err.string());
    return r;
  }

  std::string config_arg() const { return "--config '" + (dir_ / "config").string() + "'"; }

  fs::path dir_;
};

TEST_F(ConfigCli, RealConfigIsValidAndPrintsOneJsonDocument) {
  write_config(testing::real_settings(), testing::real_instruments());
  CliRun r = run(config_arg() + " --json config check");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);  // throws unless exactly one document
  EXPECT_EQ(j["settings"]["mode"], "sim");
  EXPECT_GE(j["instruments"].size(), 48u);
  CliRun text = run(config_arg() + " config check");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("sleeves.core_index_rv = 0.35"), std::string::npos);
}

TEST_F(ConfigCli, SleeveSumErrorExitsTwo) {
  int line = 0;
  write_config(testing::edit(testing::real_settings(), "sleeves:", "core_index_rv: 0.35",
                             "core_index_rv: 0.45"),
               testing::real_instruments());
  std::string s = testing::real_settings();
  line = testing::line_at(s, s.find("sleeves:"));
  CliRun r = run(config_arg() + " config check");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("settings.yaml:" + std::to_string(line) + ": key sleeves: sleeve weights "
                       "must sum to 1"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST_F(ConfigCli, NegativeMultiplierExitsTwo) {
  int line = 0;
  write_config(testing::real_settings(),
               testing::edit(testing::real_instruments(), "  us_index_future:", "multiplier: 50",
                             "multiplier: -50", &line));
  CliRun r = run(config_arg() + " --json config check");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("instruments.yaml:" + std::to_string(line) +
                       ": key instruments.us_index_future.contract.multiplier: expected a "
                       "positive number, got -50"),
            std::string::npos)
      << r.err;
}

TEST_F(ConfigCli, UnknownKeyAndDuplicateContractExitTwo) {
  write_config(testing::edit(testing::real_settings(), "", "vol_target_annual:", "vol_target:"),
               testing::real_instruments());
  CliRun r = run(config_arg() + " config check");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("key vol_target: unknown key"), std::string::npos) << r.err;

  write_config(testing::real_settings(),
               testing::edit(testing::real_instruments(), "  broad_ieur:", "symbol: EUNK",
                             "symbol: EUN2"));
  CliRun d = run(config_arg() + " config check");
  EXPECT_EQ(d.exit_code, 2);
  EXPECT_NE(d.err.find("key instruments.broad_ieur.contract: same broker contract"),
            std::string::npos)
      << d.err;
}

TEST_F(ConfigCli, MissingDirectoryExitsTwo) {
  CliRun r = run("--config '" + (dir_ / "nowhere").string() + "' config check");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot open"), std::string::npos) << r.err;
}

TEST_F(ConfigCli, OverridesAreLoggedWithoutSecretValues) {
  write_config(testing::real_settings(), testing::real_instruments());
  const std::string canary = "canary-secret-77e1";
  CliRun r = run(config_arg() + " --json config check",
              "TELEGRAM_BOT_TOKEN=" + canary + " EMAIL_PASSWORD=" + canary + "b IBKR_PORT=4999 ");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find(canary), std::string::npos);
  EXPECT_EQ(r.err.find(canary), std::string::npos);
  EXPECT_NE(r.err.find("TELEGRAM_BOT_TOKEN"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("IBKR_PORT"), std::string::npos) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["settings"]["ibkr"]["port"], 4999);
}

}  // namespace
}  // namespace af::config
