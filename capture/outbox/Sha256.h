#pragma once
// SHA-256 as lower-case hex (OpenSSL): the upload protocol names each file by its hash, and
// the unit remembers which account the hub refused by a hash of its address and secrets.
#include <filesystem>
#include <string>

namespace relais::outbox {

std::string Sha256Hex(const std::string& bytes);
// Throws OutboxError naming the file when it cannot be read.
std::string FileSha256Hex(const std::filesystem::path& file);

}  // namespace relais::outbox
