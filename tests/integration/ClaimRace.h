#pragma once
// What the claim-race tests share: a users file of specialists "spec1".."specN" (password
// "spec-pass", dermatology) and a queue seeded with cases, one in ten urgent.
#include <filesystem>
#include <string>

#include "domain/CaseStore.h"

namespace relais::test {

// Writes dir/users.json and returns its path.
std::string WriteDermatologists(const std::filesystem::path& dir, int count);

// `count` queued dermatology cases of unit VAN-07, Study Instance UIDs uidRoot.0 .. uidRoot.(count-1).
void SeedDermatologyQueue(CaseStore& store, int count, const std::string& uidRoot);

}  // namespace relais::test
