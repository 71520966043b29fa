#pragma once
// The one source of time. Every deadline in Sluice (visibility, delays, retention, long polls,
// Wait states, back-off) is a TimePoint on a Clock, so tests step a ManualClock instead of
// sleeping and `--time-scale` makes a SystemClock run faster than the wall.
#include <atomic>
#include <chrono>

namespace sluice::core {

using Millis = std::chrono::milliseconds;
using TimePoint = std::chrono::time_point<std::chrono::system_clock, Millis>;

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
    // How long a timer on a steady clock must wait for `d` of this clock's time to pass.
    virtual std::chrono::steady_clock::duration real_duration(Millis d) const = 0;
};

// Wall time, optionally accelerated: with scale 0.01 one real second is 100 clock seconds.
class SystemClock final : public Clock {
public:
    explicit SystemClock(double time_scale = 1.0);
    TimePoint now() const override;
    std::chrono::steady_clock::duration real_duration(Millis d) const override;
    double time_scale() const { return scale_; }

private:
    double scale_;
    std::chrono::system_clock::time_point origin_wall_;
    std::chrono::steady_clock::time_point origin_steady_;
};

// A clock that moves only when told to: unit tests step through timeouts with it.
class ManualClock final : public Clock {
public:
    explicit ManualClock(TimePoint start = TimePoint(Millis(1'700'000'000'000))) : now_(start.time_since_epoch().count()) {}
    TimePoint now() const override { return TimePoint(Millis(now_.load())); }
    std::chrono::steady_clock::duration real_duration(Millis d) const override { return d; }
    void advance(Millis d) { now_ += d.count(); }

private:
    std::atomic<long long> now_;
};

inline long long epoch_millis(TimePoint t) { return t.time_since_epoch().count(); }
inline long long epoch_seconds(TimePoint t) { return t.time_since_epoch().count() / 1000; }

}  // namespace sluice::core
