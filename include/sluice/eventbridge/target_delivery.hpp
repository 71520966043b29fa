#pragma once
// Rule delivery: one event to one target through the in-process client (SQS SendMessage, Step
// Functions StartExecution, ECS RunTask, PutEvents to another bus). A failure AWS retries
// (throttling, a fault of the target service) is tried again after retry_delay() on the
// scheduler, scaled by --time-scale, until the target's RetryPolicy runs out; then, and at once
// for a failure AWS does not retry (a target that is gone, a bad request), the event goes to the
// target's DeadLetterConfig queue with AWS's message attributes, or is dropped without one.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "sluice/core/arn.hpp"
#include "sluice/core/scheduler.hpp"
#include "sluice/core/scope.hpp"
#include "sluice/eventbridge/bus.hpp"
#include "sluice/protocol/aws_error.hpp"
#include "sluice/protocol/local_client.hpp"

namespace sluice::eventbridge {

// One event on its way to one target.
struct Delivery {
    Json event;  // as targets see it (version, id, detail-type, ...)
    std::string rule_arn, rule_name;
    std::shared_ptr<const Target> target;
    core::Scope scope;    // the rule's account and region
    core::Millis age{0};  // time spent waiting between attempts, unscaled
    int attempts = 0;     // calls made so far
};

// What a failed call means to EventBridge: the DLQ's ERROR_CODE and whether it is retried.
struct DeliveryFailure {
    std::string code, message;
    bool retryable = false;
};
DeliveryFailure classify(const protocol::AwsError& error);

// The text a target receives: Input, the value at InputPath (null when it names nothing), the
// InputTransformer's output, or the event itself.
std::string target_input(const Delivery& delivery);

class TargetDelivery : public std::enable_shared_from_this<TargetDelivery> {
public:
    struct Counters {
        std::atomic<long long> invocations{0}, failed_invocations{0}, retries{0}, sent_to_dlq{0},
            failed_to_send_to_dlq{0}, dropped{0};
    };

    // `jitter` draws a number in [0, 1) for each retry (a fixed one in tests).
    TargetDelivery(core::Scheduler& scheduler, protocol::LocalClient& client, std::function<double()> jitter);

    void deliver(Delivery delivery);
    // Drops every pending retry (reset, shutdown).
    void cancel_all();
    const Counters& counters() const { return counters_; }

private:
    void attempt(std::shared_ptr<Delivery> d);
    void failed(std::shared_ptr<Delivery> d, DeliveryFailure failure);
    void dead_letter(const std::shared_ptr<Delivery>& d, const DeliveryFailure& failure, const std::string& condition);
    void call_target(const std::shared_ptr<Delivery>& d, std::function<void(std::optional<DeliveryFailure>)> done);

    core::Scheduler& scheduler_;
    protocol::LocalClient& client_;
    std::function<double()> jitter_;
    std::mutex mutex_;
    std::set<core::Scheduler::TimerId> timers_;
    bool stopped_ = false;
    Counters counters_;
};

// /<account>/<name> of an SQS queue ARN, as in-process SQS calls name a queue.
std::string queue_path(const core::Arn& arn);
core::Scope scope_of(const core::Arn& arn);

}  // namespace sluice::eventbridge
