#pragma once
// A full disk, said plainly: a unit's laptop fills up with studies waiting for a link, and
// "cannot write .../.2.25....dcm.part: Write error" tells a nurse nothing. A write that failed
// for want of space is reported as "the outbox's disk is full: free 12 MB needed".
#include <cstdint>
#include <filesystem>
#include <string>

namespace relais::capture {

// Whether a write of `bytes` into `folder` that failed with `error` (an errno value, 0 when
// unknown) failed for want of space: ENOSPC or EDQUOT, or less room left than `bytes`.
bool outOfSpace(const std::filesystem::path& folder, std::uintmax_t bytes, int error);

// "<disk> is full: free N MB needed (M MB free in <folder>)", N rounded up, at least 1;
// `disk` empty: "the disk of <folder>".
std::string diskFullMessage(const std::string& disk, const std::filesystem::path& folder, std::uintmax_t bytes);

}  // namespace relais::capture
