// PutTargets, RemoveTargets, ListTargetsByRule. A target is checked once, when it is put: its
// kind from its ARN, its input (Input, InputPath, InputTransformer), its RetryPolicy.
#include "sluice/core/arn.hpp"
#include "sluice/eventbridge/eventbridge_service.hpp"
#include "sluice/protocol/json_text.hpp"
#include "sluice/protocol/paging.hpp"

namespace sluice::eventbridge {

namespace {

// Kinds Sluice delivers to, said in the error for any other.
constexpr const char* kSupportedTargets =
    "Sluice delivers to SQS queues (arn:aws:sqs), Step Functions state machines (arn:aws:states), ECS clusters "
    "(arn:aws:ecs) and event buses (arn:aws:events)";

std::string invalid_arn(const std::string& arn) {
    return "Parameter " + arn + " is not valid. Reason: Provided Arn is not in correct format.";
}

// The target, or the reason it cannot be one as a FailedEntries entry's message (empty: fine).
// Input that AWS refuses for the whole request throws ValidationException.
std::pair<std::shared_ptr<Target>, std::string> build_target(const Json& spec) {
    auto t = std::make_shared<Target>();
    t->spec = spec;
    t->id = spec.value("Id", std::string());
    t->arn = spec.value("Arn", std::string());
    auto arn = core::Arn::parse(t->arn);
    if (!arn || arn->service.empty() || arn->resource.empty()) throw error("ValidationException", invalid_arn(t->arn));
    if (arn->service == "sqs" && arn->resource.find(':') == std::string::npos) {
        t->kind = TargetKind::SqsQueue;
        t->queue_path = "/" + arn->account + "/" + arn->resource;
        t->fifo_queue = arn->resource.size() > 5 && arn->resource.ends_with(".fifo");
        if (t->fifo_queue && !spec.value("SqsParameters", Json::object()).contains("MessageGroupId"))
            throw error("ValidationException",
                        "Parameter(s) SqsParameters must be specified for target: " + t->id + ".");
    } else if (arn->service == "states" && arn->resource.rfind("stateMachine:", 0) == 0) {
        t->kind = TargetKind::StateMachine;
    } else if (arn->service == "ecs" && arn->resource.rfind("cluster/", 0) == 0) {
        t->kind = TargetKind::EcsCluster;
        if (!spec.contains("EcsParameters"))
            throw error("ValidationException",
                        "Parameter(s) EcsParameters must be specified for target: " + t->id + ".");
    } else if (arn->service == "events" && arn->resource.rfind("event-bus/", 0) == 0) {
        t->kind = TargetKind::EventBus;
    } else {
        return {nullptr,
                "Target " + t->id + " (" + t->arn + ") is not of a supported type: " + kSupportedTargets + "."};
    }
    const int inputs = static_cast<int>(spec.contains("Input")) + static_cast<int>(spec.contains("InputPath")) +
                       static_cast<int>(spec.contains("InputTransformer"));
    if (inputs > 1)
        throw error("ValidationException", "Only one of Input, InputPath, or InputTransformer must be provided.");
    if (spec.contains("Input")) {
        t->input = spec["Input"].get<std::string>();
        if (!protocol::read_user_json(*t->input))
            throw error("ValidationException", "Parameter Input is not valid. Reason: Input must be valid JSON.");
    }
    if (spec.contains("InputPath")) {
        t->input_path = spec["InputPath"].get<std::string>();
        if (!events::is_json_path(*t->input_path))
            throw error("ValidationException", "Parameter InputPath is not valid. Reason: it must be a JSON path.");
    }
    if (auto it = spec.find("InputTransformer"); it != spec.end()) {
        try {
            t->transformer = InputTransformer::parse(it->value("InputPathsMap", Json::object()),
                                                     it->value("InputTemplate", std::string()));
        } catch (const std::invalid_argument& e) {
            throw error("ValidationException",
                        std::string("Parameter InputTransformer is not valid. Reason: ") + e.what());
        }
    }
    const auto retry = spec.value("RetryPolicy", Json::object());
    t->retry.maximum_retry_attempts = retry.value("MaximumRetryAttempts", t->retry.maximum_retry_attempts);
    t->retry.maximum_event_age_seconds = retry.value("MaximumEventAgeInSeconds", t->retry.maximum_event_age_seconds);
    t->dead_letter_arn = spec.value("DeadLetterConfig", Json::object()).value("Arn", std::string());
    if (!t->dead_letter_arn.empty()) {
        auto dlq = core::Arn::parse(t->dead_letter_arn);
        if (!dlq || dlq->service != "sqs") throw error("ValidationException", invalid_arn(t->dead_letter_arn));
    }
    return {t, ""};
}

}  // namespace

Json EventBridgeService::put_targets(const Call& call) {
    auto bus = bus_named(call.context.scope, bus_param(call));
    auto rule = rule_named(*bus, call.params.value("Rule", std::string()));
    std::vector<std::shared_ptr<const Target>> accepted;
    Json failed = Json::array();
    for (const auto& spec : call.params.value("Targets", Json::array())) {
        auto [target, why] = build_target(spec);
        if (!target) {
            failed.push_back({{"TargetId", spec.value("Id", std::string())},
                              {"ErrorCode", "ValidationException"},
                              {"ErrorMessage", why}});
            continue;
        }
        accepted.push_back(std::move(target));
    }
    auto targets = rule->targets;
    for (auto& t : accepted) {
        auto same = std::find_if(targets.begin(), targets.end(), [&](const auto& old) { return old->id == t->id; });
        if (same != targets.end())
            *same = t;
        else
            targets.push_back(t);
    }
    // At most 5 targets per rule (eb-quota).
    if (targets.size() > 5)
        throw error("LimitExceededException", "The requested resource exceeds the maximum number allowed.");
    rule->targets = std::move(targets);
    return {{"FailedEntryCount", failed.size()}, {"FailedEntries", std::move(failed)}};
}

Json EventBridgeService::remove_targets(const Call& call) {
    auto bus = bus_named(call.context.scope, bus_param(call));
    auto rule = rule_named(*bus, call.params.value("Rule", std::string()));
    for (const auto& id : call.params.value("Ids", Json::array())) {
        auto& targets = rule->targets;
        targets.erase(std::remove_if(targets.begin(), targets.end(), [&](const auto& t) { return t->id == id; }),
                      targets.end());
    }
    return {{"FailedEntryCount", 0}, {"FailedEntries", Json::array()}};
}

Json EventBridgeService::list_targets_by_rule(const Call& call) {
    auto bus = bus_named(call.context.scope, bus_param(call));
    auto rule = rule_named(*bus, call.params.value("Rule", std::string()));
    auto page = protocol::page_of(rule->targets.size(), call.params.value("NextToken", std::string()),
                                  static_cast<std::size_t>(call.params.value("Limit", 100)));
    if (!page) throw error("ValidationException", "The NextToken provided is invalid.");
    Json list = Json::array();
    for (auto i = page->begin; i < page->end; ++i) list.push_back(rule->targets[i]->spec);
    Json out = {{"Targets", std::move(list)}};
    if (page->next_token) out["NextToken"] = *page->next_token;
    return out;
}

}  // namespace sluice::eventbridge
