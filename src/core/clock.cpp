#include "sluice/core/clock.hpp"

namespace sluice::core {

SystemClock::SystemClock(double time_scale)
    : scale_(time_scale > 0 ? time_scale : 1.0),
      origin_wall_(std::chrono::system_clock::now()),
      origin_steady_(std::chrono::steady_clock::now()) {}

TimePoint SystemClock::now() const {
    auto real = std::chrono::steady_clock::now() - origin_steady_;
    auto scaled = std::chrono::duration_cast<std::chrono::system_clock::duration>(
        std::chrono::duration<double, std::chrono::steady_clock::period>(real.count() / scale_));
    return std::chrono::time_point_cast<Millis>(origin_wall_ + scaled);
}

std::chrono::steady_clock::duration SystemClock::real_duration(Millis d) const {
    return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double, std::milli>(static_cast<double>(d.count()) * scale_));
}

}  // namespace sluice::core
