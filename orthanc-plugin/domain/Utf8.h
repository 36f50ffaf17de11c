#pragma once
// Whether bytes are well-formed UTF-8 (RFC 3629): no overlong forms, no UTF-16 surrogates,
// nothing above U+10FFFF. Every string the hub keeps, logs or answers in JSON must be, so
// requests are checked once where they come in (adapter/RestBridge).
#include <string_view>

namespace relais {

bool IsUtf8(std::string_view bytes);

}  // namespace relais
