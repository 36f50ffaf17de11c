#pragma once
// A URL query's names and values as the client meant them. Orthanc 1.10.1 hands plugins the
// query's names and values as they came on the wire, percent-encoded: a client that encodes
// its query (browsers' URLSearchParams, curl --data-urlencode, most HTTP libraries) would
// otherwise ask for "queued%2Cclaimed" or a patient "VAN07%2F0042".
#include <string>

namespace relais {

// "%2C" -> ","; "+" -> " " (form encoding); a '%' not followed by two hex digits stays as is.
std::string DecodeQueryComponent(const std::string& encoded);

}  // namespace relais
