#pragma once
// Turnaround figures for the statistics route: pure arithmetic over durations.
#include <cstdint>
#include <optional>
#include <vector>

namespace relais {

// The p-th percentile (0..100) by the nearest-rank method; nullopt for no values.
std::optional<int64_t> Percentile(std::vector<int64_t> values, double p);

}  // namespace relais
