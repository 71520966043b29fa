#pragma once
// The Amazon States Language interpreter: advances executions state by state, writes their
// history as AWS does, and waits (Wait states, retry back-off, tasks) on the Scheduler instead
// of a thread. It shares the service's lock: every public method expects the caller to hold
// it; callbacks from the scheduler and from integrations take it themselves.
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "sluice/core/clock.hpp"
#include "sluice/core/scheduler.hpp"
#include "sluice/core/service_lock.hpp"
#include "sluice/sfn/errors.hpp"
#include "sluice/sfn/execution.hpp"
#include "sluice/sfn/task_resource.hpp"

namespace sluice::sfn {

using core::Scheduler;

// A Task state's call, as handed to whatever performs it.
struct TaskInvocation {
    TaskResource resource;
    Json parameters;
    std::string task_token;  // for `.waitForTaskToken` and activities
    std::string execution_arn;
    std::string state_name;
    core::Scope scope;
    Execution* execution = nullptr;  // the execution the task runs in, while start() runs
};

// How a task reports back. Any thread, without the service's lock; after the first terminal
// report (succeeded or failed) the rest are ignored.
struct TaskCallbacks {
    std::function<void(Json)> submitted;                   // .sync / .waitForTaskToken: the call was accepted
    std::function<void(Json)> succeeded;                   // the task's result
    std::function<void(std::string, std::string)> failed;  // error, cause
    // The task ran out of time as a timeout does (TaskTimedOut, not TaskFailed): what a mocked
    // States.Timeout stands for. Error, cause.
    std::function<void(std::string, std::string)> timed_out;
};

// Performs Task states. Called with the service's lock held. It may answer from within start()
// (a mocked answer does: the interpreter settles it in the same turn); an answer that needs I/O
// or time comes later, from posted work, never by blocking. Returns how to cancel the task
// (timeout, StopExecution).
class TaskRunner {
public:
    virtual ~TaskRunner() = default;
    // The parameters a task is called with, as TaskScheduled shows them: what the state's
    // Parameters gave, plus what Step Functions itself adds for the integration.
    virtual Json parameters_for(const TaskResource& resource, Json parameters) const { return parameters; }
    virtual std::function<void()> start(const TaskInvocation& task, TaskCallbacks callbacks) = 0;
};

// Activities: the interpreter hands scheduled activity tasks over and hears when a worker took one.
class ActivityQueue {
public:
    virtual ~ActivityQueue() = default;
    virtual void schedule(const std::string& activity_arn, const std::string& token, const std::string& input) = 0;
    virtual void withdraw(const std::string& token) = 0;
};

class Interpreter {
public:
    Interpreter(core::ServiceLock& lock, Scheduler& scheduler, const core::Clock& clock, TaskRunner& tasks,
                ActivityQueue& activities);
    ~Interpreter();

    // Begins running `execution` (ExecutionStarted is written now; states run from the scheduler).
    void start(const std::shared_ptr<Execution>& execution);
    // StopExecution: aborts, cancels everything pending.
    void abort(Execution& execution, const std::optional<std::string>& error, const std::optional<std::string>& cause);
    // RedriveExecution: re-runs a FAILED/TIMED_OUT/ABORTED execution from the state that failed.
    void redrive(const std::shared_ptr<Execution>& execution);

    // Drops a (finished or abandoned) execution's runs, which point back at it.
    void release(Execution& execution);

    // Task tokens (SendTaskSuccess/Failure/Heartbeat). Each answers false when the token is
    // unknown or its task is already over (the API turns that into TaskTimedOut / TaskDoesNotExist).
    enum class TokenState { Unknown, Finished, Open };
    TokenState token_state(const std::string& token) const;
    bool token_success(const std::string& token, Json output);
    bool token_failure(const std::string& token, const std::string& error, const std::string& cause);
    bool token_heartbeat(const std::string& token);
    // A worker took an activity task (GetActivityTask): writes ActivityStarted.
    void activity_started(const std::string& token, const std::string& worker_name);

    // AWS fails an execution at 25,000 history events; that also bounds a machine that loops forever.
    void set_max_history_events(long n);
    // Called (under the lock) when an execution stops, after its own watchers.
    void on_execution_end(std::function<void(Execution&)> hook);

    // Stops every execution's pending work (daemon shutdown).
    void shutdown();

    // The largest state input/output AWS allows (States.DataLimitExceeded above it).
    static constexpr std::size_t kMaxPayloadBytes = 256 * 1024;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

// The context object's Execution member and a new execution's name/ARN helpers.
Json execution_context(const Execution& execution);

}  // namespace sluice::sfn
