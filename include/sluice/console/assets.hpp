#pragma once
// The browser console's files (src/console/assets/ and the vendored graph layout), compiled
// into the binary by cmake/embed_assets.cmake: the console needs nothing from the network.
#include <optional>
#include <string_view>

namespace sluice::console {

struct Asset {
    std::string_view content_type;
    std::string_view body;
};

// The file at `name` ("index.html", "app.js"); nullopt when there is none.
std::optional<Asset> asset(std::string_view name);

}  // namespace sluice::console
