#pragma once
// The one source of time. Every deadline in Sluice (visibility, delays, retention, long polls,
// Wait states, back-off) is a TimePoint on a Clock, so tests step a ManualClock instead of
// sleeping. `--time-scale` shrinks durations, not the clock: timestamps users see stay wall
// time, while a 30 s visibility timeout at scale 0.01 lasts 300 ms.
#include <atomic>
#include <chrono>
#include <string>

namespace sluice::core {

using Millis = std::chrono::milliseconds;
using TimePoint = std::chrono::time_point<std::chrono::system_clock, Millis>;

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
    // How long a duration the services speak of (a visibility timeout, a Wait state) lasts.
    virtual double time_scale() const { return 1.0; }
    Millis scaled(Millis d) const {
        return Millis(static_cast<long long>(static_cast<double>(d.count()) * time_scale()));
    }
};

// Wall time, with durations optionally shortened (scale 0.01: every duration 100x shorter).
// It advances with the steady clock from a wall-clock origin, so a change of the system time
// does not make visibility timeouts or timers jump.
class SystemClock final : public Clock {
public:
    explicit SystemClock(double time_scale = 1.0);
    TimePoint now() const override;
    double time_scale() const override { return scale_; }

private:
    double scale_;
    std::chrono::system_clock::time_point origin_wall_;
    std::chrono::steady_clock::time_point origin_steady_;
};

// A clock that moves only when told to: unit tests step through timeouts with it.
class ManualClock final : public Clock {
public:
    explicit ManualClock(TimePoint start = TimePoint(Millis(1'700'000'000'000)))
        : now_(start.time_since_epoch().count()) {}
    TimePoint now() const override { return TimePoint(Millis(now_.load())); }
    void advance(Millis d) { now_ += d.count(); }

private:
    std::atomic<long long> now_;
};

inline long long epoch_millis(TimePoint t) {
    return t.time_since_epoch().count();
}
inline long long epoch_seconds(TimePoint t) {
    return t.time_since_epoch().count() / 1000;
}
// Seconds since the epoch with milliseconds, as JSON timestamps carry them.
inline double epoch_seconds_fraction(TimePoint t) {
    return static_cast<double>(t.time_since_epoch().count()) / 1000.0;
}
// 2026-11-23T10:04:05.123Z
std::string iso8601(TimePoint t);

}  // namespace sluice::core
