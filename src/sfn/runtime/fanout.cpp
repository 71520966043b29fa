// Parallel and Map (inline): child runs per branch or item, MaxConcurrency, tolerated
// failures, and the events AWS writes around them.
#include "run.hpp"

namespace sluice::sfn {

namespace {

// "In this mode, the Map state supports up to 40 concurrent iterations." (AWS Step Functions
// developer guide, "Using Map state in Inline mode").
constexpr std::size_t kInlineMapConcurrency = 40;

std::optional<double> number_at(const std::optional<DataPath>& path, const EvalScope& scope, const char* field,
                                bool integer = false) {
    if (!path) return std::nullopt;
    auto v = path->select(scope);
    // An integer field holding something else: AWS names the value (LocalStack's recordings
    // test_max_concurrency_path[NoNumber] and [max_concurrency_value0], for {}).
    if (integer && v && !v->is_number_integer())
        throw StatesError(errors::kRuntime, std::string("The ") + field + " field refers to value \"" + value_text(*v) +
                                                "\" which is not a valid integer: " + path->text());
    if (!v || !v->is_number() || v->get<double>() < 0)
        throw StatesError(errors::kRuntime, std::string("The ") + field +
                                                " field does not reference a valid non-negative number: '" +
                                                path->text() + "'");
    return v->get<double>();
}

}  // namespace

void Interpreter::Impl::act_parallel(Run& run) {
    const State& s = *run.state;
    auto ctx = context(run);
    const QueryLanguage& language = language_of(s);
    run.effective = language.state_input(s, run.input, ctx, run.variables);
    // AWS's TestState shows a Parallel's input and what its branches returned, not the steps in
    // between (LocalStack test_test_state_mock_scenarios.py test_io_parallel_state_mock_success[DEBUG],
    // validated on AWS: no afterInputPath, no afterParameters).
    Json branch_input = language.arguments(s, run.effective, ctx, run.variables);
    add_event(run, "ParallelStateStarted");
    auto fanout = std::make_shared<Fanout>();
    fanout->last_event = fanout->start_after = run.prev_event;
    fanout->state = &s;
    fanout->results.resize(s.branches.size());
    fanout->inputs.assign(s.branches.size(), branch_input);
    if (probe) return;  // TestState: its mock stands for the branches (state_test.cpp)
    run.fanout = fanout;
    start_children(run);
}

void Interpreter::Impl::act_map(Run& run) {
    const State& s = *run.state;
    auto ctx = context(run);
    const QueryLanguage& language = language_of(s);
    run.effective = language.state_input(s, run.input, ctx, run.variables);
    inspect("afterInputPath", run.effective);
    EvalScope scope = ctx.scope(run.effective, run.variables);
    Json items;
    if (s.items) {
        items = *s.items;
    } else if (s.items_path) {
        auto v = s.items_path->select(scope);
        if (!v)
            throw StatesError(errors::kRuntime, "Invalid path '" + s.items_path->text() +
                                                    "' : No results for path: " + s.items_path->text());
        items = std::move(*v);
    } else {
        items = run.effective;
    }
    if (!items.is_array())
        throw StatesError(errors::kRuntime, "Item path " + (s.items_path ? s.items_path->text() : std::string("$")) +
                                                " resolved to a value of type " + std::string(items.type_name()) +
                                                ", but an array was expected.");
    inspect("afterItemsPath", items);
    auto fanout = std::make_shared<Fanout>();
    fanout->state = &s;
    // An inline Map runs at most 40 iterations at a time on AWS, whatever MaxConcurrency asks
    // (0 included); the rest start as earlier ones finish.
    const auto asked = static_cast<std::size_t>(
        number_at(s.max_concurrency_path, scope, "MaxConcurrencyPath", /*integer=*/true).value_or(s.max_concurrency));
    fanout->limit = asked == 0 ? kInlineMapConcurrency : std::min(asked, kInlineMapConcurrency);
    fanout->tolerated_percentage = s.tolerated_failure_percentage;
    if (auto p = number_at(s.tolerated_failure_percentage_path, scope, "ToleratedFailurePercentagePath"))
        fanout->tolerated_percentage = *p;
    fanout->tolerated_count = s.tolerated_failure_count;
    if (auto c = number_at(s.tolerated_failure_count_path, scope, "ToleratedFailureCountPath"))
        fanout->tolerated_count = static_cast<long long>(*c);
    // Each item's input: the item itself, or ItemSelector evaluated with $$.Map.Item.
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (s.parameters) {
            ContextObject item_ctx{ctx.state, ctx.execution};
            item_ctx.state["Map"] = {{"Item", {{"Index", i}, {"Value", items[i]}}}};
            fanout->inputs.push_back(language.arguments(s, run.effective, item_ctx, run.variables));
        } else {
            fanout->inputs.push_back(std::move(items[i]));
        }
    }
    if (s.parameters && probe) inspect("afterItemSelector", Json(fanout->inputs));
    fanout->results.resize(fanout->inputs.size());
    add_event(run, "MapStateStarted", "mapStateStartedEventDetails", {{"length", fanout->inputs.size()}});
    fanout->last_event = fanout->start_after = run.prev_event;
    run.fanout = fanout;
    if (fanout->inputs.empty()) {
        add_event(run, "MapStateSucceeded", nullptr, nullptr, /*chain=*/false);
        run.fanout.reset();
        return succeed_state(run, Json::array());
    }
    if (probe) return;  // TestState: its mock stands for the iterations (state_test.cpp)
    start_children(run);
}

void Interpreter::Impl::start_children(Run& parent) {
    auto& f = *parent.fanout;
    const State& s = *f.state;
    const bool map = s.type == State::Type::Map;
    const std::size_t total = f.inputs.size();
    f.children.resize(total);
    while (f.started < total && (f.limit == 0 || f.started - f.finished < f.limit)) {
        const std::size_t i = f.started++;
        auto child = std::make_shared<Run>();
        child->exec = parent.exec;
        child->block = map ? s.iterator.get() : s.branches[i].get();
        child->state = child->block->find(child->block->start_at);
        child->input = std::move(f.inputs[i]);
        child->variables = parent.variables;
        child->prev_event = f.start_after;
        child->ready = true;
        if (map) {
            child->map_item = Json{{"Index", i}, {"Value", child->input}};
            add_event_text(*child, "MapIterationStarted", "mapIterationStartedEventDetails",
                           map_iteration_details(s.name, i));
        }
        child->on_finish = [this, weak = parent.weak_from_this(), i](Run&, std::optional<Json> output,
                                                                     std::optional<StatesError> error) {
            if (auto p = weak.lock()) child_finished(*p, i, std::move(output), std::move(error));
        };
        f.children[i] = child;
        post_locked([this, child] { drive(child); });
    }
}

void Interpreter::Impl::child_finished(Run& parent, std::size_t index, std::optional<Json> output,
                                       std::optional<StatesError> error) {
    if (!parent.fanout || parent.fanout->over || parent.done) return;
    auto& f = *parent.fanout;
    const State& s = *f.state;
    const bool map = s.type == State::Type::Map;
    auto child = f.children[index];
    ++f.finished;
    f.start_after = child->prev_event;
    // AWS chains MapIterationSucceeded but not MapIterationFailed (its recordings).
    if (map)
        add_event_text(*child, error ? "MapIterationFailed" : "MapIterationSucceeded",
                       error ? "mapIterationFailedEventDetails" : "mapIterationSucceededEventDetails",
                       map_iteration_details(s.name, index),
                       /*chain=*/!error);
    f.last_event = child->prev_event;
    f.children[index].reset();
    if (error) {
        ++f.failed;
        bool tolerated = false;
        if (map && (f.tolerated_count || f.tolerated_percentage)) {
            const double total = static_cast<double>(f.inputs.size());
            // Exceeding either threshold that is set fails the Map.
            tolerated =
                (!f.tolerated_count || static_cast<long long>(f.failed) <= *f.tolerated_count) &&
                (!f.tolerated_percentage || 100.0 * static_cast<double>(f.failed) / total <= *f.tolerated_percentage);
            if (!tolerated)
                error = StatesError(errors::kExceedToleratedFailureThreshold,
                                    "The specified tolerated failure threshold was exceeded");
        }
        if (!tolerated) {
            f.over = true;
            // What AWS writes when a child's failure ends the state (its recordings): the Task
            // whose failure it was is aborted, and so is every other running iteration and the
            // Task it is in. All of these point at the failing event (written through the failed
            // child, whose chain stopped there) and none advances the chain.
            auto abort_task = [&](const Run& r) {
                if (r.state && r.state->type == State::Type::Task && r.entered_event != 0)
                    add_event_text(*child, "TaskStateAborted", nullptr, {}, /*chain=*/false);
            };
            abort_task(*child);
            for (std::size_t i = 0; i < f.children.size(); ++i) {
                auto& other = f.children[i];
                if (!other || other->done) continue;
                if (map)
                    add_event_text(*child, "MapIterationAborted", "mapIterationAbortedEventDetails",
                                   map_iteration_details(s.name, i), /*chain=*/false);
                abort_task(*other);
                other->done = true;
                cancel(*other);
            }
            parent.prev_event = f.last_event;
            // A state that is retried writes no ...StateFailed between its attempts (recorded for Parallel).
            if (!retrier_for(parent, *error)) add_event(parent, map ? "MapStateFailed" : "ParallelStateFailed");
            parent.fanout.reset();
            // States.Runtime inside a branch still ends the whole execution.
            fail_state(parent, *error);
            if (auto p = parent.shared_from_this(); p->ready) drive(p);
            return;
        }
        f.results[index] = error->to_json<Json>();
    } else {
        f.results[index] = std::move(*output);
    }
    if (f.finished == f.inputs.size()) {
        parent.prev_event = f.last_event;
        add_event(parent, map ? "MapStateSucceeded" : "ParallelStateSucceeded", nullptr, nullptr, /*chain=*/false);
        Json results = Json::array();
        for (auto& r : f.results) results.push_back(std::move(r));
        parent.fanout.reset();
        work_done(parent, std::move(results), /*sized=*/false);
        drive(parent.shared_from_this());
        return;
    }
    start_children(parent);
}

}  // namespace sluice::sfn
