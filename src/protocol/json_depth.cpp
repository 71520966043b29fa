#include "sluice/protocol/json_depth.hpp"

#include <utility>
#include <vector>

namespace sluice::protocol {

bool json_deeper_than(const nlohmann::json& value, int max_depth) {
    std::vector<std::pair<const nlohmann::json*, int>> todo{{&value, 1}};
    while (!todo.empty()) {
        auto [node, depth] = todo.back();
        todo.pop_back();
        if (!node->is_structured()) continue;
        if (depth > max_depth) return true;
        for (const auto& child : *node)
            if (child.is_structured()) todo.emplace_back(&child, depth + 1);
    }
    return false;
}

}  // namespace sluice::protocol
