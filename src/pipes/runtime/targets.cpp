// Invoking a pipe's target with a batch: a state machine gets the events as one JSON array
// (StartExecution, or StartSyncExecution for REQUEST_RESPONSE), an ECS cluster gets one RunTask
// whose dynamic path parameters (`$.body.x`) are read from the batch's first event, an SQS queue
// gets one message per event.
#include <spdlog/spdlog.h>

#include "sluice/core/arn.hpp"
#include "sluice/events/ecs_parameters.hpp"
#include "sluice/pipes/batch.hpp"
#include "sluice/pipes/pipe_runner.hpp"
#include "sluice/protocol/json_text.hpp"

namespace sluice::pipes {

namespace {

std::string ingestion_time(const Batch& batch, std::size_t k) {
    if (batch.events_are_records && k < batch.delivered.size()) {
        const auto& m = batch.messages[batch.delivered[k]];
        if (auto it = m.find("sluice:received"); it != m.end() && it->is_number_integer())
            return core::iso8601(core::TimePoint(core::Millis(it->get<long long>())));
    }
    return core::iso8601(batch.started);
}

// The event as the target gets it: through the target's InputTemplate when it has one.
Json target_event(const Batch& batch, std::size_t k, const std::string& pipe_arn, const std::string& pipe_name) {
    const auto& spec = *batch.spec;
    if (!spec.target_template) return batch.events[k];
    ReservedVariables vars{pipe_arn, pipe_name, spec.source, spec.enrichment, spec.target, ingestion_time(batch, k)};
    return spec.target_template->render(batch.events[k], vars);
}

// Replaces every string that is a JSON path by the value it names in `event`. Throws
// std::invalid_argument for a path that names nothing.
void resolve_dynamic(Json& value, const Json& event) {
    if (value.is_string()) {
        const auto& text = value.get_ref<const std::string&>();
        if (text.empty() || text[0] != '$' || !is_json_path(text)) return;
        auto found = resolve_path(event, text);
        if (!found || found->is_null())
            throw std::invalid_argument("the dynamic path " + text + " names nothing in the event");
        value = found->is_string() ? *found : Json(protocol::dump_json(*found));
    } else if (value.is_structured()) {
        for (auto& v : value) resolve_dynamic(v, event);
    }
}

std::string text_of(const Json& event) {
    return event.is_string() ? event.get<std::string>() : protocol::dump_json(event);
}

}  // namespace

void PipeRunner::invoke_target(std::shared_ptr<Batch> batch) {
    switch (batch->spec->target_kind) {
        case TargetKind::StateMachine: {
            Json input = Json::array();
            for (std::size_t k = 0; k < batch->events.size(); ++k)
                input.push_back(target_event(*batch, k, batch->pipe->arn, batch->pipe->name));
            return invoke_state_machine(batch, std::move(input));
        }
        case TargetKind::EcsTask:
            return invoke_ecs_task(batch);
        case TargetKind::SqsQueue:
            return invoke_sqs_queue(batch);
    }
}

void PipeRunner::invoke_state_machine(std::shared_ptr<Batch> batch, Json input) {
    const auto& spec = *batch->spec;
    Json params = {{"stateMachineArn", spec.target}, {"input", protocol::dump_json(input)}};
    const bool waits = spec.target_waits;
    client_.call(
        "stepfunctions", waits ? "StartSyncExecution" : "StartExecution", std::move(params), scope_of(spec.target),
        [self = shared_from_this(), batch, waits](protocol::Outcome outcome) {
            self->guarded(batch, [&] {
                const auto& spec = *batch->spec;
                if (auto* e = std::get_if<protocol::AwsError>(&outcome))
                    return self->finish_batch(batch,
                                              "Target " + spec.target + ": " + e->short_code() + ": " + e->message());
                if (!waits) return self->finish_batch(batch, "");
                const auto& answer = std::get<Json>(outcome);
                if (answer.value("status", "") != "SUCCEEDED")
                    return self->finish_batch(batch, execution_failure("Target execution", answer));
                Json output;
                if (auto text = answer.find("output");
                    text != answer.end() && text->is_string() &&
                    may_name_batch_item_failures(text->get_ref<const std::string&>()))
                    output = protocol::parse_json(text->get_ref<const std::string&>());
                try {
                    if (auto failed = batch_item_failures(output.is_discarded() ? Json() : output)) {
                        for (const auto& id : *failed) {
                            bool known = false;
                            for (auto i : batch->delivered)
                                known = known || batch->records[i].value("messageId", "") == id;
                            if (!known)
                                throw std::invalid_argument("itemIdentifier " + id + " names no message of the batch");
                        }
                        batch->failed_ids.insert(failed->begin(), failed->end());
                    }
                } catch (const std::invalid_argument& e) {
                    return self->finish_batch(
                        batch, "Target " + spec.target + " answered a bad partial batch response: " + e.what());
                }
                self->finish_batch(batch, "");
            });
        });
}

void PipeRunner::invoke_ecs_task(std::shared_ptr<Batch> batch) {
    // ECS has no batch API: one RunTask per event, its dynamic paths read from that event (before
    // any InputTemplate, as Pipes evaluates them). A RunTask that fails leaves its message alone.
    const auto& spec = *batch->spec;
    struct Join {
        std::mutex mutex;
        std::size_t left = 0;
        std::string failure;
    };
    auto join = std::make_shared<Join>();
    join->left = batch->events.size();
    auto one_done = [self = shared_from_this(), batch, join](std::size_t k, const std::string& why) {
        bool last = false;
        {
            std::lock_guard lock(join->mutex);
            if (!why.empty()) {
                if (batch->events_are_records && k < batch->delivered.size())
                    batch->failed_ids.insert(batch->records[batch->delivered[k]].value("messageId", ""));
                else if (join->failure.empty())
                    join->failure = why;
                if (batch->pipe) spdlog::warn("pipe {}: RunTask for event {} failed: {}", batch->pipe->name, k, why);
            }
            last = --join->left == 0;
        }
        if (last) self->finish_batch(batch, join->failure);
    };
    const Json base = spec.target_parameters.value("EcsTaskParameters", Json::object());
    for (std::size_t k = 0; k < batch->events.size(); ++k) {
        Json parameters = base;
        try {
            resolve_dynamic(parameters, batch->events[k]);
        } catch (const std::invalid_argument& e) {
            one_done(k, "Target " + spec.target + ": " + e.what());
            continue;
        }
        Json params = events::ecs_run_task_input(parameters);
        params["cluster"] = spec.target;
        client_.call("ecs", "RunTask", std::move(params), scope_of(spec.target),
                     [self = shared_from_this(), batch, k, one_done](protocol::Outcome outcome) {
                         self->guarded(batch, [&] {
                             const auto& target = batch->spec->target;
                             if (auto* e = std::get_if<protocol::AwsError>(&outcome))
                                 return one_done(k, "Target " + target + ": " + e->short_code() + ": " + e->message());
                             const auto& answer = std::get<Json>(outcome);
                             // The task started: the event is delivered, whatever its containers do next.
                             if (!answer.value("tasks", Json::array()).empty()) return one_done(k, "");
                             std::string reasons;
                             for (const auto& f : answer.value("failures", Json::array()))
                                 reasons += (reasons.empty() ? "" : "; ") + f.value("reason", std::string("?")) + " " +
                                            f.value("arn", std::string());
                             one_done(k, "Target " + target + ": RunTask started no task: " + reasons);
                         });
                     });
    }
}

void PipeRunner::invoke_sqs_queue(std::shared_ptr<Batch> batch) {
    const auto& spec = *batch->spec;
    const Json queue_parameters = spec.target_parameters.value("SqsQueueParameters", Json::object());
    struct Join {
        std::mutex mutex;
        std::size_t left = 0;
        std::string failure;
    };
    auto join = std::make_shared<Join>();
    std::vector<Json> calls;
    for (std::size_t start = 0; start < batch->events.size(); start += 10) {
        Json entries = Json::array();
        for (std::size_t k = start; k < std::min(batch->events.size(), start + 10); ++k) {
            const Json event = target_event(*batch, k, batch->pipe->arn, batch->pipe->name);
            Json entry = {{"Id", std::to_string(k)}, {"MessageBody", text_of(event)}};
            for (const char* key : {"MessageGroupId", "MessageDeduplicationId"}) {
                if (!queue_parameters.contains(key)) continue;
                Json value = queue_parameters[key];
                try {
                    resolve_dynamic(value, batch->events[k]);
                } catch (const std::invalid_argument& e) {
                    return finish_batch(batch, "Target " + spec.target + ": " + e.what());
                }
                entry[key] = value;
            }
            entries.push_back(std::move(entry));
        }
        calls.push_back({{"QueueUrl", spec.target_queue}, {"Entries", std::move(entries)}});
    }
    join->left = calls.size();
    for (auto& params : calls) {
        client_.call("sqs", "SendMessageBatch", std::move(params), scope_of(spec.target),
                     [self = shared_from_this(), batch, join](protocol::Outcome outcome) {
                         self->guarded(batch, [&] {
                             bool last = false;
                             {
                                 std::lock_guard lock(join->mutex);
                                 if (auto* e = std::get_if<protocol::AwsError>(&outcome)) {
                                     if (join->failure.empty())
                                         join->failure = "Target " + batch->spec->target + ": " + e->short_code() +
                                                         ": " + e->message();
                                 } else {
                                     for (const auto& f : std::get<Json>(outcome).value("Failed", Json::array())) {
                                         const auto k = static_cast<std::size_t>(
                                             std::atoll(f.value("Id", std::string("0")).c_str()));
                                         const auto why =
                                             f.value("Code", std::string()) + ": " + f.value("Message", std::string());
                                         // Without enrichment each event is a source message: only it is retried.
                                         if (batch->events_are_records && k < batch->delivered.size())
                                             batch->failed_ids.insert(
                                                 batch->records[batch->delivered[k]].value("messageId", ""));
                                         else if (join->failure.empty())
                                             join->failure = "Target " + batch->spec->target + ": " + why;
                                         spdlog::debug("pipe {}: SendMessageBatch entry {} failed: {}",
                                                       batch->pipe->name, k, why);
                                     }
                                 }
                                 last = --join->left == 0;
                             }
                             if (last) self->finish_batch(batch, join->failure);
                         });
                     });
    }
}

}  // namespace sluice::pipes
