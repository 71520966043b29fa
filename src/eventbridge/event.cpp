#include "sluice/eventbridge/event.hpp"

namespace sluice::eventbridge {

std::string bus_arn(const core::Scope& scope, const std::string& bus) {
    return "arn:aws:events:" + scope.region + ":" + scope.account + ":event-bus/" + bus;
}

std::string rule_arn(const core::Scope& scope, const std::string& bus, const std::string& rule) {
    const std::string path = bus == "default" ? rule : bus + "/" + rule;
    return "arn:aws:events:" + scope.region + ":" + scope.account + ":rule/" + path;
}

std::string event_time(core::TimePoint t) {
    auto text = core::iso8601(t);  // 2026-12-08T00:05:00.123Z
    return text.substr(0, 19) + "Z";
}

nlohmann::json make_event(const core::Scope& scope, const std::string& id, const std::string& source,
                          const std::string& detail_type, core::TimePoint time, nlohmann::json resources,
                          nlohmann::json detail) {
    // The members of eb-events-structure (nlohmann keeps them sorted by name).
    nlohmann::json event = nlohmann::json::object();
    event["version"] = "0";
    event["id"] = id;
    event["detail-type"] = detail_type;
    event["source"] = source;
    event["account"] = scope.account;
    event["time"] = event_time(time);
    event["region"] = scope.region;
    event["resources"] = std::move(resources);
    event["detail"] = std::move(detail);
    return event;
}

}  // namespace sluice::eventbridge
