#pragma once
// TestState's engine: one state run by the interpreter, through the same code an execution runs
// it with (data flow, Retry before Catch, one error matcher, Fail's paths, Choice's Assign), on a
// clock of its own so that a Wait passes at once, and with its task (or, for a Map or Parallel,
// its branches or iterations) answered by a mock instead of being called.
#include <memory>
#include <optional>
#include <string>

#include "sluice/core/clock.hpp"
#include "sluice/core/scope.hpp"
#include "sluice/sfn/definition.hpp"

namespace sluice::sfn {

struct StateTest {
    std::shared_ptr<const Definition> definition;  // holds the state (and keeps it alive)
    const State* state = nullptr;
    Json input = Json::object();
    Json variables = Json::object();
    // TestState's `context`: when given it is the whole context object the state sees, as on AWS
    // (members it leaves out are absent, not filled in); Sluice's own otherwise.
    std::optional<Json> context;
    // What the task returns or throws: one of the two, or neither for a state that runs none.
    std::optional<Json> mock_result;
    std::optional<StatesError> mock_error;
    // Attempts its retriers have made already (TestState's stateConfiguration.retrierRetryCount):
    // with as many as a retrier allows, the mocked error goes on to Catch.
    int retrier_retry_count = 0;
    std::string role_arn;
    core::Scope scope;
};

struct StateTestResult {
    enum class Status { Succeeded, Failed, Retriable, CaughtError };
    Status status = Status::Succeeded;
    std::optional<Json> output;
    std::string next_state;            // empty when the state ends its run (or failed)
    std::optional<StatesError> error;  // Failed, Retriable, CaughtError
    Json inspection = Json::object();  // "input", "afterInputPath", ... "afterResultPath", as values
    Json variables = Json::object();   // after the state
};

// Runs `test.state` once. `now` is where its clock starts ($$.State.EnteredTime).
StateTestResult run_state_test(const StateTest& test, core::TimePoint now);

// The state named `name` anywhere in `definition` (inside Parallel branches and Map processors
// too: names are unique in the whole machine), or null.
const State* find_state(const Definition& definition, std::string_view name);

}  // namespace sluice::sfn
