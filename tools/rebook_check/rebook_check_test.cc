// End-to-end: rebook-solve writes a plan that rebook-check accepts; broken plans are rejected.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "services/bundle/scenario_bundle.h"
#include "services/solver/testing/scenario_builder.h"

namespace {

namespace fs = std::filesystem;

std::string Bin(const char* name) {
  const char* dir = std::getenv("REBOOK_BIN_DIR");
#ifdef REBOOK_TEST_BIN_DIR
  if (dir == nullptr) dir = REBOOK_TEST_BIN_DIR;
#endif
  return (fs::path(dir == nullptr ? "bin" : dir) / name).string();
}

int RunCommand(const std::string& command) {
  const int rc = std::system((command + " > /dev/null 2>&1").c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

// Runs `command` with its standard error in `err`; the exit code.
int RunCommandStderr(const std::string& command, const fs::path& err) {
  const int rc = std::system((command + " > /dev/null 2>" + err.string()).c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(RebookCheckTest, SolvedPlanPassesAndBrokenPlansFail) {
  if (!fs::exists(Bin("rebook-solve")) || !fs::exists(Bin("rebook-check"))) {
    GTEST_SKIP() << "binaries not built";
  }
  const fs::path dir = fs::path(::testing::TempDir()) / "rebook_check_e2e";
  fs::remove_all(dir);
  rebook::solver::testing::RandomScenarioOptions o;
  o.appointments = 60;
  ASSERT_TRUE(rebook::bundle::WriteScenarioBundle(rebook::solver::testing::RandomScenario(o),
                                                  dir / "bundle")
                  .ok());
  ASSERT_EQ(RunCommand(Bin("rebook-solve") + " " + (dir / "bundle").string() + " --out " +
                       (dir / "plan").string() + " --quiet --time-limit 20"),
            0);
  EXPECT_EQ(RunCommand(Bin("rebook-check") + " " + (dir / "bundle").string() + " " +
                       (dir / "plan").string()),
            0);

  // A wrong objective in plan-summary.json is caught.
  std::string summary = ReadAll(dir / "plan" / "plan-summary.json");
  std::string wrong = summary;
  wrong.replace(wrong.find("\"objective\": "), 13, "\"objective\": 1");
  std::ofstream(dir / "plan" / "plan-summary.json", std::ios::trunc) << wrong;
  EXPECT_EQ(RunCommand(Bin("rebook-check") + " " + (dir / "bundle").string() + " " +
                       (dir / "plan").string()),
            1);
  std::ofstream(dir / "plan" / "plan-summary.json", std::ios::trunc) << summary;

  // Giving every assigned appointment the first assigned row's clerk and time breaks rule 3.
  std::istringstream lines(ReadAll(dir / "plan" / "plan.csv"));
  std::string header, line, first, out;
  std::getline(lines, header);
  out = header + "\n";
  while (std::getline(lines, line)) {
    if (line.find(",assigned,") != std::string::npos) {
      if (first.empty()) first = line.substr(line.find(",assigned,"));
      line = line.substr(0, line.find(",assigned,")) + first;
    }
    out += line + "\n";
  }
  std::ofstream(dir / "plan" / "plan.csv", std::ios::trunc) << out;
  EXPECT_EQ(RunCommand(Bin("rebook-check") + " " + (dir / "bundle").string() + " " +
                       (dir / "plan" / "plan.csv").string()),
            1);
  EXPECT_EQ(RunCommand(Bin("rebook-check") + " " + (dir / "nowhere").string() + " " +
                       (dir / "plan").string()),
            2);
}

// A bundle whose appointments.csv has a Latin-1 byte in line 3 is refused by both tools, with
// the file, line and column, instead of being read as if the row were fine.
TEST(RebookCheckTest, InvalidUtf8InTheBundleIsRefusedByBothTools) {
  if (!fs::exists(Bin("rebook-solve")) || !fs::exists(Bin("rebook-check"))) {
    GTEST_SKIP() << "binaries not built";
  }
  const fs::path dir = fs::path(::testing::TempDir()) / "rebook_check_utf8";
  fs::remove_all(dir);
  rebook::solver::testing::RandomScenarioOptions o;
  o.appointments = 10;
  ASSERT_TRUE(rebook::bundle::WriteScenarioBundle(rebook::solver::testing::RandomScenario(o),
                                                  dir / "bundle")
                  .ok());
  ASSERT_EQ(RunCommand(Bin("rebook-solve") + " " + (dir / "bundle").string() + " --out " +
                       (dir / "plan").string() + " --quiet --time-limit 10"),
            0);
  std::istringstream lines(ReadAll(dir / "bundle" / "appointments.csv"));
  std::string line, out;
  for (int i = 1; std::getline(lines, line); ++i) out += (i == 3 ? "\xFC" : "") + line + "\n";
  std::ofstream(dir / "bundle" / "appointments.csv", std::ios::trunc) << out;

  const fs::path err = dir / "err";
  const std::string solve = Bin("rebook-solve") + " " + (dir / "bundle").string() + " --out " +
                            (dir / "plan2").string() + " --quiet";
  EXPECT_EQ(RunCommandStderr(solve, err), 1);
  EXPECT_NE(ReadAll(err).find("appointments.csv:3:1 (appointment_id): is not valid UTF-8"),
            std::string::npos)
      << ReadAll(err);
  EXPECT_FALSE(fs::exists(dir / "plan2" / "plan.csv"));
  const std::string check =
      Bin("rebook-check") + " " + (dir / "bundle").string() + " " + (dir / "plan").string();
  EXPECT_EQ(RunCommandStderr(check, err), 2);
  EXPECT_NE(ReadAll(err).find("appointments.csv:3:1 (appointment_id): is not valid UTF-8"),
            std::string::npos)
      << ReadAll(err);
}

}  // namespace
