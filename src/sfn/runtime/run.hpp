#pragma once
// Interpreter internals shared by its source files: a Run walks one block of states (the
// machine, a Parallel branch, one Map iteration); a Fanout is a Parallel or Map state waiting
// for its child runs.
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "sluice/protocol/json_text.hpp"
#include "sluice/sfn/interpreter.hpp"
#include "sluice/sfn/query_language.hpp"

namespace sluice::sfn {

struct Fanout;

struct Run : std::enable_shared_from_this<Run> {
    std::shared_ptr<Execution> exec;
    const StateBlock* block = nullptr;
    const State* state = nullptr;  // the current state
    Json input;                    // the current state's raw input
    Json effective;                // after InputPath, kept while the state waits
    Json variables = Json::object();
    Json assigned;                 // what the current state's Assign set (null: it has none)
    long long prev_event = 0;      // previousEventId of the next event this run writes
    long long entered_event = 0;   // the id of the current state's Entered event
    std::optional<Json> map_item;  // {"Index": i, "Value": v} inside a Map iteration
    // TestState's given context object: its State, Task, Map... members stand for the ones the run
    // would build (its Execution and StateMachine are the execution's context).
    std::optional<Json> given_context;
    TimePoint entered;
    std::vector<int> retries;   // attempts so far, per retrier of the current state
    int retry_count = 0;        // $$.State.RetryCount
    std::uint64_t attempt = 0;  // bumped whenever pending async work becomes stale
    std::optional<Scheduler::TimerId> timer, timeout, heartbeat;
    std::function<void()> cancel_task;
    std::string token;
    std::optional<TaskResource> resource;
    double heartbeat_seconds = 0;
    std::shared_ptr<Fanout> fanout;
    // Child runs report here; the root run's end ends the execution.
    std::function<void(Run&, std::optional<Json> output, std::optional<StatesError> error)> on_finish;
    bool ready = false;
    bool done = false;
    // Redrive: the state this run stopped in, to start again from.
    const State* failed_state = nullptr;
    Json failed_input;
};

struct Fanout {
    const State* state = nullptr;
    std::vector<std::shared_ptr<Run>> children;
    std::vector<Json> results;
    std::vector<Json> inputs;  // Map: each item's input (after ItemSelector)
    std::size_t started = 0, finished = 0, failed = 0;
    std::size_t limit = 0;  // MaxConcurrency, 0 = all at once
    // The newest event of the fanout's chain: the state's own closing events point at it.
    long long last_event = 0;
    // What a child started later points at: the last state event of the iteration that ended
    // before it, not that iteration's MapIterationSucceeded (AWS's recordings, e.g.
    // test_base_scenarios.snapshot.json test_map_state: event 10 MapIterationStarted has
    // previousEventId 8, the PassStateExited before 9 MapIterationSucceeded).
    long long start_after = 0;
    std::optional<double> tolerated_percentage;
    std::optional<long long> tolerated_count;
    bool over = false;
};

// TestState's record of the one state it runs through the interpreter (state_test.cpp).
// Executions have none; with one, the interpreter stops where the state ends: when it is left
// (output, next), when a retrier matches (an execution would wait and run it again), or when the
// run finishes (Succeed, Fail, an error nothing catches).
// What a task came to: its output, or its error (timed_out: as a timeout, TaskTimedOut).
struct TaskAnswer {
    std::optional<Json> output;
    std::optional<StatesError> error;
    bool timed_out = false;
};

struct StateProbe {
    Json steps = Json::object();  // the data flow: "afterInputPath", "afterParameters", "result", ...
    bool ended = false;
    std::optional<Json> output;
    std::string next;                  // empty: the state ends its run
    std::optional<StatesError> error;  // the error the state failed with, retried or caught
    bool retriable = false, caught = false;
};

struct TokenSlot {
    std::weak_ptr<Run> run;
    std::uint64_t attempt = 0;
};

struct Interpreter::Impl {
    Impl(core::ServiceLock& l, Scheduler& s, const core::Clock& c, TaskRunner& t, ActivityQueue& a)
        : lock(l), scheduler(s), clock(c), tasks(t), activities(a) {}

    core::ServiceLock& lock;
    Scheduler& scheduler;
    const core::Clock& clock;
    TaskRunner& tasks;
    ActivityQueue& activities;
    std::shared_ptr<int> alive = std::make_shared<int>(0);
    std::unordered_map<std::string, TokenSlot> tokens;
    // Tokens of tasks that are over, so a late SendTask* is TaskTimedOut rather than unknown
    // (the most recent ones; the oldest are forgotten first).
    std::unordered_set<std::string> closed_tokens;
    std::deque<std::string> closed_order;
    void close_token(const std::string& token);
    bool stopping = false;
    StateProbe* probe = nullptr;  // TestState's interpreter only
    // A step of a state's data flow, for TestState's inspection data.
    void inspect(const char* step, const Json& value) {
        if (probe) probe->steps[step] = value;
    }
    long max_history_events = 25'000;
    std::function<void(Execution&)> execution_ended;
    // The longest a single wait may last: far-future deadlines (a Wait until the year 2400, a
    // BackoffRate of 1e5) are clamped rather than overflowing the clock's arithmetic.
    static constexpr core::Millis kMaxDelay{366LL * 24 * 3600 * 1000};
    static core::Millis delay_of(double seconds);

    // Runs `fn` later, under the lock, unless the interpreter is gone.
    void post_locked(std::function<void()> fn);
    Scheduler::TimerId after(core::Millis delay, std::function<void()> fn);

    // History
    // `chain`: whether the run's next event points at this one (AWS leaves some out of the chain:
    // MapIterationSucceeded, MapStateSucceeded, ParallelStateSucceeded).
    long long add_event(Run& run, const char* type, const char* detail_key = nullptr, Json details = nullptr,
                        bool chain = true);
    // The same with the details already JSON text (event_details.cpp writes the frequent ones).
    long long add_event_text(Run& run, const char* type, const char* detail_key, std::string details,
                             bool chain = true);
    long long add_execution_event(Execution& exec, const char* type, const char* detail_key, Json details);
    // Writes one event; `details` is its detail member as JSON text (HistoryEvent says why).
    long long append_event(Execution& exec, long long previous_id, const char* type, const char* detail_key,
                           std::string details);
    // Whether the execution's events carry their details. An Express execution's history is never
    // read (AWS sends it to CloudWatch Logs; Describe and GetExecutionHistory refuse express ARNs),
    // so its events are only counted, for the ids that error causes name. append_event drops the
    // details; the frequent callers don't build them at all (writing the input and output of every
    // state as text was most of what a pipe's batch cost).
    static bool keeps_details(const Execution& exec) { return !exec.express(); }
    // state_event_details for the run's execution, or nothing when it keeps no details.
    static std::string state_details(const Run& run, const std::string& name, const char* data_key, const Json& value,
                                     const Json& assigned = nullptr);

    // The walk (interpreter.cpp)
    void drive(const std::shared_ptr<Run>& run);
    void enter(Run& run);
    void act(Run& run);  // the state's work; a retry does it again without a new Entered event
    ContextObject context(const Run& run) const;
    void succeed_state(Run& run, Json result);  // result -> output -> transition
    // The state's work (its task, its branches or iterations) returned `result`; `sized`: check
    // it against the payload limit first. What fails from here on fails the state.
    void work_done(Run& run, Json result, bool sized);
    void exit_state(Run& run, Json output, const std::string& next);
    void fail_state(Run& run, const StatesError& error);  // Retry, Catch or fail the run
    // The retrier that retries `error` in the run's current state, if one has attempts left.
    std::optional<std::size_t> retrier_for(const Run& run, const StatesError& error) const;
    void finish_run(Run& run, std::optional<Json> output, std::optional<StatesError> error);
    void end_execution(Execution& exec, const std::string& status, std::optional<Json> output,
                       std::optional<StatesError> error);
    void cancel(Run& run);
    void check_size(const Run& run, const Json& value) const;

    // States that wait (interpreter.cpp: Wait; task_state.cpp: Task; fanout.cpp: Parallel, Map)
    void act_wait(Run& run);
    void act_task(Run& run);
    void act_parallel(Run& run);
    void act_map(Run& run);
    void start_children(Run& parent);
    void child_finished(Run& parent, std::size_t index, std::optional<Json> output, std::optional<StatesError> error);
    void task_report(const std::shared_ptr<Run>& run, std::uint64_t attempt, std::optional<Json> output,
                     std::optional<StatesError> error, bool timed_out);
    // task_report without the walk on: for an answer given while the task starts (act_task).
    void settle_task(const std::shared_ptr<Run>& run, std::uint64_t attempt, std::optional<Json> output,
                     std::optional<StatesError> error, bool timed_out);
    void arm_heartbeat(Run& run, double seconds);
    void check_variables(const Run& run) const;
    std::string new_token(Run& run);
};

// A history event's data member as AWS writes it: the JSON as text, and "<key>Details".
inline Json with_data(Json details, const char* key, const Json& value) {
    details[key] = protocol::dump_json(value);
    details[std::string(key) + "Details"] = {{"truncated", false}};
    return details;
}

// Detail members as JSON text, for the events every execution writes most (event_details.cpp):
// {"name": <name>, "<data_key>": <value as JSON text>, "<data_key>Details": {"truncated": false}}
// With `assigned` (an Assign's name -> value) also "assignedVariables" (each value as JSON text)
// and "assignedVariablesDetails": {"truncated": false}, as AWS's exit events show them.
std::string state_event_details(const std::string& name, const char* data_key, const Json& value,
                                const Json& assigned = nullptr);
// {"name": <name>, "index": <index>}
std::string map_iteration_details(const std::string& name, std::size_t index);

// "An error occurred while executing the state 'X' (entered at the event id #N). ..."
std::string state_error_cause(const Run& run, const std::string& detail);
// A value as AWS quotes it in a runtime cause ("... == 1.5", "refers to value \"NoNumber\""):
// a string's own text, anything else as JSON.
std::string value_text(const Json& value);

}  // namespace sluice::sfn
