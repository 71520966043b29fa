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

// Cluster names and task definition families: 1-255 letters, numbers, hyphens, underscores.
bool valid_resource_name(const std::string& name);

std::string str(const Json& params, const char* name, const std::string& fallback = {});

// Tags as ECS writes them: [{key, value}]; checked as TagResource checks them.
std::map<std::string, std::string> parse_tags(const Json& tags);
Json tags_json(const std::map<std::string, std::string>& tags);

// A List* answer: one page of `items` (maxResults 1-100, default 100) under `key`, and
// nextToken (an opaque offset) when more follow.
Json listing(const std::vector<std::string>& items, const Json& params, const char* key);

}  // namespace sluice::ecs::api
