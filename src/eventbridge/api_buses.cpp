// CreateEventBus, DeleteEventBus, DescribeEventBus, ListEventBuses, and the bus's resource policy
// (PutPermission, RemovePermission), stored and shown, not enforced: every caller is the owner.
#include "sluice/core/encoding.hpp"
#include "sluice/eventbridge/event.hpp"
#include "sluice/eventbridge/eventbridge_service.hpp"
#include "sluice/protocol/json_text.hpp"
#include "sluice/protocol/paging.hpp"

namespace sluice::eventbridge {

namespace {

void add_bus_fields(Json& out, const Bus& bus) {
    out["Name"] = bus.name;
    out["Arn"] = bus.arn;
    if (!bus.description.empty()) out["Description"] = bus.description;
    if (!bus.policy.is_null()) out["Policy"] = protocol::dump_json(bus.policy);
    out["CreationTime"] = core::epoch_seconds_fraction(bus.created);
    out["LastModifiedTime"] = core::epoch_seconds_fraction(bus.modified);
}

std::map<std::string, std::string> tag_map(const Json& tags) {
    std::map<std::string, std::string> out;
    if (tags.is_array())
        for (const auto& t : tags) out[t.value("Key", "")] = t.value("Value", "");
    return out;
}

}  // namespace

Json EventBridgeService::create_event_bus(const Call& call) {
    const auto& scope = call.context.scope;
    const auto name = call.params.value("Name", std::string());
    auto& buses = buses_of(scope);
    if (buses.count(name)) throw error("ResourceAlreadyExistsException", "Event bus " + name + " already exists.");
    // Names with '/' are for partner event sources (aws.partner/...), which Sluice has none of.
    if (name.find('/') != std::string::npos || call.params.contains("EventSourceName"))
        throw error("ValidationException", "Event bus name must not contain '/'.");
    auto bus = std::make_shared<Bus>();
    bus->name = name;
    bus->arn = bus_arn(scope, name);
    bus->description = call.params.value("Description", std::string());
    bus->dead_letter_config = call.params.value("DeadLetterConfig", Json());
    bus->created = bus->modified = scheduler_.clock().now();
    bus->tags = tag_map(call.params.value("Tags", Json::array()));
    buses.emplace(name, bus);
    Json out = {{"EventBusArn", bus->arn}};
    if (!bus->description.empty()) out["Description"] = bus->description;
    if (!bus->dead_letter_config.is_null()) out["DeadLetterConfig"] = bus->dead_letter_config;
    return out;
}

Json EventBridgeService::delete_event_bus(const Call& call) {
    const auto name = call.params.value("Name", std::string());
    if (name == "default") throw error("ValidationException", "Cannot delete event bus default.");
    auto& buses = buses_of(call.context.scope);
    // Deleting a bus that does not exist succeeds, as AWS's does.
    if (auto it = buses.find(name); it != buses.end()) {
        for (auto& [rule_name, rule] : it->second->rules) disarm_schedule(*rule);
        buses.erase(it);
    }
    return Json::object();
}

Json EventBridgeService::describe_event_bus(const Call& call) {
    auto bus = bus_named(call.context.scope, call.params.value("Name", std::string("default")));
    Json out = Json::object();
    add_bus_fields(out, *bus);
    if (!bus->dead_letter_config.is_null()) out["DeadLetterConfig"] = bus->dead_letter_config;
    return out;
}

Json EventBridgeService::list_event_buses(const Call& call) {
    const auto prefix = call.params.value("NamePrefix", std::string());
    std::vector<std::shared_ptr<Bus>> matching;
    for (const auto& [name, bus] : buses_of(call.context.scope))
        if (name.rfind(prefix, 0) == 0) matching.push_back(bus);
    const auto limit = call.params.value("Limit", 100);
    auto page = protocol::page_of(matching.size(), call.params.value("NextToken", std::string()),
                                  static_cast<std::size_t>(limit));
    if (!page) throw error("ValidationException", "The NextToken provided is invalid.");
    Json list = Json::array();
    for (auto i = page->begin; i < page->end; ++i) {
        Json entry = Json::object();
        add_bus_fields(entry, *matching[i]);
        list.push_back(std::move(entry));
    }
    Json out = {{"EventBuses", std::move(list)}};
    if (page->next_token) out["NextToken"] = *page->next_token;
    return out;
}

Json EventBridgeService::put_permission(const Call& call) {
    auto bus = bus_named(call.context.scope, call.params.value("EventBusName", std::string("default")));
    if (auto policy = call.params.find("Policy"); policy != call.params.end()) {
        auto parsed = protocol::read_user_json(policy->get<std::string>());
        if (!parsed || !parsed->is_object()) throw error("ValidationException", "This policy contains invalid Json");
        bus->policy = std::move(*parsed);
        bus->modified = scheduler_.clock().now();
        return Json::object();
    }
    const auto sid = call.params.value("StatementId", std::string());
    const auto principal = call.params.value("Principal", std::string());
    const auto action = call.params.value("Action", std::string());
    if (principal.empty()) throw error("ValidationException", "Parameter Principal must be specified.");
    if (sid.empty()) throw error("ValidationException", "Parameter StatementId must be specified.");
    if (action != "events:PutEvents")
        throw error("ValidationException", "Provided value in parameter 'action' is not supported.");
    Json statement = {
        {"Sid", sid},
        {"Effect", "Allow"},
        {"Principal", principal == "*" ? Json("*") : Json{{"AWS", "arn:aws:iam::" + principal + ":root"}}},
        {"Action", action},
        {"Resource", bus->arn}};
    if (auto condition = call.params.find("Condition"); condition != call.params.end()) {
        const auto& c = *condition;
        statement["Condition"] = {{"StringEquals", {{c.value("Key", std::string()), c.value("Value", std::string())}}}};
    }
    if (bus->policy.is_null()) bus->policy = {{"Version", "2012-10-17"}, {"Statement", Json::array()}};
    auto& statements = bus->policy["Statement"];
    for (auto it = statements.begin(); it != statements.end();)
        it = it->value("Sid", "") == sid ? statements.erase(it) : it + 1;
    statements.push_back(std::move(statement));
    bus->modified = scheduler_.clock().now();
    return Json::object();
}

Json EventBridgeService::remove_permission(const Call& call) {
    auto bus = bus_named(call.context.scope, call.params.value("EventBusName", std::string("default")));
    if (bus->policy.is_null()) throw error("ResourceNotFoundException", "EventBus does not have a policy.");
    if (call.params.value("RemoveAllPermissions", false)) {
        bus->policy = nullptr;
    } else {
        const auto sid = call.params.value("StatementId", std::string());
        auto& statements = bus->policy["Statement"];
        auto before = statements.size();
        for (auto it = statements.begin(); it != statements.end();)
            it = it->value("Sid", "") == sid ? statements.erase(it) : it + 1;
        if (statements.size() == before)
            throw error("ResourceNotFoundException", "Statement with the provided id does not exist.");
        if (statements.empty()) bus->policy = nullptr;
    }
    bus->modified = scheduler_.clock().now();
    return Json::object();
}

}  // namespace sluice::eventbridge
