// Stable entity ids for a new partition of records.
//
// Both the bulk resolver and incremental linking turn components (sets of
// record numbers) into entities with the same rule, so the two paths name
// entities alike:
//   - each old entity's oldest member (smallest record number still
//     present) claims the old id for the component that now holds it;
//   - a component with several claims keeps the oldest (smallest) id, and the
//     others are retired into id lineage (they resolve to the survivor);
//   - a component with no claim gets a new id, in order of smallest member.
// So after a merge the oldest id survives, and after a split the part holding
// the oldest member keeps the id.
//
// Thread-safe: pure function.
#ifndef CREDIT_RESOLVE_ENTITY_IDS_H_
#define CREDIT_RESOLVE_ENTITY_IDS_H_

#include <cstdint>
#include <map>
#include <vector>

namespace credit {

struct EntityAssignment {
  // record number -> entity id, for every record of the components.
  std::map<std::uint64_t, std::uint64_t> entity_of;
  // entity id -> member record numbers (sorted ascending).
  std::map<std::uint64_t, std::vector<std::uint64_t>> members;
  // retired entity id -> surviving entity id.
  std::map<std::uint64_t, std::uint64_t> retired;
  std::uint64_t next_entity_id = 1;  // first id not used
};

// `components` partition the records (each sorted ascending); `previous`
// maps record number -> its entity id before (records absent are new);
// `next_entity_id` is the first unused id.
EntityAssignment AssignEntityIds(
    const std::vector<std::vector<std::uint64_t>>& components,
    const std::map<std::uint64_t, std::uint64_t>& previous,
    std::uint64_t next_entity_id);

}  // namespace credit

#endif  // CREDIT_RESOLVE_ENTITY_IDS_H_
