#pragma once
#include <cstdint>

namespace relais::test {
// A TCP port on 127.0.0.1 that nothing listens on right now (the kernel picks it).
uint16_t FreeLoopbackPort();
}
