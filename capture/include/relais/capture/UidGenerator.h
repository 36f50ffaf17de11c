#pragma once
// DICOM UIDs for one capture session. Without a root, each UID is "2.25." followed by the
// decimal value of a random (version 4) UUID, as PS3.5 B.2 allows; with a root (an
// organisation's registered prefix), the root followed by as many random decimal digits as
// fit in 64 characters (at least 20, else the root is refused).
#include <random>
#include <string>

namespace relais::capture {

class UidGenerator {
 public:
  explicit UidGenerator(std::string root = "");
  std::string next();

 private:
  std::string root_;
  std::random_device device_;
};

// True when `uid` is a syntactically valid DICOM UID (digits and dots, no leading zeros, <= 64).
bool isValidUid(const std::string& uid);

}  // namespace relais::capture
