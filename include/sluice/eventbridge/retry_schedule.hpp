#pragma once
// When a failed delivery to a rule target is tried again, and when it stops being tried. AWS says
// only "exponential back off and jitter" (eb-rule-retry-policy) with defaults of 185 attempts and
// 24 hours; the constants are Sluice's, chosen so that both defaults run out at about the same
// time, as AWS's do. docs/research/eventbridge-behaviour.md has the derivation.
#include <optional>
#include <string>

#include "sluice/core/clock.hpp"
#include "sluice/eventbridge/bus.hpp"

namespace sluice::eventbridge {

inline constexpr core::Millis kFirstRetryDelay{1'000};
inline constexpr core::Millis kMaxRetryDelay{600'000};

// The wait before retry number `retry` (1 for the first), before scaling: half of
// min(cap, first * 2^(retry-1)) fixed and the other half times `jitter` (in [0, 1)), the
// "equal jitter" of the AWS Architecture Blog's exponential-backoff-and-jitter post.
core::Millis retry_delay(int retry, double jitter);

// Why retrying stops: "MaximumRetryAttempts" or "MaximumEventAgeInSeconds" (the values of
// EXHAUSTED_RETRY_CONDITION), or nullopt when retry number `retry` may go ahead after the
// event has aged `age_after_wait` (its age, unscaled, once the wait is over).
std::optional<std::string> exhausted(const RetryPolicy& policy, int retry, core::Millis age_after_wait);

}  // namespace sluice::eventbridge
