#pragma once
// The accounts every integration test can sign in with (the contract's list). Password of
// each: its name + "-pass". TestHub.h writes them into the hub's users file.
#include <string>
#include <vector>

#include "harness/HttpClient.h"
#include "harness/OrthancServer.h"

namespace relais::test {

struct TestAccount {
  std::string name;
  std::string role;
  std::vector<std::string> specialties;
  std::string unit;
  std::string displayName;  // empty: "Test <name>"
};

inline const std::vector<TestAccount>& TestAccounts() {
  static const std::vector<TestAccount> accounts = {
      {"admin", "admin", {}, "", ""},
      {"coord", "coordinator", {}, "", ""},
      {"derm1", "specialist", {"dermatology"}, "", "Dr Salma Bennani"},
      {"derm2", "specialist", {"dermatology"}, "", "Dr Mehdi Chraibi"},
      {"obgyn1", "specialist", {"obstetrics-gynaecology"}, "", "Dr Nadia El Idrissi"},
      {"rad1", "specialist", {"radiology"}, "", "Pr Youssef Alaoui"},
      {"nurse07", "nurse", {}, "VAN-07", ""},
      {"nurse12", "nurse", {}, "VAN-12", ""},
      {"unit07", "unit", {}, "VAN-07", ""},
      {"unit12", "unit", {}, "VAN-12", ""},
      {"pacs", "pacs", {}, "", ""},
  };
  return accounts;
}

inline std::string PasswordOf(const std::string& account) { return account + "-pass"; }

// An HTTP client of `server` signed in as `account`.
inline HttpClient ClientAs(const OrthancServer& server, const std::string& account) {
  HttpClient client = server.client();
  client.setCredentials(account, PasswordOf(account));
  return client;
}

}  // namespace relais::test
