// The SQL of the offer and appointment listings on PostgreSQL: the WHERE clause of each filter
// and the keyset-paged query of ListOffers (key appointment_id, office_id, version, the order
// ScanOffers reads in too) and ListAppointments (key original_start, id, office_id, or the slot's
// start, id, office_id when a slot filter is set). Shared by PgTransaction and
// listing_plan_test, which checks on a real server that a page of the large listings is read
// from an index in key order, touching about a page of rows, instead of sorting or filtering
// every matching row for each page (migration 7, the counterpart of SQLite's step 11).
#ifndef REBOOK_STORAGE_POSTGRES_INTERNAL_LISTING_SQL_H_
#define REBOOK_STORAGE_POSTGRES_INTERNAL_LISTING_SQL_H_

#include "storage/outreach_store.h"
#include "storage/postgres/internal/sql.h"
#include "storage/store.h"

namespace rebook::storage::postgres_internal {

// The WHERE clause of `filter` (office list, appointment, outage, states, expiry).
Filter OfferFilterSql(const OfferFilter& filter);
// The paged query of ListOffers: every offer column, keyed (appointment_id, office_id, version).
const PagedQuery& OfferListing();

// The WHERE clause of `filter` (offices, service, statuses, outage, kind, start and slot ranges).
Filter AppointmentFilterSql(const AppointmentFilter& filter);
// The paged query of ListAppointments, keyed by the slot's start when `by_slot`
// (AppointmentFilter::FiltersSlots).
const PagedQuery& AppointmentListing(bool by_slot);

}  // namespace rebook::storage::postgres_internal

#endif  // REBOOK_STORAGE_POSTGRES_INTERNAL_LISTING_SQL_H_
