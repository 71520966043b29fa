#include "sluice/core/scheduler.hpp"

#include <algorithm>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace sluice::core {

Scheduler::TimerId Scheduler::at(TimePoint when, Task task) {
    TimerId id;
    bool first;
    {
        std::lock_guard lock(mutex_);
        id = next_id_++;
        timers_.emplace(std::make_pair(when, id), std::move(task));
        deadline_of_[id] = when;
        first = timers_.begin()->first.second == id;
    }
    if (first) rearm();
    return id;
}

void Scheduler::cancel(TimerId id) {
    std::lock_guard lock(mutex_);
    auto it = deadline_of_.find(id);
    if (it == deadline_of_.end()) return;
    timers_.erase({it->second, id});
    deadline_of_.erase(it);
}

void Scheduler::cancel_all() {
    std::lock_guard lock(mutex_);
    timers_.clear();
    deadline_of_.clear();
}

std::size_t Scheduler::pending_timers() const {
    std::lock_guard lock(mutex_);
    return timers_.size();
}

std::vector<Scheduler::Task> Scheduler::take_due(TimePoint now) {
    std::lock_guard lock(mutex_);
    std::vector<Task> due;
    while (!timers_.empty() && timers_.begin()->first.first <= now) {
        auto node = timers_.extract(timers_.begin());
        deadline_of_.erase(node.key().second);
        due.push_back(std::move(node.mapped()));
    }
    return due;
}

std::optional<TimePoint> Scheduler::earliest() const {
    std::lock_guard lock(mutex_);
    if (timers_.empty()) return std::nullopt;
    return timers_.begin()->first.first;
}

// ---- AsioScheduler

struct AsioScheduler::TimerHolder {
    explicit TimerHolder(boost::asio::io_context& io) : timer(io) {}
    boost::asio::steady_timer timer;
    std::optional<TimePoint> armed_for;
};

AsioScheduler::AsioScheduler(boost::asio::io_context& io, const Clock& clock)
    : Scheduler(clock), io_(io), timer_(std::make_unique<TimerHolder>(io)) {}

AsioScheduler::~AsioScheduler() = default;

void AsioScheduler::post(Task task) {
    boost::asio::post(io_, std::move(task));
}

void AsioScheduler::rearm() {
    // Re-arming happens on the io thread so the timer is only touched there.
    boost::asio::post(io_, [weak = weak_from_this()] {
        auto self = weak.lock();
        if (!self) return;
        auto next = self->earliest();
        if (!next) return;
        if (self->timer_->armed_for && *self->timer_->armed_for <= *next) return;
        self->timer_->armed_for = next;
        // At most an hour per wait: the steady clock counts nanoseconds, and a deadline centuries
        // away would overflow it into the past. A longer wait re-arms.
        auto wait = std::clamp(Millis(*next - self->clock_.now()), Millis(0), Millis(3'600'000));
        self->timer_->timer.expires_after(wait);
        self->timer_->timer.async_wait([weak = self->weak_from_this()](const boost::system::error_code& ec) {
            if (ec) return;
            if (auto s = weak.lock()) s->fire();
        });
    });
}

void AsioScheduler::fire() {
    timer_->armed_for.reset();
    for (auto& task : take_due(clock_.now())) {
        try {
            task();
        } catch (const std::exception&) {
            // Tasks guard themselves; one that does not must not end the daemon or its peers.
        }
    }
    if (earliest()) rearm();
}

// ---- ManualScheduler

void ManualScheduler::post(Task task) {
    std::lock_guard lock(mutex_);
    posted_.push_back(std::move(task));
}

std::size_t ManualScheduler::run_ready(std::size_t max_tasks) {
    std::size_t ran = 0;
    while (ran < max_tasks) {
        std::vector<Task> batch;
        {
            std::lock_guard lock(mutex_);
            batch.swap(posted_);
        }
        auto due = take_due(clock_.now());
        for (auto& t : due) batch.push_back(std::move(t));
        if (batch.empty()) return ran;
        for (auto& t : batch) t();
        ran += batch.size();
    }
    return ran;
}

bool ManualScheduler::advance_to_next(std::size_t max_tasks) {
    run_ready(max_tasks);
    auto next = earliest();
    if (!next) return false;
    if (*next > manual_clock_.now()) manual_clock_.advance(*next - manual_clock_.now());
    run_ready(max_tasks);
    return true;
}

void ManualScheduler::advance(Millis d) {
    const auto until = manual_clock_.now() + d;
    run_ready();
    // Bounded: work that keeps scheduling itself at `now` must not hang a test.
    std::size_t steps = 0;
    for (auto next = earliest(); next && *next <= until && steps < 1'000'000; next = earliest(), ++steps) {
        if (*next > manual_clock_.now()) manual_clock_.advance(*next - manual_clock_.now());
        run_ready();
    }
    if (until > manual_clock_.now()) manual_clock_.advance(until - manual_clock_.now());
    run_ready();
}

void ManualScheduler::run_all(std::size_t max_steps, std::size_t max_tasks_per_step) {
    for (std::size_t i = 0; i < max_steps && advance_to_next(max_tasks_per_step); ++i) {
    }
}

}  // namespace sluice::core
