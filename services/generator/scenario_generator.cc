#include "services/generator/scenario_generator.h"

#include <array>

#include "absl/strings/str_cat.h"
#include "services/generator/internal/presets.h"
#include "services/generator/varied_scenario.h"

namespace rebook::generator {
namespace {

using Builder = domain::Scenario (*)(std::uint64_t);

struct PresetEntry {
  PresetInfo info;
  Builder build;
};

domain::Scenario BuildVaried(std::uint64_t seed) { return GenerateVaried({.seed = seed}); }

constexpr std::array<PresetEntry, 9> kPresets = {{
    {{"tiny", "one small-town citizen office, a one-morning outage, one week to rebook", 30},
     internal::BuildTiny},
    {{"varied",
      "structure drawn per seed (fragmented bookings, small offices, dealers, "
      "deadlines, skills); --appointments, --structure",
      50},
     BuildVaried},
    {{"small", "two offices of a district town with vehicle and immigration desks, two weeks", 150},
     internal::BuildSmall},
    {{"halle", "Halle (Saale) 27 Jan 2026: 3 centres, 620+ appointments, dealer jobs, 150 walk-ins",
      630},
     internal::BuildHalle},
    {{"dst", "Munich offices, horizon across the DST change of 29 Mar 2026 (Sunday opening)", 600},
     internal::BuildDst},
    {{"easter", "Wiesbaden offices, horizon across Easter 2026; some rotas ignore the holidays",
      800},
     internal::BuildEaster},
    {{"city", "a 3-day network outage of a large city (Essen-like), 9 offices, 4 weeks", 5000},
     internal::BuildCity},
    {{"region", "ransomware at a regional IT provider: ~270 offices in NW, HE and SN, 2 weeks lost",
      100000},
     internal::BuildRegion},
    {{"state", "state-wide outage in NW: ~800 offices, 4 weeks lost, 8 weeks across DST and Easter",
      1000000},
     internal::BuildState},
}};

std::array<PresetInfo, kPresets.size()> Infos() {
  std::array<PresetInfo, kPresets.size()> out{};
  for (std::size_t i = 0; i < kPresets.size(); ++i) out[i] = kPresets[i].info;
  return out;
}

}  // namespace

std::span<const PresetInfo> Presets() {
  static const std::array<PresetInfo, kPresets.size()> kInfos = Infos();
  return kInfos;
}

absl::StatusOr<domain::Scenario> GenerateScenario(const GeneratorOptions& options) {
  if (options.preset == "varied") {
    if (options.appointments && (*options.appointments < 1 || *options.appointments > 100000)) {
      return absl::InvalidArgumentError("appointments must be in 1..100000");
    }
    return GenerateVaried({.seed = options.seed,
                           .appointments = options.appointments.value_or(50),
                           .structures = options.structures});
  }
  if (options.appointments || options.structures) {
    return absl::InvalidArgumentError(
        absl::StrCat("appointments and structures apply to the \"varied\" preset only, not \"",
                     options.preset, "\""));
  }
  for (const PresetEntry& p : kPresets) {
    if (p.info.name == options.preset) return p.build(options.seed);
  }
  return absl::NotFoundError(
      absl::StrCat("unknown preset \"", options.preset, "\"; see rebook-gen --list"));
}

}  // namespace rebook::generator
