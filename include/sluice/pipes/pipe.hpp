#pragma once
// A pipe: what CreatePipe/UpdatePipe asked for (a PipeSpec, immutable once built, so a batch
// keeps the spec it started with while an update lands) and what it is doing now: its state,
// its counters, and the bookkeeping of the runner that reads its source (PollerState).
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/core/clock.hpp"
#include "sluice/core/scheduler.hpp"
#include "sluice/core/scope.hpp"
#include "sluice/events/event_pattern.hpp"
#include "sluice/pipes/input_template.hpp"

namespace sluice::pipes {

using core::TimePoint;

enum class TargetKind { StateMachine, EcsTask, SqsQueue };

struct PipeSpec {
    std::string description;
    std::string source;        // the SQS queue ARN
    std::string source_queue;  // its URL path, /<account>/<name>, for in-process SQS calls
    bool source_fifo = false;
    Json source_parameters = Json::object();  // as given, echoed by DescribePipe
    int batch_size = 10;
    int batching_window_seconds = 0;
    std::vector<events::EventPattern> filters;  // any one matching lets a record through
    std::string enrichment;                     // a state machine ARN, or empty
    Json enrichment_parameters = Json::object();
    std::optional<InputTemplate> enrichment_template;
    std::string target;
    TargetKind target_kind = TargetKind::StateMachine;
    std::string target_queue;  // SQS targets: the URL path
    Json target_parameters = Json::object();
    std::optional<InputTemplate> target_template;
    bool target_waits = false;  // Step Functions REQUEST_RESPONSE: StartSyncExecution
    std::string role_arn;
    std::string kms_key;
    Json log_configuration;  // as DescribePipe shows it, null when none
};

// What GET /_sluice/pipes/<name> shows.
struct PipeCounters {
    std::uint64_t batches = 0;            // batches handed to the target (or enrichment)
    std::uint64_t messages_received = 0;  // read from the source
    std::uint64_t messages_delivered = 0;
    std::uint64_t messages_filtered = 0;  // matched no filter: deleted, not delivered
    std::uint64_t messages_failed = 0;    // left on the source for a retry
    std::string last_error;
    std::optional<TimePoint> last_error_at;
};

// What the PipeRunner keeps for a pipe while it reads the source. `generation` changes with
// every start, so answers meant for an earlier run are recognised and their messages handed back.
struct PollerState {
    std::uint64_t generation = 0;
    bool consuming = false;      // the runner reads the source
    int receives_in_flight = 0;  // ReceiveMessage calls not answered yet
    int batches_in_flight = 0;   // batches between the source and a settled outcome
    std::vector<Json> buffered;  // received messages waiting for the batching window to close
    std::optional<TimePoint> window_closes;
    std::uint64_t window_number = 0;  // which window the armed timer closes
    std::optional<core::Scheduler::TimerId> window_timer;
    std::optional<core::Scheduler::TimerId> retry_timer;  // after a failed read of the source
    bool retry_pending = false;

    // Nothing read, buffered or in flight: a STOPPING or DELETING pipe may settle.
    bool idle() const { return !consuming && receives_in_flight == 0 && batches_in_flight == 0; }
};

struct Pipe {
    core::Scope scope;
    std::string name, arn;
    std::shared_ptr<const PipeSpec> spec;
    std::string desired_state = "RUNNING";  // RUNNING | STOPPED (DELETED while deleting)
    std::string current_state = "CREATING";
    std::string state_reason;
    TimePoint created, modified;
    std::map<std::string, std::string> tags;
    PipeCounters counters;
    PollerState poller;  // runtime/poller.cpp
    bool gone = false;   // deleted: late answers only hand messages back
};

}  // namespace sluice::pipes
