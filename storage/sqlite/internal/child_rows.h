// Ordered child lists: a record's list of strings kept one row per item in a child table
// (parent id, position, value), such as a clerk's skills in clerk_skills or an outage's offices
// in outage_offices. Positions run 0..n-1 in list order, so reading by position gives the list
// back exactly as it was written, duplicates included.
//
//   constexpr ChildList kClerkSkills = {"clerk_skills", "clerk_id", "service_id"};
//   ReplaceChildList(connection, kClerkSkills, clerk.id, clerk.skills);  // in PutClerk
//   clerk.skills = ReadChildList(connection, kClerkSkills, clerk.id);     // in GetClerk
//
// Both functions throw SQLite::Exception like the connection (the transaction maps it).
// ReplaceChildList writes several rows: run it inside the caller's savepoint so a failure
// leaves the old list. A PostgreSQL backend mirrors the same table shape and two functions.
#ifndef REBOOK_STORAGE_SQLITE_INTERNAL_CHILD_ROWS_H_
#define REBOOK_STORAGE_SQLITE_INTERNAL_CHILD_ROWS_H_

#include <string>
#include <vector>

#include "storage/sqlite/internal/connection.h"

namespace rebook::storage::sqlite_internal {

// A child table with columns (parent_column, position, value_column), keyed by the first two.
struct ChildList {
  const char* table;
  const char* parent_column;
  const char* value_column;
};

// The parent's list, in position order; empty if it has none.
std::vector<std::string> ReadChildList(Connection& connection, const ChildList& list,
                                       const std::string& parent_id);

// Replaces the parent's list with `items`.
void ReplaceChildList(Connection& connection, const ChildList& list, const std::string& parent_id,
                      const std::vector<std::string>& items);

}  // namespace rebook::storage::sqlite_internal

#endif  // REBOOK_STORAGE_SQLITE_INTERNAL_CHILD_ROWS_H_
