#include "outbox/Sha256.h"

#include <openssl/evp.h>

#include <fstream>
#include <memory>
#include <vector>

#include "outbox/OutboxError.h"

namespace relais::outbox {

namespace {

class Digest {
 public:
  Digest() : context_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
    if (!context_ || EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr) != 1) {
      throw OutboxError("SHA-256 is not available from OpenSSL");
    }
  }
  void add(const char* data, size_t n) { EVP_DigestUpdate(context_.get(), data, n); }
  std::string hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(context_.get(), digest, &length);
    static const char* kHex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
      out += kHex[digest[i] >> 4];
      out += kHex[digest[i] & 15];
    }
    return out;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context_;
};

}  // namespace

std::string Sha256Hex(const std::string& bytes) {
  Digest d;
  d.add(bytes.data(), bytes.size());
  return d.hex();
}

std::string FileSha256Hex(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw OutboxError("cannot read " + file.string());
  Digest d;
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    d.add(buffer.data(), static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) throw OutboxError("cannot read " + file.string());
  return d.hex();
}

}  // namespace relais::outbox
