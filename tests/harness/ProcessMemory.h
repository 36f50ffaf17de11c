#pragma once
// A process's memory as the kernel counts it, for tests that bound what a request costs.
#include <sys/types.h>

#include <string>

namespace relais::test {

// A field of /proc/<pid>/status in MiB ("VmRSS": resident now, "VmHWM": peak resident so
// far); -1 when the process or the field is not there.
long ProcessMemoryMiB(pid_t pid, const std::string& field);

}  // namespace relais::test
