// Task states: scheduling the call, task tokens, timeouts and heartbeats, and the events AWS
// writes for integrations (TaskScheduled/Started/Submitted/Succeeded...) and activities
// (ActivityScheduled/Started/Succeeded...).
#include <spdlog/spdlog.h>

#include "run.hpp"
#include "sluice/core/encoding.hpp"
#include "sluice/core/ids.hpp"
#include "sluice/protocol/json_text.hpp"

namespace sluice::sfn {

namespace {

bool is_activity(const Run& run) {
    return run.resource && run.resource->kind == TaskResource::Kind::Activity;
}

std::optional<double> seconds_of(const SecondsField& field, const EvalScope& scope, const char* name) {
    if (field.seconds) return field.seconds;
    if (!field.path) return std::nullopt;
    auto v = field.path->select(scope);
    if (!v || !v->is_number_integer() || v->get<long long>() <= 0)
        throw StatesError(errors::kRuntime, std::string("The ") + name +
                                                "Path parameter does not reference a valid positive integer value: '" +
                                                field.path->text() + "'");
    return v->get<double>();
}

}  // namespace

std::string Interpreter::Impl::new_token(Run& run) {
    // Opaque to users, long like AWS's, and unguessable.
    std::string raw;
    for (int i = 0; i < 6; ++i) {
        auto v = core::random_u64();
        raw.append(reinterpret_cast<const char*>(&v), sizeof v);
    }
    std::string token = "AQB" + core::base64_encode(raw);
    tokens[token] = TokenSlot{run.weak_from_this(), run.attempt};
    return token;
}

void Interpreter::Impl::arm_heartbeat(Run& run, double seconds) {
    if (run.heartbeat) scheduler.cancel(*run.heartbeat);
    const auto attempt = run.attempt;
    run.heartbeat = after(delay_of(seconds), [this, weak = run.weak_from_this(), attempt] {
        auto r = weak.lock();
        if (!r || r->done || r->attempt != attempt) return;
        r->heartbeat.reset();
        // AWS reports an expired heartbeat as States.Timeout (its recordings), not HeartbeatTimeout.
        task_report(r, attempt, std::nullopt, StatesError(errors::kTimeout, ""), true);
    });
}

void Interpreter::Impl::act_task(Run& run) {
    const State& s = *run.state;
    run.resource = TaskResource::parse(s.resource);
    run.token.clear();
    auto ctx = context(run);
    const QueryLanguage& language = language_of(s);
    run.effective = language.state_input(s, run.input, ctx, run.variables);
    inspect("afterInputPath", run.effective);
    if (!run.resource)
        throw StatesError(errors::kRuntime,
                          "The resource '" + s.resource + "' is not a valid Step Functions task resource.");
    const bool needs_token = is_activity(run) || run.resource->pattern == TaskResource::Pattern::WaitForTaskToken;
    if (needs_token) {
        run.token = new_token(run);
        // TestState's given context keeps its own Task.Token (test_state_wait_task_context_object).
        if (!run.given_context) ctx.state["Task"] = {{"Token", run.token}};
    }
    Json parameters = language.arguments(s, run.effective, ctx, run.variables);
    inspect("afterParameters", parameters);
    if (!is_activity(run)) parameters = tasks.parameters_for(*run.resource, std::move(parameters));
    EvalScope scope = ctx.scope(run.effective, run.variables);
    auto timeout = seconds_of(s.timeout, scope, "TimeoutSeconds");
    auto heartbeat = seconds_of(s.heartbeat, scope, "HeartbeatSeconds");
    run.heartbeat_seconds = heartbeat.value_or(0);
    const auto attempt = run.attempt;

    if (is_activity(run)) {
        Json details = with_data({{"resource", s.resource}}, "input", parameters);
        if (timeout) details["timeoutInSeconds"] = static_cast<long long>(*timeout);
        if (heartbeat) details["heartbeatInSeconds"] = static_cast<long long>(*heartbeat);
        add_event(run, "ActivityScheduled", "activityScheduledEventDetails", std::move(details));
        activities.schedule(s.resource, run.token, protocol::dump_json(parameters));
    } else {
        const auto type = run.resource->history_type(), resource = run.resource->history_resource();
        Json details = {{"resourceType", type},
                        {"resource", resource},
                        {"region", run.exec->scope.region},
                        {"parameters", protocol::dump_json(parameters)}};
        if (timeout) details["timeoutInSeconds"] = static_cast<long long>(*timeout);
        if (heartbeat) details["heartbeatInSeconds"] = static_cast<long long>(*heartbeat);
        add_event(run, "TaskScheduled", "taskScheduledEventDetails", std::move(details));
        add_event(run, "TaskStarted", "taskStartedEventDetails", {{"resourceType", type}, {"resource", resource}});
        TaskInvocation invocation{*run.resource, std::move(parameters), run.token, run.exec->arn,
                                  s.name,        run.exec->scope,       &*run.exec};
        std::weak_ptr<Run> weak = run.weak_from_this();
        // A runner may answer from within start() (a mocked answer does): that answer is settled in
        // this turn of the walk instead of a posted job, so a mocked Task costs about what a Pass
        // state costs. Later answers (real calls: I/O, containers) are posted as before.
        auto starting = std::make_shared<bool>(true);
        auto answer_now = std::make_shared<std::optional<TaskAnswer>>();
        TaskCallbacks callbacks;
        callbacks.submitted = [this, weak, attempt, starting](Json output) {
            auto write = [this, weak, attempt, output = std::move(output)] {
                auto r = weak.lock();
                if (!r || r->done || r->attempt != attempt) return;
                add_event(*r, "TaskSubmitted", "taskSubmittedEventDetails",
                          with_data({{"resourceType", r->resource->history_type()},
                                     {"resource", r->resource->history_resource()}},
                                    "output", output));
            };
            if (*starting) return write();
            post_locked(std::move(write));
        };
        auto report = [this, weak, attempt, starting, answer_now](TaskAnswer answer) {
            if (*starting) {
                *answer_now = std::move(answer);
                return;
            }
            post_locked([this, weak, attempt, answer = std::move(answer)]() mutable {
                if (auto r = weak.lock())
                    task_report(r, attempt, std::move(answer.output), std::move(answer.error), answer.timed_out);
            });
        };
        const bool wait_for_token = run.resource->pattern == TaskResource::Pattern::WaitForTaskToken;
        callbacks.succeeded = [report, wait_for_token, submitted = callbacks.submitted](Json output) {
            // With a task token the call only submits the work; the token completes it.
            if (wait_for_token) return submitted(std::move(output));
            report({std::move(output), std::nullopt, false});
        };
        callbacks.failed = [report](std::string error, std::string cause) {
            report({std::nullopt, StatesError(std::move(error), std::move(cause)), false});
        };
        callbacks.timed_out = [report](std::string error, std::string cause) {
            report({std::nullopt, StatesError(std::move(error), std::move(cause)), true});
        };
        run.cancel_task = tasks.start(invocation, std::move(callbacks));
        *starting = false;
        if (*answer_now) {
            run.cancel_task = nullptr;
            auto& a = **answer_now;
            // Within the walk: the loop in drive() goes on from here.
            return settle_task(run.shared_from_this(), attempt, std::move(a.output), std::move(a.error), a.timed_out);
        }
    }
    if (timeout) {
        run.timeout = after(delay_of(*timeout), [this, weak = run.weak_from_this(), attempt] {
            auto r = weak.lock();
            if (!r || r->done || r->attempt != attempt) return;
            r->timeout.reset();
            task_report(r, attempt, std::nullopt, StatesError(errors::kTimeout, ""), true);
        });
    }
    if (heartbeat && needs_token) arm_heartbeat(run, *heartbeat);
}

void Interpreter::Impl::task_report(const std::shared_ptr<Run>& run, std::uint64_t attempt, std::optional<Json> output,
                                    std::optional<StatesError> error, bool timed_out) {
    if (run->done || run->attempt != attempt || !run->exec->running()) return;
    settle_task(run, attempt, std::move(output), std::move(error), timed_out);
    drive(run);
}

void Interpreter::Impl::settle_task(const std::shared_ptr<Run>& run, std::uint64_t attempt, std::optional<Json> output,
                                    std::optional<StatesError> error, bool timed_out) {
    if (run->done || run->attempt != attempt || !run->exec->running()) return;
    // Whatever else was pending for this attempt is over now.
    if (run->timeout) scheduler.cancel(*run->timeout);
    if (run->heartbeat) scheduler.cancel(*run->heartbeat);
    run->timeout.reset();
    run->heartbeat.reset();
    auto cancel_task = std::move(run->cancel_task);
    run->cancel_task = nullptr;
    if (timed_out && cancel_task) cancel_task();
    if (!run->token.empty()) {
        if (is_activity(*run)) activities.withdraw(run->token);
        close_token(run->token);
    }
    const bool activity = is_activity(*run);
    const auto type = run->resource->history_type(), resource = run->resource->history_resource();
    if (output) {
        if (activity)
            add_event(*run, "ActivitySucceeded", "activitySucceededEventDetails",
                      with_data(Json::object(), "output", *output));
        else
            add_event(*run, "TaskSucceeded", "taskSucceededEventDetails",
                      with_data({{"resourceType", type}, {"resource", resource}}, "output", *output));
        work_done(*run, std::move(*output), /*sized=*/true);
    } else {
        Json details = error->to_json<Json>("error", "cause");
        if (!activity) {
            details["resourceType"] = type;
            details["resource"] = resource;
        }
        if (timed_out)
            add_event(*run, activity ? "ActivityTimedOut" : "TaskTimedOut",
                      activity ? "activityTimedOutEventDetails" : "taskTimedOutEventDetails", std::move(details));
        else
            add_event(*run, activity ? "ActivityFailed" : "TaskFailed",
                      activity ? "activityFailedEventDetails" : "taskFailedEventDetails", std::move(details));
        fail_state(*run, *error);
    }
}

// ---- task tokens

Interpreter::TokenState Interpreter::token_state(const std::string& token) const {
    auto it = impl_->tokens.find(token);
    if (it == impl_->tokens.end())
        return impl_->closed_tokens.contains(token) ? TokenState::Finished : TokenState::Unknown;
    auto run = it->second.run.lock();
    if (!run || run->done || run->attempt != it->second.attempt) return TokenState::Finished;
    return TokenState::Open;
}

bool Interpreter::token_success(const std::string& token, Json output) {
    if (token_state(token) != TokenState::Open) return false;
    auto slot = impl_->tokens.at(token);
    impl_->task_report(slot.run.lock(), slot.attempt, std::move(output), std::nullopt, false);
    return true;
}

bool Interpreter::token_failure(const std::string& token, const std::string& error, const std::string& cause) {
    if (token_state(token) != TokenState::Open) return false;
    auto slot = impl_->tokens.at(token);
    impl_->task_report(slot.run.lock(), slot.attempt, std::nullopt, StatesError(error, cause), false);
    return true;
}

bool Interpreter::token_heartbeat(const std::string& token) {
    if (token_state(token) != TokenState::Open) return false;
    auto run = impl_->tokens.at(token).run.lock();
    if (run->heartbeat_seconds > 0) impl_->arm_heartbeat(*run, run->heartbeat_seconds);
    return true;
}

void Interpreter::activity_started(const std::string& token, const std::string& worker_name) {
    if (token_state(token) != TokenState::Open) return;
    auto run = impl_->tokens.at(token).run.lock();
    Json details = Json::object();
    if (!worker_name.empty()) details["workerName"] = worker_name;
    impl_->add_event(*run, "ActivityStarted", "activityStartedEventDetails", std::move(details));
}

}  // namespace sluice::sfn
