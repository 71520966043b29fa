#include "sluice/eventbridge/retry_schedule.hpp"

#include <algorithm>

namespace sluice::eventbridge {

core::Millis retry_delay(int retry, double jitter) {
    const int doublings = std::clamp(retry - 1, 0, 30);
    const long long exponential = kFirstRetryDelay.count() << doublings;
    const long long capped = std::min(exponential, static_cast<long long>(kMaxRetryDelay.count()));
    const long long half = capped / 2;  // capped is a whole number of seconds: even
    const double j = std::clamp(jitter, 0.0, 1.0);
    return core::Millis(half + static_cast<long long>(static_cast<double>(half) * j));
}

std::optional<std::string> exhausted(const RetryPolicy& policy, int retry, core::Millis age_after_wait) {
    if (retry > policy.maximum_retry_attempts) return "MaximumRetryAttempts";
    if (age_after_wait > core::Millis(static_cast<long long>(policy.maximum_event_age_seconds) * 1000))
        return "MaximumEventAgeInSeconds";
    return std::nullopt;
}

}  // namespace sluice::eventbridge
