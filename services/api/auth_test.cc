#include "services/api/auth.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace rebook::api {
namespace {

const Instant kNoon{std::chrono::seconds(1800000000)};  // 2027-01-15T08:00:00Z

std::string Line(const std::string& name, const std::string& token, const std::string& extra = "") {
  return absl::StrCat(name, " clerk HAL-MITTE sha256:", TokenDigest(token), extra, "\n");
}

TEST(TokenRegistryTest, FourFieldLinesStayValid) {
  auto r = TokenRegistry::Parse("# comment\n\n" + Line("a", "tok-a"), "t");
  ASSERT_TRUE(r.ok()) << r.status();
  auto who = r->Authenticate("tok-a", kNoon);
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->name, "a");
  EXPECT_TRUE(who->CanAccessOffice("HAL-MITTE"));
  EXPECT_EQ(r->Authenticate("other", kNoon).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(r->Authenticate("", kNoon).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST(RoleTest, TheSyncRoleReadsTheFeedAndAppointmentsOnly) {
  ASSERT_EQ(ParseRole("sync"), Role::kSync);
  EXPECT_STREQ(RoleName(Role::kSync), "sync");
  EXPECT_TRUE(RoleHas(Role::kSync, Permission::kReadChanges));
  EXPECT_TRUE(RoleHas(Role::kSync, Permission::kReadAppointments));
  for (Permission p :
       {Permission::kReadCapacity, Permission::kReadMessages, Permission::kLeaseMessages,
        Permission::kChangeAppointments, Permission::kReadOffers, Permission::kReadAudit}) {
    EXPECT_FALSE(RoleHas(Role::kSync, p)) << static_cast<int>(p);
  }
}

TEST(RoleTest, WhoReadsTheChangeFeed) {
  for (Role r : {Role::kAdmin, Role::kOfficeAdmin, Role::kPlanner, Role::kSync}) {
    EXPECT_TRUE(RoleHas(r, Permission::kReadChanges)) << RoleName(r);
  }
  for (Role r : {Role::kClerk, Role::kNotifier, Role::kAuditor}) {
    EXPECT_FALSE(RoleHas(r, Permission::kReadChanges)) << RoleName(r);
  }
}

TEST(TokenRegistryTest, ExpiryRefusesFromThatSecondWithoutNamingThePrincipal) {
  auto r = TokenRegistry::Parse(Line("aushilfe", "tok", " expires=2027-01-15T08:00:00Z") +
                                    Line("berlin", "tok-tz", " expires=2027-01-15T09:00:01+01:00"),
                                "t");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->Authenticate("tok", kNoon - std::chrono::seconds(1)).ok());
  auto expired = r->Authenticate("tok", kNoon);
  EXPECT_EQ(expired.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(expired.status().message().find("expired"), absl::string_view::npos);
  EXPECT_EQ(expired.status().message().find("aushilfe"), absl::string_view::npos);
  // 09:00:01+01:00 is 08:00:01Z.
  EXPECT_TRUE(r->Authenticate("tok-tz", kNoon).ok());
  EXPECT_FALSE(r->Authenticate("tok-tz", kNoon + std::chrono::seconds(1)).ok());
  EXPECT_EQ(r->size(), 2u);
  EXPECT_EQ(r->ExpiredCount(kNoon), 1u);
}

TEST(TokenRegistryTest, BadLinesAreNamed) {
  const std::string digest = "sha256:" + TokenDigest("x");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"a clerk A", "expected 4 or 5 fields"},
      {"a boss A " + digest, "unknown role"},
      {"a clerk bad/office " + digest, "bad office id"},
      {"a clerk A sha256:1234", "sha256:<64 hex digits>"},
      {"a clerk A sha256:" + std::string(64, 'g'), "sha256:<64 hex digits>"},
      {"a clerk A " + digest + " expires=tomorrow", "expires=<RFC 3339 time>"},
      {"a clerk A " + digest + " 2027-01-01T00:00:00Z", "expires=<RFC 3339 time>"},
      {"a clerk A " + digest + " expires=2027-01-01T00:00:00Z extra", "expected 4 or 5"},
  };
  for (const auto& [line, why] : cases) {
    auto r = TokenRegistry::Parse("# ok\n" + line + "\n", "tokens");
    ASSERT_FALSE(r.ok()) << line;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << line;
    EXPECT_NE(r.status().message().find("tokens:2: "), absl::string_view::npos) << r.status();
    EXPECT_NE(r.status().message().find(why), absl::string_view::npos) << r.status();
  }
  auto twice = TokenRegistry::Parse(Line("a", "same") + Line("b", "same"), "t");
  EXPECT_FALSE(twice.ok());
}

TEST(TokenRegistryTest, ReloadSwapsOnlyAGoodFile) {
  const std::filesystem::path path =
      std::filesystem::path(::testing::TempDir()) / "auth_test_tokens";
  std::ofstream(path) << Line("old", "tok-old");
  auto r = TokenRegistry::LoadFile(path.string());
  ASSERT_TRUE(r.ok()) << r.status();

  std::ofstream(path) << Line("new", "tok-new") << "broken line\n";
  absl::Status bad = r->ReloadFile(path.string());
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.message().find(":2:"), absl::string_view::npos) << bad;
  EXPECT_TRUE(r->Authenticate("tok-old", kNoon).ok());
  EXPECT_FALSE(r->Authenticate("tok-new", kNoon).ok());

  EXPECT_EQ(r->ReloadFile(path.string() + ".missing").code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(r->Authenticate("tok-old", kNoon).ok());

  std::ofstream(path) << Line("new", "tok-new");
  ASSERT_TRUE(r->ReloadFile(path.string()).ok());
  EXPECT_TRUE(r->Authenticate("tok-new", kNoon).ok());
  EXPECT_FALSE(r->Authenticate("tok-old", kNoon).ok());
  std::filesystem::remove(path);
}

// A token listed in both files is never missing while readers race the swaps, and each read
// sees one whole entry of one file.
TEST(TokenRegistryTest, ReplaceIsAtomicForConcurrentReaders) {
  auto a = TokenRegistry::Parse(Line("kept-a", "kept") + Line("only-a", "tok-a"), "a");
  auto b = TokenRegistry::Parse(Line("kept-b", "kept") + Line("only-b", "tok-b"), "b");
  ASSERT_TRUE(a.ok() && b.ok());
  TokenRegistry live;
  live.Replace(*a);
  std::atomic<int> missing{0};
  std::atomic<int> foreign{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      for (int i = 0; i < 20000; ++i) {
        auto who = live.Authenticate("kept", kNoon);
        if (!who.ok()) {
          ++missing;
        } else if (who->name != "kept-a" && who->name != "kept-b") {
          ++foreign;
        }
      }
    });
  }
  for (int i = 0; i < 5000; ++i) live.Replace(i % 2 == 0 ? *b : *a);
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(missing.load(), 0);
  EXPECT_EQ(foreign.load(), 0);
}

}  // namespace
}  // namespace rebook::api
