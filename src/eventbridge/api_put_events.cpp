// PutEvents: each entry checked on its own (a bad entry fails alone, in Entries, counted in
// FailedEntryCount), the whole request's size counted as AWS counts it, and every good entry made
// into the event targets see and routed to the rules of its bus.
#include <cmath>

#include "sluice/core/ids.hpp"
#include "sluice/eventbridge/event.hpp"
#include "sluice/eventbridge/eventbridge_service.hpp"
#include "sluice/protocol/json_text.hpp"

namespace sluice::eventbridge {

namespace {

// 1 MiB since January 2026 (AWS Compute Blog, "serverless services now support payloads up to
// 1 MB"; it was 256 KiB), counted as eb-putevent-size counts an entry: Time 14 bytes when given,
// the UTF-8 bytes of Source, DetailType, Detail and each Resources entry.
constexpr std::size_t kMaxRequestBytes = 1024 * 1024;

std::size_t entry_size(const Json& entry) {
    std::size_t size = entry.contains("Time") ? 14 : 0;
    for (const char* member : {"Source", "DetailType", "Detail"})
        if (auto it = entry.find(member); it != entry.end() && it->is_string())
            size += it->get_ref<const std::string&>().size();
    for (const auto& r : entry.value("Resources", Json::array()))
        if (r.is_string()) size += r.get_ref<const std::string&>().size();
    return size;
}

Json entry_error(const std::string& code, const std::string& message) {
    return {{"ErrorCode", code}, {"ErrorMessage", message}};
}

Json missing(const std::string& member) {
    return entry_error("InvalidArgument",
                       "Parameter " + member + " is not valid. Reason: " + member + " is a required argument.");
}

}  // namespace

Json EventBridgeService::put_events(const Call& call) {
    const auto& scope = call.context.scope;
    const auto& entries = call.params.value("Entries", Json::array());
    std::size_t total = 0;
    for (const auto& e : entries) total += entry_size(e);
    if (total > kMaxRequestBytes)
        throw error("ValidationException", "Total size of the entries in the request is over the limit.");
    Json results = Json::array();
    std::size_t failed = 0;
    const auto now = scheduler_.clock().now();
    for (const auto& entry : entries) {
        auto fail = [&](Json why) {
            ++failed;
            results.push_back(std::move(why));
        };
        const auto source = entry.value("Source", std::string());
        const auto detail_type = entry.value("DetailType", std::string());
        const auto detail_text = entry.value("Detail", std::string());
        if (source.empty()) {
            fail(missing("Source"));
            continue;
        }
        if (detail_type.empty()) {
            fail(missing("DetailType"));
            continue;
        }
        if (detail_text.empty()) {
            fail(missing("Detail"));
            continue;
        }
        auto detail = protocol::read_user_json(detail_text);
        if (!detail || !detail->is_object()) {
            fail(entry_error("MalformedDetail", "Detail is malformed."));
            continue;
        }
        std::shared_ptr<Bus> bus;
        try {
            bus = bus_named(scope, entry.value("EventBusName", std::string("default")));
        } catch (const protocol::AwsError& e) {
            fail(entry_error(e.short_code(), e.message()));
            continue;
        }
        auto time = now;
        if (auto t = entry.find("Time"); t != entry.end() && t->is_number())
            time = core::TimePoint(core::Millis(static_cast<long long>(std::llround(t->get<double>() * 1000.0))));
        Json resources = Json::array();
        for (const auto& r : entry.value("Resources", Json::array()))
            if (r.is_string()) resources.push_back(r);
        const auto id = core::random_uuid_string();
        // The event belongs to the bus's account and region (a bus given by ARN may be another's).
        const auto where = core::Arn::parse(bus->arn);
        const core::Scope bus_scope{where->account, where->region};
        route(bus_scope, *bus,
              make_event(bus_scope, id, source, detail_type, time, std::move(resources), std::move(*detail)));
        results.push_back({{"EventId", id}});
    }
    return {{"FailedEntryCount", failed}, {"Entries", std::move(results)}};
}

}  // namespace sluice::eventbridge
