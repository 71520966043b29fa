// TestState's engine: an interpreter of its own (its own lock, a manual clock and scheduler, a
// task runner that calls nothing) runs one state of a throw-away execution; a StateProbe stops
// the interpreter where the state ends and records what it did.
#include "sluice/sfn/state_test.hpp"

#include "run.hpp"

namespace sluice::sfn {

namespace {

// Tasks are not called: the run waits, and run_state_test answers it with the mock.
class NoCalls final : public TaskRunner, public ActivityQueue {
public:
    std::function<void()> start(const TaskInvocation&, TaskCallbacks) override {
        return [] {};
    }
    void schedule(const std::string&, const std::string&, const std::string&) override {}
    void withdraw(const std::string&) override {}
};

const State* find_in(const StateBlock& block, std::string_view name) {
    if (const State* s = block.find(name)) return s;
    for (const auto& s : block.states) {
        for (const auto& branch : s->branches)
            if (const State* found = find_in(*branch, name)) return found;
        if (s->iterator)
            if (const State* found = find_in(*s->iterator, name)) return found;
    }
    return nullptr;
}

std::shared_ptr<Execution> test_execution(const StateTest& test, core::TimePoint now) {
    auto machine = std::make_shared<MachineRevision>();
    machine->arn = "arn:aws:states:" + test.scope.region + ":" + test.scope.account + ":stateMachine:TestStateMachine";
    machine->name = "TestStateMachine";
    // Express: its events are counted, not written out; nobody reads this history.
    machine->type = "EXPRESS";
    machine->definition = test.definition;
    machine->role_arn = test.role_arn;
    machine->created = now;
    auto exec = std::make_shared<Execution>();
    exec->arn = "arn:aws:states:" + test.scope.region + ":" + test.scope.account + ":execution:TestStateMachine:test";
    exec->name = "test";
    exec->scope = test.scope;
    exec->machine = std::move(machine);
    exec->input = test.input;
    exec->start_date = now;
    // A given context object is the whole of $$ (LocalStack test_state_context_object_edge_cases, validated
    // on AWS: `{}` reads as `{}`, and `{"Execution": {}, "State": {}, "StateMachine": {}}` as itself).
    if (test.context) {
        exec->context = Json::object();
        for (const char* member : {"Execution", "StateMachine"})
            if (test.context->contains(member)) exec->context[member] = (*test.context)[member];
    }
    return exec;
}

}  // namespace

const State* find_state(const Definition& definition, std::string_view name) {
    return definition.root ? find_in(*definition.root, name) : nullptr;
}

StateTestResult run_state_test(const StateTest& test, core::TimePoint now) {
    core::ManualClock clock(now);
    core::ManualScheduler scheduler(clock);
    core::ServiceLock lock;
    NoCalls no_calls;
    Interpreter::Impl impl(lock, scheduler, clock, no_calls, no_calls);
    StateProbe probe;
    impl.probe = &probe;

    auto exec = test_execution(test, now);
    auto run = std::make_shared<Run>();
    run->exec = exec;
    run->state = test.state;
    run->input = test.input;
    run->variables = test.variables;
    run->given_context = test.context;
    // Succeed, Fail and errors nothing catches finish the run; the probe hears of the rest.
    run->on_finish = [&probe](Run&, std::optional<Json> output, std::optional<StatesError> error) {
        probe.ended = true;
        probe.output = std::move(output);
        if (error) probe.error = std::move(error);
    };
    exec->root = run;

    lock.run([&] {
        // Event ids as in an execution that starts at this state: error causes name the one the
        // state was entered at (#2).
        impl.add_execution_event(*exec, "ExecutionStarted", "executionStartedEventDetails", nullptr);
        impl.enter(*run);
        // A state still running after its entry waits for its work: the mock answers for it,
        // through the path an integration's answer or a child run's end takes.
        const auto type = test.state->type;
        if (!probe.ended && (type == StateType::Task || type == StateType::Map || type == StateType::Parallel) &&
            (test.mock_result || test.mock_error)) {
            run->retries.assign(run->retries.size(), test.retrier_retry_count);
            run->retry_count = test.retrier_retry_count;
            if (type == StateType::Task)
                impl.task_report(run, run->attempt, test.mock_result, test.mock_error, false);
            else if (test.mock_error)
                impl.fail_state(*run, *test.mock_error);
            else
                impl.work_done(*run, *test.mock_result, /*sized=*/false);
        }
    });
    // What is left is the state's own wait (a Wait state, a task's timeout already cancelled):
    // the manual clock passes it at once.
    scheduler.run_all();
    impl.cancel(*run);
    exec->root.reset();

    StateTestResult out;
    out.inspection = std::move(probe.steps);
    out.inspection["input"] = test.input;
    out.variables = run->variables;
    out.error = probe.error;
    if (probe.retriable) {
        out.status = StateTestResult::Status::Retriable;
    } else if (probe.caught && probe.output) {
        out.status = StateTestResult::Status::CaughtError;
        out.output = std::move(probe.output);
        out.next_state = probe.next;
    } else if (probe.output) {
        out.status = StateTestResult::Status::Succeeded;
        out.output = std::move(probe.output);
        out.next_state = probe.next;
        out.error.reset();
    } else {
        out.status = StateTestResult::Status::Failed;
        if (!out.error) out.error = StatesError(errors::kRuntime, "The state did not finish.");
    }
    return out;
}

}  // namespace sluice::sfn
