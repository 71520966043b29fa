#pragma once
// ECS targets of EventBridge rules and of Pipes name RunTask's members in PascalCase
// (`EcsParameters` / `EcsTaskParameters`: TaskDefinitionArn, TaskCount, NetworkConfiguration...);
// ECS's own RunTask input is camelCase (taskDefinition, count, networkConfiguration...).
#include <nlohmann/json.hpp>

namespace sluice::events {

// The target's parameters as ECS's RunTask input, member names converted all the way down.
nlohmann::json ecs_run_task_input(const nlohmann::json& pascal);

}  // namespace sluice::events
