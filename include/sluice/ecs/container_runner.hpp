#pragma once
// The ECS runtime: turns a task into real containers on a Docker-compatible engine (create →
// start → wait, then read the output and remove), and decides each task's next step from where
// its containers are. Engine answers come back on the io thread and take the service's lock;
// nothing waits on a thread. The EcsService keeps the API and the tasks, and hands tasks here.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sluice/core/clock.hpp"
#include "sluice/core/service_lock.hpp"
#include "sluice/ecs/container_engine.hpp"
#include "sluice/ecs/task.hpp"

namespace sluice::ecs {

struct RunnerOptions {
    std::string network_mode = "host";  // what containers get from the engine (host: they reach Sluice on 127.0.0.1)
    bool keep_containers = false;       // leave finished containers in the engine
    std::string endpoint_url;           // handed to containers as AWS_ENDPOINT_URL (empty: the daemon's address)
    std::string instance_id;            // the sluice.instance label
};

class ContainerRunner : public std::enable_shared_from_this<ContainerRunner> {
public:
    ContainerRunner(core::ServiceLock& lock, const core::Clock& clock, std::shared_ptr<ContainerEngine> engine,
                    RunnerOptions options);

    ContainerEngine& engine() const { return *engine_; }
    // Under the lock, like everything below.
    void set_endpoint_url(std::string url) { options_.endpoint_url = std::move(url); }

    // What the engine is asked to run for one container of `task` (definition, then override).
    ContainerSpec container_spec(const Task& task, const Json& definition, const Json& override_) const;
    // Starts the task's containers (pulling a missing image first, as the ECS agent would).
    void launch(const std::shared_ptr<Task>& task);
    // The task should stop (StopTask, an essential container exited, a failed start);
    // advance() then stops what runs.
    void request_stop(Task& task, const std::string& code, const std::string& reason);
    // Every engine answer lands here: the task's next step from where its containers are.
    void advance(const std::shared_ptr<Task>& task);
    // The daemon stops: no task starts any more, and the containers this daemon started are
    // removed; `done` once the engine answered for each (deferred past the lock).
    void remove_all(const std::vector<std::shared_ptr<Task>>& tasks, std::function<void()> done);
    void stop_starting() { shutting_down_ = true; }

private:
    void create_container(const std::shared_ptr<Task>& task, std::size_t index, bool pulled);
    void start_container(const std::shared_ptr<Task>& task, std::size_t index);
    void container_exited(const std::shared_ptr<Task>& task, std::size_t index, const EngineResult<long long>& exit);
    void fail_to_start(Task& task, std::size_t index, const std::string& reason);
    void finish(const std::shared_ptr<Task>& task);
    void shutdown_step_done();
    core::ServiceLock& lock_;
    const core::Clock& clock_;
    std::shared_ptr<ContainerEngine> engine_;
    RunnerOptions options_;
    bool shutting_down_ = false;
    int creates_in_flight_ = 0;
    int shutdown_pending_ = 0;  // engine answers remove_all still waits for
    std::function<void()> shutdown_done_;
};

}  // namespace sluice::ecs
