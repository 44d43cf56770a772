#include "services/generator/internal/catalogue.h"

#include <algorithm>
#include <array>
#include <string>

namespace rebook::generator::internal {
namespace {

using C = ServiceCategory;

// Shares are rough estimates of what a German citizen office books; they only need to give a
// plausible mix.
constexpr std::array kCatalogue = {
    // Residents' services (Bürgeramt).
    CatalogueEntry{"personalausweis", "Personalausweis beantragen", C::kResidents, 15, 0.30, 0},
    CatalogueEntry{"reisepass", "Reisepass beantragen", C::kResidents, 15, 0.14, 0},
    CatalogueEntry{"wohnsitz-anmeldung", "Wohnsitz anmelden", C::kResidents, 15, 0.26, 0},
    CatalogueEntry{"wohnsitz-ummeldung", "Wohnsitz ummelden", C::kResidents, 10, 0.12, 0},
    CatalogueEntry{"fuehrungszeugnis", "Führungszeugnis beantragen", C::kResidents, 10, 0.08, 0},
    CatalogueEntry{"dokument-abholung", "Ausweisdokument abholen", C::kResidents, 5, 0.10, 0},
    // Vehicle registration (Kfz-Zulassungsbehörde).
    CatalogueEntry{"kfz-zulassung", "Fahrzeug zulassen", C::kVehicleRegistration, 15, 0.45, 0},
    CatalogueEntry{"kfz-umschreibung", "Fahrzeug umschreiben (Halterwechsel)",
                   C::kVehicleRegistration, 15, 0.35, 0},
    CatalogueEntry{"kfz-ausserbetrieb", "Fahrzeug außer Betrieb setzen", C::kVehicleRegistration,
                   10, 0.20, 0},
    CatalogueEntry{"kfz-haendler", "Händlerzulassung (Sammelauftrag, je Fahrzeug)",
                   C::kVehicleRegistration, 15, 0, 0},
    // Immigration (Einreise und Aufenthalt).
    CatalogueEntry{"aufenthalt-verlaengerung", "Aufenthaltstitel verlängern", C::kImmigration, 30,
                   0.38, 0.30},
    CatalogueEntry{"aufenthalt-erteilung", "Aufenthaltstitel erstmals beantragen", C::kImmigration,
                   45, 0.17, 0.05},
    CatalogueEntry{"niederlassung", "Niederlassungserlaubnis beantragen", C::kImmigration, 45, 0.10,
                   0},
    CatalogueEntry{"eat-ausgabe", "Elektronischen Aufenthaltstitel abholen", C::kImmigration, 10,
                   0.20, 0.20},
    CatalogueEntry{"fiktion", "Fiktionsbescheinigung", C::kImmigration, 20, 0.05, 0.35},
    CatalogueEntry{"verpflichtung", "Verpflichtungserklärung abgeben", C::kImmigration, 20, 0.10,
                   0.10},
    // Citizenship (Staatsangehörigkeit).
    CatalogueEntry{"einbuergerung", "Einbürgerung beantragen", C::kCitizenship, 60, 0.70, 0},
    CatalogueEntry{"einbuergerung-urkunde", "Einbürgerungsurkunde aushändigen", C::kCitizenship, 30,
                   0.30, 0},
    // Registry office (Standesamt).
    CatalogueEntry{"geburt", "Geburt beurkunden", C::kRegistryOffice, 30, 0.38, 0},
    CatalogueEntry{"sterbefall", "Sterbefall beurkunden", C::kRegistryOffice, 30, 0.22, 0},
    CatalogueEntry{"ehe-anmeldung", "Eheschließung anmelden", C::kRegistryOffice, 60, 0.22, 0},
    CatalogueEntry{"ehe-vorgespraech", "Vorgespräch Eheschließung", C::kRegistryOffice, 30, 0.10,
                   0},
    CatalogueEntry{"urkunde", "Personenstandsurkunde beantragen", C::kRegistryOffice, 15, 0.08, 0},
};

}  // namespace

std::span<const CatalogueEntry> Catalogue() { return kCatalogue; }

const CatalogueEntry& CatalogueEntryById(std::string_view id) {
  for (const CatalogueEntry& e : kCatalogue) {
    if (e.id == id) return e;
  }
  // Ids come from the constants above; an unknown one is a programming error.
  return kCatalogue.front();
}

std::vector<const CatalogueEntry*> EntriesOf(ServiceCategory category) {
  std::vector<const CatalogueEntry*> out;
  for (const CatalogueEntry& e : kCatalogue) {
    if (e.category == category) out.push_back(&e);
  }
  return out;
}

domain::Service ToService(const CatalogueEntry& e) {
  return domain::Service{std::string(e.id), std::string(e.name), e.category, e.duration_min};
}

ServiceSampler::ServiceSampler(ServiceCategory category, bool walk_ins,
                               std::vector<std::string_view> exclude) {
  for (const CatalogueEntry* e : EntriesOf(category)) {
    if (std::find(exclude.begin(), exclude.end(), e->id) != exclude.end()) continue;
    const double w = walk_ins ? e->walk_in_share : e->booked_share;
    if (w <= 0) continue;
    entries_.push_back(e);
    weights_.push_back(w);
  }
}

}  // namespace rebook::generator::internal
