#include "sluice/core/clock.hpp"

#include <cstdio>
#include <ctime>

namespace sluice::core {

SystemClock::SystemClock(double time_scale)
    : scale_(time_scale > 0 ? time_scale : 1.0),
      origin_wall_(std::chrono::system_clock::now()),
      origin_steady_(std::chrono::steady_clock::now()) {}

TimePoint SystemClock::now() const {
    auto elapsed = std::chrono::steady_clock::now() - origin_steady_;
    return std::chrono::time_point_cast<Millis>(
        origin_wall_ + std::chrono::duration_cast<std::chrono::system_clock::duration>(elapsed));
}

}  // namespace sluice::core

namespace sluice::core {

std::string iso8601(TimePoint t) {
    const auto ms = t.time_since_epoch().count();
    std::time_t seconds = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    char text[40];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1,
                  parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
                  static_cast<int>(((ms % 1000) + 1000) % 1000));
    return text;
}

}  // namespace sluice::core
