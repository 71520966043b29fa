#pragma once
// Amazon EventBridge (JSON 1.1, `AWSEvents.<Op>`, botocore model `events`): event buses, rules
// with event patterns or schedules, targets, and PutEvents, per (account, region). Matching events
// go to each target through TargetDelivery, the runtime that owns retries and dead-letter queues;
// scheduled rules fire on the scheduler. Behaviour notes and sources: docs/research/eventbridge-behaviour.md.
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "sluice/core/scheduler.hpp"
#include "sluice/eventbridge/bus.hpp"
#include "sluice/eventbridge/target_delivery.hpp"
#include "sluice/protocol/local_client.hpp"
#include "sluice/protocol/operation_table.hpp"

namespace sluice::eventbridge {

using protocol::Call;

const protocol::Model& model();
// The model's error `code` (ValidationException, ResourceNotFoundException, ...) with AWS's message.
protocol::AwsError error(const std::string& code, const std::string& message);

class EventBridgeService final : public protocol::TableService<EventBridgeService>,
                                 public std::enable_shared_from_this<EventBridgeService> {
public:
    // Deliveries go through `client`; retries and schedules are deadlines on `scheduler`.
    // `jitter` draws the random part of each retry wait (empty: uniform in [0, 1)).
    EventBridgeService(core::Scheduler& scheduler, protocol::LocalClient& client, std::function<double()> jitter = {});
    ~EventBridgeService() override;

    std::string_view name() const override { return "events"; }
    const protocol::Model& model() const override;
    void shutdown() override;
    void reset() override;
    Json introspect() const override;

private:
    friend class protocol::TableService<EventBridgeService>;
    static const protocol::OperationTable<EventBridgeService>& operations();
    static const protocol::InvokeRules& invoke_rules();

    // Buses and their policies (api_buses.cpp)
    Json create_event_bus(const Call&);
    Json delete_event_bus(const Call&);
    Json describe_event_bus(const Call&);
    Json list_event_buses(const Call&);
    Json put_permission(const Call&);
    Json remove_permission(const Call&);
    // Rules (api_rules.cpp)
    Json put_rule(const Call&);
    Json describe_rule(const Call&);
    Json list_rules(const Call&);
    Json enable_rule(const Call&);
    Json disable_rule(const Call&);
    Json delete_rule(const Call&);
    Json list_rule_names_by_target(const Call&);
    Json test_event_pattern(const Call&);
    Json tag_resource(const Call&);
    Json untag_resource(const Call&);
    Json list_tags_for_resource(const Call&);
    // Targets (api_targets.cpp)
    Json put_targets(const Call&);
    Json remove_targets(const Call&);
    Json list_targets_by_rule(const Call&);
    // Events (api_put_events.cpp)
    Json put_events(const Call&);

    // Lookups (eventbridge_service.cpp). The `default` bus of a scope exists from its first use.
    std::map<std::string, std::shared_ptr<Bus>>& buses_of(const core::Scope& scope);
    // A bus by name or ARN (empty: default); throws ResourceNotFoundException.
    std::shared_ptr<Bus> bus_named(const core::Scope& scope, const std::string& name_or_arn);
    std::shared_ptr<Rule> rule_named(const Bus& bus, const std::string& name) const;
    std::string bus_param(const Call& call) const;  // EventBusName, or "default"
    // The tags of the bus or rule `arn` names; throws ResourceNotFoundException.
    std::map<std::string, std::string>& tags_of(const std::string& arn);
    // Matching rules' targets get `event` (under the lock: deliveries are deferred past it).
    void route(const core::Scope& scope, Bus& bus, const Json& event);
    void deliver(const core::Scope& scope, const Rule& rule, const Json& event);
    // Scheduled rules (api_rules.cpp): arms the rule's next firing, or disarms it.
    void arm_schedule(const core::Scope& scope, const std::shared_ptr<Rule>& rule);
    void disarm_schedule(Rule& rule);

    core::Scheduler& scheduler_;
    protocol::LocalClient& client_;
    std::shared_ptr<TargetDelivery> delivery_;
    std::map<core::Scope, std::map<std::string, std::shared_ptr<Bus>>> buses_;
};

}  // namespace sluice::eventbridge
