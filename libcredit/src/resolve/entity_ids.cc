#include "resolve/entity_ids.h"

#include <algorithm>

namespace credit {

EntityAssignment AssignEntityIds(
    const std::vector<std::vector<std::uint64_t>>& components,
    const std::map<std::uint64_t, std::uint64_t>& previous,
    std::uint64_t next_entity_id) {
  std::map<std::uint64_t, size_t> component_of;  // record -> component
  for (size_t c = 0; c < components.size(); ++c) {
    for (std::uint64_t number : components[c]) component_of[number] = c;
  }
  // Each old entity's oldest member still present claims its id.
  std::map<std::uint64_t, std::uint64_t> oldest_member;  // old id -> record
  for (const auto& [number, c] : component_of) {
    auto old = previous.find(number);
    if (old == previous.end()) continue;
    auto [it, inserted] = oldest_member.emplace(old->second, number);
    if (!inserted) it->second = std::min(it->second, number);
  }
  std::vector<std::vector<std::uint64_t>> claims(components.size());
  for (const auto& [old_id, member] : oldest_member) {
    claims[component_of.at(member)].push_back(old_id);
  }
  // New ids go to unclaimed components in order of their smallest member,
  // whatever order the caller listed them in.
  std::vector<size_t> order(components.size());
  for (size_t c = 0; c < order.size(); ++c) order[c] = c;
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    return components[x].front() < components[y].front();
  });
  EntityAssignment result;
  result.next_entity_id = next_entity_id;
  for (size_t c : order) {
    if (components[c].empty()) continue;
    std::uint64_t id;
    if (claims[c].empty()) {
      id = result.next_entity_id++;
    } else {
      id = *std::min_element(claims[c].begin(), claims[c].end());
      for (std::uint64_t other : claims[c]) {
        if (other != id) result.retired[other] = id;
      }
    }
    result.members[id] = components[c];
    for (std::uint64_t number : components[c]) result.entity_of[number] = id;
  }
  return result;
}

}  // namespace credit
