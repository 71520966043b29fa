#pragma once
// What the ECS op handlers share: input checks, dates, pages.
#include <optional>
#include <string>

#include "sluice/ecs/ecs_service.hpp"
#include "sluice/protocol/constraints.hpp"

namespace sluice::ecs::api {

// The model's constraints, answered as AWS's front end does (coral's ValidationException).
inline void check_constraints(const Json& params, const protocol::Shape& shape) {
    try {
        protocol::check_constraints(params, shape, ecs::model());
    } catch (protocol::AwsError& e) {
        e.code = "ValidationException";
        throw;
    }
}

inline double epoch(core::TimePoint t) { return static_cast<double>(core::epoch_millis(t)) / 1000.0; }

std::string str(const Json& params, const char* name, const std::string& fallback = {});

// Tags as ECS writes them: [{key, value}]; checked as TagResource checks them.
std::map<std::string, std::string> parse_tags(const Json& tags);
Json tags_json(const std::map<std::string, std::string>& tags);

// One page of `count` items: maxResults (1-100, default 100), nextToken an opaque offset.
struct Page {
    std::size_t begin = 0, end = 0;
    std::optional<std::string> next_token;
};
Page page(std::size_t count, const Json& params, std::size_t default_max = 100);

}  // namespace sluice::ecs::api
