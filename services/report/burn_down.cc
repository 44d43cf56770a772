// The backlog over time (report_model.h).
#include <algorithm>
#include <unordered_map>

#include "services/report/report_model.h"

namespace rebook::report {

std::vector<BurnPoint> BurnDown(const ReportInput& in, int points) {
  std::unordered_map<std::string, std::vector<const OfferInfo*>> offers;
  for (const OfferInfo& o : in.offers) offers[o.appointment_id].push_back(&o);
  for (auto& [id, list] : offers) {
    std::sort(list.begin(), list.end(),
              [](const OfferInfo* a, const OfferInfo* b) { return a->created < b->created; });
  }
  std::vector<const Citizen*> counted;
  for (const Citizen& c : in.citizens) {
    if (c.state != CitizenState::kSelfRebooked && c.state != CitizenState::kClosed) {
      counted.push_back(&c);
    }
  }
  const Instant from = in.declared;
  const Instant to = std::max(in.generated_at, from + std::chrono::seconds(points));
  std::vector<BurnPoint> out;
  points = std::max(points, 2);
  for (int i = 0; i < points; ++i) {
    const Instant t = from + (to - from) * i / (points - 1);
    BurnPoint p{.time = t};
    for (const Citizen* c : counted) {
      const OfferInfo* latest = nullptr;
      auto it = offers.find(c->appointment_id);
      if (it != offers.end()) {
        for (const OfferInfo* o : it->second) {
          if (o->created <= t) latest = o;
        }
      }
      const bool answered =
          latest != nullptr && latest->responded.has_value() && *latest->responded <= t;
      const bool lapsed =
          latest != nullptr && latest->state == OfferState::kExpired && latest->expires <= t;
      const bool withdrawn = latest != nullptr && latest->state == OfferState::kWithdrawn;
      if (latest == nullptr || lapsed || withdrawn) {
        ++p.waiting;
      } else if (answered) {
        ++(latest->state == OfferState::kAccepted ? p.confirmed : p.waiting);
      } else {
        ++p.offered;
      }
    }
    for (const OfferInfo& o : in.offers) {
      p.expired += o.state == OfferState::kExpired && o.expires <= t ? 1 : 0;
    }
    out.push_back(p);
  }
  return out;
}

}  // namespace rebook::report
