#pragma once
// Reading a file whole, the way tests compare what was written with what was expected.
#include <filesystem>
#include <string>

namespace relais::test {

// The bytes of the file, unchanged; empty when it cannot be opened (a test then fails on the
// content it asserts, which names the problem better than an exception here would).
std::string ReadFile(const std::filesystem::path& file);

}  // namespace relais::test
