// Offers: one row each, keyed by (appointment_id, office_id, version), listed in key order. Tokens
// are UNIQUE. The main slot is five columns; the alternatives are a packed slot list.
#include <array>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "sqlite3.h"
#include "storage/sqlite/internal/column_io.h"
#include "storage/sqlite/internal/listing_sql.h"
#include "storage/sqlite/internal/paged_query.h"
#include "storage/sqlite/internal/row_codec.h"
#include "storage/sqlite/internal/sqlite_transaction.h"
#include "storage/sqlite/internal/statement_text.h"

namespace rebook::storage::sqlite_internal {
namespace {

constexpr std::array<const char*, 20> kOfferColumns = {"appointment_id",
                                                       "version",
                                                       "office_id",
                                                       "outage_id",
                                                       "plan_id",
                                                       "state",
                                                       "slot_office_id",
                                                       "slot_clerk_id",
                                                       "slot_start",
                                                       "slot_end",
                                                       "slot_cost",
                                                       "alternatives",
                                                       "token",
                                                       "create_time",
                                                       "expire_time",
                                                       "reminder_time",
                                                       "respond_time",
                                                       "response_channel",
                                                       "accepted_alternative",
                                                       "explanation"};

const std::string& SelectOfferSql() {
  static const std::string* sql =
      new std::string(absl::StrCat("SELECT ", ColumnList(kOfferColumns), " FROM offers"));
  return *sql;
}

void BindOffer(SQLite::Statement& s, const domain::Offer& o, int base = 0) {
  s.bindNoCopy(base + 1, o.appointment_id);
  s.bind(base + 2, o.version);
  s.bindNoCopy(base + 3, o.office_id);
  s.bindNoCopy(base + 4, o.outage_id);
  s.bindNoCopy(base + 5, o.plan_id);
  BindName(s, base + 6, domain::ToString(o.state));
  s.bindNoCopy(base + 7, o.slot.office_id);
  s.bindNoCopy(base + 8, o.slot.clerk_id);
  s.bind(base + 9, ToUnixSeconds(o.slot.time.start));
  s.bind(base + 10, ToUnixSeconds(o.slot.time.end));
  s.bind(base + 11, o.slot.cost);
  BindNullable(s, base + 12, EncodeSlotList(o.alternatives));
  s.bindNoCopy(base + 13, o.token);
  s.bind(base + 14, ToUnixSeconds(o.create_time));
  s.bind(base + 15, ToUnixSeconds(o.expire_time));
  BindNullable(s, base + 16, o.reminder_time);
  BindNullable(s, base + 17, o.respond_time);
  s.bindNoCopy(base + 18, o.response_channel);
  s.bind(base + 19, o.accepted_alternative);
  s.bindNoCopy(base + 20, o.explanation);
}

absl::StatusOr<domain::Offer> ReadOffer(SQLite::Statement& s) {
  domain::Offer o;
  o.appointment_id = s.getColumn(0).getString();
  o.version = s.getColumn(1).getInt();
  o.office_id = s.getColumn(2).getString();
  o.outage_id = s.getColumn(3).getString();
  o.plan_id = s.getColumn(4).getString();
  REBOOK_ASSIGN_OR_RETURN(o.state, DecodeOfferState(s.getColumn(5).getText()));
  o.slot.office_id = s.getColumn(6).getString();
  o.slot.clerk_id = s.getColumn(7).getString();
  o.slot.time = {FromUnixSeconds(s.getColumn(8).getInt64()),
                 FromUnixSeconds(s.getColumn(9).getInt64())};
  o.slot.cost = s.getColumn(10).getDouble();
  REBOOK_ASSIGN_OR_RETURN(o.alternatives, DecodeSlotList(NullableText(s.getColumn(11))));
  o.token = s.getColumn(12).getString();
  o.create_time = FromUnixSeconds(s.getColumn(13).getInt64());
  o.expire_time = FromUnixSeconds(s.getColumn(14).getInt64());
  o.reminder_time = NullableInstant(s.getColumn(15));
  o.respond_time = NullableInstant(s.getColumn(16));
  o.response_channel = s.getColumn(17).getString();
  o.accepted_alternative = s.getColumn(18).getInt();
  o.explanation = s.getColumn(19).getString();
  return o;
}

}  // namespace

SqlFilter OfferSqlFilter(const OfferFilter& filter) {
  SqlFilter where;
  if (filter.office_ids) where.AddIn("office_id", *filter.office_ids);
  if (filter.appointment) {
    where.Add("appointment_id = ? AND office_id = ?",
              {filter.appointment->id, filter.appointment->office_id});
  }
  if (filter.outage_id) where.Add("outage_id = ?", {*filter.outage_id});
  if (filter.states.size() == 1) {
    // An equality, not a one-element json_each list: only then does the planner see that
    // offers_by_state hands the rows over in key order (a list makes it sort every match).
    where.Add("state = ?", {std::string(domain::ToString(filter.states[0]))});
  } else if (!filter.states.empty()) {
    std::vector<std::string> names;
    for (domain::OfferState s : filter.states) names.emplace_back(domain::ToString(s));
    where.AddIn("state", names);
  }
  if (filter.expire_before) {
    where.Add("expire_time < ?", {ToUnixSeconds(*filter.expire_before)});
  }
  return where;
}

const PagedQuery& OfferListing() {
  static const PagedQuery* query = new PagedQuery{.listing = "offers",
                                                  .select = SelectOfferSql(),
                                                  .key = {{"appointment_id", KeyType::kText},
                                                          {"office_id", KeyType::kText},
                                                          {"version", KeyType::kInteger}}};
  return *query;
}

absl::StatusOr<domain::Offer> SqliteTransaction::GetOffer(const domain::AppointmentKey& appointment,
                                                          int version) {
  return Guard("get offer", [&]() -> absl::StatusOr<domain::Offer> {
    StatementLease q = Prepare(absl::StrCat(
        SelectOfferSql(), " WHERE appointment_id = ? AND office_id = ? AND version = ?"));
    q->bindNoCopy(1, appointment.id);
    q->bindNoCopy(2, appointment.office_id);
    q->bind(3, version);
    if (!q->executeStep()) {
      return absl::NotFoundError(absl::StrCat("no offer v", version, " for appointment ",
                                              appointment.id, " of office ",
                                              appointment.office_id));
    }
    return ReadOffer(*q);
  });
}

absl::StatusOr<std::vector<domain::Offer>> SqliteTransaction::FindOffers(
    std::span<const OfferKey> keys) {
  return Guard("find offers", [&]() -> absl::StatusOr<std::vector<domain::Offer>> {
    StatementLease q = Prepare(absl::StrCat(
        SelectOfferSql(), " WHERE appointment_id = ? AND office_id = ? AND version = ?"));
    std::vector<domain::Offer> found;
    for (const OfferKey& key : keys) {
      q->bindNoCopy(1, key.appointment.id);
      q->bindNoCopy(2, key.appointment.office_id);
      q->bind(3, key.version);
      if (q->executeStep()) {
        REBOOK_ASSIGN_OR_RETURN(domain::Offer o, ReadOffer(*q));
        found.push_back(std::move(o));
      }
      q->reset();
    }
    return found;
  });
}

absl::StatusOr<domain::Offer> SqliteTransaction::FindOfferByToken(const std::string& token) {
  return Guard("find offer by token", [&]() -> absl::StatusOr<domain::Offer> {
    StatementLease q = Prepare(absl::StrCat(SelectOfferSql(), " WHERE token = ?"));
    q->bindNoCopy(1, token);
    // The token is a secret: never echo it into an error message.
    if (!q->executeStep()) return absl::NotFoundError("no offer has this token");
    return ReadOffer(*q);
  });
}

absl::Status SqliteTransaction::PutOffer(const domain::Offer& offer) {
  return PutOffers({&offer, 1});
}

absl::Status SqliteTransaction::PutOffers(std::span<const domain::Offer> offers) {
  static const MultiRowInsert* shape = new MultiRowInsert(
      absl::StrCat("INSERT INTO offers (", ColumnList(kOfferColumns), ") VALUES "),
      kOfferColumns.size(), UpsertClause(kOfferColumns, 3));
  return WriteInChunks(
      "put offer", offers.size(), [&](std::size_t begin, std::size_t end) -> absl::Status {
        return InsertRows(
            *shape, begin, end,
            [&](SQLite::Statement& q, std::size_t i, int base) { BindOffer(q, offers[i], base); },
            [&](const SQLite::Exception& e, std::size_t i) -> absl::Status {
              const domain::Offer& offer = offers[i];
              if (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE) {
                return absl::AlreadyExistsError(absl::StrCat(
                    "put offer v", offer.version, " for ", offer.appointment_id, " of office ",
                    offer.office_id, ": its token belongs to another offer"));
              }
              throw;
            });
      });
}

absl::StatusOr<Page<domain::Offer>> SqliteTransaction::ListOffers(const OfferFilter& filter,
                                                                  const PageRequest& page) {
  return Guard("list offers", [&]() -> absl::StatusOr<Page<domain::Offer>> {
    return ReadPage<domain::Offer>(
        connection_, OfferListing(), OfferSqlFilter(filter), page, ReadOffer,
        [](const domain::Offer& o) {
          return PageKey{o.appointment_id, o.office_id, std::int64_t{o.version}};
        });
  });
}

absl::Status SqliteTransaction::ScanOffers(const OfferFilter& filter,
                                           const std::function<void(const domain::Offer&)>& fn) {
  return Guard("scan offers", [&]() -> absl::Status {
    const SqlFilter where = OfferSqlFilter(filter);
    StatementLease q = Prepare(absl::StrCat(SelectOfferSql(), where.Where(),
                                            " ORDER BY appointment_id, office_id, version"));
    where.Bind(*q);
    while (q->executeStep()) {
      REBOOK_ASSIGN_OR_RETURN(domain::Offer offer, ReadOffer(*q));
      fn(offer);
    }
    return absl::OkStatus();
  });
}

}  // namespace rebook::storage::sqlite_internal
