#pragma once
// A fully configured hub in one line:
//   relais::test::OrthancServer hub(relais::test::HubOptions());
//   auto derm1 = relais::test::ClientAs(hub, "derm1");
// Users: every TestAccounts() entry (Argon2id hashes, cheapest parameters); rules:
// config/rules.example.json; templates: config/templates. `relais` is merged over the
// generated "Relais" section (e.g. {"ClaimLeaseSeconds": 2}).
#include <string>

#include <nlohmann/json.hpp>

#include "harness/OrthancServer.h"
#include "harness/TestAccounts.h"

namespace relais::test {

OrthancServerOptions HubOptions(const nlohmann::json& relais = nlohmann::json::object());

// The users file written for HubOptions (created once per test process).
std::string TestUsersFile();

}  // namespace relais::test
