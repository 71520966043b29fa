#pragma once
// Events as EventBridge's targets see them, and the ARNs of buses and rules.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/core/clock.hpp"
#include "sluice/core/scope.hpp"

namespace sluice::eventbridge {

// arn:aws:events:<region>:<account>:event-bus/<name>
std::string bus_arn(const core::Scope& scope, const std::string& bus);
// arn:aws:events:<region>:<account>:rule/<name> on the default bus, rule/<bus>/<name> on others.
std::string rule_arn(const core::Scope& scope, const std::string& bus, const std::string& rule);
// 2026-12-08T00:05:00Z: EventBridge's `time`, to the second.
std::string event_time(core::TimePoint t);

// The event: {version "0", id, detail-type, source, account, time, region, resources, detail}.
nlohmann::json make_event(const core::Scope& scope, const std::string& id, const std::string& source,
                          const std::string& detail_type, core::TimePoint time, nlohmann::json resources,
                          nlohmann::json detail);

}  // namespace sluice::eventbridge
