#include "mocked_tasks.hpp"

#include "sluice/sfn/errors.hpp"
#include "sluice/sfn/execution.hpp"

namespace sluice::sfn {

std::function<void()> MockedTasks::start(const TaskInvocation& task, TaskCallbacks callbacks) {
    Execution* exec = task.execution;
    if (!config_ || !exec || exec->mock_test_case.empty()) return real_.start(task, std::move(callbacks));
    // Every call of the state in this execution counts: Retry attempts, loops back to it, and
    // the iterations of a Map or branches of a Parallel it sits in (AWS's guide counts
    // "invocations of the state" per execution).
    const std::size_t invocation = exec->mock_invocations[task.state_name]++;
    const MockedAnswer* answer =
        config_->answer(exec->machine->name, exec->mock_test_case, task.state_name, invocation);
    if (!answer) return real_.start(task, std::move(callbacks));
    // A mocked `.sync` or `.waitForTaskToken` is submitted like the real one, then answers at
    // once with the mock as the final result, without waiting for a job or a token.
    const bool submits = task.resource.pattern != TaskResource::Pattern::RequestResponse &&
                         task.resource.kind == TaskResource::Kind::Integration;
    const bool by_token = task.resource.pattern == TaskResource::Pattern::WaitForTaskToken && !task.task_token.empty();
    // Answered at once, from within start(): the interpreter settles the answer in the same turn.
    if (submits) callbacks.submitted(Json::object());
    // A mocked timeout is a timeout: TaskTimedOut, as the real one writes it (AWS's guide: a mocked
    // States.Timeout / States.HeartbeatTimeout "behaves like" the real one).
    if (answer->throws() && (answer->error == errors::kTimeout || answer->error == errors::kHeartbeatTimeout)) {
        callbacks.timed_out(answer->error, answer->cause);
    } else if (answer->throws()) {
        callbacks.failed(answer->error, answer->cause);
    } else if (!by_token) {
        callbacks.succeeded(*answer->result);
    } else {
        // The token completes a `.waitForTaskToken` task once it is waiting for it, after its TaskSubmitted.
        scheduler_.post([this, token = task.task_token, result = *answer->result] {
            if (complete_token_) complete_token_(token, result);
        });
    }
    return {};
}

}  // namespace sluice::sfn
