#include "sluice/eventbridge/eventbridge_service.hpp"

#include <random>

#include <spdlog/spdlog.h>

#include "sluice/core/arn.hpp"
#include "sluice/core/ids.hpp"
#include "sluice/eventbridge/event.hpp"

std::string_view sluice_model_events();  // generated from models/events.json

namespace sluice::eventbridge {

const protocol::Model& model() {
    static const auto parsed = protocol::Model::parse(sluice_model_events());
    return *parsed;
}

protocol::AwsError error(const std::string& code, const std::string& message) {
    return model().error(code, message);
}

namespace {

std::function<double()> uniform_jitter() {
    return [] {
        thread_local std::mt19937_64 engine{std::random_device{}()};
        return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
    };
}

}  // namespace

EventBridgeService::EventBridgeService(core::Scheduler& scheduler, protocol::LocalClient& client,
                                       std::function<double()> jitter)
    : scheduler_(scheduler),
      client_(client),
      delivery_(std::make_shared<TargetDelivery>(scheduler, client, jitter ? std::move(jitter) : uniform_jitter())) {}

EventBridgeService::~EventBridgeService() {
    delivery_->cancel_all();
    for (auto& [scope, buses] : buses_)
        for (auto& [name, bus] : buses)
            for (auto& [rule_name, rule] : bus->rules) disarm_schedule(*rule);
}

const protocol::Model& EventBridgeService::model() const {
    return eventbridge::model();
}

const protocol::OperationTable<EventBridgeService>& EventBridgeService::operations() {
    static const protocol::OperationTable<EventBridgeService> table = {
        {"CreateEventBus", &EventBridgeService::create_event_bus},
        {"DeleteEventBus", &EventBridgeService::delete_event_bus},
        {"DeleteRule", &EventBridgeService::delete_rule},
        {"DescribeEventBus", &EventBridgeService::describe_event_bus},
        {"DescribeRule", &EventBridgeService::describe_rule},
        {"DisableRule", &EventBridgeService::disable_rule},
        {"EnableRule", &EventBridgeService::enable_rule},
        {"ListEventBuses", &EventBridgeService::list_event_buses},
        {"ListRuleNamesByTarget", &EventBridgeService::list_rule_names_by_target},
        {"ListRules", &EventBridgeService::list_rules},
        {"ListTagsForResource", &EventBridgeService::list_tags_for_resource},
        {"ListTargetsByRule", &EventBridgeService::list_targets_by_rule},
        {"PutEvents", &EventBridgeService::put_events},
        {"PutPermission", &EventBridgeService::put_permission},
        {"PutRule", &EventBridgeService::put_rule},
        {"PutTargets", &EventBridgeService::put_targets},
        {"RemovePermission", &EventBridgeService::remove_permission},
        {"RemoveTargets", &EventBridgeService::remove_targets},
        {"TagResource", &EventBridgeService::tag_resource},
        {"TestEventPattern", &EventBridgeService::test_event_pattern},
        {"UntagResource", &EventBridgeService::untag_resource},
    };
    return table;
}

const protocol::InvokeRules& EventBridgeService::invoke_rules() {
    static const protocol::InvokeRules rules = {
        .type_error = [](const std::string& what) { return error("ValidationException", what); },
    };
    return rules;
}

void EventBridgeService::shutdown() {
    lock_.run([&] {
        delivery_->cancel_all();
        for (auto& [scope, buses] : buses_)
            for (auto& [name, bus] : buses)
                for (auto& [rule_name, rule] : bus->rules) disarm_schedule(*rule);
    });
}

void EventBridgeService::reset() {
    shutdown();
    lock_.run([&] { buses_.clear(); });
}

std::map<std::string, std::shared_ptr<Bus>>& EventBridgeService::buses_of(const core::Scope& scope) {
    auto& buses = buses_[scope];
    if (!buses.count("default")) {
        auto bus = std::make_shared<Bus>();
        bus->name = "default";
        bus->arn = bus_arn(scope, "default");
        // The default bus has been there since the account was made; the epoch stands in.
        bus->created = bus->modified = core::TimePoint{};
        buses.emplace("default", std::move(bus));
    }
    return buses;
}

std::shared_ptr<Bus> EventBridgeService::bus_named(const core::Scope& scope, const std::string& name_or_arn) {
    std::string name = name_or_arn.empty() ? "default" : name_or_arn;
    core::Scope where = scope;
    if (auto arn = core::Arn::parse(name); arn && arn->resource.rfind("event-bus/", 0) == 0) {
        where = core::Scope{arn->account, arn->region};
        name = arn->resource.substr(10);
    }
    auto& buses = buses_of(where);
    auto it = buses.find(name);
    if (it == buses.end()) throw error("ResourceNotFoundException", "Event bus " + name + " does not exist.");
    return it->second;
}

std::shared_ptr<Rule> EventBridgeService::rule_named(const Bus& bus, const std::string& name) const {
    auto it = bus.rules.find(name);
    if (it == bus.rules.end())
        throw error("ResourceNotFoundException", "Rule " + name + " does not exist on EventBus " + bus.name + ".");
    return it->second;
}

std::string EventBridgeService::bus_param(const Call& call) const {
    return call.params.value("EventBusName", std::string("default"));
}

void EventBridgeService::route(const core::Scope& scope, Bus& bus, const Json& event) {
    for (const auto& [name, rule] : bus.rules) {
        if (!rule->enabled() || !rule->pattern || rule->targets.empty()) continue;
        if (!rule->pattern->matches(event)) continue;
        deliver(scope, *rule, event);
    }
}

void EventBridgeService::deliver(const core::Scope& scope, const Rule& rule, const Json& event) {
    for (const auto& target : rule.targets) {
        Delivery d{event, rule.arn, rule.name, target, scope};
        lock_.defer([delivery = delivery_, d = std::move(d)]() mutable { delivery->deliver(std::move(d)); });
    }
}

Json EventBridgeService::introspect() const {
    return lock_.run([&] {
        Json buses = Json::array();
        for (const auto& [scope, by_name] : buses_)
            for (const auto& [name, bus] : by_name) {
                Json rules = Json::array();
                for (const auto& [rule_name, rule] : bus->rules)
                    rules.push_back({{"name", rule->name},
                                     {"arn", rule->arn},
                                     {"state", rule->state},
                                     {"eventPattern", rule->pattern_text},
                                     {"scheduleExpression", rule->schedule_text},
                                     {"targets", rule->targets.size()}});
                buses.push_back({{"name", bus->name},
                                 {"arn", bus->arn},
                                 {"account", scope.account},
                                 {"region", scope.region},
                                 {"rules", std::move(rules)}});
            }
        const auto& c = delivery_->counters();
        return Json{{"buses", std::move(buses)},
                    {"deliveries",
                     {{"invocations", c.invocations.load()},
                      {"failedInvocations", c.failed_invocations.load()},
                      {"retries", c.retries.load()},
                      {"sentToDeadLetterQueue", c.sent_to_dlq.load()},
                      {"failedToSendToDeadLetterQueue", c.failed_to_send_to_dlq.load()},
                      {"dropped", c.dropped.load()}}}};
    });
}

}  // namespace sluice::eventbridge
