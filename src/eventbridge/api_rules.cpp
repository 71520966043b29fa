// PutRule, DescribeRule, ListRules, EnableRule, DisableRule, DeleteRule, ListRuleNamesByTarget,
// TestEventPattern, the tags of rules and buses, and the scheduler deadlines of scheduled rules.
#include <spdlog/spdlog.h>

#include "sluice/core/arn.hpp"
#include "sluice/core/ids.hpp"
#include "sluice/eventbridge/event.hpp"
#include "sluice/eventbridge/eventbridge_service.hpp"
#include "sluice/protocol/json_text.hpp"
#include "sluice/protocol/paging.hpp"

namespace sluice::eventbridge {

namespace {

events::EventPattern parse_pattern(const std::string& text) {
    try {
        return events::EventPattern::parse(text);
    } catch (const events::PatternError& e) {
        throw error("InvalidEventPatternException", std::string("Event pattern is not valid. Reason: ") + e.what());
    }
}

Json rule_fields(const Rule& rule) {
    Json out = {{"Name", rule.name}, {"Arn", rule.arn}, {"State", rule.state}, {"EventBusName", rule.bus_name}};
    if (!rule.pattern_text.empty()) out["EventPattern"] = rule.pattern_text;
    if (!rule.schedule_text.empty()) out["ScheduleExpression"] = rule.schedule_text;
    if (!rule.description.empty()) out["Description"] = rule.description;
    if (!rule.role_arn.empty()) out["RoleArn"] = rule.role_arn;
    return out;
}

template <typename Items>
protocol::Page page_or_throw(const Items& items, const Call& call) {
    auto page = protocol::page_of(items.size(), call.params.value("NextToken", std::string()),
                                  static_cast<std::size_t>(call.params.value("Limit", 100)));
    if (!page) throw error("ValidationException", "The NextToken provided is invalid.");
    return *page;
}

}  // namespace

Json EventBridgeService::put_rule(const Call& call) {
    const auto& scope = call.context.scope;
    const auto name = call.params.value("Name", std::string());
    const auto pattern_text = call.params.value("EventPattern", std::string());
    const auto schedule_text = call.params.value("ScheduleExpression", std::string());
    auto bus = bus_named(scope, bus_param(call));
    if (pattern_text.empty() && schedule_text.empty())
        throw error("ValidationException", "Parameter(s) EventPattern or ScheduleExpression must be specified.");
    std::optional<events::EventPattern> pattern;
    if (!pattern_text.empty()) pattern = parse_pattern(pattern_text);
    std::optional<ScheduleExpression> schedule;
    if (!schedule_text.empty()) {
        if (bus->name != "default")
            throw error("ValidationException", "ScheduleExpression is supported only on the default event bus.");
        schedule = ScheduleExpression::parse(schedule_text);
        if (!schedule) throw error("ValidationException", "Parameter ScheduleExpression is not valid.");
    }
    auto& slot = bus->rules[name];
    if (!slot) {
        slot = std::make_shared<Rule>();
        slot->name = name;
        slot->bus_name = bus->name;
        const auto bus_scope = core::Arn::parse(bus->arn);  // a bus given by ARN may be another scope's
        slot->arn = rule_arn(core::Scope{bus_scope->account, bus_scope->region}, bus->name, name);
    }
    auto& rule = *slot;
    rule.pattern_text = pattern_text;
    rule.pattern = std::move(pattern);
    rule.schedule_text = schedule_text;
    rule.schedule = schedule;
    rule.description = call.params.value("Description", std::string());
    rule.role_arn = call.params.value("RoleArn", std::string());
    rule.state = call.params.value("State", std::string("ENABLED"));
    for (const auto& t : call.params.value("Tags", Json::array())) rule.tags[t.value("Key", "")] = t.value("Value", "");
    arm_schedule(scope, slot);
    return {{"RuleArn", rule.arn}};
}

Json EventBridgeService::describe_rule(const Call& call) {
    auto bus = bus_named(call.context.scope, bus_param(call));
    auto rule = rule_named(*bus, call.params.value("Name", std::string()));
    Json out = rule_fields(*rule);
    out["CreatedBy"] = core::Arn::parse(rule->arn)->account;
    return out;
}

Json EventBridgeService::list_rules(const Call& call) {
    auto bus = bus_named(call.context.scope, bus_param(call));
    const auto prefix = call.params.value("NamePrefix", std::string());
    std::vector<std::shared_ptr<Rule>> matching;
    for (const auto& [name, rule] : bus->rules)
        if (name.rfind(prefix, 0) == 0) matching.push_back(rule);
    auto page = page_or_throw(matching, call);
    Json rules = Json::array();
    for (auto i = page.begin; i < page.end; ++i) rules.push_back(rule_fields(*matching[i]));
    Json out = {{"Rules", std::move(rules)}};
    if (page.next_token) out["NextToken"] = *page.next_token;
    return out;
}

Json EventBridgeService::enable_rule(const Call& call) {
    auto bus = bus_named(call.context.scope, bus_param(call));
    auto rule = rule_named(*bus, call.params.value("Name", std::string()));
    rule->state = "ENABLED";
    arm_schedule(call.context.scope, rule);
    return Json::object();
}

Json EventBridgeService::disable_rule(const Call& call) {
    auto bus = bus_named(call.context.scope, bus_param(call));
    auto rule = rule_named(*bus, call.params.value("Name", std::string()));
    rule->state = "DISABLED";
    disarm_schedule(*rule);
    return Json::object();
}

Json EventBridgeService::delete_rule(const Call& call) {
    auto bus = bus_named(call.context.scope, bus_param(call));
    auto it = bus->rules.find(call.params.value("Name", std::string()));
    // Deleting a rule that does not exist succeeds, as AWS's does.
    if (it == bus->rules.end()) return Json::object();
    if (!it->second->targets.empty()) throw error("ValidationException", "Rule can't be deleted since it has targets.");
    disarm_schedule(*it->second);
    bus->rules.erase(it);
    return Json::object();
}

Json EventBridgeService::list_rule_names_by_target(const Call& call) {
    auto bus = bus_named(call.context.scope, bus_param(call));
    const auto target_arn = call.params.value("TargetArn", std::string());
    std::vector<std::string> names;
    for (const auto& [name, rule] : bus->rules)
        for (const auto& t : rule->targets)
            if (t->arn == target_arn) {
                names.push_back(name);
                break;
            }
    auto page = page_or_throw(names, call);
    Json out = {{"RuleNames", Json(std::vector<std::string>(names.begin() + static_cast<long>(page.begin),
                                                            names.begin() + static_cast<long>(page.end)))}};
    if (page.next_token) out["NextToken"] = *page.next_token;
    return out;
}

Json EventBridgeService::test_event_pattern(const Call& call) {
    auto pattern = parse_pattern(call.params.value("EventPattern", std::string()));
    auto event = protocol::read_user_json(call.params.value("Event", std::string()));
    // The event must have the members every EventBridge event has (API_TestEventPattern).
    bool complete = event && event->is_object();
    for (const char* member : {"id", "account", "source", "time", "region", "detail-type"})
        complete = complete && event->contains(member);
    if (!complete) throw error("ValidationException", "Parameter Event is not valid.");
    return {{"Result", pattern.matches(*event)}};
}

std::map<std::string, std::string>& EventBridgeService::tags_of(const std::string& arn_text) {
    auto arn = core::Arn::parse(arn_text);
    if (!arn || arn->service != "events")
        throw error("ValidationException",
                    "Parameter ResourceARN is not valid. Reason: Provided Arn is not in correct format.");
    const core::Scope scope{arn->account, arn->region};
    if (arn->resource.rfind("event-bus/", 0) == 0) return bus_named(scope, arn->resource.substr(10))->tags;
    if (arn->resource.rfind("rule/", 0) == 0) {
        auto path = arn->resource.substr(5);
        auto slash = path.find('/');
        const auto bus_name = slash == std::string::npos ? std::string("default") : path.substr(0, slash);
        const auto rule_name = slash == std::string::npos ? path : path.substr(slash + 1);
        return rule_named(*bus_named(scope, bus_name), rule_name)->tags;
    }
    throw error("ResourceNotFoundException", "Resource " + arn_text + " does not exist.");
}

Json EventBridgeService::tag_resource(const Call& call) {
    auto& tags = tags_of(call.params.value("ResourceARN", std::string()));
    for (const auto& t : call.params.value("Tags", Json::array())) tags[t.value("Key", "")] = t.value("Value", "");
    return Json::object();
}

Json EventBridgeService::untag_resource(const Call& call) {
    auto& tags = tags_of(call.params.value("ResourceARN", std::string()));
    for (const auto& key : call.params.value("TagKeys", Json::array())) tags.erase(key.get<std::string>());
    return Json::object();
}

Json EventBridgeService::list_tags_for_resource(const Call& call) {
    auto& tags = tags_of(call.params.value("ResourceARN", std::string()));
    Json list = Json::array();
    for (const auto& [k, v] : tags) list.push_back({{"Key", k}, {"Value", v}});
    return {{"Tags", std::move(list)}};
}

void EventBridgeService::disarm_schedule(Rule& rule) {
    if (rule.schedule_timer) scheduler_.cancel(*rule.schedule_timer);
    rule.schedule_timer.reset();
}

void EventBridgeService::arm_schedule(const core::Scope& scope, const std::shared_ptr<Rule>& rule) {
    disarm_schedule(*rule);
    if (!rule->schedule || !rule->enabled()) return;
    // Firings follow each other in the schedule's own time (the previous firing, not the wall
    // clock), so that under --time-scale a cron of every minute fires once per scaled minute.
    struct Arm {
        static void next(EventBridgeService& self, const core::Scope& scope, const std::shared_ptr<Rule>& rule,
                         core::TimePoint from) {
            auto at = rule->schedule->next_after(from);
            if (!at) return;
            const auto wait = self.scheduler_.clock().scaled(*at - from);
            std::weak_ptr<EventBridgeService> weak_self = self.weak_from_this();
            std::weak_ptr<Rule> weak_rule = rule;
            rule->schedule_timer = self.scheduler_.after(wait, [weak_self, weak_rule, scope, when = *at] {
                auto service = weak_self.lock();
                if (!service) return;
                service->lock_.run([&] {
                    auto r = weak_rule.lock();
                    if (!r || !r->schedule_timer) return;
                    r->schedule_timer.reset();
                    // A scheduled event (eb-run-lambda-schedule): source aws.events, no detail.
                    auto event = make_event(scope, core::random_uuid_string(), "aws.events", "Scheduled Event", when,
                                            Json::array({r->arn}), Json::object());
                    spdlog::debug("rule {}: scheduled event at {}", r->name, event_time(when));
                    service->deliver(scope, *r, event);
                    next(*service, scope, r, when);
                });
            });
        }
    };
    Arm::next(*this, scope, rule, scheduler_.clock().now());
}

}  // namespace sluice::eventbridge
