#include "sluice/core/clock.hpp"

namespace sluice::core {

SystemClock::SystemClock(double time_scale)
    : scale_(time_scale > 0 ? time_scale : 1.0),
      origin_wall_(std::chrono::system_clock::now()),
      origin_steady_(std::chrono::steady_clock::now()) {}

TimePoint SystemClock::now() const {
    auto elapsed = std::chrono::steady_clock::now() - origin_steady_;
    return std::chrono::time_point_cast<Millis>(origin_wall_ +
                                                std::chrono::duration_cast<std::chrono::system_clock::duration>(elapsed));
}

}  // namespace sluice::core
