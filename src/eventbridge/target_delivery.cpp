#include "sluice/eventbridge/target_delivery.hpp"

#include <spdlog/spdlog.h>

#include "sluice/eventbridge/retry_schedule.hpp"
#include "sluice/events/ecs_parameters.hpp"
#include "sluice/protocol/json_text.hpp"

namespace sluice::eventbridge {

namespace {

bool contains(const std::string& text, const char* part) {
    return text.find(part) != std::string::npos;
}

Json string_attribute(const std::string& value) {
    return {{"DataType", "String"}, {"StringValue", value}};
}

}  // namespace

std::string queue_path(const core::Arn& arn) {
    return "/" + arn.account + "/" + arn.resource;
}

core::Scope scope_of(const core::Arn& arn) {
    return core::Scope{arn.account, arn.region};
}

DeliveryFailure classify(const protocol::AwsError& error) {
    const auto code = error.short_code();
    const auto query = error.query_code;
    // A target that is gone or refuses EventBridge is not retried: "for errors that result from
    // missing permissions to a target, or a target resource that no longer exists ... EventBridge
    // sends these events directly to the DLQ" (eb-rule-dlq). Throttling and faults of the target
    // service are retried.
    if (contains(code, "NotFound") || contains(code, "DoesNotExist") || contains(query, "NonExistentQueue"))
        return {"NO_RESOURCE", error.message(), false};
    if (contains(code, "AccessDenied") || contains(code, "NotAuthorized"))
        return {"NO_PERMISSIONS", error.message(), false};
    if (contains(code, "Throttl") || contains(code, "TooManyRequests") || contains(code, "LimitExceeded") ||
        contains(query, "RequestThrottled"))
        return {"THROTTLING", error.message(), true};
    if (!error.sender_fault || error.status >= 500) return {"INTERNAL_ERROR", error.message(), true};
    if (contains(code, "InvalidExecutionInput")) return {"INVALID_JSON", error.message(), false};
    return {"INVALID_PARAMETER", error.message(), false};
}

std::string target_input(const Delivery& d) {
    const auto& t = *d.target;
    if (t.input) return *t.input;
    if (t.input_path) {
        auto value = events::resolve_path(d.event, *t.input_path, false);
        return protocol::dump_json(value ? *value : Json(nullptr));
    }
    if (t.transformer) {
        ReservedVariables vars{d.rule_arn, d.rule_name, d.event.value("time", std::string())};
        return t.transformer->render(d.event, vars);
    }
    return protocol::dump_json(d.event);
}

TargetDelivery::TargetDelivery(core::Scheduler& scheduler, protocol::LocalClient& client,
                               std::function<double()> jitter)
    : scheduler_(scheduler), client_(client), jitter_(std::move(jitter)) {}

void TargetDelivery::deliver(Delivery delivery) {
    attempt(std::make_shared<Delivery>(std::move(delivery)));
}

void TargetDelivery::cancel_all() {
    std::lock_guard lock(mutex_);
    for (auto id : timers_) scheduler_.cancel(id);
    timers_.clear();
}

void TargetDelivery::attempt(std::shared_ptr<Delivery> d) {
    ++d->attempts;
    ++counters_.invocations;
    call_target(d, [self = shared_from_this(), d](std::optional<DeliveryFailure> failure) {
        if (failure) self->failed(d, std::move(*failure));
    });
}

void TargetDelivery::failed(std::shared_ptr<Delivery> d, DeliveryFailure failure) {
    ++counters_.failed_invocations;
    const int retries_done = d->attempts - 1;
    spdlog::info("rule {}: delivery of event {} to {} failed ({}: {}), attempt {}", d->rule_name,
                 d->event.value("id", ""), d->target->arn, failure.code, failure.message, d->attempts);
    if (!failure.retryable) return dead_letter(d, failure, "");
    const auto wait = retry_delay(retries_done + 1, jitter_());
    if (auto why = exhausted(d->target->retry, retries_done + 1, d->age + wait)) return dead_letter(d, failure, *why);
    d->age += wait;
    ++counters_.retries;
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    auto id = std::make_shared<core::Scheduler::TimerId>(0);
    *id = scheduler_.after(scheduler_.clock().scaled(wait), [weak = weak_from_this(), d, id] {
        auto self = weak.lock();
        if (!self) return;
        {
            std::lock_guard lock(self->mutex_);
            if (!self->timers_.erase(*id)) return;
        }
        self->attempt(d);
    });
    timers_.insert(*id);
}

void TargetDelivery::dead_letter(const std::shared_ptr<Delivery>& d, const DeliveryFailure& failure,
                                 const std::string& condition) {
    const auto& dlq = d->target->dead_letter_arn;
    auto arn = core::Arn::parse(dlq);
    if (dlq.empty() || !arn) {
        ++counters_.dropped;
        spdlog::warn("rule {}: event {} to {} dropped ({}), no dead-letter queue", d->rule_name,
                     d->event.value("id", ""), d->target->arn, failure.code);
        return;
    }
    // The message attributes of eb-rule-dlq; the body is the event.
    Json attributes = {{"RULE_ARN", string_attribute(d->rule_arn)},
                       {"TARGET_ARN", string_attribute(d->target->arn)},
                       {"ERROR_CODE", string_attribute(failure.code)},
                       {"ERROR_MESSAGE", string_attribute(failure.message.empty() ? failure.code : failure.message)},
                       {"RETRY_ATTEMPTS", {{"DataType", "Number"}, {"StringValue", std::to_string(d->attempts - 1)}}}};
    if (!condition.empty()) attributes["EXHAUSTED_RETRY_CONDITION"] = string_attribute(condition);
    Json params = {{"QueueUrl", queue_path(*arn)},
                   {"MessageBody", protocol::dump_json(d->event)},
                   {"MessageAttributes", std::move(attributes)}};
    client_.call("sqs", "SendMessage", std::move(params), scope_of(*arn),
                 [self = shared_from_this(), d, dlq](protocol::Outcome outcome) {
                     if (auto* e = std::get_if<protocol::AwsError>(&outcome)) {
                         ++self->counters_.failed_to_send_to_dlq;
                         spdlog::warn("rule {}: event {} could not be sent to the dead-letter queue {}: {}",
                                      d->rule_name, d->event.value("id", ""), dlq, e->message());
                         return;
                     }
                     ++self->counters_.sent_to_dlq;
                     spdlog::info("rule {}: event {} sent to the dead-letter queue {}", d->rule_name,
                                  d->event.value("id", ""), dlq);
                 });
}

void TargetDelivery::call_target(const std::shared_ptr<Delivery>& d,
                                 std::function<void(std::optional<DeliveryFailure>)> done) {
    const auto& t = *d->target;
    auto arn = core::Arn::parse(t.arn);
    const auto scope = arn ? scope_of(*arn) : d->scope;
    auto on_error = [done](protocol::Outcome& outcome) -> bool {
        if (auto* e = std::get_if<protocol::AwsError>(&outcome)) {
            done(classify(*e));
            return true;
        }
        return false;
    };
    switch (t.kind) {
        case TargetKind::SqsQueue: {
            Json params = {{"QueueUrl", t.queue_path}, {"MessageBody", target_input(*d)}};
            if (t.fifo_queue) {
                params["MessageGroupId"] = t.spec.value("SqsParameters", Json::object()).value("MessageGroupId", "");
                // The event id deduplicates: a retried delivery is not a second message.
                params["MessageDeduplicationId"] = d->event.value("id", "");
            }
            return client_.call("sqs", "SendMessage", std::move(params), scope,
                                [on_error, done](protocol::Outcome outcome) {
                                    if (!on_error(outcome)) done(std::nullopt);
                                });
        }
        case TargetKind::StateMachine: {
            Json params = {{"stateMachineArn", t.arn}, {"input", target_input(*d)}};
            return client_.call("stepfunctions", "StartExecution", std::move(params), scope,
                                [on_error, done](protocol::Outcome outcome) {
                                    if (!on_error(outcome)) done(std::nullopt);
                                });
        }
        case TargetKind::EcsCluster: {
            Json params = events::ecs_run_task_input(t.spec.value("EcsParameters", Json::object()));
            params["cluster"] = t.arn;
            if (!params.contains("count")) params["count"] = 1;
            // Input for an ECS target is the task's overrides (eb-targets: ECS task parameters).
            if (t.input || t.input_path || t.transformer) {
                Json overrides = protocol::parse_json(target_input(*d));
                if (overrides.is_object()) params["overrides"] = std::move(overrides);
            }
            return client_.call(
                "ecs", "RunTask", std::move(params), scope, [on_error, done](protocol::Outcome outcome) {
                    if (on_error(outcome)) return;
                    const auto& answer = std::get<Json>(outcome);
                    auto failures = answer.value("failures", Json::array());
                    if (!failures.empty() && answer.value("tasks", Json::array()).empty())
                        return done(
                            DeliveryFailure{"ERROR_FROM_TARGET", failures[0].value("reason", "RunTask failed"), true});
                    done(std::nullopt);
                });
        }
        case TargetKind::EventBus: {
            // Cross-bus: the event goes on as an event of its own on the target bus.
            Json entry = {{"Source", d->event.value("source", "")},
                          {"DetailType", d->event.value("detail-type", "")},
                          {"Detail", protocol::dump_json(d->event.value("detail", Json::object()))},
                          {"Resources", d->event.value("resources", Json::array())},
                          {"EventBusName", t.arn}};
            Json params = {{"Entries", Json::array({std::move(entry)})}};
            return client_.call(
                "events", "PutEvents", std::move(params), scope, [on_error, done](protocol::Outcome outcome) {
                    if (on_error(outcome)) return;
                    const auto& answer = std::get<Json>(outcome);
                    if (answer.value("FailedEntryCount", 0) > 0) {
                        const auto& entry = answer["Entries"][0];
                        return done(DeliveryFailure{"ERROR_FROM_TARGET",
                                                    entry.value("ErrorMessage", "PutEvents failed"), false});
                    }
                    done(std::nullopt);
                });
        }
    }
}

}  // namespace sluice::eventbridge
