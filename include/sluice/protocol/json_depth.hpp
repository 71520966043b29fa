#pragma once
// Nesting limits for JSON that users hand in. nlohmann parses and frees deep documents without
// recursion, but dumps them recursively: a 200 KB `[[[[...]]]]` would overflow the stack. AWS's
// JSON readers (Jackson) refuse documents nested deeper than 1,000 levels, and so does Sluice.
#include <nlohmann/json.hpp>

namespace sluice::protocol {

inline constexpr int kMaxJsonDepth = 1000;

// Whether `value` nests arrays/objects more than `max_depth` levels deep. Iterative.
bool json_deeper_than(const nlohmann::json& value, int max_depth = kMaxJsonDepth);

// Jackson's words for it, which AWS services pass on in their messages.
inline std::string json_depth_message(int max_depth = kMaxJsonDepth) {
    return "Document nesting depth (" + std::to_string(max_depth + 1) + ") exceeds the maximum allowed (" +
           std::to_string(max_depth) + ", from `StreamReadConstraints.getMaxNestingDepth()`)";
}

}  // namespace sluice::protocol
