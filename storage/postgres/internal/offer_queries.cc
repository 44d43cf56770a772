// Offers: one row each, keyed by (appointment_id, office_id, version), listed in key order.
// Tokens are UNIQUE. The main slot is five columns; the alternatives a jsonb array.
#include <set>
#include <string>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "storage/postgres/internal/listing_sql.h"
#include "storage/postgres/internal/pg_transaction.h"

namespace rebook::storage::postgres_internal {
namespace {

constexpr const char* kOfferColumns =
    "appointment_id, office_id, version, outage_id, plan_id, state, slot_office_id, "
    "slot_clerk_id, slot_start, slot_end, slot_cost, alternatives, token, create_time, "
    "expire_time, reminder_time, respond_time, response_channel, accepted_alternative, "
    "explanation";

const std::string kOfferSelect = absl::StrCat(
    "SELECT appointment_id, office_id, version, outage_id, plan_id, state, slot_office_id, "
    "slot_clerk_id, ",
    Ts("slot_start"), ", ", Ts("slot_end"), ", slot_cost, alternatives::text, token, ",
    Ts("create_time"), ", ", Ts("expire_time"), ", ", Ts("reminder_time"), ", ", Ts("respond_time"),
    ", response_channel, accepted_alternative, explanation FROM offers");

// Costs are written as the shortest decimal that reads back as the same double; jsonb keeps
// the digits.
std::string SlotsJson(const std::vector<domain::OfferSlot>& slots) {
  std::string out = "[";
  for (std::size_t i = 0; i < slots.size(); ++i) {
    const domain::OfferSlot& s = slots[i];
    absl::StrAppend(&out, i > 0 ? "," : "", "{\"office\":", nlohmann::json(s.office_id).dump(),
                    ",\"clerk\":", nlohmann::json(s.clerk_id).dump(),
                    ",\"start\":", UnixSeconds(s.time.start), ",\"end\":", UnixSeconds(s.time.end),
                    ",\"cost\":", DoubleText(s.cost), "}");
  }
  out.push_back(']');
  return out;
}

absl::StatusOr<std::vector<domain::OfferSlot>> ParseSlots(const pqxx::field& f) {
  std::vector<domain::OfferSlot> slots;
  try {
    for (const nlohmann::json& j : nlohmann::json::parse(f.c_str())) {
      domain::OfferSlot& s = slots.emplace_back();
      s.office_id = j.at("office").get<std::string>();
      s.clerk_id = j.at("clerk").get<std::string>();
      s.time = {FromUnixSeconds(j.at("start").get<std::int64_t>()),
                FromUnixSeconds(j.at("end").get<std::int64_t>())};
      s.cost = j.at("cost").get<double>();
    }
  } catch (const nlohmann::json::exception& e) {
    return absl::InternalError(absl::StrCat("corrupt alternatives column: ", e.what()));
  }
  return slots;
}

absl::StatusOr<domain::Offer> ReadOffer(const pqxx::row& r) {
  domain::Offer o;
  o.appointment_id = Str(r[0]);
  o.office_id = Str(r[1]);
  o.version = static_cast<int>(Int(r[2]));
  o.outage_id = Str(r[3]);
  o.plan_id = Str(r[4]);
  REBOOK_ASSIGN_OR_RETURN(o.state, Decode(domain::ParseOfferState(Str(r[5])), "offer state", r[5]));
  o.slot.office_id = Str(r[6]);
  o.slot.clerk_id = Str(r[7]);
  o.slot.time = {Time(r[8]), Time(r[9])};
  REBOOK_ASSIGN_OR_RETURN(o.slot.cost, Double(r[10]));
  REBOOK_ASSIGN_OR_RETURN(o.alternatives, ParseSlots(r[11]));
  o.token = Str(r[12]);
  o.create_time = Time(r[13]);
  o.expire_time = Time(r[14]);
  o.reminder_time = OptTime(r[15]);
  o.respond_time = OptTime(r[16]);
  o.response_channel = Str(r[17]);
  o.accepted_alternative = static_cast<int>(Int(r[18]));
  o.explanation = Str(r[19]);
  return o;
}

constexpr std::size_t kPutBatch = 1000;  // 20 parameters per offer

// The VALUES of one offer, in kOfferColumns order.
std::string OfferValues(Params& p, const domain::Offer& o) {
  return absl::StrCat(
      "(", p.Add(o.appointment_id), ", ", p.Add(o.office_id), ", ", p.Add(std::int64_t{o.version}),
      "::integer, ", p.Add(o.outage_id), ", ", p.Add(o.plan_id), ", ",
      p.Add(std::string(domain::ToString(o.state))), ", ", p.Add(o.slot.office_id), ", ",
      p.Add(o.slot.clerk_id), ", ",
      absl::StrCat(p.AddInstant(o.slot.time.start), ", ", p.AddInstant(o.slot.time.end), ", ",
                   p.AddDouble(o.slot.cost), ", ", p.Add(SlotsJson(o.alternatives)), "::jsonb, ",
                   p.Add(o.token), ", ", p.AddInstant(o.create_time), ", ",
                   p.AddInstant(o.expire_time), ", ", p.AddInstant(o.reminder_time), ", "),
      p.AddInstant(o.respond_time), ", ", p.Add(o.response_channel), ", ",
      p.Add(std::int64_t{o.accepted_alternative}), "::integer, ", p.Add(o.explanation), ")");
}

// One INSERT ... ON CONFLICT DO UPDATE for offers of distinct keys: one round trip per batch
// (a plan commit writes an offer per appointment it places). Reminder and respond times may be
// NULL in every row of the list: cast back to timestamptz.
absl::Status PutOffersInBulk(pqxx::dbtransaction& tx, std::span<const domain::Offer> offers) {
  Params p;
  std::string values;
  for (const domain::Offer& o : offers) {
    absl::StrAppend(&values, values.empty() ? "" : ", ", OfferValues(p, o));
  }
  const std::string sql = absl::StrCat(
      "INSERT INTO offers (", kOfferColumns,
      ") SELECT appointment_id, office_id, version, "
      "outage_id, plan_id, state, slot_office_id, slot_clerk_id, slot_start, slot_end, "
      "slot_cost, alternatives, token, create_time, expire_time, reminder_time::timestamptz, "
      "respond_time::timestamptz, response_channel, accepted_alternative, explanation FROM "
      "(VALUES ",
      values, ") AS v (", kOfferColumns,
      ") ON CONFLICT (appointment_id, office_id, version) DO UPDATE SET outage_id = "
      "excluded.outage_id, plan_id = excluded.plan_id, state = excluded.state, "
      "slot_office_id = excluded.slot_office_id, slot_clerk_id = excluded.slot_clerk_id, "
      "slot_start = excluded.slot_start, slot_end = excluded.slot_end, "
      "slot_cost = excluded.slot_cost, alternatives = excluded.alternatives, "
      "token = excluded.token, create_time = excluded.create_time, "
      "expire_time = excluded.expire_time, reminder_time = excluded.reminder_time, "
      "respond_time = excluded.respond_time, response_channel = excluded.response_channel, "
      "accepted_alternative = excluded.accepted_alternative, "
      "explanation = excluded.explanation");
  try {
    p.Exec(tx, sql);
  } catch (const pqxx::unique_violation& e) {
    // WriteAtomically rolls the whole call back to its savepoint. PostgreSQL's detail names the
    // token ("Key (token)=(...) already exists").
    const std::string what = e.what();
    const domain::Offer* culprit = &offers.front();
    for (const domain::Offer& o : offers) {
      if (what.find(absl::StrCat("=(", o.token, ")")) != std::string::npos) culprit = &o;
    }
    return absl::AlreadyExistsError(
        absl::StrCat("put offer v", culprit->version, " for ", culprit->appointment_id,
                     " of office ", culprit->office_id, ": its token belongs to another offer"));
  }
  return absl::OkStatus();
}

}  // namespace

Filter OfferFilterSql(const OfferFilter& filter) {
  Filter where;
  if (filter.office_ids) where.AddIn("office_id", *filter.office_ids);
  if (filter.appointment) {
    where.Add(absl::StrCat("appointment_id = ", where.params.Add(filter.appointment->id),
                           " AND office_id = ", where.params.Add(filter.appointment->office_id)));
  }
  if (filter.outage_id) {
    where.Add(absl::StrCat("outage_id = ", where.params.Add(*filter.outage_id)));
  }
  if (!filter.states.empty()) {
    std::vector<std::string> names;
    for (domain::OfferState s : filter.states) names.emplace_back(domain::ToString(s));
    where.AddIn("state", names);
  }
  if (filter.expire_before) {
    where.Add(absl::StrCat("expire_time < ", where.params.AddInstant(*filter.expire_before)));
  }
  return where;
}

const PagedQuery& OfferListing() {
  static const PagedQuery* query = new PagedQuery{"offers",
                                                  kOfferSelect,
                                                  {{"appointment_id", KeyType::kText},
                                                   {"office_id", KeyType::kText},
                                                   {"version", KeyType::kInteger}}};
  return *query;
}

absl::StatusOr<domain::Offer> PgTransaction::GetOffer(const domain::AppointmentKey& appointment,
                                                      int version) {
  return Guard("get offer", [&](pqxx::dbtransaction& tx) -> absl::StatusOr<domain::Offer> {
    const pqxx::result r = tx.exec_params(
        absl::StrCat(kOfferSelect, " WHERE appointment_id = $1 AND office_id = $2 AND version = $3",
                     outbox_scoped() ? " FOR NO KEY UPDATE" : ""),
        appointment.id, appointment.office_id, version);
    if (r.empty()) {
      return absl::NotFoundError(absl::StrCat("no offer v", version, " for appointment ",
                                              appointment.id, " of office ",
                                              appointment.office_id));
    }
    return ReadOffer(r[0]);
  });
}

absl::StatusOr<std::vector<domain::Offer>> PgTransaction::FindOffers(
    std::span<const OfferKey> keys) {
  return Guard(
      "find offers", [&](pqxx::dbtransaction& tx) -> absl::StatusOr<std::vector<domain::Offer>> {
        std::vector<domain::Offer> found;
        if (keys.empty()) return found;
        std::vector<std::string> offices;
        std::vector<std::string> ids;
        std::vector<std::int64_t> versions;
        for (const OfferKey& k : keys) {
          offices.push_back(k.appointment.office_id);
          ids.push_back(k.appointment.id);
          versions.push_back(k.version);
        }
        Params p;
        const std::string sql =
            absl::StrCat(kOfferSelect,
                         " WHERE (office_id, appointment_id, version) IN (SELECT o, a, v::integer "
                         "FROM unnest(",
                         p.AddTextArray(offices), ", ", p.AddTextArray(ids), ", ",
                         p.AddBigintArray(versions), ") AS k(o, a, v))");
        for (const pqxx::row& row : p.Exec(tx, sql)) {
          REBOOK_ASSIGN_OR_RETURN(found.emplace_back(), ReadOffer(row));
        }
        return found;
      });
}

absl::StatusOr<domain::Offer> PgTransaction::FindOfferByToken(const std::string& token) {
  return Guard("find offer by token",
               [&](pqxx::dbtransaction& tx) -> absl::StatusOr<domain::Offer> {
                 const pqxx::result r =
                     tx.exec_params(absl::StrCat(kOfferSelect, " WHERE token = $1"), token);
                 // The token is a secret: never echo it into an error message.
                 if (r.empty()) return absl::NotFoundError("no offer has this token");
                 return ReadOffer(r[0]);
               });
}

absl::Status PgTransaction::PutOffer(const domain::Offer& offer) { return PutOffers({&offer, 1}); }

absl::Status PgTransaction::PutOffers(std::span<const domain::Offer> offers) {
  CountNextWrite("offers", offers.size());
  return WriteAtomically("put offer", [&](pqxx::dbtransaction& tx) -> absl::Status {
    std::set<std::tuple<std::string, std::string, int>> keys;
    for (const domain::Offer& o : offers) keys.emplace(o.appointment_id, o.office_id, o.version);
    if (keys.size() != offers.size()) {
      // One offer twice: one statement each, in order (one INSERT ... ON CONFLICT DO UPDATE
      // cannot change a row twice).
      for (const domain::Offer& o : offers) REBOOK_RETURN_IF_ERROR(PutOffersInBulk(tx, {&o, 1}));
      return absl::OkStatus();
    }
    for (std::size_t begin = 0; begin < offers.size(); begin += kPutBatch) {
      REBOOK_RETURN_IF_ERROR(
          PutOffersInBulk(tx, offers.subspan(begin, std::min(kPutBatch, offers.size() - begin))));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<Page<domain::Offer>> PgTransaction::ListOffers(const OfferFilter& filter,
                                                              const PageRequest& page) {
  return Guard("list offers", [&](pqxx::dbtransaction& tx) {
    return ReadPage<domain::Offer>(
        tx, OfferListing(), OfferFilterSql(filter), page, ReadOffer, [](const domain::Offer& o) {
          return PageKey{o.appointment_id, o.office_id, absl::StrCat(o.version)};
        });
  });
}

absl::Status PgTransaction::ScanOffers(const OfferFilter& filter,
                                       const std::function<void(const domain::Offer&)>& fn) {
  return Guard("scan offers", [&](pqxx::dbtransaction& tx) -> absl::Status {
    const Filter where = OfferFilterSql(filter);
    const pqxx::result rows = where.params.Exec(
        tx,
        absl::StrCat(kOfferSelect, where.Where(), " ORDER BY appointment_id, office_id, version"));
    for (const pqxx::row& row : rows) {
      REBOOK_ASSIGN_OR_RETURN(domain::Offer offer, ReadOffer(row));
      fn(offer);
    }
    return absl::OkStatus();
  });
}

}  // namespace rebook::storage::postgres_internal
