// The single-city synthetic presets: tiny, small, city, and the calendar variants dst and easter.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/generator/internal/presets.h"
#include "services/generator/internal/synthetic.h"

namespace rebook::generator::internal {
namespace {

SiteSpec Site(std::string id, std::string name, std::string address, std::string state,
              SiteKind kind, double weight) {
  return SiteSpec{std::move(id), std::move(name), std::move(address), std::move(state), kind, 0, 0,
                  weight};
}

Horizon BerlinHorizon(LocalDate first, LocalDate last) {
  return Horizon{LocalClock("Europe/Berlin"), first, last, Hm(7, 0)};
}

}  // namespace

domain::Scenario BuildTiny(std::uint64_t seed) {
  SyntheticProfile p;
  p.id_prefix = "tiny";
  p.outage_id = "landsberg-2026-03-03";
  p.localities = {GenericLocality("Landsberg", "34602", 6188, 1)};
  p.sites = {Site("landsberg", "Bürgerbüro Landsberg", "Markt 1, 06188 Landsberg", "DE-ST",
                  SiteKind::kFullService, 1)};
  p.appointments = 30;
  // A power cut one Tuesday morning.
  p.outage_first = p.outage_last = Ymd(2026, 3, 3);
  p.outage_start_min = Hm(8, 0);
  p.outage_end_min = Hm(12, 30);
  p.horizon = BerlinHorizon(Ymd(2026, 3, 4), Ymd(2026, 3, 10));
  p.fill = {0.80, 0.50, 0.08, 3.0};
  p.slack = 1.6;
  p.slack_spread = 0;
  p.tight_share = 0;
  p.overtime_share = 0;
  p.closures = 0;
  return BuildSynthetic(p, seed);
}

domain::Scenario BuildSmall(std::uint64_t seed) {
  SyntheticProfile p;
  p.id_prefix = "small";
  p.outage_id = "merseburg-2026-03-09";
  p.localities = {GenericLocality("Merseburg", "3461", 6217, 1)};
  p.sites = {
      Site("merseburg-rathaus", "Bürgerbüro Merseburg", "Lauchstädter Straße 1, 06217 Merseburg",
           "DE-ST", SiteKind::kFullService, 0.6),
      Site("merseburg-kreishaus", "Bürgerservice und Ausländerbehörde Saalekreis",
           "Domplatz 9, 06217 Merseburg", "DE-ST", SiteKind::kServiceCentre, 0.4),
  };
  p.appointments = 150;
  p.outage_first = Ymd(2026, 3, 9);
  p.outage_last = Ymd(2026, 3, 10);
  p.outage_start_min = Hm(9, 0);
  p.outage_end_min = Hm(12, 0);
  p.horizon = BerlinHorizon(Ymd(2026, 3, 11), Ymd(2026, 3, 24));
  p.fill = {0.85, 0.50, 0.08, 3.0};
  p.slack = 1.35;
  p.tight_share = 0;
  p.overtime_share = 0.5;
  p.openings = {{Ymd(2026, 3, 14), {Hm(9, 0), Hm(12, 0)}}};
  p.closures = 1;
  p.walk_in_ratio = 0.5;
  p.dealer_share = 0.1;
  return BuildSynthetic(p, seed);
}

domain::Scenario BuildCity(std::uint64_t seed) {
  SyntheticProfile p;
  p.id_prefix = "city";
  p.outage_id = "essen-2026-01-13";
  p.localities = {GenericLocality("Essen", "201", 45127, 40)};
  const std::string st = "DE-NW";
  p.sites = {
      Site("essen-innenstadt", "Bürgeramt Innenstadt", "45127 Essen", st, SiteKind::kResidents,
           1.4),
      Site("essen-ruettenscheid", "Bürgeramt Rüttenscheid", "45130 Essen", st, SiteKind::kResidents,
           1.0),
      Site("essen-steele", "Bürgeramt Steele", "45276 Essen", st, SiteKind::kResidents, 0.8),
      Site("essen-borbeck", "Bürgeramt Borbeck", "45355 Essen", st, SiteKind::kResidents, 0.8),
      Site("essen-altenessen", "Bürgeramt Altenessen", "45326 Essen", st, SiteKind::kResidents,
           0.7),
      Site("essen-kettwig", "Bürgeramt Kettwig", "45219 Essen", st, SiteKind::kResidents, 0.4),
      Site("essen-kfz", "Straßenverkehrsamt, Kfz-Zulassung", "45141 Essen", st, SiteKind::kVehicle,
           1.4),
      Site("essen-abh", "Ausländerbehörde", "45127 Essen", st, SiteKind::kImmigration, 1.2),
      Site("essen-standesamt", "Standesamt", "45127 Essen", st, SiteKind::kRegistry, 0.4),
  };
  p.appointments = 5000;
  // A network outage from Tuesday morning to Thursday noon.
  p.outage_first = Ymd(2026, 1, 13);
  p.outage_last = Ymd(2026, 1, 15);
  p.outage_start_min = Hm(9, 30);
  p.outage_end_min = Hm(14, 0);
  p.horizon = BerlinHorizon(Ymd(2026, 1, 19), Ymd(2026, 2, 13));
  p.fill = {0.88, 0.50, 0.08, 3.0};
  p.slack = 1.25;
  p.tight_share = 0.15;
  p.overtime_share = 0.5;
  p.openings = {{Ymd(2026, 1, 24), {Hm(9, 0), Hm(13, 0)}},
                {Ymd(2026, 1, 31), {Hm(9, 0), Hm(13, 0)}}};
  p.closures = 2;
  return BuildSynthetic(p, seed);
}

domain::Scenario BuildDst(std::uint64_t seed) {
  SyntheticProfile p;
  p.id_prefix = "dst";
  p.outage_id = "muenchen-2026-03-19";
  p.localities = {GenericLocality("München", "89", 80331, 60)};
  const std::string st = "DE-BY";
  p.sites = {
      Site("muc-ruppertstrasse", "Bürgerbüro Ruppertstraße", "80337 München", st,
           SiteKind::kResidents, 1.2),
      Site("muc-orleansplatz", "Bürgerbüro Orleansplatz", "81667 München", st, SiteKind::kResidents,
           0.8),
      Site("muc-pasing", "Bürgerbüro Pasing", "81241 München", st, SiteKind::kResidents, 0.8),
      Site("muc-forstenried", "Bürgerbüro Forstenrieder Allee", "81476 München", st,
           SiteKind::kResidents, 0.6),
      Site("muc-kfz", "Kfz-Zulassungsbehörde", "80807 München", st, SiteKind::kVehicle, 1.0),
      Site("muc-abh", "Service-Center für Ausländerangelegenheiten", "80337 München", st,
           SiteKind::kImmigration, 1.0),
      Site("muc-standesamt", "Standesamt München", "80331 München", st, SiteKind::kRegistry, 0.3),
  };
  p.appointments = 600;
  p.outage_first = Ymd(2026, 3, 19);
  p.outage_last = Ymd(2026, 3, 20);
  p.outage_start_min = Hm(10, 0);
  p.outage_end_min = Hm(12, 0);
  // Monday 23 March to Thursday 2 April: the clocks go forward on Sunday 29 March at 02:00.
  p.horizon = BerlinHorizon(Ymd(2026, 3, 23), Ymd(2026, 4, 2));
  p.fill = {0.88, 0.55, 0.08, 3.0};
  p.slack = 1.25;
  p.tight_share = 0.1;
  // Every office opens on the Saturday and on the Sunday of the change.
  p.overtime_share = 1.0;
  p.openings = {{Ymd(2026, 3, 28), {Hm(9, 0), Hm(13, 0)}},
                {Ymd(2026, 3, 29), {Hm(10, 0), Hm(14, 0)}}};
  p.closures = 1;
  return BuildSynthetic(p, seed);
}

domain::Scenario BuildEaster(std::uint64_t seed) {
  SyntheticProfile p;
  p.id_prefix = "easter";
  p.outage_id = "wiesbaden-2026-03-31";
  p.localities = {GenericLocality("Wiesbaden", "611", 65183, 20)};
  const std::string st = "DE-HE";
  p.sites = {
      Site("wi-rathaus", "Bürgerbüro im Rathaus", "65183 Wiesbaden", st, SiteKind::kResidents, 1.2),
      Site("wi-biebrich", "Bürgerbüro Biebrich", "65203 Wiesbaden", st, SiteKind::kResidents, 0.7),
      Site("wi-kastel", "Bürgerbüro Kastel", "55252 Wiesbaden", st, SiteKind::kResidents, 0.5),
      Site("wi-kfz", "Kfz-Zulassungsstelle", "65189 Wiesbaden", st, SiteKind::kVehicle, 1.0),
      Site("wi-abh", "Ausländerbehörde", "65185 Wiesbaden", st, SiteKind::kImmigration, 0.9),
      Site("wi-standesamt", "Standesamt", "65183 Wiesbaden", st, SiteKind::kRegistry, 0.3),
  };
  p.appointments = 800;
  p.outage_first = Ymd(2026, 3, 31);
  p.outage_last = Ymd(2026, 4, 1);
  p.outage_start_min = Hm(8, 0);
  p.outage_end_min = Hm(12, 0);
  // Thursday 2 April to Friday 17 April: Good Friday (3 April) and Easter Monday (6 April) are
  // public holidays in Hesse. Half of the rotas still have shifts on them.
  p.horizon = BerlinHorizon(Ymd(2026, 4, 2), Ymd(2026, 4, 17));
  p.fill = {0.88, 0.50, 0.08, 3.0};
  p.slack = 1.25;
  p.tight_share = 0.1;
  p.holiday_rota_share = 0.5;
  p.overtime_share = 0.7;
  p.openings = {{Ymd(2026, 4, 4), {Hm(9, 0), Hm(13, 0)}}};
  p.closures = 1;
  return BuildSynthetic(p, seed);
}

}  // namespace rebook::generator::internal
