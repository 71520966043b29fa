#pragma once
// The one place every service's deferred work and deadlines run: posted steps, Wait states,
// retry back-off, task timeouts and heartbeats, SQS long polls and move tasks, pipe batching
// windows and retries, ECS stop timeouts. Thousands of deadlines are entries in one ordered map
// behind one timer, not a timer (or a thread) each. The daemon drives it with an io_context;
// unit tests drive it by hand with a ManualClock, so no test sleeps and every wait can be stepped.
#include <cstddef>
#include <cstdint>
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

namespace sluice::core {

class Scheduler {
public:
    using TimerId = std::uint64_t;
    using Task = std::function<void()>;
    explicit Scheduler(const Clock& clock) : clock_(clock) {}
    virtual ~Scheduler() = default;
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    const Clock& clock() const { return clock_; }

    // Runs `task` soon, never inside the caller.
    virtual void post(Task task) = 0;
    // Runs `task` once the clock reaches `when`; cancel() before that drops it.
    TimerId at(TimePoint when, Task task);
    // Runs `task` once `delay` has passed on the clock, as given: scale it first
    // (clock().scaled()) when it is a duration the user asked for.
    TimerId after(Millis delay, Task task) { return at(clock_.now() + delay, std::move(task)); }
    void cancel(TimerId id);
    // Drops every pending deadline (shutdown).
    void cancel_all();
    std::size_t pending_timers() const;

protected:
    // Moves the due tasks out; the caller runs them without the lock.
    std::vector<Task> take_due(TimePoint now);
    std::optional<TimePoint> earliest() const;
    // A new earliest deadline: the driver re-arms its timer.
    virtual void rearm() {}

    const Clock& clock_;
    mutable std::mutex mutex_;

private:
    std::map<std::pair<TimePoint, TimerId>, Task> timers_;
    std::unordered_map<TimerId, TimePoint> deadline_of_;
    TimerId next_id_ = 1;
};

// The daemon's scheduler: work runs on one io_context.
class AsioScheduler final : public Scheduler, public std::enable_shared_from_this<AsioScheduler> {
public:
    AsioScheduler(boost::asio::io_context& io, const Clock& clock);
    ~AsioScheduler() override;
    void post(Task task) override;

private:
    void rearm() override;
    void fire();
    struct TimerHolder;
    boost::asio::io_context& io_;
    std::unique_ptr<TimerHolder> timer_;
};

// Tests: nothing runs until told to.
class ManualScheduler final : public Scheduler {
public:
    explicit ManualScheduler(ManualClock& clock) : Scheduler(clock), manual_clock_(clock) {}
    void post(Task task) override;
    // Runs posted work and due deadlines until nothing is ready (or `max_tasks` ran, for
    // machines that never stop); returns how many tasks ran.
    std::size_t run_ready(std::size_t max_tasks = SIZE_MAX);
    // Moves the clock to the next deadline and runs what is ready; false when none is left.
    bool advance_to_next(std::size_t max_tasks = SIZE_MAX);
    // Moves the clock forward by `d`, stopping at each deadline on the way to run what is due.
    void advance(Millis d);
    // Runs everything, advancing the clock through every deadline (bounded by `max_steps`).
    void run_all(std::size_t max_steps = 1'000'000, std::size_t max_tasks_per_step = SIZE_MAX);

private:
    ManualClock& manual_clock_;
    std::vector<Task> posted_;
};

}  // namespace sluice::core
