#pragma once
// EventBridge's resources: event buses (one `default` per account and region, and the ones users
// create), the rules on a bus, and each rule's targets. Rules and targets are replaced whole by
// PutRule / PutTargets, so a delivery in flight keeps the target it started with.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/core/clock.hpp"
#include "sluice/core/scheduler.hpp"
#include "sluice/core/scope.hpp"
#include "sluice/eventbridge/input_transformer.hpp"
#include "sluice/eventbridge/schedule_expression.hpp"
#include "sluice/events/event_pattern.hpp"

namespace sluice::eventbridge {

using Json = nlohmann::json;
using core::TimePoint;

// What kind of resource a target ARN names, i.e. which in-process call delivers to it.
enum class TargetKind { SqsQueue, StateMachine, EcsCluster, EventBus };

// Target.RetryPolicy; AWS's defaults are 185 attempts and 24 hours (eb-rule-retry-policy).
struct RetryPolicy {
    int maximum_retry_attempts = 185;
    int maximum_event_age_seconds = 86'400;
};

struct Target {
    Json spec;  // the Target as PutTargets gave it, echoed by ListTargetsByRule
    std::string id, arn;
    TargetKind kind = TargetKind::SqsQueue;
    std::string queue_path;  // SQS targets: /<account>/<name>
    bool fifo_queue = false;
    std::optional<std::string> input;       // Target.Input
    std::optional<std::string> input_path;  // Target.InputPath
    std::optional<InputTransformer> transformer;
    RetryPolicy retry;
    std::string dead_letter_arn;  // DeadLetterConfig.Arn, or empty
};

struct Rule {
    std::string name, arn, bus_name;
    std::string description, role_arn, state = "ENABLED";
    std::string pattern_text;  // EventPattern as given
    std::optional<events::EventPattern> pattern;
    std::string schedule_text;  // ScheduleExpression as given
    std::optional<ScheduleExpression> schedule;
    std::optional<core::Scheduler::TimerId> schedule_timer;
    std::vector<std::shared_ptr<const Target>> targets;  // in the order they were put
    std::map<std::string, std::string> tags;
    bool enabled() const { return state != "DISABLED"; }
};

struct Bus {
    std::string name, arn, description;
    Json policy;              // the resource policy document, or null
    Json dead_letter_config;  // as given, or null
    TimePoint created, modified;
    std::map<std::string, std::shared_ptr<Rule>> rules;  // by name
    std::map<std::string, std::string> tags;
};

}  // namespace sluice::eventbridge
