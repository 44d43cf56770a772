// Simulated power cuts (storage/sqlite/testing/fault_vfs.h) during imports, plan commits, outbox
// leases and delivery reports, each followed by a reopen of the real SqliteStore.
//
// After every acknowledged write the test records the whole database state (as read inside
// that write's own transaction). After a cut and a reopen the database must equal exactly one
// recorded state: the last acknowledged one, or the in-flight write's (nothing half-applied).
// With fast reports (Durability::kProcessCrash, rebookd's default `--durable_reports=false`)
// an older state is allowed too, but only one from which just leases and delivery reports are
// missing (rebookd commits both that way), all issued after the last fully durable commit; each
// message whose lease or report was lost must be leased again under its idempotency key. The count
// and seed come from REBOOK_POWER_CUTS and REBOOK_POWER_SEED; a failure names the seed, round and
// cut to replay.
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "services/common/clock.h"
#include "services/common/ids.h"
#include "services/common/status_macros.h"
#include "services/rebooking/appointments.h"
#include "services/rebooking/outbox.h"
#include "sqlite3.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/sqlite/testing/fault_vfs.h"
#include "testing/files.h"

namespace rebook {
namespace {

using storage::sqlite_testing::FaultVfs;
using storage::sqlite_testing::PowerCutMode;

const Instant kT0{std::chrono::seconds(1769511000)};

std::int64_t EnvInt(const char* name, std::int64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::strtoll(v, nullptr, 10) : fallback;
}

// The database as one canonical text, plus what the workload picks from.
struct DbState {
  std::string text;
  std::vector<std::string> booked;  // appointments without an offer
  std::vector<domain::OutboxMessage> messages;
};

absl::StatusOr<DbState> ReadState(storage::Transaction& tx,
                                  const std::vector<std::string>& batches) {
  DbState s;
  REBOOK_RETURN_IF_ERROR(tx.ScanAppointments({}, [&](const domain::Appointment& a) {
    absl::StrAppend(&s.text, "A ", a.id, " ", static_cast<int>(a.status), " ", a.outage_id, "\n");
    if (a.status == domain::AppointmentStatus::kBooked) s.booked.push_back(a.id);
  }));
  REBOOK_RETURN_IF_ERROR(tx.ScanOffers({}, [&](const domain::Offer& o) {
    absl::StrAppend(&s.text, "O ", o.appointment_id, " ", o.version, " ", o.token, "\n");
  }));
  REBOOK_RETURN_IF_ERROR(tx.ScanMessages({}, [&](const domain::OutboxMessage& m) {
    absl::StrAppend(&s.text, "M ", m.id, " ", m.idempotency_key, " ", static_cast<int>(m.state),
                    " ", m.lease_token, " ", m.attempts, "\n");
    s.messages.push_back(m);
  }));
  for (const domain::OutboxMessage& m : s.messages) {
    REBOOK_ASSIGN_OR_RETURN(std::vector<domain::MessageEvent> events, tx.ListMessageEvents(m.id));
    absl::StrAppend(&s.text, "E ", m.id, " ", events.size(), " ",
                    events.empty() ? -1 : static_cast<int>(events.back().to), "\n");
  }
  for (const std::string& id : batches) {
    absl::StatusOr<storage::StoredRequest> r = tx.FindRequest(id);
    if (r.ok()) absl::StrAppend(&s.text, "R ", id, "\n");
    if (!r.ok() && r.status().code() != absl::StatusCode::kNotFound) return r.status();
  }
  return s;
}

// The lines only in `want` ("- ") and only in `got` ("+ ").
std::string Diff(const std::string& want, const std::string& got) {
  std::vector<std::string> a = absl::StrSplit(want, '\n');
  std::vector<std::string> b = absl::StrSplit(got, '\n');
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  std::vector<std::string> only_a, only_b;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(only_a));
  std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(only_b));
  std::string out;
  for (const std::string& l : only_a) absl::StrAppend(&out, "- ", l, "\n");
  for (const std::string& l : only_b) absl::StrAppend(&out, "+ ", l, "\n");
  return out;
}

enum class OpKind { kSetup, kImport, kCommit, kLease, kReport, kCheckpoint };

struct Totals {
  std::int64_t cuts = 0, cuts_in_open = 0, torn = 0, random_survivors = 0, after_call = 0;
  std::int64_t acked = 0, acked_soft = 0;  // acknowledged writes (soft: fast reports)
  std::int64_t unacked_applied = 0, unacked_lost = 0;
  std::int64_t reports_lost = 0, resent = 0;
  std::int64_t checkpoints = 0;
};

class PowerLossRound {
 public:
  PowerLossRound(std::uint64_t seed, storage::Durability reports, Totals& totals)
      : rng_(seed), reports_(reports), totals_(totals), dir_("rebook-powerloss") {
    path_ = dir_.File("rebook.db");
  }

  // Runs `cuts` power cuts; false (with a gtest failure) on the first broken invariant.
  bool Run(int cuts) {
    FaultVfs& vfs = FaultVfs::Install();
    vfs.Reset();
    for (int cut = 0; cut < cuts; ++cut) {
      where_ = absl::StrCat("cut ", cut);
      const bool in_open = store_ == nullptr || Chance(0.05);
      if (in_open) store_.reset();
      ScheduleCut(in_open ? 40 : 120);
      if (in_open && !OpenStore()) {
        ++totals_.cuts_in_open;
      } else {
        for (int op = 0; op < 10'000 && !vfs.power_is_off(); ++op) {
          if (!RunOneOp()) return false;
        }
      }
      if (!vfs.power_is_off()) return Fail("the scheduled cut never happened");
      store_.reset();  // the abandoned connections close; their I/O fails
      vfs.RestorePower();
      if (!OpenStore()) return Fail("the store does not reopen after the cut");
      if (!Verify()) return false;
    }
    where_ = "drain";
    return Drain();
  }

 private:
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  bool Fail(const std::string& what) {
    ADD_FAILURE() << where_ << ": " << what;
    return false;
  }

  void ScheduleCut(int max_events) {
    const PowerCutMode mode = static_cast<PowerCutMode>(Uniform(0, 2));
    if (mode == PowerCutMode::kTornLastWrite) ++totals_.torn;
    if (mode == PowerCutMode::kRandomSurvivors) ++totals_.random_survivors;
    ++totals_.cuts;
    const bool after_call = Chance(0.3);
    if (after_call) ++totals_.after_call;
    FaultVfs::Install().SchedulePowerCut(Uniform(1, max_events), mode, rng_(), after_call);
  }

  bool OpenStore() {
    // checkpoint_pages = 0: SQLite's own checkpoints run inside the committing write, so every
    // write happens on this thread and a seed replays exactly (the background checkpointer's
    // PASSIVE checkpoint is exercised by the kCheckpoint op instead).
    auto store =
        storage::SqliteStore::Open({.path = path_, .read_connections = 2, .checkpoint_pages = 0});
    if (!store.ok()) return false;
    store_ = std::move(*store);
    return true;
  }

  // One write of the workload; records its state if acknowledged.
  bool RunOneOp() {
    clock_.Advance(std::chrono::seconds(Uniform(1, 20)));
    OpKind kind = OpKind::kSetup;
    if (setup_done_) {
      const int r = Uniform(0, 99);
      kind = r < 25   ? OpKind::kImport
             : r < 50 ? OpKind::kCommit
             : r < 67 ? OpKind::kLease
             : r < 95 ? OpKind::kReport
                      : OpKind::kCheckpoint;
      if (kind == OpKind::kCommit && model_.booked.empty()) kind = OpKind::kImport;
    }
    if (kind == OpKind::kCheckpoint) return Checkpoint();
    std::vector<std::string> batches = batches_;
    std::optional<DbState> after;
    std::vector<std::string> leased;
    storage::TransactionOptions options;
    std::string report_for;
    if (kind == OpKind::kReport) {
      for (const domain::OutboxMessage& m : model_.messages) {
        // A worker reports once: a message whose report was lost waits for its lease to expire.
        if (m.state == domain::MessageState::kLeased && !lost_reports_.contains(m.id) &&
            Chance(0.7)) {
          report_for = m.id;
        }
      }
      if (report_for.empty()) return true;
    }
    // rebookd commits leases like reports (NotificationServiceImpl::Options::report_durability).
    if (kind == OpKind::kReport || kind == OpKind::kLease) options.durability = reports_;
    if (kind == OpKind::kImport) batches.push_back(absl::StrCat("import-", batches.size()));
    absl::Status s = store_->Write(options, [&](storage::Transaction& tx) -> absl::Status {
      after.reset();
      leased.clear();
      REBOOK_RETURN_IF_ERROR(Apply(tx, kind, batches, report_for, leased));
      REBOOK_ASSIGN_OR_RETURN(after, ReadState(tx, batches));
      return absl::OkStatus();
    });
    if (!s.ok() && !FaultVfs::Install().power_is_off()) {
      return Fail(absl::StrCat("a write failed without a power cut: ", s.ToString()));
    }
    batches_ = batches;
    if (!s.ok()) {
      pending_ = std::move(after);  // may have reached the disk, or not
      return true;
    }
    const bool soft = (kind == OpKind::kReport || kind == OpKind::kLease) &&
                      reports_ == storage::Durability::kProcessCrash;
    ++totals_.acked;
    if (soft) ++totals_.acked_soft;
    // A commit that changed nothing writes no WAL frame and syncs nothing, so it does not make
    // earlier fast reports durable (e.g. a lease call that found no due message).
    if (!soft && after->text != model_.text) acked_.clear();
    acked_.push_back(*after);
    pending_.reset();
    for (const std::string& id : leased) {
      if (lost_reports_.erase(id) > 0) ++totals_.resent;
    }
    if (kind == OpKind::kSetup) setup_done_ = true;
    model_ = std::move(*after);
    return true;
  }

  absl::Status Apply(storage::Transaction& tx, OpKind kind, const std::vector<std::string>& batches,
                     const std::string& report_for, std::vector<std::string>& leased) {
    switch (kind) {
      case OpKind::kSetup:
        for (const char* id : {"A", "B"}) {
          REBOOK_RETURN_IF_ERROR(tx.PutOffice({.id = id, .name = id, .state = "DE-ST"}));
        }
        return tx.PutService({.id = "kfz", .name = "Kfz-Zulassung"});
      case OpKind::kImport: {
        std::vector<domain::Appointment> batch(static_cast<std::size_t>(Uniform(1, 40)));
        for (std::size_t i = 0; i < batch.size(); ++i) {
          batch[i].id = absl::StrCat(batches.back(), "-", i);
          batch[i].office_id = "A";
          batch[i].service_id = "kfz";
          batch[i].original_start = kT0 + std::chrono::minutes(15 * static_cast<int>(i));
          batch[i].contact = {.name = "Erika Mustermann", .email = "erika@example.org"};
        }
        REBOOK_RETURN_IF_ERROR(
            rebooking::ImportAppointments(tx, std::move(batch), clock_.Now(), {}).status());
        return tx.SaveRequest({.request_id = batches.back(),
                               .method = "rebook.v1.AppointmentService/ImportAppointments",
                               .fingerprint = "f",
                               .response = "r"});
      }
      case OpKind::kCommit: {
        const std::string& id = model_.booked[static_cast<std::size_t>(
            Uniform(0, static_cast<int>(model_.booked.size()) - 1))];
        REBOOK_ASSIGN_OR_RETURN(domain::Appointment a, tx.GetAppointment("A", id));
        a.status = domain::AppointmentStatus::kOffered;
        a.outage_id = "out-1";
        REBOOK_RETURN_IF_ERROR(tx.UpdateAppointment(a));
        domain::Offer o{.appointment_id = id,
                        .office_id = "A",
                        .version = 1,
                        .outage_id = "out-1",
                        .plan_id = "p-1"};
        o.slot = {.office_id = "B", .clerk_id = "k", .time = {kT0, kT0 + std::chrono::minutes(15)}};
        o.token = absl::StrCat("tok_", id);
        o.create_time = clock_.Now();
        o.expire_time = clock_.Now() + std::chrono::hours(48);
        REBOOK_RETURN_IF_ERROR(tx.PutOffer(o));
        return rebooking::QueueMessage(tx, policy_, a, o, domain::MessageKind::kOffer, "",
                                       clock_.Now(), ids_);
      }
      case OpKind::kLease: {
        REBOOK_ASSIGN_OR_RETURN(
            std::vector<rebooking::OutboxLease> out,
            rebooking::LeaseMessages(
                tx, policy_, {.channels = {"email"}, .max_messages = Uniform(1, 3), .worker = "w1"},
                nullptr, clock_.Now(), ids_));
        for (const rebooking::OutboxLease& l : out) leased.push_back(l.message.id);
        return absl::OkStatus();
      }
      case OpKind::kReport: {
        const domain::OutboxMessage* m = nullptr;
        for (const domain::OutboxMessage& x : model_.messages) {
          if (x.id == report_for) m = &x;
        }
        return rebooking::ReportDelivery(tx, policy_,
                                         {.message_id = m->id,
                                          .lease_token = m->lease_token,
                                          .outcome = notify::DeliveryState::kSent,
                                          .provider_message_id = "prov",
                                          .worker = "w1"},
                                         clock_.Now(), ids_)
            .status();
      }
      case OpKind::kCheckpoint:
        break;
    }
    return absl::InternalError("unreachable");
  }

  // A PASSIVE checkpoint on its own connection, as the store's checkpointer thread runs it.
  bool Checkpoint() {
    try {
      SQLite::Database db(path_, SQLite::OPEN_READWRITE);
      if (sqlite3_wal_checkpoint_v2(db.getHandle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                    nullptr) == SQLITE_OK) {
        ++totals_.checkpoints;
      }
    } catch (const SQLite::Exception&) {
      if (!FaultVfs::Install().power_is_off()) return Fail("checkpoint failed without a cut");
    }
    return true;
  }

  bool IntegrityOk() {
    try {
      SQLite::Database db(path_, SQLite::OPEN_READONLY);
      std::string result = db.execAndGet("PRAGMA integrity_check").getString();
      if (result == "ok") return true;
      return Fail(absl::StrCat("integrity_check: ", result));
    } catch (const SQLite::Exception& e) {
      return Fail(absl::StrCat("integrity_check failed: ", e.what()));
    }
  }

  // After a reopen: the database equals the pending write's state, the last acknowledged one,
  // or (fast reports) an older one that lacks only leases and reports.
  bool Verify() {
    if (!IntegrityOk()) return false;
    absl::StatusOr<DbState> now;
    absl::Status s = store_->Read({}, [&](storage::Transaction& tx) -> absl::Status {
      now = ReadState(tx, batches_);
      return now.status();
    });
    if (!s.ok()) return Fail(absl::StrCat("reading after reopen: ", s.ToString()));
    if (pending_.has_value() && now->text == pending_->text) {
      ++totals_.unacked_applied;
    } else {
      if (pending_.has_value()) ++totals_.unacked_lost;
      const DbState empty;
      const std::vector<DbState> none{empty};
      const std::vector<DbState>& candidates = acked_.empty() ? none : acked_;
      int k = static_cast<int>(candidates.size()) - 1;
      while (k >= 0 && candidates[static_cast<std::size_t>(k)].text != now->text) --k;
      if (k < 0) {
        return Fail(absl::StrCat("the database matches no acknowledged state (", candidates.size(),
                                 " candidates); against the last acknowledged one:\n",
                                 Diff(candidates.back().text, now->text),
                                 pending_.has_value() ? "against the in-flight write:\n" : "",
                                 pending_.has_value() ? Diff(pending_->text, now->text) : ""));
      }
      // Only fast leases and reports can be behind k: the messages must be leased again.
      for (const domain::OutboxMessage& m : now->messages) {
        for (const domain::OutboxMessage& later : candidates.back().messages) {
          if (later.id == m.id && later.state != m.state) {
            ++totals_.reports_lost;
            lost_reports_.insert(m.id);
          }
        }
      }
    }
    acked_.assign(1, *now);  // what the disk holds after the cut is durable
    pending_.reset();
    model_ = *now;
    setup_done_ = now->text.empty() ? false : setup_done_;
    if (!setup_done_) setup_done_ = SetupStored();
    return true;
  }

  bool SetupStored() {
    return store_->Read({}, [](storage::Transaction& tx) { return tx.GetService("kfz").status(); })
        .ok();
  }

  // Leases and reports every message after all leases expired: each lost report's message is
  // sent again under its idempotency key, and nothing else is left unsent.
  bool Drain() {
    clock_.Advance(std::chrono::hours(1));
    std::map<std::string, std::string> keys;
    for (const domain::OutboxMessage& m : model_.messages) keys[m.id] = m.idempotency_key;
    absl::Status scan = absl::OkStatus();
    absl::Status s = store_->Write({}, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(
          std::vector<rebooking::OutboxLease> out,
          rebooking::LeaseMessages(tx, policy_, {.channels = {"email"}, .max_messages = 500},
                                   nullptr, clock_.Now(), ids_));
      for (const rebooking::OutboxLease& l : out) {
        if (l.message.idempotency_key != keys[l.message.id]) {
          return absl::InternalError(absl::StrCat("idempotency key changed: ", l.message.id));
        }
        if (lost_reports_.erase(l.message.id) > 0) ++totals_.resent;
        REBOOK_RETURN_IF_ERROR(rebooking::ReportDelivery(tx, policy_,
                                                         {.message_id = l.message.id,
                                                          .lease_token = l.message.lease_token,
                                                          .outcome = notify::DeliveryState::kSent,
                                                          .worker = "w1"},
                                                         clock_.Now(), ids_)
                                   .status());
      }
      std::set<std::string> seen;
      return tx.ScanMessages({}, [&](const domain::OutboxMessage& m) {
        if (m.state != domain::MessageState::kSent) {
          scan = absl::InternalError(absl::StrCat("message ", m.id, " unsent: state ",
                                                  static_cast<int>(m.state), " ", m.last_error));
        }
        if (!seen.insert(m.idempotency_key).second) scan = absl::InternalError("duplicate key");
      });
    });
    if (!s.ok()) return Fail(s.ToString());
    if (!scan.ok()) return Fail(scan.ToString());
    if (!lost_reports_.empty()) return Fail("a message whose report was lost was not re-sent");
    store_.reset();
    return IntegrityOk();
  }

  std::mt19937_64 rng_;
  storage::Durability reports_;
  Totals& totals_;
  ::rebook::testing::ScopedTempDir dir_;
  std::string path_;
  std::string where_;
  std::unique_ptr<storage::SqliteStore> store_;
  FakeClock clock_{kT0};
  SequentialIdGenerator ids_;
  rebooking::OutboxPolicy policy_;
  bool setup_done_ = false;
  std::vector<std::string> batches_;  // import request ids tried so far
  DbState model_;                     // the state the workload believes in
  std::vector<DbState> acked_;        // states since the last fully durable write
  std::optional<DbState> pending_;    // the in-flight write's state
  std::set<std::string> lost_reports_;
};

void RunCampaign(storage::Durability reports, const char* label) {
  const std::int64_t cuts = EnvInt("REBOOK_POWER_CUTS", 600);
  const std::uint64_t seed = static_cast<std::uint64_t>(EnvInt("REBOOK_POWER_SEED", 19));
  constexpr int kCutsPerRound = 25;
  Totals t;
  const auto start = std::chrono::steady_clock::now();
  for (std::int64_t round = 0; round * kCutsPerRound < cuts; ++round) {
    PowerLossRound r(seed * 1'000'003 + static_cast<std::uint64_t>(round), reports, t);
    const int n =
        static_cast<int>(std::min<std::int64_t>(kCutsPerRound, cuts - round * kCutsPerRound));
    ASSERT_TRUE(r.Run(n)) << "replay: REBOOK_POWER_SEED=" << seed << ", round " << round;
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "power-loss " << label << ": seed=" << seed << " cuts=" << t.cuts << " (in open "
            << t.cuts_in_open << ", torn " << t.torn << ", random survivors " << t.random_survivors
            << ", right after the call " << t.after_call << ") acknowledged writes=" << t.acked
            << " all survived"
            << (t.acked_soft > 0 ? absl::StrCat(" but ", t.reports_lost, " of ", t.acked_soft,
                                                " fast leases and reports")
                                 : std::string())
            << "; in-flight writes at the cut: " << t.unacked_applied << " applied whole, "
            << t.unacked_lost << " lost whole; reports lost=" << t.reports_lost
            << " re-sent=" << t.resent << "; checkpoints=" << t.checkpoints
            << "; integrity_check ok; " << secs << " s\n";
  EXPECT_EQ(t.resent, t.reports_lost);
  if (reports == storage::Durability::kFull) {
    EXPECT_EQ(t.reports_lost, 0);
  }
}

TEST(PowerLossTest, DurableReportsLoseNothingAcknowledged) {
  RunCampaign(storage::Durability::kFull, "--durable_reports=true");
}

TEST(PowerLossTest, FastReportsMayBeLostAndAreThenResent) {
  RunCampaign(storage::Durability::kProcessCrash, "--durable_reports=false");
}

}  // namespace
}  // namespace rebook
