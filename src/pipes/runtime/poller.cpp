// The poller of a RUNNING pipe. One long poll (ReceiveMessage, 20 s) is parked on the source
// while the pipe is idle, so an idle pipe costs nothing; when messages come, batches go out as
// soon as they are full or their batching window closes, and the next read starts at once, so
// several batches can be in flight when the queue is busy. Reads are tagged with the pipe's
// run, so stopping a pipe releases its parked read and a late answer hands its messages back.
#include <algorithm>

#include <spdlog/spdlog.h>

#include "sluice/pipes/batch.hpp"
#include "sluice/pipes/pipe_runner.hpp"
#include "sluice/protocol/internal_operations.hpp"

namespace sluice::pipes {

namespace {

// Enough to keep a busy target fed without reading far ahead of it.
constexpr int kMaxBatchesInFlight = 8;

std::string owner_of(const Pipe& pipe) {
    return pipe.arn + "#" + std::to_string(pipe.poller.generation);
}

}  // namespace

PipeRunner::PipeRunner(core::ServiceLock& lock, core::Scheduler& scheduler, protocol::LocalClient& client,
                       Settle settle)
    : lock_(lock), scheduler_(scheduler), clock_(scheduler.clock()), client_(client), settle_(std::move(settle)) {}

void PipeRunner::after(std::optional<core::Scheduler::TimerId>& timer, core::Millis delay,
                       std::function<void(PipeRunner&)> action) {
    if (timer) scheduler_.cancel(*timer);
    timer = scheduler_.after(delay, [weak = weak_from_this(), action = std::move(action)] {
        auto self = weak.lock();
        if (!self) return;
        self->lock_.run([&] {
            if (!self->stopping_) action(*self);
        });
    });
}

void PipeRunner::shutdown(const std::vector<std::shared_ptr<Pipe>>& pipes) {
    for (const auto& pipe : pipes) stop(pipe);
    stopping_ = true;
}

void PipeRunner::start(const std::shared_ptr<Pipe>& pipe) {
    if (stopping_) return;
    if (!pipe->poller.consuming) {
        pipe->poller.consuming = true;
        ++pipe->poller.generation;
        spdlog::info("pipe {}: {} reading {}", pipe->name, pipe->current_state, pipe->spec->source);
    }
    pump(pipe);
}

void PipeRunner::stop(const std::shared_ptr<Pipe>& pipe) {
    if (!pipe->poller.consuming) return;
    pipe->poller.consuming = false;
    for (auto* timer : {&pipe->poller.window_timer, &pipe->poller.retry_timer})
        if (*timer) scheduler_.cancel(*std::exchange(*timer, std::nullopt));
    pipe->poller.retry_pending = false;
    pipe->poller.window_closes.reset();
    // Messages read but not yet in a batch go back to the queue now, not after their timeout.
    hand_back(*pipe, std::exchange(pipe->poller.buffered, {}));
    if (pipe->poller.receives_in_flight > 0)
        client_.call("sqs", protocol::internal::kReleaseReceives, {{"Owner", owner_of(*pipe)}},
                     scope_of(pipe->spec->source), [](protocol::Outcome) {});
}

void PipeRunner::pump(const std::shared_ptr<Pipe>& pipe) {
    if (!pipe->poller.consuming || stopping_) return;
    const auto& spec = *pipe->spec;
    const auto size = static_cast<std::size_t>(spec.batch_size);
    while (pipe->poller.buffered.size() >= size && pipe->poller.batches_in_flight < kMaxBatchesInFlight)
        dispatch(pipe, size);
    if (spec.batching_window_seconds == 0 && !pipe->poller.buffered.empty() &&
        pipe->poller.batches_in_flight < kMaxBatchesInFlight)
        dispatch(pipe, pipe->poller.buffered.size());
    if (pipe->poller.receives_in_flight == 0 && pipe->poller.batches_in_flight < kMaxBatchesInFlight &&
        pipe->poller.buffered.size() < size && !pipe->poller.retry_pending)
        receive(pipe);
}

void PipeRunner::receive(const std::shared_ptr<Pipe>& pipe) {
    const auto& spec = *pipe->spec;
    const auto room = static_cast<std::size_t>(spec.batch_size) - pipe->poller.buffered.size();
    Json params = {{"QueueUrl", spec.source_queue},
                   {"MaxNumberOfMessages", std::min<std::size_t>(10, room)},
                   {"WaitTimeSeconds", 20},
                   {"MessageSystemAttributeNames",
                    {"ApproximateReceiveCount", "SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp",
                     "SequenceNumber", "MessageGroupId", "MessageDeduplicationId", "AWSTraceHeader"}},
                   {"MessageAttributeNames", {"All"}},
                   {protocol::internal::kReceiveOwner, owner_of(*pipe)}};
    ++pipe->poller.receives_in_flight;
    client_.call("sqs", "ReceiveMessage", std::move(params), scope_of(spec.source),
                 [weak = weak_from_this(), pipe, generation = pipe->poller.generation](protocol::Outcome outcome) {
                     auto self = weak.lock();
                     if (!self) return;
                     self->lock_.run([&] { self->received(pipe, generation, std::move(outcome)); });
                 });
}

void PipeRunner::received(const std::shared_ptr<Pipe>& pipe, std::uint64_t generation, protocol::Outcome outcome) {
    --pipe->poller.receives_in_flight;
    if (auto* e = std::get_if<protocol::AwsError>(&outcome)) {
        // The source is gone or refuses: say so, and look again in a while.
        pipe->counters.last_error = "Reading " + pipe->spec->source + ": " + e->short_code() + ": " + e->message();
        pipe->counters.last_error_at = clock_.now();
        pipe->state_reason = pipe->counters.last_error.substr(0, 512);
        spdlog::warn("pipe {}: {}", pipe->name, pipe->counters.last_error);
        if (pipe->poller.consuming && generation == pipe->poller.generation) {
            pipe->poller.retry_pending = true;
            after(pipe->poller.retry_timer, std::max(core::Millis(50), clock_.scaled(core::Millis(5000))),
                  [pipe](PipeRunner& s) {
                      pipe->poller.retry_pending = false;
                      s.pump(pipe);
                  });
        }
        settle_(pipe);
        return;
    }
    auto& answer = std::get<Json>(outcome);
    std::vector<Json> messages;
    if (auto it = answer.find("Messages"); it != answer.end() && it->is_array())
        for (auto& m : *it) messages.push_back(std::move(m));
    if (!pipe->poller.consuming || generation != pipe->poller.generation) {
        hand_back(*pipe, messages);  // read for a run that has ended
        settle_(pipe);
        pump(pipe);  // a newer run waits for no read of an older one
        return;
    }
    if (pipe->state_reason.rfind("Reading ", 0) == 0) pipe->state_reason = "USER_INITIATED";
    const auto now = clock_.now();
    for (auto& m : messages) {
        m["sluice:received"] = core::epoch_millis(now);
        // A message whose visibility timeout ran out while it waited for the window comes back:
        // keep one copy, with the newest receipt handle (the old one no longer deletes it).
        auto same = std::find_if(pipe->poller.buffered.begin(), pipe->poller.buffered.end(),
                                 [&](const Json& b) { return b.value("MessageId", "") == m.value("MessageId", ""); });
        if (same != pipe->poller.buffered.end())
            *same = std::move(m);
        else
            pipe->poller.buffered.push_back(std::move(m));
    }
    pipe->counters.messages_received += messages.size();
    const auto& spec = *pipe->spec;
    if (spec.batching_window_seconds > 0 && !pipe->poller.buffered.empty() && !pipe->poller.window_closes) {
        pipe->poller.window_closes = now + clock_.scaled(core::Millis(spec.batching_window_seconds * 1000LL));
        const auto window = ++pipe->poller.window_number;
        after(pipe->poller.window_timer, clock_.scaled(core::Millis(spec.batching_window_seconds * 1000LL)),
              [pipe, window](PipeRunner& s) {
                  // A handler already queued when a full batch closed its window early is stale.
                  if (window != pipe->poller.window_number) return;
                  pipe->poller.window_closes.reset();
                  if (!pipe->poller.consuming || pipe->poller.buffered.empty()) return;
                  while (!pipe->poller.buffered.empty())
                      s.dispatch(pipe, std::min<std::size_t>(pipe->poller.buffered.size(),
                                                             static_cast<std::size_t>(pipe->spec->batch_size)));
                  s.pump(pipe);
              });
    }
    pump(pipe);
}

void PipeRunner::dispatch(const std::shared_ptr<Pipe>& pipe, std::size_t count) {
    auto batch = std::make_shared<Batch>();
    batch->pipe = pipe;
    batch->spec = pipe->spec;
    batch->started = clock_.now();
    const auto n = std::min(count, pipe->poller.buffered.size());
    batch->messages.assign(std::make_move_iterator(pipe->poller.buffered.begin()),
                           std::make_move_iterator(pipe->poller.buffered.begin() + static_cast<std::ptrdiff_t>(n)));
    pipe->poller.buffered.erase(pipe->poller.buffered.begin(),
                                pipe->poller.buffered.begin() + static_cast<std::ptrdiff_t>(n));
    if (pipe->poller.buffered.empty()) {
        ++pipe->poller.window_number;
        pipe->poller.window_closes.reset();
        if (pipe->poller.window_timer) scheduler_.cancel(*std::exchange(pipe->poller.window_timer, std::nullopt));
    }
    ++pipe->poller.batches_in_flight;
    lock_.defer([self = shared_from_this(), batch] { self->guarded(batch, [&] { self->run_batch(batch); }); });
}

void PipeRunner::hand_back(const Pipe& pipe, const std::vector<Json>& messages) {
    for (std::size_t i = 0; i < messages.size(); i += 10) {
        Json entries = Json::array();
        for (std::size_t j = i; j < std::min(messages.size(), i + 10); ++j)
            entries.push_back({{"Id", std::to_string(j - i)},
                               {"ReceiptHandle", messages[j].value("ReceiptHandle", "")},
                               {"VisibilityTimeout", 0}});
        client_.call("sqs", "ChangeMessageVisibilityBatch",
                     {{"QueueUrl", pipe.spec->source_queue}, {"Entries", entries}}, scope_of(pipe.spec->source),
                     [](protocol::Outcome) {});
    }
}

}  // namespace sluice::pipes
