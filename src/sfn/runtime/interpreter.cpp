// The walk through states: entering, acting, leaving, Retry and Catch, and the end of runs and
// executions. Task, Parallel and Map live in their own files.
#include <algorithm>
#include <cmath>
#include <random>

#include <spdlog/spdlog.h>

#include "run.hpp"
#include "sluice/protocol/json_depth.hpp"
#include "sluice/protocol/json_text.hpp"
#include "sluice/sfn/choice.hpp"
#include "sluice/sfn/timestamp.hpp"

namespace sluice::sfn {

namespace {

// How many states one turn of drive() runs before yielding the io thread to others.
constexpr int kTransitionsPerTurn = 512;

bool matches(const std::vector<std::string>& error_equals, const std::string& error) {
    for (const auto& e : error_equals) {
        if (e == error) return true;
        // States.ALL matches every error but States.Runtime, which nothing catches (AWS's
        // recordings show States.DataLimitExceeded caught by States.ALL, whatever the docs say).
        // States.TaskFailed matches every task error but a timeout.
        if (e == errors::kAll && error != errors::kRuntime) return true;
        if (e == errors::kTaskFailed && error != errors::kTimeout && error != errors::kHeartbeatTimeout &&
            !error.starts_with("States."))
            return true;
    }
    return false;
}

}  // namespace

std::string state_error_cause(const Run& run, const std::string& detail) {
    return "An error occurred while executing the state '" + run.state->name + "' (entered at the event id #" +
           std::to_string(run.entered_event) + "). " + detail;
}

std::string value_text(const Json& value) {
    return value.is_string() ? value.get<std::string>() : protocol::dump_json(value);
}

Interpreter::Interpreter(core::ServiceLock& lock, Scheduler& scheduler, const core::Clock& clock, TaskRunner& tasks,
                         ActivityQueue& activities)
    : impl_(std::make_unique<Impl>(lock, scheduler, clock, tasks, activities)) {}

Interpreter::~Interpreter() = default;

void Interpreter::Impl::close_token(const std::string& token) {
    if (tokens.erase(token) == 0) return;
    constexpr std::size_t kRemembered = 100'000;
    if (closed_tokens.insert(token).second) closed_order.push_back(token);
    while (closed_order.size() > kRemembered) {
        closed_tokens.erase(closed_order.front());
        closed_order.pop_front();
    }
}

namespace {
// Work on the io thread must never throw out of it: that would end the daemon. Whatever slips
// through the interpreter's own handling is logged and dropped here.
void run_guarded(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const std::exception& e) {
        spdlog::error("sfn: unexpected error in an execution step: {}", e.what());
    }
}
}  // namespace

void Interpreter::Impl::post_locked(std::function<void()> fn) {
    scheduler.post([weak = std::weak_ptr<int>(alive), &lock = lock, fn = std::move(fn)] {
        if (weak.expired()) return;
        lock.run([&] { run_guarded(fn); });
    });
}

core::Millis Interpreter::Impl::delay_of(double seconds) {
    if (!(seconds > 0)) return core::Millis(0);
    const double ms = seconds * 1000.0;
    if (ms >= static_cast<double>(kMaxDelay.count())) return kMaxDelay;
    return core::Millis(static_cast<long long>(ms));
}

Scheduler::TimerId Interpreter::Impl::after(core::Millis delay, std::function<void()> fn) {
    delay = std::clamp(delay, core::Millis(0), kMaxDelay);
    return scheduler.at(clock.now() + clock.scaled(delay),
                        [weak = std::weak_ptr<int>(alive), &lock = lock, fn = std::move(fn)] {
                            if (weak.expired()) return;
                            lock.run([&] { run_guarded(fn); });
                        });
}

long long Interpreter::Impl::append_event(Execution& exec, long long previous_id, const char* type,
                                          const char* detail_key, std::string details) {
    auto& e = exec.history.emplace_back();
    e.id = static_cast<long long>(exec.history.size());
    e.previous_id = previous_id;
    e.timestamp = clock.now();
    e.type = type;
    e.detail_key = detail_key;
    if (detail_key && keeps_details(exec)) e.details = std::move(details);
    return e.id;
}

namespace {
std::string details_text(const Json& details) {
    return details.is_null() ? "{}" : protocol::dump_json(details);
}
}  // namespace

long long Interpreter::Impl::add_execution_event(Execution& exec, const char* type, const char* detail_key,
                                                 Json details) {
    return append_event(exec, exec.history.empty() ? 0 : exec.history.back().id, type, detail_key,
                        keeps_details(exec) ? details_text(details) : std::string());
}

long long Interpreter::Impl::add_event(Run& run, const char* type, const char* detail_key, Json details, bool chain) {
    return add_event_text(run, type, detail_key,
                          detail_key && keeps_details(*run.exec) ? details_text(details) : std::string(), chain);
}

std::string Interpreter::Impl::state_details(const Run& run, const std::string& name, const char* data_key,
                                             const Json& value, const Json& assigned) {
    return keeps_details(*run.exec) ? state_event_details(name, data_key, value, assigned) : std::string();
}

long long Interpreter::Impl::add_event_text(Run& run, const char* type, const char* detail_key, std::string details,
                                            bool chain) {
    auto& exec = *run.exec;
    if (!exec.running()) return exec.history.empty() ? 0 : exec.history.back().id;  // over: nothing more is written
    if (static_cast<long>(exec.history.size()) + 1 >= max_history_events) {
        // AWS's limit; also what stops a machine that loops forever.
        end_execution(exec, "FAILED", std::nullopt,
                      StatesError(errors::kRuntime, "The execution reached the maximum number of history events (" +
                                                        std::to_string(max_history_events) + ")."));
        return exec.history.back().id;
    }
    const long long id = append_event(exec, run.prev_event, type, detail_key, std::move(details));
    if (chain) run.prev_event = id;
    return id;
}

Json execution_context(const Execution& exec) {
    Json out = {{"Id", exec.arn},
                {"Input", exec.input},
                {"Name", exec.name},
                {"RoleArn", exec.machine->role_arn},
                {"StartTime", format_timestamp(exec.start_date)}};
    // An Express execution cannot be redriven and its context has no RedriveCount (recordings
    // test_express_sync / test_express_async test_query_runtime_memory); a Standard one's has.
    if (!exec.express()) out["RedriveCount"] = exec.redrive_count;
    if (exec.redrive_date) out["RedriveTime"] = format_timestamp(*exec.redrive_date);
    return out;
}

ContextObject Interpreter::Impl::context(const Run& run) const {
    ContextObject ctx;
    ctx.execution = &run.exec->context;
    if (!run.state->uses_context) return ctx;
    if (run.given_context) {
        for (const auto& [member, value] : run.given_context->items())
            if (member != "Execution" && member != "StateMachine") ctx.state[member] = value;
        return ctx;
    }
    // Built the first time a state reads `$$`: most executions never do, and a waiting one
    // would otherwise hold a second copy of its input.
    if (run.exec->context.is_null())
        run.exec->context = {{"Execution", execution_context(*run.exec)},
                             {"StateMachine", {{"Id", run.exec->machine->arn}, {"Name", run.exec->machine->name}}}};
    ctx.state = {{"State", {{"EnteredTime", format_timestamp(run.entered)}, {"Name", run.state->name}}}};
    // Only the states that can retry (Task, Parallel, Map: those with a Retry field) have a
    // RetryCount; a Pass state's $$.State is Name and EnteredTime alone (recordings
    // test_query_context_object_values, test_context_object test_input_path[$$]; a Task's and a
    // Map's have it: test_lambda_invoke_with_retry_extended_input, test_map_state_failure_count).
    if (run.state->type == State::Type::Task || run.state->type == State::Type::Parallel ||
        run.state->type == State::Type::Map)
        ctx.state["State"]["RetryCount"] = run.retry_count;
    if (!run.token.empty()) ctx.state["Task"] = {{"Token", run.token}};
    if (run.map_item) ctx.state["Map"] = {{"Item", *run.map_item}};
    return ctx;
}

void Interpreter::Impl::check_size(const Run& run, const Json& value) const {
    // Sizes are checked on the serialized form, as AWS measures them.
    const auto size = protocol::dump_json(value).size();
    if (size > kMaxPayloadBytes)
        throw StatesError(errors::kDataLimitExceeded,
                          "The state/task '" + run.state->name +
                              "' returned a result with a size exceeding the maximum number of bytes service limit.");
}

// ---- the walk

void Interpreter::Impl::drive(const std::shared_ptr<Run>& run) {
    if (stopping) return;  // the daemon is shutting down: no more states run
    int budget = kTransitionsPerTurn;
    while (run->ready && !run->done && run->exec->running()) {
        if (--budget == 0) {
            post_locked([this, run] { drive(run); });
            return;
        }
        run->ready = false;
        enter(*run);
    }
}

void Interpreter::Impl::enter(Run& run) {
    const State& s = *run.state;
    run.entered = clock.now();
    run.retries.assign(s.retry.size(), 0);
    run.retry_count = 0;
    run.assigned = nullptr;
    run.entered_event = add_event_text(run, names_of(s.type).entered, "stateEnteredEventDetails",
                                       state_details(run, s.name, "input", run.input));
    act(run);
}

void Interpreter::Impl::act(Run& run) {
    const State& s = *run.state;
    try {
        const QueryLanguage& language = language_of(s);
        switch (s.type) {
            case State::Type::Pass: {
                auto ctx = context(run);
                run.effective = language.state_input(s, run.input, ctx, run.variables);
                if (!s.result) inspect("afterInputPath", run.effective);  // AWS shows a fixed Result alone
                Json result = s.result ? *s.result : language.arguments(s, run.effective, ctx, run.variables);
                inspect(s.result ? "result" : "afterParameters", result);
                return succeed_state(run, std::move(result));
            }
            case State::Type::Choice: {
                auto ctx = context(run);
                run.effective = language.state_input(s, run.input, ctx, run.variables);
                inspect("afterInputPath", run.effective);
                for (std::size_t i = 0; i < s.choices.size(); ++i) {
                    const auto& rule = s.choices[i];
                    if (language.matches(s, i, run.effective, ctx, run.variables)) {
                        run.assigned =
                            language.assign(s, AssignSite{nullptr, i}, run.input, run.effective, ctx, run.variables);
                        Json more = language.assign(s, AssignSite{}, run.input, run.effective, ctx, run.variables);
                        if (run.assigned.is_null())
                            run.assigned = std::move(more);
                        else if (more.is_object())
                            run.assigned.update(more);
                        // Choice has no ResultPath: its output is OutputPath applied to its effective input.
                        return exit_state(run,
                                          language.state_output(s, run.effective, run.effective, ResultPathField{}, ctx,
                                                                run.variables, nullptr),
                                          choice_next(*rule));
                    }
                }
                if (s.default_next.empty())
                    // Real AWS does not raise States.NoChoiceMatched (the spec's name) here: it
                    // fails with States.Runtime, which no Catch sees (docs/research/sfn-behaviour.md §1c).
                    throw StatesError(errors::kRuntime, errors::kNoChoiceMatchedCause);
                run.assigned = language.assign(s, AssignSite{}, run.input, run.effective, ctx, run.variables);
                return exit_state(run,
                                  language.state_output(s, run.effective, run.effective, ResultPathField{}, ctx,
                                                        run.variables, nullptr),
                                  s.default_next);
            }
            case State::Type::Wait:
                return act_wait(run);
            case State::Type::Succeed: {
                auto ctx = context(run);
                run.effective = language.state_input(s, run.input, ctx, run.variables);
                inspect("afterInputPath", run.effective);
                Json output = language.state_output(s, run.effective, run.effective, ResultPathField{}, ctx,
                                                    run.variables, nullptr);
                add_event_text(run, names_of(s.type).exited, "stateExitedEventDetails",
                               state_details(run, s.name, "output", output));
                return finish_run(run, std::move(output), std::nullopt);
            }
            case State::Type::Fail: {
                // Fail has no InputPath, yet AWS's TestState shows its input as afterInputPath
                // (LocalStack's AWS-validated recording test_base_inspection_level_debug[BASE_FAIL_STATE]).
                inspect("afterInputPath", run.input);
                auto ctx = context(run);
                EvalScope scope = ctx.scope(run.input, run.variables);
                std::string error = s.error.value_or(""), cause = s.cause.value_or("");
                if (s.error_path) {
                    auto v = s.error_path->evaluate(scope);
                    error = v.is_string() ? v.get<std::string>() : protocol::dump_json(v);
                }
                if (s.cause_path) {
                    auto v = s.cause_path->evaluate(scope);
                    cause = v.is_string() ? v.get<std::string>() : protocol::dump_json(v);
                }
                if (s.error_expression || s.cause_expression) {
                    JsonataScope expressions{run.input, ctx, run.variables};
                    auto text = [&](const JsonataField& field) {
                        Json v = field.evaluate(expressions);
                        return v.is_string() ? v.get<std::string>() : protocol::dump_json(v);
                    };
                    if (s.error_expression) error = text(*s.error_expression);
                    if (s.cause_expression) cause = text(*s.cause_expression);
                }
                // A Fail state ends the run without Retry or Catch.
                return finish_run(run, std::nullopt, StatesError(error, cause));
            }
            case State::Type::Task:
                return act_task(run);
            case State::Type::Parallel:
                return act_parallel(run);
            case State::Type::Map:
                return act_map(run);
        }
    } catch (const nlohmann::json::exception& e) {
        // User data of an unexpected shape that a step did not check: the state fails, the
        // daemon does not.
        return fail_state(run, StatesError(errors::kRuntime, state_error_cause(run, e.what())));
    } catch (const StatesError& e) {
        // Data-flow failures name the state and the event it entered at, as AWS does.
        if (e.error == errors::kRuntime || e.error == errors::kResultPathMatchFailure ||
            e.error == errors::kQueryEvaluationError || e.error == errors::kIntrinsicFailure ||
            e.error == errors::kParameterPathFailure)
            return fail_state(run, StatesError(e.error, state_error_cause(run, e.cause)));
        return fail_state(run, e);
    }
}

void Interpreter::Impl::act_wait(Run& run) {
    const State& s = *run.state;
    auto ctx = context(run);
    run.effective = language_of(s).state_input(s, run.input, ctx, run.variables);
    inspect("afterInputPath", run.effective);
    EvalScope scope = ctx.scope(run.effective, run.variables);
    core::Millis delay{0};
    auto until = [&](const std::string& text) {
        auto t = parse_timestamp(text);
        if (!t) throw StatesError(errors::kRuntime, "Invalid timestamp: '" + text + "'");
        auto now = clock.now();
        return *t > now ? core::Millis(*t - now) : core::Millis(0);
    };
    if (s.wait_seconds) {
        delay = delay_of(*s.wait_seconds);
    } else if (s.wait_timestamp) {
        delay = until(*s.wait_timestamp);
    } else if (s.wait_seconds_path) {
        auto v = s.wait_seconds_path->select(scope);
        if (!v)
            throw StatesError(errors::kRuntime, "Invalid path '" + s.wait_seconds_path->text() +
                                                    "' : No results for path: " + s.wait_seconds_path->text());
        // AWS reads the value as a long first, then checks its sign: 1.5 and -1.5 "cannot be
        // parsed as a long value", -1 "references a negative value", each followed by
        // `<path> == <value>` (LocalStack's recordings test_base_wait_seconds_path[1.5|-1.5|-1]).
        if (v->is_number() && !v->is_number_integer())
            throw StatesError(errors::kRuntime, "The SecondsPath parameter cannot be parsed as a long value: " +
                                                    s.wait_seconds_path->text() + " == " + value_text(*v));
        if (!v->is_number())
            throw StatesError(errors::kRuntime,
                              "The SecondsPath parameter does not reference a valid non-negative integer value.");
        if (v->get<double>() < 0)
            throw StatesError(errors::kRuntime, "The SecondsPath parameter references a negative value: " +
                                                    s.wait_seconds_path->text() + " == " + value_text(*v));
        if (v->get<double>() > 2'147'483'647.0) throw StatesError(errors::kRuntime, "Wait state delay is too long.");
        delay = delay_of(v->get<double>());
    } else if (s.wait_timestamp_path) {
        auto v = s.wait_timestamp_path->select(scope);
        if (!v)
            throw StatesError(errors::kRuntime, "Invalid path '" + s.wait_timestamp_path->text() +
                                                    "' : No results for path: " + s.wait_timestamp_path->text());
        if (!v->is_string() || !parse_timestamp(v->get<std::string>()))
            // The path and the value follow (LocalStack's recordings test_wait_timestamp_path[NO_T|...]).
            throw StatesError(errors::kRuntime,
                              "The TimestampPath parameter does not reference a valid ISO-8601 extended offset "
                              "date-time format string: " +
                                  s.wait_timestamp_path->text() + " == " + value_text(*v));
        delay = until(v->get<std::string>());
    }
    const auto attempt = run.attempt;
    // AWS refuses a wait past 2^31-1 seconds (about 68 years) when the Wait starts.
    if (delay > core::Millis(2'147'483'647LL * 1000))
        throw StatesError(errors::kRuntime, "Wait state delay is too long.");
    // The delay goes through the clock's time scale in after(); an absolute Timestamp is
    // turned into a delay first so it shrinks the same way.
    run.timer = after(delay, [this, weak = run.weak_from_this(), attempt] {
        auto r = weak.lock();
        if (!r || r->done || r->attempt != attempt || !r->exec->running()) return;
        r->timer.reset();
        try {
            auto ctx = context(*r);
            const QueryLanguage& language = language_of(*r->state);
            r->assigned = language.assign(*r->state, AssignSite{}, r->input, r->effective, ctx, r->variables);
            Json output = language.state_output(*r->state, r->effective, r->effective, ResultPathField{}, ctx,
                                                r->variables, nullptr);
            exit_state(*r, std::move(output), r->state->next);
        } catch (const StatesError& e) {
            fail_state(*r, StatesError(e.error, state_error_cause(*r, e.cause)));
        }
        drive(r);
    });
}

void Interpreter::Impl::succeed_state(Run& run, Json result) {
    const State& s = *run.state;
    const QueryLanguage& language = language_of(s);
    auto ctx = context(run);
    result = language.select_result(s, std::move(result), ctx, run.variables);
    inspect("afterResultSelector", result);
    run.assigned = language.assign(s, AssignSite{}, run.input, result, ctx, run.variables);
    Json output = language.state_output(s, run.input, std::move(result), s.result_path, ctx, run.variables, nullptr);
    inspect("afterResultPath", output);
    check_size(run, output);
    exit_state(run, std::move(output), s.next);
}

void Interpreter::Impl::work_done(Run& run, Json result, bool sized) {
    // TestState shows a task's raw result; a Parallel's branches' results show as afterResultSelector
    // only (LocalStack test_base_parallel_state_mock_success[DEBUG], validated on AWS).
    if (run.state->type == StateType::Task) inspect("result", result);
    try {
        if (sized) check_size(run, result);
        succeed_state(run, std::move(result));
    } catch (const StatesError& e) {
        fail_state(run,
                   e.error == errors::kDataLimitExceeded ? e : StatesError(e.error, state_error_cause(run, e.cause)));
    }
}

void Interpreter::Impl::exit_state(Run& run, Json output, const std::string& next) {
    const State& s = *run.state;
    // Only a state that builds data (Parameters, Result, ResultSelector, ResultPath) can nest
    // it deeper than its input; a machine looping through one could otherwise grow a document
    // too deep to serialize.
    const bool builds = s.parameters || s.result || s.result_selector || s.result_path.path ||
                        s.type == State::Type::Task || s.type == State::Type::Map || s.type == State::Type::Parallel;
    if (builds && protocol::json_deeper_than(output))
        throw StatesError(errors::kRuntime, "The state output is nested deeper than " +
                                                std::to_string(protocol::kMaxJsonDepth) + " levels.");
    if (probe) {
        // TestState runs one state: what it is left with and for where, and no further.
        probe->ended = true;
        probe->output = std::move(output);
        probe->next = next;
        return;
    }
    add_event_text(run, names_of(s.type).exited, "stateExitedEventDetails",
                   state_details(run, s.name, "output", output, run.assigned));
    ++run.attempt;
    run.token.clear();  // $$.Task.Token belongs to the Task that just ended
    // `next` is empty for an End state; a Catch gives its own Next even there.
    if (next.empty()) return finish_run(run, std::move(output), std::nullopt);
    run.state = run.block->find(next);
    run.input = std::move(output);
    run.ready = true;
}

std::optional<std::size_t> Interpreter::Impl::retrier_for(const Run& run, const StatesError& error) const {
    if (error.error == errors::kRuntime) return std::nullopt;  // States.Runtime is never retried
    const State& s = *run.state;
    for (std::size_t i = 0; i < s.retry.size(); ++i) {
        if (!matches(s.retry[i].error_equals, error.error)) continue;
        // The first matching retrier decides.
        if (run.retries[i] >= s.retry[i].max_attempts) return std::nullopt;
        return i;
    }
    return std::nullopt;
}

void Interpreter::Impl::fail_state(Run& run, const StatesError& error) {
    const State& s = *run.state;
    ++run.attempt;
    if (error.error == errors::kQueryEvaluationError) {
        // AWS writes the failed expression's field before the failure itself (LocalStack's
        // recording test_undefined_reference[BASE_UNDEFINED_OUTPUT]); the field is the one the
        // cause names ("... specified for the field 'Output/result' ...").
        constexpr std::string_view kField = "specified for the field '";
        std::string location;
        if (auto at = error.cause.find(kField); at != std::string::npos) {
            auto start = at + kField.size();
            location = error.cause.substr(start, error.cause.find('\'', start) - start);
        }
        // It points where the state's Entered event points, not at it (the same recordings).
        const auto& history = run.exec->history;
        for (auto it = history.rbegin(); it != history.rend(); ++it) {
            if (it->id != run.entered_event) continue;
            run.prev_event = it->previous_id;
            break;
        }
        add_event(run, "EvaluationFailed", "evaluationFailedEventDetails",
                  Json{{"cause", error.cause}, {"error", error.error}, {"location", location}, {"state", s.name}});
    }
    if (!run.token.empty()) {
        // A task that failed before its call went out (a bad path in Parameters) still had a token.
        activities.withdraw(run.token);
        close_token(run.token);
        run.token.clear();
    }
    if (auto i = retrier_for(run, error)) {
        if (probe) {
            // TestState stops where an execution would wait to run the state again.
            probe->ended = probe->retriable = true;
            probe->error = error;
            return;
        }
        const Retrier& r = s.retry[*i];
        double delay = r.interval_seconds * std::pow(r.backoff_rate, run.retries[*i]);
        if (r.max_delay_seconds) delay = std::min(delay, *r.max_delay_seconds);
        if (r.jitter_full) {
            static thread_local std::mt19937_64 rng{std::random_device{}()};
            delay = std::uniform_real_distribution<double>(0, delay)(rng);
        }
        ++run.retries[*i];
        ++run.retry_count;
        const auto attempt = run.attempt;
        run.timer = after(delay_of(delay), [this, weak = run.weak_from_this(), attempt] {
            auto r = weak.lock();
            if (!r || r->done || r->attempt != attempt || !r->exec->running()) return;
            r->timer.reset();
            act(*r);
            drive(r);
        });
        return;
    }
    if (error.error != errors::kRuntime) {
        for (const Catcher& c : s.catch_) {
            if (!matches(c.error_equals, error.error)) continue;
            if (probe) {
                probe->caught = true;
                probe->error = error;
            }
            Json error_output = error.to_json<Json>();
            try {
                const QueryLanguage& language = language_of(s);
                auto ctx = context(run);
                run.assigned =
                    language.assign(s, AssignSite{&c, std::nullopt}, run.input, error_output, ctx, run.variables);
                Json output = language.state_output(s, run.input, error_output, c.result_path, ctx, run.variables, &c);
                exit_state(run, std::move(output), c.next);
            } catch (const StatesError& e) {
                finish_run(run, std::nullopt, StatesError(e.error, state_error_cause(run, e.cause)));
            }
            return;
        }
    }
    run.failed_state = run.state;
    run.failed_input = run.input;
    finish_run(run, std::nullopt, error);
}

void Interpreter::Impl::finish_run(Run& run, std::optional<Json> output, std::optional<StatesError> error) {
    if (run.done) return;
    run.done = true;
    run.ready = false;
    if (error && !run.failed_state) {
        run.failed_state = run.state;
        run.failed_input = run.input;
    }
    if (run.on_finish) return run.on_finish(run, std::move(output), std::move(error));
    end_execution(*run.exec, error ? "FAILED" : "SUCCEEDED", std::move(output), std::move(error));
}

void Interpreter::Impl::cancel(Run& run) {
    ++run.attempt;
    if (run.timer) scheduler.cancel(*run.timer);
    if (run.timeout) scheduler.cancel(*run.timeout);
    if (run.heartbeat) scheduler.cancel(*run.heartbeat);
    run.timer.reset();
    run.timeout.reset();
    run.heartbeat.reset();
    if (run.cancel_task) {
        auto c = std::move(run.cancel_task);
        run.cancel_task = nullptr;
        c();
    }
    if (!run.token.empty()) {
        activities.withdraw(run.token);
        close_token(run.token);
    }
    if (run.fanout) {
        for (auto& child : run.fanout->children)
            if (child && !child->done) {
                child->done = true;
                cancel(*child);
            }
    }
}

void Interpreter::Impl::end_execution(Execution& exec, const std::string& status, std::optional<Json> output,
                                      std::optional<StatesError> error) {
    if (!exec.running()) return;
    exec.status = status;
    exec.stop_date = clock.now();
    if (exec.timeout_timer) scheduler.cancel(*exec.timeout_timer);
    if (exec.root && !exec.root->done) {
        // Stopped or timed out mid-state: a redrive starts again from that state.
        exec.root->failed_state = exec.root->state;
        exec.root->failed_input = exec.root->input;
        exec.root->done = true;
        cancel(*exec.root);
    } else if (exec.root) {
        cancel(*exec.root);
    }
    if (status == "SUCCEEDED") {
        exec.output_text = output ? protocol::dump_json(*output) : "null";
        add_execution_event(exec, "ExecutionSucceeded", "executionSucceededEventDetails",
                            keeps_details(exec)
                                ? Json{{"output", *exec.output_text}, {"outputDetails", {{"truncated", false}}}}
                                : Json());
    } else {
        Json details = Json::object();
        if (error) {
            // DescribeExecution of a TIMED_OUT execution has neither error nor cause (recording
            // test_timeouts test_global_timeout); its ExecutionTimedOut event keeps States.Timeout
            // (not recorded: the model's ExecutionTimedOutEventDetails has both members).
            if (status != "TIMED_OUT") {
                if (!error->error.empty()) exec.error = error->error;
                if (!error->cause.empty()) exec.cause = error->cause;
            }
            details = error->to_json<Json>("error", "cause");
        }
        if (status == "FAILED")
            add_execution_event(exec, "ExecutionFailed", "executionFailedEventDetails", details);
        else if (status == "TIMED_OUT")
            add_execution_event(exec, "ExecutionTimedOut", "executionTimedOutEventDetails", details);
        else {
            add_execution_event(exec, "ExecutionAborted", "executionAbortedEventDetails", details);
            exec.history.back().previous_id = 0;  // as AWS writes it
        }
    }
    spdlog::info("sfn: execution {} {}", exec.arn, status);
    if (exec.root) {
        // What RedriveExecution starts again from; then the run (which points back at the
        // execution) is let go.
        exec.redrive_state = exec.root->failed_state;
        exec.redrive_input = exec.root->failed_input;
        exec.redrive_variables = exec.root->variables;
        exec.root.reset();
    }
    auto callbacks = std::move(exec.on_stop);
    exec.on_stop.clear();
    // Watchers answer clients or other executions: they run outside this turn.
    for (auto& cb : callbacks) post_locked([cb = std::move(cb), self = exec.shared_from_this()] { cb(*self); });
    if (execution_ended) execution_ended(exec);
}

// ---- the public face

void Interpreter::start(const std::shared_ptr<Execution>& exec) {
    auto& impl = *impl_;
    Json started;
    if (Impl::keeps_details(*exec)) {
        started = {{"input", exec->input_text},
                   {"inputDetails", {{"truncated", false}}},
                   {"roleArn", exec->machine->role_arn}};
        if (!exec->alias_arn.empty()) started["stateMachineAliasArn"] = exec->alias_arn;
        if (!exec->version_arn.empty()) started["stateMachineVersionArn"] = exec->version_arn;
    }
    impl.add_execution_event(*exec, "ExecutionStarted", "executionStartedEventDetails", std::move(started));
    auto run = std::make_shared<Run>();
    run->exec = exec;
    run->block = exec->machine->definition->root.get();
    run->state = run->block->find(run->block->start_at);
    run->input = exec->input;
    run->prev_event = 0;  // AWS: the first state's Entered event points at 0, like ExecutionStarted
    run->ready = true;
    exec->root = run;
    if (auto t = exec->machine->definition->timeout_seconds) {
        std::weak_ptr<Execution> weak = exec;
        exec->timeout_timer = impl.after(core::Millis(static_cast<long long>(*t * 1000)), [&impl, weak] {
            auto e = weak.lock();
            if (!e || !e->running()) return;
            e->timeout_timer.reset();
            impl.end_execution(*e, "TIMED_OUT", std::nullopt,
                               StatesError(errors::kTimeout, "The execution timed out."));
        });
    }
    if (exec->express() && !exec->timeout_timer) {
        // Express workflows run at most five minutes.
        std::weak_ptr<Execution> weak = exec;
        exec->timeout_timer = impl.after(core::Millis(300'000), [&impl, weak] {
            auto e = weak.lock();
            if (!e || !e->running()) return;
            e->timeout_timer.reset();
            impl.end_execution(*e, "TIMED_OUT", std::nullopt,
                               StatesError(errors::kTimeout, "The execution timed out."));
        });
    }
    impl.post_locked([&impl, run] { impl.drive(run); });
}

void Interpreter::abort(Execution& exec, const std::optional<std::string>& error,
                        const std::optional<std::string>& cause) {
    std::optional<StatesError> e;
    if (error || cause) e = StatesError(error.value_or(""), cause.value_or(""));
    impl_->end_execution(exec, "ABORTED", std::nullopt, e);
}

void Interpreter::redrive(const std::shared_ptr<Execution>& exec) {
    auto& impl = *impl_;
    // Sluice redrives from the top-level state that failed, with the input it had then (AWS
    // also re-runs only the failed iterations inside a Map; Sluice re-runs the whole state).
    const State* from = exec->redrive_state;
    exec->status = "RUNNING";
    exec->stop_date.reset();
    exec->error.reset();
    exec->cause.reset();
    exec->output_text.reset();
    ++exec->redrive_count;
    exec->redrive_date = impl.clock.now();
    exec->context = nullptr;  // rebuilt with the new RedriveCount when a state reads it
    impl.add_execution_event(*exec, "ExecutionRedriven", "executionRedrivenEventDetails",
                             {{"redriveCount", exec->redrive_count}});
    auto run = std::make_shared<Run>();
    run->exec = exec;
    run->block = exec->machine->definition->root.get();
    run->state = from ? from : run->block->find(run->block->start_at);
    run->input = from ? exec->redrive_input : exec->input;
    run->variables = exec->redrive_variables.is_object() ? exec->redrive_variables : Json::object();
    run->prev_event = exec->history.back().id;
    run->ready = true;
    exec->root = run;
    impl.post_locked([&impl, run] { impl.drive(run); });
}

void Interpreter::release(Execution& exec) {
    if (exec.root) {
        exec.root->done = true;
        impl_->cancel(*exec.root);
        exec.root.reset();
    }
    exec.on_stop.clear();
}

void Interpreter::set_max_history_events(long n) {
    impl_->max_history_events = n;
}

void Interpreter::on_execution_end(std::function<void(Execution&)> hook) {
    impl_->execution_ended = std::move(hook);
}

void Interpreter::shutdown() {
    impl_->stopping = true;
    impl_->scheduler.cancel_all();
}

}  // namespace sluice::sfn
