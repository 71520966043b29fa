#pragma once
// The runtime of EventBridge Pipes: what makes a RUNNING pipe move messages. It reads the SQS
// source in batches (one long poll parked while the pipe is idle), filters, enriches through an
// Express state machine and invokes the target, all through the other services' ops in process
// (the LocalClient). Nothing blocks a thread: reads are long polls, batching windows and retries
// are deadlines on the scheduler, targets answer through callbacks. The PipesService keeps the
// API and the pipes; it starts and stops the runner's work under its lock.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sluice/core/scheduler.hpp"
#include "sluice/core/service_lock.hpp"
#include "sluice/pipes/pipe.hpp"
#include "sluice/protocol/local_client.hpp"

namespace sluice::pipes {

struct Batch;

class PipeRunner : public std::enable_shared_from_this<PipeRunner> {
public:
    // `settle` is called under the lock whenever a pipe may have nothing left in flight, so the
    // service can complete a STOPPING, UPDATING or DELETING pipe.
    using Settle = std::function<void(const std::shared_ptr<Pipe>&)>;
    PipeRunner(core::ServiceLock& lock, core::Scheduler& scheduler, protocol::LocalClient& client, Settle settle);

    // All three under the service's lock. start() on a pipe that runs applies its spec now
    // (an update's batch size or window).
    void start(const std::shared_ptr<Pipe>& pipe);
    // Parked reads answer empty; messages read but not yet in a batch go back to the queue at once.
    void stop(const std::shared_ptr<Pipe>& pipe);
    // The daemon stops: nothing new starts; batches in flight end with it (their messages come
    // back on the source after its visibility timeout, as after any crash).
    void shutdown(const std::vector<std::shared_ptr<Pipe>>& pipes);

private:
    // The poller (runtime/poller.cpp); all under the lock.
    void pump(const std::shared_ptr<Pipe>& pipe);
    void receive(const std::shared_ptr<Pipe>& pipe);
    void received(const std::shared_ptr<Pipe>& pipe, std::uint64_t generation, protocol::Outcome outcome);
    void dispatch(const std::shared_ptr<Pipe>& pipe, std::size_t count);
    // Makes messages visible again at once (a stopped pipe's buffer, a late answer).
    void hand_back(const Pipe& pipe, const std::vector<Json>& messages);
    // Arms `timer` (cancelling what it held) to run `action` under the lock after `delay`,
    // unless the runner or the daemon is gone by then.
    void after(std::optional<core::Scheduler::TimerId>& timer, core::Millis delay,
               std::function<void(PipeRunner&)> action);

    // Batches (runtime/batch.cpp, runtime/targets.cpp), outside the lock: filter, enrich,
    // invoke, then settle.
    void run_batch(std::shared_ptr<Batch> batch);
    void enrich(std::shared_ptr<Batch> batch);
    void enriched(std::shared_ptr<Batch> batch, protocol::Outcome outcome);
    void invoke_target(std::shared_ptr<Batch> batch);
    void invoke_state_machine(std::shared_ptr<Batch> batch, Json input);
    void invoke_ecs_task(std::shared_ptr<Batch> batch);
    void invoke_sqs_queue(std::shared_ptr<Batch> batch);
    // The end of a batch: deletes what was delivered or filtered out, leaves the failed
    // messages for the source's visibility timeout (and its redrive policy).
    void finish_batch(std::shared_ptr<Batch> batch, const std::string& failure);
    // Runs a step of a batch; whatever it throws fails the batch (left for retry) instead of
    // escaping into a peer's reply or the io loop.
    void guarded(const std::shared_ptr<Batch>& batch, const std::function<void()>& step);
    void delete_messages(const Pipe& pipe, const PipeSpec& spec, std::vector<std::string> receipt_handles);

    core::ServiceLock& lock_;
    core::Scheduler& scheduler_;
    const core::Clock& clock_;
    protocol::LocalClient& client_;
    Settle settle_;
    bool stopping_ = false;  // under the lock
};

}  // namespace sluice::pipes
