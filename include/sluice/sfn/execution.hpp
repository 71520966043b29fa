#pragma once
// One execution of a state machine: what DescribeExecution shows and the history
// GetExecutionHistory pages through. The interpreter advances it; the API reads it.
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/core/clock.hpp"
#include "sluice/core/scope.hpp"
#include "sluice/sfn/definition.hpp"

namespace sluice::sfn {

using core::TimePoint;

// A state machine as one revision of it runs: published versions and the latest revision each
// have one, and an execution keeps the one it started with even if the machine is updated.
struct MachineRevision {
    std::string arn;  // the state machine's ARN (unqualified)
    std::string name;
    std::string type;  // STANDARD | EXPRESS
    std::string definition_text;
    std::shared_ptr<const Definition> definition;
    std::string role_arn;
    std::string revision_id;
    bool from_update = false;  // made by UpdateStateMachine, not CreateStateMachine
    Json logging_configuration;
    Json tracing_configuration;
    std::string description;  // versions only
    TimePoint created;
};

// Kept for every event of every execution until the execution is forgotten, so it is compact: a
// 10,000-item Map writes 40,000 of them.
struct HistoryEvent {
    long long id = 0;
    long long previous_id = 0;
    TimePoint timestamp;
    std::string_view type;             // "PassStateEntered", ...: always a string literal or static
    const char* detail_key = nullptr;  // "stateEnteredEventDetails", ...
    std::string details;               // the detail member as JSON text; empty when there is none
};

struct Run;

struct Execution : std::enable_shared_from_this<Execution> {
    std::string arn;
    std::string name;
    core::Scope scope;
    std::shared_ptr<const MachineRevision> machine;
    std::string version_arn;  // when started through a version (or an alias pointing at one)
    std::string alias_arn;    // when started through an alias
    std::string input_text;
    Json input;
    std::string trace_header;
    // Started as `<machine ARN>#<test case>`: the mock configuration's test case, and how many
    // times each state was called so far (mocked responses are chosen by that count).
    std::string mock_test_case;
    std::map<std::string, std::size_t> mock_invocations;

    std::string status = "RUNNING";  // RUNNING SUCCEEDED FAILED TIMED_OUT ABORTED PENDING_REDRIVE
    TimePoint start_date;
    std::optional<TimePoint> stop_date;
    std::optional<std::string> output_text;
    std::optional<std::string> error, cause;
    int redrive_count = 0;
    std::optional<TimePoint> redrive_date;

    Json context;                      // `$$.Execution` and `$$.StateMachine`, built once, when first read
    std::deque<HistoryEvent> history;  // a deque: growing never copies what is written
    std::shared_ptr<Run> root;
    std::optional<std::uint64_t> timeout_timer;
    // Called once when the execution stops (StartSyncExecution, `.sync` parents).
    std::vector<std::function<void(const Execution&)>> on_stop;
    // Where RedriveExecution starts again: the top-level state that failed, its input, the variables.
    const State* redrive_state = nullptr;
    Json redrive_input;
    Json redrive_variables;

    bool running() const { return status == "RUNNING"; }
    bool express() const { return machine && machine->type == "EXPRESS"; }
};

}  // namespace sluice::sfn
