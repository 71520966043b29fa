// The runner: a task's containers go through the engine (create → start → wait), and every
// answer lands in advance(), which decides the task's next step from where its containers are.
// Runs under the service's lock; engine answers come back on the io thread and re-lock.
#include <spdlog/spdlog.h>

#include "sluice/ecs/container_runner.hpp"

namespace sluice::ecs {

namespace {

constexpr std::size_t kMaxLogBytes = 1 << 20;  // kept per container
constexpr int kMaxLoggedLines = 200;           // echoed to the daemon's log per container

bool all_of(const Task& task, ContainerStage stage) {
    return std::all_of(task.containers.begin(), task.containers.end(), [&](const auto& c) { return c.stage == stage; });
}

bool any_of(const Task& task, ContainerStage stage) {
    return std::any_of(task.containers.begin(), task.containers.end(), [&](const auto& c) { return c.stage == stage; });
}

void set_attachment_status(Task& task, const char* status) {
    for (auto& a : task.attachments) a["status"] = status;
}

void log_output(const Task& task, const ContainerRun& c) {
    std::size_t begin = 0;
    int lines = 0;
    while (begin < c.logs.size() && lines < kMaxLoggedLines) {
        auto end = c.logs.find('\n', begin);
        if (end == std::string::npos) end = c.logs.size();
        spdlog::info("ecs task {} {}: {}", task.id, c.name, std::string_view(c.logs).substr(begin, end - begin));
        begin = end + 1;
        ++lines;
    }
    if (begin < c.logs.size())
        spdlog::info("ecs task {} {}: ... (the rest at /_sluice/ecs/tasks/{}/logs)", task.id, c.name, task.id);
}

}  // namespace

ContainerRunner::ContainerRunner(core::ServiceLock& lock, const core::Clock& clock,
                                 std::shared_ptr<ContainerEngine> engine, RunnerOptions options)
    : lock_(lock), clock_(clock), engine_(std::move(engine)), options_(std::move(options)) {}

void ContainerRunner::launch(const std::shared_ptr<Task>& task) {
    if (shutting_down_) {
        request_stop(*task, "TaskFailedToStart", "Sluice is shutting down");
        for (auto& c : task->containers) c.stage = ContainerStage::Abandoned;
        return advance(task);
    }
    spdlog::info("ecs task {}: {} from {} ({} container(s))", task->id, task->last_status, task->definition->arn,
                 task->containers.size());
    if (task->launch_type == "FARGATE") task->connectivity_at = clock_.now();
    task->pull_started_at = clock_.now();
    for (std::size_t i = 0; i < task->containers.size(); ++i) create_container(task, i, false);
}

void ContainerRunner::create_container(const std::shared_ptr<Task>& task, std::size_t index, bool pulled) {
    task->containers[index].stage = ContainerStage::Creating;
    ++creates_in_flight_;
    std::weak_ptr<ContainerRunner> weak = shared_from_this();
    engine_->create(task->containers[index].spec, [weak, task, index, pulled](EngineResult<std::string> result) {
        auto self = weak.lock();
        if (!self) return;
        self->lock_.run([&] {
            --self->creates_in_flight_;
            auto& c = task->containers[index];
            if (auto* id = std::get_if<std::string>(&result)) {
                c.runtime_id = *id;
                c.stage = ContainerStage::Created;
                if (self->shutting_down_) {
                    // Created after the daemon began to stop: it goes straight away.
                    c.stage = ContainerStage::Abandoned;
                    c.removed = true;
                    self->engine_->remove(c.runtime_id, [weak](std::optional<EngineError>) {
                        if (auto self = weak.lock()) self->lock_.run([&] { self->shutdown_step_done(); });
                    });
                    ++self->shutdown_pending_;
                    self->shutdown_step_done();  // this create's own step
                    return;
                }
                return self->advance(task);
            }
            if (self->shutting_down_) self->shutdown_step_done();
            const auto& e = std::get<EngineError>(result);
            const bool image_missing =
                e.kind == EngineError::Kind::NotFound && e.message.find("image") != std::string::npos;
            if (image_missing && !pulled && task->desired_status == "RUNNING" && !self->shutting_down_) {
                // The engine lacks the image: pull it, as the ECS agent would, then create again.
                spdlog::info("ecs task {}: pulling {}", task->id, c.image);
                self->engine_->pull(c.image, [weak, task, index](std::optional<EngineError> pull_error) {
                    auto self = weak.lock();
                    if (!self) return;
                    self->lock_.run([&] {
                        if (!pull_error && task->desired_status == "RUNNING" && !self->shutting_down_)
                            return self->create_container(task, index, true);
                        task->containers[index].stage = ContainerStage::Abandoned;
                        if (pull_error)
                            self->fail_to_start(*task, index, "CannotPullContainerError: " + pull_error->message);
                        self->advance(task);
                    });
                });
                return;
            }
            c.stage = ContainerStage::Abandoned;
            self->fail_to_start(
                *task, index,
                (image_missing ? "CannotPullContainerError: " : "CannotCreateContainerError: ") + e.message);
            self->advance(task);
        });
    });
}

void ContainerRunner::start_container(const std::shared_ptr<Task>& task, std::size_t index) {
    auto& c = task->containers[index];
    c.stage = ContainerStage::Starting;
    std::weak_ptr<ContainerRunner> weak = shared_from_this();
    engine_->start(c.runtime_id, [weak, task, index](std::optional<EngineError> e) {
        auto self = weak.lock();
        if (!self) return;
        self->lock_.run([&] {
            auto& c = task->containers[index];
            if (e) {
                c.stage = ContainerStage::Abandoned;
                self->fail_to_start(*task, index, "CannotStartContainerError: " + e->message);
                return self->advance(task);
            }
            c.stage = ContainerStage::Running;
            c.last_status = "RUNNING";
            self->engine_->wait(c.runtime_id, [weak, task, index](EngineResult<long long> exit) {
                auto self = weak.lock();
                if (!self) return;
                self->lock_.run([&] { self->container_exited(task, index, exit); });
            });
            self->advance(task);
        });
    });
}

void ContainerRunner::container_exited(const std::shared_ptr<Task>& task, std::size_t index,
                                       const EngineResult<long long>& exit) {
    auto& c = task->containers[index];
    c.stage = ContainerStage::Exited;
    c.last_status = "STOPPED";
    if (auto* code = std::get_if<long long>(&exit))
        c.exit_code = *code;
    else
        c.reason = std::get<EngineError>(exit).message;
    spdlog::info("ecs task {}: container {} exited{}", task->id, c.name,
                 c.exit_code ? " with code " + std::to_string(*c.exit_code) : " (" + c.reason + ")");
    // An essential container that stops takes the task down with it.
    if (c.essential && task->desired_status == "RUNNING")
        request_stop(*task, "EssentialContainerExited", "Essential container in task exited");
    advance(task);
}

void ContainerRunner::advance(const std::shared_ptr<Task>& task) {
    if (task->stopped() || task->finishing) return;
    if (task->desired_status == "RUNNING") {
        if (all_of(*task, ContainerStage::Created)) {
            task->pull_stopped_at = clock_.now();
            task->set_status("PENDING");
            set_attachment_status(*task, "ATTACHED");
            for (std::size_t i = 0; i < task->containers.size(); ++i) start_container(task, i);
        } else if (task->last_status != "RUNNING" &&
                   std::all_of(task->containers.begin(), task->containers.end(), [](const auto& c) {
                       return c.stage == ContainerStage::Running || c.stage == ContainerStage::Exited;
                   })) {
            task->started_at = clock_.now();
            task->set_status("RUNNING");
            spdlog::info("ecs task {}: RUNNING", task->id);
        }
        return;
    }
    // Stopping: wait for the engine's answers still on their way; they come back here.
    if (any_of(*task, ContainerStage::Creating) || any_of(*task, ContainerStage::Starting)) return;
    for (auto& c : task->containers)
        if (c.stage == ContainerStage::Created) c.stage = ContainerStage::Abandoned;  // never started
    if (any_of(*task, ContainerStage::Running)) {
        if (task->stop_sent) return;
        task->stop_sent = true;
        for (auto& c : task->containers)
            if (c.stage == ContainerStage::Running)
                // SIGTERM, then SIGKILL after the stop timeout; the exit arrives through wait().
                // If the engine refuses the stop, the container is killed by a forced removal.
                engine_->stop(c.runtime_id, c.spec.stop_timeout_seconds,
                              [engine = engine_, id = c.runtime_id](std::optional<EngineError> e) {
                                  if (e) engine->remove(id, [](std::optional<EngineError>) {});
                              });
        return;
    }
    task->execution_stopped_at = clock_.now();
    task->set_status(task->network_mode == "awsvpc" ? "DEPROVISIONING" : "STOPPING");
    finish(task);
}

void ContainerRunner::request_stop(Task& task, const std::string& code, const std::string& reason) {
    if (task.desired_status == "STOPPED") return;
    task.desired_status = "STOPPED";
    task.stop_code = code;
    task.stopped_reason = reason;
    task.stopping_at = clock_.now();
    ++task.version;
}

void ContainerRunner::fail_to_start(Task& task, std::size_t index, const std::string& reason) {
    task.containers[index].reason = reason;
    spdlog::warn("ecs task {}: {}", task.id, reason);
    request_stop(task, "TaskFailedToStart", reason);
}

void ContainerRunner::finish(const std::shared_ptr<Task>& task) {
    task->finishing = true;
    std::weak_ptr<ContainerRunner> weak = shared_from_this();
    auto done_one = [weak, task] {
        auto self = weak.lock();
        if (!self || --task->cleanup_pending > 0) return;
        task->finishing = false;
        task->stopped_at = self->clock_.now();
        task->set_status("STOPPED");
        set_attachment_status(*task, "DELETED");
        for (auto& c : task->containers) c.last_status = "STOPPED";
        spdlog::info("ecs task {}: STOPPED ({}: {})", task->id, task->stop_code, task->stopped_reason);
        for (auto& waiter : std::exchange(task->on_stopped, {}))
            self->lock_.defer([waiter = std::move(waiter), task] { waiter(*task); });
    };
    // One step for each container the engine holds (read its output, then remove it), plus
    // this one, so a task with nothing in the engine still ends here.
    task->cleanup_pending = 1;
    for (std::size_t i = 0; i < task->containers.size(); ++i) {
        auto& c = task->containers[i];
        if (c.runtime_id.empty() || c.removed) continue;
        ++task->cleanup_pending;
        engine_->logs(c.runtime_id, [weak, task, i, done_one](EngineResult<std::string> output) {
            auto self = weak.lock();
            if (!self) return;
            self->lock_.run([&] {
                auto& c = task->containers[i];
                if (auto* text = std::get_if<std::string>(&output)) {
                    // The end of the output is what explains an exit: keep the last part.
                    c.logs = text->size() > kMaxLogBytes ? text->substr(text->size() - kMaxLogBytes) : *text;
                    log_output(*task, c);
                }
                if (self->options_.keep_containers) return done_one();
                self->engine_->remove(c.runtime_id, [weak, task, i, done_one](std::optional<EngineError>) {
                    auto self = weak.lock();
                    if (!self) return;
                    self->lock_.run([&] {
                        task->containers[i].removed = true;
                        done_one();
                    });
                });
            });
        });
    }
    done_one();
}

void ContainerRunner::remove_all(const std::vector<std::shared_ptr<Task>>& tasks, std::function<void()> done) {
    shutting_down_ = true;
    shutdown_done_ = std::move(done);
    // One step per container to remove, one per create still on its way (its container is
    // removed when it answers), and this one.
    shutdown_pending_ = 1 + creates_in_flight_;
    std::size_t removing = 0;
    for (const auto& task : tasks)
        for (auto& c : task->containers) {
            // Finished containers kept on purpose (--ecs-keep-containers) stay; the rest go.
            if (c.runtime_id.empty() || c.removed || (options_.keep_containers && c.stage == ContainerStage::Exited))
                continue;
            c.removed = true;
            ++shutdown_pending_;
            ++removing;
            std::weak_ptr<ContainerRunner> weak = shared_from_this();
            engine_->remove(c.runtime_id, [weak](std::optional<EngineError>) {
                if (auto self = weak.lock()) self->lock_.run([&] { self->shutdown_step_done(); });
            });
        }
    if (removing || creates_in_flight_)
        spdlog::info("ecs: removing {} container(s) this daemon started ({} still being created)", removing,
                     creates_in_flight_);
    shutdown_step_done();
}

void ContainerRunner::shutdown_step_done() {
    if (shutdown_pending_ == 0 || --shutdown_pending_ > 0 || !shutdown_done_) return;
    lock_.defer(std::exchange(shutdown_done_, nullptr));
}

}  // namespace sluice::ecs
