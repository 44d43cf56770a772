// The SQL of the offer and appointment listings: the WHERE clause of each filter and the
// keyset-paged query of ListOffers (key appointment_id, office_id, version, the order ScanOffers
// reads in too) and ListAppointments (key original_start, id, office_id, or the slot's start, id,
// office_id when a slot filter is set). Shared by the transaction's methods and
// listing_plan_test, which checks that a page of the large listings is read from an index in key
// order instead of sorting every matching row for each page (migration 11).
#ifndef REBOOK_STORAGE_SQLITE_INTERNAL_LISTING_SQL_H_
#define REBOOK_STORAGE_SQLITE_INTERNAL_LISTING_SQL_H_

#include "storage/outreach_store.h"
#include "storage/sqlite/internal/paged_query.h"
#include "storage/sqlite/internal/sql_filter.h"
#include "storage/store.h"

namespace rebook::storage::sqlite_internal {

// The WHERE clause of `filter` (office list, appointment, outage, states, expiry).
SqlFilter OfferSqlFilter(const OfferFilter& filter);
// The paged query of ListOffers: every offer column, keyed (appointment_id, office_id, version).
const PagedQuery& OfferListing();

// The WHERE clause of `filter` (offices, service, statuses, outage, kind, start and slot ranges).
SqlFilter AppointmentSqlFilter(const AppointmentFilter& filter);
// The paged query of ListAppointments, keyed by the slot's start when `by_slot`
// (AppointmentFilter::FiltersSlots).
const PagedQuery& AppointmentListing(bool by_slot);

}  // namespace rebook::storage::sqlite_internal

#endif  // REBOOK_STORAGE_SQLITE_INTERNAL_LISTING_SQL_H_
