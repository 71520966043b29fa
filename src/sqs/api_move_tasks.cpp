// Message move tasks: redrive out of a dead-letter queue at a bounded rate, on a timer.
#include <spdlog/spdlog.h>

#include "params.hpp"
#include "sluice/core/arn.hpp"
#include "sluice/core/encoding.hpp"
#include "sluice/sqs/errors.hpp"
#include "sluice/sqs/sqs_service.hpp"

namespace sluice::sqs {

namespace {

constexpr Millis kTick{100};
// "System optimised" when no rate is given; AWS does not publish its figure.
constexpr int kDefaultRate = 500;

void check_arn_format(const std::string& arn, const char* parameter) {
    if (!core::Arn::parse(arn))
        throw invalid_parameter_value(std::string("You must use this format to specify the ") + parameter +
                                      ": arn:<partition>:<service>:<region>:<account-id>:<resource-id>");
}

protocol::AwsError not_found(const char* parameter) {
    return error("ResourceNotFoundException",
                 std::string("The resource that you specified for the ") + parameter + " parameter doesn't exist.");
}

}  // namespace

Json SqsService::start_message_move_task(const Call& call) {
    const auto& p = call.params;
    auto source_arn = params::required_str(p, "SourceArn");
    check_arn_format(source_arn, "SourceArn");
    auto source = queue_by_arn(source_arn);
    if (!source) throw not_found("SourceArn");
    bool is_dead_letter_queue = false;
    for (const auto& [scope, set] : queues_)
        for (const auto& [name, q] : set)
            if (q->config().redrive && q->config().redrive->dead_letter_target_arn == source_arn)
                is_dead_letter_queue = true;
    if (!is_dead_letter_queue) throw invalid_parameter_value("Source queue must be configured as a Dead Letter Queue.");

    auto destination_arn = params::str(p, "DestinationArn");
    if (destination_arn) {
        check_arn_format(*destination_arn, "DestinationArn");
        auto destination = queue_by_arn(*destination_arn);
        if (!destination) throw not_found("DestinationArn");
        if (destination == source)
            throw invalid_parameter_value("Source queue arn and destination queue arn cannot be the same.");
        if (destination->fifo() != source->fifo())
            throw invalid_parameter_value("The source queue and destination queue must be of the same queue type.");
    }
    auto rate = params::integer(p, "MaxNumberOfMessagesPerSecond");
    if (rate && (*rate < 1 || *rate > 500))
        throw invalid_parameter_value(
            "Value for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: You must enter "
            "a number that's between 1 and 500.");
    for (const auto& t : move_tasks_)
        if (t->source_arn == source_arn && t->status == "RUNNING")
            throw invalid_parameter_value(
                "There is already a task running. Only one active task is allowed for a source "
                "queue arn at a given time.");

    auto task = std::make_shared<MoveTask>();
    task->task_id = core::random_uuid_string();
    task->handle = core::base64_encode(Json{{"taskId", task->task_id}, {"sourceArn", source_arn}}.dump());
    task->source_arn = source_arn;
    task->destination_arn = destination_arn;
    if (rate) task->max_per_second = static_cast<int>(*rate);
    task->started = task->last_tick = clock_.now();
    task->to_move = source->counts(task->started).visible;
    move_tasks_.push_back(task);
    spdlog::info("sqs: message move task {} started from {}", task->task_id, source_arn);
    run_move_task(task);
    return {{"TaskHandle", task->handle}};
}

void SqsService::run_move_task(const std::shared_ptr<MoveTask>& task) {
    if (task->status != "RUNNING" || stopping_) return;
    const auto now = clock_.now();
    auto source = queue_by_arn(task->source_arn);
    auto fail = [&](const std::string& reason) {
        task->status = "FAILED";
        task->failure_reason = reason;
        spdlog::info("sqs: message move task {} failed: {}", task->task_id, reason);
    };
    if (!source) return fail("AWS.SimpleQueueService.NonExistentQueue");

    // A rate is per (scaled) second: at time scale 0.01 a second lasts 10 ms.
    const double rate = task->max_per_second.value_or(kDefaultRate) / clock_.time_scale();
    task->budget += rate * std::chrono::duration<double>(now - task->last_tick).count();
    task->last_tick = now;
    // Ten ticks of 0.1 add up to 0.9999999999999999, not 1: allow for the rounding, or a rate of
    // 1/s would move its first message a tick late.
    auto batch = static_cast<std::size_t>(task->budget + 1e-9);
    if (batch > 0) {
        auto messages = source->take_visible(batch, now);
        task->budget -= static_cast<double>(messages.size());
        for (auto& m : messages) {
            std::string target_arn = task->destination_arn.value_or(m.extras ? m.extras->dead_letter_source_arn : "");
            auto target = target_arn.empty() ? nullptr : queue_by_arn(target_arn);
            if (!target) {
                source->accept(std::move(m), now);  // nothing to move it to: it stays in the DLQ
                return fail("AWS.SimpleQueueService.NonExistentQueue");
            }
            // Back in circulation: a fresh start as far as receives and redrive go.
            m.receive_count = 0;
            m.first_received = TimePoint{};
            if (m.extras) m.extras->dead_letter_source_arn.clear();
            target->accept(std::move(m), now);
            deferred_wakes_.push_back(target);
            ++task->moved;
        }
        if (task->moved >= task->to_move || source->counts(now).visible == 0) {
            task->status = "COMPLETED";
            spdlog::info("sqs: message move task {} completed, {} moved", task->task_id, task->moved);
            return;
        }
    }
    // The task is owned by the service; a tick due after the service or the task is gone does nothing.
    task->timer = scheduler_.after(kTick, [self = weak_from_this(), weak = std::weak_ptr<MoveTask>(task)] {
        auto service = self.lock();
        auto task = weak.lock();
        if (!service || !task) return;
        service->lock_.run([&] {
            task->timer.reset();
            service->run_move_task(task);
        });
    });
}

Json SqsService::cancel_message_move_task(const Call& call) {
    auto handle = params::required_str(call.params, "TaskHandle");
    auto decoded = core::base64_decode(handle);
    Json doc = decoded ? Json::parse(*decoded, nullptr, false) : Json();
    if (!doc.is_object() || !doc.contains("taskId") || !doc["taskId"].is_string() || !doc.contains("sourceArn") ||
        !doc["sourceArn"].is_string())
        throw invalid_parameter_value("Value for parameter TaskHandle is invalid.");
    if (!queue_by_arn(doc["sourceArn"].get<std::string>())) throw not_found("SourceArn");
    for (auto& t : move_tasks_) {
        if (t->task_id != doc["taskId"].get<std::string>()) continue;
        if (t->status != "RUNNING") break;
        t->status = "CANCELLED";
        if (t->timer) scheduler_.cancel(*std::exchange(t->timer, std::nullopt));
        return {{"ApproximateNumberOfMessagesMoved", t->moved}};
    }
    throw error("ResourceNotFoundException", "Task does not exist.");
}

Json SqsService::list_message_move_tasks(const Call& call) {
    auto source_arn = params::required_str(call.params, "SourceArn");
    check_arn_format(source_arn, "SourceArn");
    if (!queue_by_arn(source_arn)) throw not_found("SourceArn");
    auto max = params::integer(call.params, "MaxResults").value_or(1);
    if (max < 1 || max > 10)
        throw invalid_parameter_value(
            "Value for parameter MaxResults is invalid. Reason: You must enter a number that's "
            "between 1 and 10.");
    Json results = Json::array();
    for (auto it = move_tasks_.rbegin(); it != move_tasks_.rend() && results.size() < static_cast<std::size_t>(max);
         ++it) {
        const auto& t = **it;
        if (t.source_arn != source_arn) continue;
        Json entry = {{"Status", t.status},
                      {"SourceArn", t.source_arn},
                      {"ApproximateNumberOfMessagesMoved", t.moved},
                      {"ApproximateNumberOfMessagesToMove", t.to_move},
                      {"StartedTimestamp", core::epoch_millis(t.started)}};
        if (t.status == "RUNNING") entry["TaskHandle"] = t.handle;
        if (t.destination_arn) entry["DestinationArn"] = *t.destination_arn;
        if (t.max_per_second) entry["MaxNumberOfMessagesPerSecond"] = *t.max_per_second;
        if (!t.failure_reason.empty()) entry["FailureReason"] = t.failure_reason;
        results.push_back(std::move(entry));
    }
    if (results.empty()) return Json::object();
    return {{"Results", results}};
}

}  // namespace sluice::sqs
