#include "services/rebooking/appointments.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "services/common/field_violations.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"
#include "services/rebooking/appointment_rules.h"
#include "services/rebooking/fetch_all.h"
#include "services/rebooking/offers.h"
#include "services/rebooking/reference_cache.h"
#include "services/rebooking/slots.h"

namespace rebook::rebooking {
namespace {

using domain::Appointment;
using domain::AppointmentStatus;

// FindAppointments takes ids in chunks so that backends with parameter limits cope.
constexpr std::size_t kLookupChunk = 500;

absl::StatusOr<std::vector<domain::Outage>> ActiveOutages(storage::Transaction& tx) {
  std::vector<domain::Outage> out;
  storage::OutageFilter filter;
  filter.state = domain::OutageState::kActive;
  REBOOK_RETURN_IF_ERROR(FetchAll<domain::Outage>(
      [&](const storage::PageRequest& p) { return tx.ListOutages(filter, p); }, out));
  return out;
}

// Sets the lifecycle of a new appointment from the active outages.
void InitialiseLifecycle(Appointment& a, const std::vector<domain::Outage>& outages, Instant now) {
  a.outage_id.clear();
  a.status_reason.clear();
  ReleaseSlots(a);
  a.create_time = now;
  a.update_time = now;
  const domain::Outage* outage = FindCoveringOutage(outages, a.office_id, a.original_start);
  if (outage != nullptr) {
    a.status = AppointmentStatus::kCancelled;
    a.outage_id = outage->id;
    a.status_reason = "outage";
  } else if (a.kind == domain::AppointmentKind::kWalkIn) {
    a.status = AppointmentStatus::kCancelled;
    a.status_reason = "walk-in turned away";
  } else {
    a.status = AppointmentStatus::kBooked;
  }
}

absl::Status AlreadyStored(const std::string& id) {
  return absl::AlreadyExistsError(absl::StrCat(
      "appointment \"", id,
      "\" is already stored with different data; update it instead of importing it again"));
}

using KeyedAppointments =
    std::unordered_map<domain::AppointmentKey, Appointment, domain::AppointmentKeyHash>;

absl::StatusOr<KeyedAppointments> LoadExisting(storage::Transaction& tx,
                                               const std::vector<Appointment>& batch) {
  KeyedAppointments existing;
  std::vector<domain::AppointmentKey> keys;
  keys.reserve(kLookupChunk);
  for (std::size_t i = 0; i < batch.size(); i += kLookupChunk) {
    keys.clear();
    for (std::size_t j = i; j < std::min(batch.size(), i + kLookupChunk); ++j) {
      keys.push_back(batch[j].Key());
    }
    REBOOK_ASSIGN_OR_RETURN(auto found, tx.FindAppointments(keys));
    for (auto& a : found) existing.emplace(a.Key(), std::move(a));
  }
  return existing;
}

absl::StatusOr<Appointment> Load(storage::Transaction& tx, const domain::AppointmentKey& key) {
  return tx.GetAppointment(key.office_id, key.id);
}

}  // namespace

bool IsOpenStatus(AppointmentStatus s) {
  return s == AppointmentStatus::kCancelled || s == AppointmentStatus::kOffered ||
         s == AppointmentStatus::kDeclined;
}

const domain::Outage* FindCoveringOutage(const std::vector<domain::Outage>& outages,
                                         const std::string& office_id, Instant start) {
  for (const domain::Outage& o : outages) {
    if (o.state != domain::OutageState::kActive) continue;
    if (start < o.window.start || start >= o.window.end) continue;
    if (std::find(o.office_ids.begin(), o.office_ids.end(), office_id) != o.office_ids.end()) {
      return &o;
    }
  }
  return nullptr;
}

absl::StatusOr<ImportResult> ImportAppointments(storage::Transaction& tx,
                                                const std::vector<Appointment>& batch, Instant now,
                                                const ImportOptions& options) {
  ImportResult result;
  result.received = static_cast<std::int64_t>(batch.size());

  ReferenceCache refs(tx);
  FieldViolations violations;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    REBOOK_RETURN_IF_ERROR(CheckAppointment(
        batch[i], absl::StrCat(options.field_prefix, "[", i, "]"), refs, violations));
  }
  REBOOK_RETURN_IF_ERROR(violations.ToStatus("invalid appointments"));

  // Duplicates inside the batch: identical repeats count once, conflicting ones fail.
  // Ids are unique per office: the same id at two offices is two appointments.
  std::unordered_map<domain::AppointmentKey, std::size_t, domain::AppointmentKeyHash> first_index;
  std::vector<bool> repeat(batch.size(), false);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto [it, inserted] = first_index.emplace(batch[i].Key(), i);
    if (inserted) continue;
    if (!batch[it->second].SameBookingData(batch[i])) {
      return absl::AlreadyExistsError(absl::StrCat(
          "appointment \"", batch[i].id, "\" appears twice with different data (",
          options.field_prefix, "[", it->second, "] and ", options.field_prefix, "[", i, "])"));
    }
    repeat[i] = true;
  }

  REBOOK_ASSIGN_OR_RETURN(auto existing, LoadExisting(tx, batch));
  REBOOK_ASSIGN_OR_RETURN(std::vector<domain::Outage> outages, ActiveOutages(tx));
  std::vector<Appointment> fresh;
  fresh.reserve(batch.size());
  std::map<std::string, std::int64_t> cancelled_by_outage;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const Appointment& a = batch[i];
    if (repeat[i]) {
      ++result.unchanged;
      continue;
    }
    auto it = existing.find(a.Key());
    if (it != existing.end()) {
      if (!it->second.SameBookingData(a)) return AlreadyStored(a.id);
      ++result.unchanged;
      continue;
    }
    // The one copy of a new appointment: the caller's batch stays as received (a store may
    // re-run the transaction with it).
    Appointment& added = fresh.emplace_back(a);
    InitialiseLifecycle(added, outages, now);
    if (!added.outage_id.empty()) {
      ++result.cancelled;
      ++cancelled_by_outage[added.outage_id];
    }
  }
  result.created = static_cast<std::int64_t>(fresh.size());
  if (options.validate_only) return result;

  REBOOK_RETURN_IF_ERROR(tx.InsertAppointments(fresh));
  for (domain::Outage& o : outages) {
    auto it = cancelled_by_outage.find(o.id);
    if (it == cancelled_by_outage.end()) continue;
    o.cancelled_appointments += it->second;
    REBOOK_RETURN_IF_ERROR(tx.PutOutage(o));
  }
  return result;
}

absl::StatusOr<Appointment> CreateAppointment(storage::Transaction& tx, Appointment appointment,
                                              Instant now) {
  const domain::AppointmentKey key = appointment.Key();
  ImportOptions options;
  options.field_prefix = "appointment";
  std::vector<Appointment> one;
  one.push_back(std::move(appointment));
  // Reuse the import path so that single and bulk creation follow the same rules; violation
  // paths read "appointment[0]..." there, so rename them to "appointment...".
  absl::StatusOr<ImportResult> r = ImportAppointments(tx, std::move(one), now, options);
  if (!r.ok()) {
    std::vector<FieldViolation> vs = FieldViolations::FromStatus(r.status());
    if (vs.empty()) return r.status();
    FieldViolations renamed;
    for (FieldViolation& v : vs) {
      const std::string from = "appointment[0]";
      if (v.field.rfind(from, 0) == 0) v.field = "appointment" + v.field.substr(from.size());
      renamed.Add(v.field, v.description, v.reason);
    }
    return renamed.ToStatus("invalid appointment");
  }
  return Load(tx, key);
}

absl::StatusOr<Appointment> UpdateAppointment(storage::Transaction& tx, const Appointment& updated,
                                              Instant now) {
  REBOOK_ASSIGN_OR_RETURN(Appointment current, Load(tx, updated.Key()));
  if (updated.office_id != current.office_id) {
    return InvalidField("appointment.name", "an appointment cannot move to another office");
  }
  if (current.status == AppointmentStatus::kConfirmed ||
      current.status == AppointmentStatus::kClosed ||
      current.status == AppointmentStatus::kSelfRebooked) {
    return absl::FailedPreconditionError(absl::StrCat("appointment \"", current.id, "\" is ",
                                                      std::string(domain::ToString(current.status)),
                                                      " and can no longer be changed"));
  }
  ReferenceCache refs(tx);
  FieldViolations violations;
  REBOOK_RETURN_IF_ERROR(CheckAppointment(updated, "appointment", refs, violations));
  REBOOK_RETURN_IF_ERROR(violations.ToStatus("invalid appointment"));
  Appointment next = updated;
  next.status = current.status;
  next.outage_id = current.outage_id;
  next.status_reason = current.status_reason;
  next.rebooked_slot = current.rebooked_slot;
  next.held_slot = current.held_slot;
  next.create_time = current.create_time;
  next.update_time = now;
  REBOOK_RETURN_IF_ERROR(tx.UpdateAppointment(next));
  return next;
}

absl::StatusOr<Appointment> MarkSelfRebooked(storage::Transaction& tx,
                                             const domain::AppointmentKey& key,
                                             std::optional<Instant> new_start,
                                             const CommitContext& ctx) {
  const Instant now = ctx.now;
  const std::string& id = key.id;
  REBOOK_ASSIGN_OR_RETURN(Appointment a, Load(tx, key));
  if (a.status == AppointmentStatus::kSelfRebooked) return a;
  if (a.status == AppointmentStatus::kClosed) {
    return absl::FailedPreconditionError(
        absl::StrCat("appointment \"", id, "\" is closed: ", a.status_reason));
  }
  a.status = AppointmentStatus::kSelfRebooked;
  ReleaseSlots(a);
  a.status_reason = new_start.has_value() ? absl::StrCat("rebooked by the citizen for ",
                                                         domain::FormatUtc(*new_start))
                                          : "rebooked by the citizen";
  a.update_time = now;
  REBOOK_RETURN_IF_ERROR(tx.UpdateAppointment(a));
  // Its held slot is free for others from now on.
  REBOOK_RETURN_IF_ERROR(
      WithdrawHeldOffer(
          tx, a,
          InLanguage(a.contact.language,
                     "Sie haben selbst einen neuen Termin gebucht; dieses Angebot "
                     "entfällt.",
                     "You booked a new appointment yourself; this offer is withdrawn."),
          ctx)
          .status());
  return a;
}

absl::StatusOr<Appointment> CloseAppointment(storage::Transaction& tx,
                                             const domain::AppointmentKey& key,
                                             const std::string& reason, const CommitContext& ctx) {
  if (reason.empty()) return InvalidField("reason", "is required to close an appointment");
  if (reason.size() > 500) return InvalidField("reason", "is longer than 500 bytes");
  const std::string& id = key.id;
  REBOOK_ASSIGN_OR_RETURN(Appointment a, Load(tx, key));
  if (a.status == AppointmentStatus::kClosed) {
    if (a.status_reason == reason) return a;
    return absl::FailedPreconditionError(
        absl::StrCat("appointment \"", id, "\" is already closed: ", a.status_reason));
  }
  a.status = AppointmentStatus::kClosed;
  a.status_reason = reason;
  ReleaseSlots(a);
  a.update_time = ctx.now;
  REBOOK_RETURN_IF_ERROR(tx.UpdateAppointment(a));
  // A closed case needs no slot: free it for others, and tell the citizen if they may know it.
  REBOOK_RETURN_IF_ERROR(
      WithdrawHeldOffer(tx, a,
                        InLanguage(a.contact.language,
                                   "Ihr Anliegen wurde abgeschlossen; dieser Termin entfällt.",
                                   "Your case has been closed; this appointment is cancelled."),
                        ctx)
          .status());
  return a;
}

}  // namespace rebook::rebooking
