#pragma once
// Flushing to disk what the outbox and the inbox write, so that a power cut right after
// leaves either the complete file or nothing (write to a temporary, flush it, rename it,
// flush the folder that holds the new name).
#include <filesystem>

namespace relais::outbox {

// fsync of a file's content; throws OutboxError if it cannot be opened or flushed.
void FlushFileToDisk(const std::filesystem::path& file);

// fsync of a folder, which makes the names created or renamed in it durable; throws
// OutboxError if it cannot be opened or flushed.
void FlushFolderToDisk(const std::filesystem::path& folder);

}  // namespace relais::outbox
