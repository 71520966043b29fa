// The poller of a RUNNING pipe. One long poll (ReceiveMessage, 20 s) is parked on the source
// while the pipe is idle, so an idle pipe costs nothing; when messages come, batches go out as
// soon as they are full or their batching window closes, and the next read starts at once, so
// several batches can be in flight when the queue is busy. Reads are tagged with the pipe's
// run, so stopping a pipe releases its parked read and a late answer hands its messages back.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "sluice/pipes/batch.hpp"
#include "sluice/pipes/pipes_service.hpp"
#include "sluice/sqs/sqs_service.hpp"

namespace sluice::pipes {

namespace {

// Enough to keep a busy target fed without reading far ahead of it.
constexpr int kMaxBatchesInFlight = 8;

std::string owner_of(const Pipe& pipe) { return pipe.arn + "#" + std::to_string(pipe.generation); }

}  // namespace

void PipesService::after(std::unique_ptr<boost::asio::steady_timer>& timer, core::Millis delay,
                         std::function<void(PipesService&)> action) {
    if (!timer) timer = std::make_unique<boost::asio::steady_timer>(io_);
    timer->expires_after(delay);
    timer->async_wait([weak = weak_from_this(), action = std::move(action)](const boost::system::error_code& ec) {
        if (ec) return;
        auto self = weak.lock();
        if (!self) return;
        self->with_lock([&] {
            if (!self->stopping_) action(*self);
        });
    });
}

void PipesService::start_consuming(const std::shared_ptr<Pipe>& pipe) {
    if (pipe->consuming || stopping_) return;
    pipe->consuming = true;
    ++pipe->generation;
    spdlog::info("pipe {}: {} reading {}", pipe->name, pipe->current_state, pipe->spec->source);
    pump(pipe);
}

void PipesService::stop_consuming(const std::shared_ptr<Pipe>& pipe) {
    if (!pipe->consuming) return;
    pipe->consuming = false;
    if (pipe->window_timer) pipe->window_timer->cancel();
    if (pipe->retry_timer) pipe->retry_timer->cancel();
    pipe->retry_pending = false;
    pipe->window_closes.reset();
    // Messages read but not yet in a batch go back to the queue now, not after their timeout.
    hand_back(*pipe, std::exchange(pipe->buffered, {}));
    if (pipe->receives_in_flight > 0)
        call_peer("sqs", sqs::kReleaseReceives, {{"Owner", owner_of(*pipe)}}, scope_of(pipe->spec->source),
                  [](protocol::Outcome) {});
}

void PipesService::pump(const std::shared_ptr<Pipe>& pipe) {
    if (!pipe->consuming || stopping_) return;
    const auto& spec = *pipe->spec;
    const auto size = static_cast<std::size_t>(spec.batch_size);
    while (pipe->buffered.size() >= size && pipe->batches_in_flight < kMaxBatchesInFlight) dispatch(pipe, size);
    if (spec.batching_window_seconds == 0 && !pipe->buffered.empty() && pipe->batches_in_flight < kMaxBatchesInFlight)
        dispatch(pipe, pipe->buffered.size());
    if (pipe->receives_in_flight == 0 && pipe->batches_in_flight < kMaxBatchesInFlight &&
        pipe->buffered.size() < size && !pipe->retry_pending)
        receive(pipe);
}

void PipesService::receive(const std::shared_ptr<Pipe>& pipe) {
    const auto& spec = *pipe->spec;
    const auto room = static_cast<std::size_t>(spec.batch_size) - pipe->buffered.size();
    Json params = {{"QueueUrl", spec.source_queue},
                   {"MaxNumberOfMessages", std::min<std::size_t>(10, room)},
                   {"WaitTimeSeconds", 20},
                   {"MessageSystemAttributeNames",
                    {"ApproximateReceiveCount", "SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp",
                     "SequenceNumber", "MessageGroupId", "MessageDeduplicationId", "AWSTraceHeader"}},
                   {"MessageAttributeNames", {"All"}},
                   {sqs::kReceiveOwner, owner_of(*pipe)}};
    ++pipe->receives_in_flight;
    call_peer("sqs", "ReceiveMessage", std::move(params), scope_of(spec.source),
              [weak = weak_from_this(), pipe, generation = pipe->generation](protocol::Outcome outcome) {
                  auto self = weak.lock();
                  if (!self) return;
                  self->with_lock([&] { self->received(pipe, generation, std::move(outcome)); });
              });
}

void PipesService::received(const std::shared_ptr<Pipe>& pipe, std::uint64_t generation, protocol::Outcome outcome) {
    --pipe->receives_in_flight;
    if (auto* e = std::get_if<protocol::AwsError>(&outcome)) {
        // The source is gone or refuses: say so, and look again in a while.
        pipe->counters.last_error = "Reading " + pipe->spec->source + ": " + e->short_code() + ": " + e->message();
        pipe->counters.last_error_at = clock_.now();
        pipe->state_reason = pipe->counters.last_error.substr(0, 512);
        spdlog::warn("pipe {}: {}", pipe->name, pipe->counters.last_error);
        if (pipe->consuming && generation == pipe->generation) {
            pipe->retry_pending = true;
            after(pipe->retry_timer, std::max(core::Millis(50), clock_.scaled(core::Millis(5000))), [pipe](PipesService& s) {
                pipe->retry_pending = false;
                s.pump(pipe);
            });
        }
        settle_state(pipe);
        return;
    }
    auto& answer = std::get<Json>(outcome);
    std::vector<Json> messages;
    if (auto it = answer.find("Messages"); it != answer.end() && it->is_array())
        for (auto& m : *it) messages.push_back(std::move(m));
    if (!pipe->consuming || generation != pipe->generation) {
        hand_back(*pipe, messages);  // read for a run that has ended
        settle_state(pipe);
        pump(pipe);  // a newer run waits for no read of an older one
        return;
    }
    if (pipe->state_reason.rfind("Reading ", 0) == 0) pipe->state_reason = "USER_INITIATED";
    const auto now = clock_.now();
    for (auto& m : messages) {
        m["sluice:received"] = core::epoch_millis(now);
        // A message whose visibility timeout ran out while it waited for the window comes back:
        // keep one copy, with the newest receipt handle (the old one no longer deletes it).
        auto same = std::find_if(pipe->buffered.begin(), pipe->buffered.end(), [&](const Json& b) {
            return b.value("MessageId", "") == m.value("MessageId", "");
        });
        if (same != pipe->buffered.end()) *same = std::move(m);
        else pipe->buffered.push_back(std::move(m));
    }
    pipe->counters.messages_received += messages.size();
    const auto& spec = *pipe->spec;
    if (spec.batching_window_seconds > 0 && !pipe->buffered.empty() && !pipe->window_closes) {
        pipe->window_closes = now + clock_.scaled(core::Millis(spec.batching_window_seconds * 1000LL));
        const auto window = ++pipe->window_number;
        after(pipe->window_timer, clock_.scaled(core::Millis(spec.batching_window_seconds * 1000LL)), [pipe, window](PipesService& s) {
            // A handler already queued when a full batch closed its window early is stale.
            if (window != pipe->window_number) return;
            pipe->window_closes.reset();
            if (!pipe->consuming || pipe->buffered.empty()) return;
            while (!pipe->buffered.empty())
                s.dispatch(pipe, std::min<std::size_t>(pipe->buffered.size(), static_cast<std::size_t>(pipe->spec->batch_size)));
            s.pump(pipe);
        });
    }
    pump(pipe);
}

void PipesService::dispatch(const std::shared_ptr<Pipe>& pipe, std::size_t count) {
    auto batch = std::make_shared<Batch>();
    batch->pipe = pipe;
    batch->spec = pipe->spec;
    batch->started = clock_.now();
    const auto n = std::min(count, pipe->buffered.size());
    batch->messages.assign(std::make_move_iterator(pipe->buffered.begin()),
                           std::make_move_iterator(pipe->buffered.begin() + static_cast<std::ptrdiff_t>(n)));
    pipe->buffered.erase(pipe->buffered.begin(), pipe->buffered.begin() + static_cast<std::ptrdiff_t>(n));
    if (pipe->buffered.empty()) {
        ++pipe->window_number;
        pipe->window_closes.reset();
        if (pipe->window_timer) pipe->window_timer->cancel();
    }
    ++pipe->batches_in_flight;
    defer([self = shared_from_this(), batch] { self->guarded(batch, [&] { self->run_batch(batch); }); });
}

void PipesService::hand_back(const Pipe& pipe, const std::vector<Json>& messages) {
    for (std::size_t i = 0; i < messages.size(); i += 10) {
        Json entries = Json::array();
        for (std::size_t j = i; j < std::min(messages.size(), i + 10); ++j)
            entries.push_back({{"Id", std::to_string(j - i)},
                               {"ReceiptHandle", messages[j].value("ReceiptHandle", "")},
                               {"VisibilityTimeout", 0}});
        call_peer("sqs", "ChangeMessageVisibilityBatch", {{"QueueUrl", pipe.spec->source_queue}, {"Entries", entries}},
                  scope_of(pipe.spec->source), [](protocol::Outcome) {});
    }
}

void PipesService::settle_state(const std::shared_ptr<Pipe>& pipe) {
    if (pipe->gone || pipe->consuming || pipe->receives_in_flight > 0 || pipe->batches_in_flight > 0) return;
    if (pipe->current_state == "STOPPING" || (pipe->current_state == "UPDATING" && pipe->desired_state == "STOPPED")) {
        pipe->current_state = "STOPPED";
        pipe->state_reason = "User initiated";
        spdlog::info("pipe {}: STOPPED", pipe->name);
    } else if (pipe->current_state == "DELETING") {
        pipe->gone = true;
        pipe->window_timer.reset();
        pipe->retry_timer.reset();
        pipes_.erase({pipe->scope, pipe->name});
        spdlog::info("pipe {}: deleted", pipe->name);
    }
}

}  // namespace sluice::pipes
