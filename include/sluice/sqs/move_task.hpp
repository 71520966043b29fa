#pragma once
// A message move task: moves messages out of a dead-letter queue, back to their sources or to a
// named destination, at a bounded rate.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "sluice/core/scheduler.hpp"

namespace sluice::sqs {

struct MoveTask {
    std::string task_id;
    std::string handle;  // base64 of {"taskId":..,"sourceArn":..}, as AWS issues it
    std::string source_arn;
    std::optional<std::string> destination_arn;
    std::optional<int> max_per_second;
    std::string status = "RUNNING";  // RUNNING, COMPLETED, CANCELLING, CANCELLED, FAILED
    std::string failure_reason;
    std::uint64_t moved = 0;
    std::uint64_t to_move = 0;
    core::TimePoint started{};
    core::TimePoint last_tick{};
    double budget = 0;                              // messages the rate allows but not yet moved
    std::optional<core::Scheduler::TimerId> timer;  // the next tick
};

}  // namespace sluice::sqs
