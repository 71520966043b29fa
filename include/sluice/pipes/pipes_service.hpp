#pragma once
// The EventBridge Pipes service: the ten operations of the model over pipes kept per (account,
// region), and the runtime that makes a RUNNING pipe move messages: it reads its SQS source in
// batches, filters, enriches through an Express state machine and invokes its target, all
// through the other services' ops in process. Nothing here blocks a thread: reads are long
// polls, batching windows are timers, targets answer through callbacks.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "sluice/core/clock.hpp"
#include "sluice/pipes/pipe.hpp"
#include "sluice/protocol/service.hpp"

namespace sluice::pipes {

using protocol::Call;

const protocol::Model& model();
// The model's error `code` (ValidationException, NotFoundException, ...) with AWS's message.
protocol::AwsError error(const std::string& code, const std::string& message);

struct Batch;  // runtime/batch.cpp

class PipesService final : public protocol::Service, public std::enable_shared_from_this<PipesService> {
public:
    PipesService(boost::asio::io_context& io, const core::Clock& clock);
    ~PipesService() override;

    // The services pipes read from and deliver to: "sqs", "states", "ecs". Not owned.
    void connect(const std::string& name, protocol::Service* service) { peers_[name] = service; }

    std::string_view name() const override { return "pipes"; }
    const protocol::Model& model() const override;
    void invoke(Call call, protocol::Reply reply) override;
    void shutdown() override;
    Json introspect() const override;
    std::optional<Json> introspect_path(std::string_view path) const override;

private:
    using Handler = Json (PipesService::*)(const Call&);
    static const std::map<std::string, Handler, std::less<>>& handlers();

    // The API (api_pipes.cpp, api_tags.cpp)
    void create_pipe(const Call& call, protocol::Reply reply);
    void update_pipe(const Call& call, protocol::Reply reply);
    // Step Functions targets that answer synchronously must be Express: ask before accepting.
    void check_state_machines(const Call& call, std::shared_ptr<const PipeSpec> spec,
                              std::function<void(std::optional<protocol::AwsError>)> done);
    Json describe_pipe(const Call&);
    Json list_pipes(const Call&);
    Json delete_pipe(const Call&);
    Json start_pipe(const Call&);
    Json stop_pipe(const Call&);
    Json tag_resource(const Call&);
    Json untag_resource(const Call&);
    Json list_tags_for_resource(const Call&);

    // Lookups (pipes_service.cpp)
    std::shared_ptr<Pipe> pipe_named(const core::Scope& scope, const std::string& name) const;
    // Both throw NotFoundException for a pipe that doesn't exist.
    std::shared_ptr<Pipe> pipe_by_arn(const std::string& arn) const;
    static Json state_json(const Pipe& pipe);  // Arn, Name, DesiredState, CurrentState, times
    Json counters_json(const Pipe& pipe) const;
    // Runs `body` under the mutex, then what it deferred (peer calls, replies) without it.
    void with_lock(const std::function<void()>& body);
    void defer(std::function<void()> action) { deferred_.push_back(std::move(action)); }
    // Calls another service's op in process, from the io thread (never inline: an answer that
    // comes at once must not recurse into the poller).
    void call_peer(const std::string& service, const std::string& operation, Json params, const core::Scope& scope,
                   protocol::Reply reply);
    // After `delay` on the io thread, `action` runs under with_lock unless the service is gone.
    void after(std::unique_ptr<boost::asio::steady_timer>& timer, core::Millis delay,
               std::function<void(PipesService&)> action);
    // On the io thread, soon: a state transition that AWS shows in between (CREATING, UPDATING).
    void soon(std::function<void(PipesService&)> action);

    // The poller (runtime/poller.cpp); all under the mutex.
    void start_consuming(const std::shared_ptr<Pipe>& pipe);
    void stop_consuming(const std::shared_ptr<Pipe>& pipe);
    void pump(const std::shared_ptr<Pipe>& pipe);
    void receive(const std::shared_ptr<Pipe>& pipe);
    void received(const std::shared_ptr<Pipe>& pipe, std::uint64_t generation, protocol::Outcome outcome);
    void dispatch(const std::shared_ptr<Pipe>& pipe, std::size_t count);
    // Makes messages visible again at once (a stopped pipe's buffer, a late answer).
    void hand_back(const Pipe& pipe, const std::vector<Json>& messages);
    // A transition (STOPPING, UPDATING, DELETING) completes once nothing is in flight.
    void settle_state(const std::shared_ptr<Pipe>& pipe);

    // Batches (runtime/batch.cpp, runtime/targets.cpp): filter, enrich, invoke, then settle.
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

    boost::asio::io_context& io_;
    const core::Clock& clock_;
    std::map<std::string, protocol::Service*> peers_;
    mutable std::mutex mutex_;
    std::vector<std::function<void()>> deferred_;
    std::map<std::pair<core::Scope, std::string>, std::shared_ptr<Pipe>> pipes_;  // by (scope, name)
    bool stopping_ = false;
};

}  // namespace sluice::pipes
