#pragma once
// Where the interpreter's work runs: posted steps and deadlines (Wait states, retry back-off,
// task timeouts, heartbeats). Thousands of waiting executions are entries in one ordered map
// behind one timer, not a timer (or a thread) each. The daemon drives it with an io_context;
// unit tests drive it by hand with a ManualClock, so no test sleeps.
#include <cstdint>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "sluice/core/clock.hpp"

namespace boost::asio {
class io_context;
}

namespace sluice::sfn {

class Scheduler {
public:
    using TimerId = std::uint64_t;
    using Task = std::function<void()>;
    virtual ~Scheduler() = default;

    // Runs `task` soon, never inside the caller.
    virtual void post(Task task) = 0;
    // Runs `task` once the clock reaches `when`; cancel() before that drops it.
    TimerId at(core::TimePoint when, Task task);
    void cancel(TimerId id);
    // Drops every pending deadline (shutdown).
    void cancel_all();
    std::size_t pending_timers() const;

protected:
    // Moves the due tasks out; the caller runs them without the lock.
    std::vector<Task> take_due(core::TimePoint now);
    std::optional<core::TimePoint> earliest() const;
    // A new earliest deadline: the driver re-arms its timer.
    virtual void rearm() {}

    mutable std::mutex mutex_;

private:
    std::map<std::pair<core::TimePoint, TimerId>, Task> timers_;
    std::unordered_map<TimerId, core::TimePoint> deadline_of_;
    TimerId next_id_ = 1;
};

// The daemon's scheduler: work runs on one io_context.
class AsioScheduler final : public Scheduler, public std::enable_shared_from_this<AsioScheduler> {
public:
    AsioScheduler(boost::asio::io_context& io, const core::Clock& clock);
    ~AsioScheduler() override;
    void post(Task task) override;

private:
    void rearm() override;
    void fire();
    struct TimerHolder;
    boost::asio::io_context& io_;
    const core::Clock& clock_;
    std::unique_ptr<TimerHolder> timer_;
};

// Tests: nothing runs until told to.
class ManualScheduler final : public Scheduler {
public:
    explicit ManualScheduler(core::ManualClock& clock) : clock_(clock) {}
    void post(Task task) override;
    // Runs posted work and due deadlines until nothing is ready (or `max_tasks` ran, for
    // machines that never stop); returns how many tasks ran.
    std::size_t run_ready(std::size_t max_tasks = SIZE_MAX);
    // Moves the clock to the next deadline and runs what is ready; false when none is left.
    bool advance_to_next(std::size_t max_tasks = SIZE_MAX);
    // Runs everything, advancing the clock through every deadline (bounded by `max_steps`).
    void run_all(std::size_t max_steps = 1'000'000, std::size_t max_tasks_per_step = SIZE_MAX);

private:
    core::ManualClock& clock_;
    std::vector<Task> posted_;
};

}  // namespace sluice::sfn
