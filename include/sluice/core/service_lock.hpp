#pragma once
// A service's lock, and the work that must wait until it is released: answers to parked calls,
// calls into other services (which take locks of their own), callbacks. Every service changes
// its state through run() and defers what reaches outside, so no lock is ever held across
// services or across a reply, and what a body set going still happens when it throws.
#include <functional>
#include <mutex>
#include <type_traits>
#include <utility>
#include <vector>

namespace sluice::core {

class ServiceLock {
public:
    using Action = std::function<void()>;

    // Runs `body` under the lock; then, once the lock is released, every action deferred
    // meanwhile, in order. Also when `body` throws: the deferred actions run, then the
    // exception goes on to the caller.
    template <typename Body>
    decltype(auto) run(Body&& body) {
        Release release(*this);
        return std::forward<Body>(body)();
    }

    // Only inside run(): `action` runs after the lock is released.
    void defer(Action action) { deferred_.push_back(std::move(action)); }

    // Runs under the lock at the end of every run(), before the lock is released; it may defer
    // more (SQS wakes the long polls of queues that a dead-letter move filled).
    void before_release(Action action) { before_release_ = std::move(action); }

private:
    struct Release {
        explicit Release(ServiceLock& l) : owner(l), lock(l.mutex_) {}
        ~Release() {
            if (owner.before_release_) try {
                    owner.before_release_();
                } catch (...) {
                }
            if (owner.deferred_.empty()) return;
            std::vector<Action> later = std::exchange(owner.deferred_, {});
            lock.unlock();
            // An action that throws must not stop the others, nor escape a destructor.
            for (auto& action : later) try {
                    action();
                } catch (...) {
                }
        }
        ServiceLock& owner;
        std::unique_lock<std::mutex> lock;
    };

    std::mutex mutex_;
    std::vector<Action> deferred_;
    Action before_release_;
};

}  // namespace sluice::core
