// The SQL of an offer listing: the filter of OfferFilter and the keyset-paged query of
// ListOffers (in key order appointment_id, office_id, version, as ScanOffers reads them). Shared
// by the transaction's offer methods and the test that checks these statements read an index in
// key order instead of sorting every matching offer for each page (migration 11).
#ifndef REBOOK_STORAGE_SQLITE_INTERNAL_OFFER_LISTING_H_
#define REBOOK_STORAGE_SQLITE_INTERNAL_OFFER_LISTING_H_

#include "storage/outreach_store.h"
#include "storage/sqlite/internal/paged_query.h"
#include "storage/sqlite/internal/sql_filter.h"

namespace rebook::storage::sqlite_internal {

// The WHERE clause of `filter` (office list, appointment, outage, states, expiry).
SqlFilter OfferSqlFilter(const OfferFilter& filter);

// The paged query of ListOffers: every offer column, keyed (appointment_id, office_id, version).
const PagedQuery& OfferListing();

}  // namespace rebook::storage::sqlite_internal

#endif  // REBOOK_STORAGE_SQLITE_INTERNAL_OFFER_LISTING_H_
