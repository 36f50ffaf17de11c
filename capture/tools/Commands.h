#pragma once
// One function per subcommand registers it on the application; the registered callback runs
// the capture and prints its result. Adding a subcommand = one file + one line in main.cpp.
#include <CLI/CLI.hpp>

namespace relais::capture::tools {

void addPhotoCommand(CLI::App& app);
void addUltrasoundCommand(CLI::App& app);
void addXrayCommand(CLI::App& app);
void addInboxCommand(CLI::App& app);

}  // namespace relais::capture::tools
