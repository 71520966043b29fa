#pragma once
// SNS subscription filter policies: which published messages a subscription receives. The
// language is EventBridge's event-pattern language with SNS's own limits and error texts
// (docs/research/sns-behaviour.md lists where they differ): `parse` checks a policy as SNS does
// and compiles it with the shared event-pattern engine (sluice::events), `matches_*` run it.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sluice/events/event_pattern.hpp"

namespace sluice::sns {

enum class FilterPolicyScope { MessageAttributes, MessageBody };

// The text SNS puts before a policy's error: Subscribe words it as an attribute of the call,
// SetSubscriptionAttributes as a parameter.
enum class PolicyCaller { Subscribe, SetSubscriptionAttributes };

class FilterPolicy {
public:
    // Throws protocol::AwsError InvalidParameter with SNS's text for a policy SNS refuses.
    static FilterPolicy parse(std::string_view text, FilterPolicyScope scope, PolicyCaller caller);

    FilterPolicyScope scope() const { return scope_; }

    // `attributes`: the published MessageAttributes, {name: {DataType, StringValue|BinaryValue}}.
    // String attributes match as strings, Number ones as numbers, String.Array ones element by
    // element; Binary attributes match nothing but {"exists": ...}.
    bool matches_attributes(const nlohmann::json& attributes) const;
    // `message`: the published Message; only a JSON object can match a non-empty policy.
    bool matches_body(std::string_view message) const;

private:
    FilterPolicy(events::EventPattern pattern, FilterPolicyScope scope) : pattern_(std::move(pattern)), scope_(scope) {}

    events::EventPattern pattern_;
    FilterPolicyScope scope_;
};

}  // namespace sluice::sns
