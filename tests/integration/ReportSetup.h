#pragma once
// Shared by the report tests: a report the dermatology template (config/templates/
// dermatology.json) accepts, as the body of POST /relais/v1/cases/{id}/report.
#include <nlohmann/json.hpp>

namespace relais::test {

inline nlohmann::json ValidDermatologyReport() {
  return {{"values",
           {{"lesion-description", "Plaque érythémato-squameuse de 3 cm, bords nets."},
            {"lesion-size", 30},
            {"working-diagnosis", {{"code", "9014002"}, {"scheme", "SCT"}, {"meaning", "Psoriasis"}}},
            {"management", "Dermocorticoïde classe 3 pendant 3 semaines."},
            {"follow-up", "3-months"},
            {"referral-needed", "no"}}}};
}

}  // namespace relais::test
