#pragma once
// Which file of the viewer a URL under /relais/app/ names, and how to label it. A path that
// tries to leave the viewer's folder ("..", absolute, hidden files) names nothing.
#include <optional>
#include <string>

namespace relais {

// "js/app.js" -> "js/app.js"; "" -> "index.html"; "../etc/passwd" or ".git/x" -> nullopt.
std::optional<std::string> SafeAssetPath(const std::string& relative);

// MIME type by extension; unknown extensions are application/octet-stream.
std::string AssetMimeType(const std::string& path);

}  // namespace relais
