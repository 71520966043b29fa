#include "sluice/sns/sns_service.hpp"

#include <algorithm>
#include <string_view>

#include "errors.hpp"
#include "sluice/core/arn.hpp"
#include "sluice/protocol/json_text.hpp"

std::string_view sluice_model_sns();  // generated from models/sns.json

namespace sluice::sns {

const protocol::Model& model() {
    static const auto parsed = protocol::Model::parse(sluice_model_sns());
    return *parsed;
}

SnsService::SnsService(core::Scheduler& scheduler, protocol::LocalClient& client)
    : scheduler_(scheduler), clock_(scheduler.clock()), client_(client) {}

SnsService::~SnsService() = default;

const protocol::Model& SnsService::model() const {
    return sns::model();
}

// The operations of topics, SQS subscriptions and publishing. Platform applications, SMS and
// data-protection policies are not served (UnknownOperation names them).
const protocol::OperationTable<SnsService>& SnsService::operations() {
    using Table = protocol::OperationTable<SnsService>;
    static const Table table = {
        {"CreateTopic", &SnsService::create_topic},
        {"DeleteTopic", &SnsService::delete_topic},
        {"GetSubscriptionAttributes", &SnsService::get_subscription_attributes},
        {"GetTopicAttributes", &SnsService::get_topic_attributes},
        {"ListSubscriptions", &SnsService::list_subscriptions},
        {"ListSubscriptionsByTopic", &SnsService::list_subscriptions_by_topic},
        {"ListTagsForResource", &SnsService::list_tags_for_resource},
        {"ListTopics", &SnsService::list_topics},
        {"Publish", &SnsService::publish},
        {"PublishBatch", &SnsService::publish_batch},
        {"SetSubscriptionAttributes", &SnsService::set_subscription_attributes},
        {"SetTopicAttributes", &SnsService::set_topic_attributes},
        {"Subscribe", &SnsService::subscribe},
        {"TagResource", &SnsService::tag_resource},
        {"Unsubscribe", &SnsService::unsubscribe},
        {"UntagResource", &SnsService::untag_resource},
    };
    return table;
}

// SNS checks its input by hand: a missing member is a ValidationError naming it, a bad value an
// InvalidParameter in SNS's words.
const protocol::InvokeRules& SnsService::invoke_rules() {
    static const protocol::InvokeRules rules = {
        .check_constraints = false,
        .type_error = [](const std::string& what) { return errors::invalid_parameter(what); },
    };
    return rules;
}

namespace {

// SNS counts an ARN's colon-separated elements before it looks anything up (LocalStack
// test_sns.py test_create_topic_with_attributes, recorded on AWS).
void check_arn_elements(const std::string& arn, const char* member) {
    const auto elements = std::count(arn.begin(), arn.end(), ':') + 1;
    if (elements < 6)
        throw errors::invalid_parameter(std::string(member) + " Reason: An ARN must have at least 6 elements, not " +
                                        std::to_string(elements));
}

}  // namespace

Topic& SnsService::topic_named_by(const Json& params, const char* member) {
    const std::string& arn = errors::required_string(params, member);
    check_arn_elements(arn, member);
    auto it = topics_.find(arn);
    if (it == topics_.end()) throw errors::topic_not_found();
    return it->second;
}

Subscription& SnsService::subscription_named_by(const Json& params) {
    const std::string& arn = errors::required_string(params, "SubscriptionArn");
    check_arn_elements(arn, "SubscriptionArn");
    auto it = subscriptions_.find(arn);
    if (it == subscriptions_.end()) throw errors::not_found("Subscription does not exist");
    return it->second;
}

void SnsService::apply_subscription_attribute(Subscription& s, const Topic& topic, const std::string& name,
                                              const std::string& value, PolicyCaller caller) {
    const std::string reason = caller == PolicyCaller::Subscribe ? "Attributes Reason: " : "";
    if (name == "RawMessageDelivery") {
        std::string lower = value;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        if (lower != "true" && lower != "false")
            throw errors::invalid_parameter(reason + "RawMessageDelivery: Invalid value [" + value +
                                            "]. Must be true or false.");
        s.raw = lower == "true";
        s.attributes[name] = lower;
        return;
    }
    if (name == "FilterPolicyScope") {
        if (value != "MessageAttributes" && value != "MessageBody")
            throw errors::invalid_parameter("FilterPolicyScope: Invalid value [" + value +
                                            "]. Please use either MessageBody or MessageAttributes");
        const auto scope =
            value == "MessageBody" ? FilterPolicyScope::MessageBody : FilterPolicyScope::MessageAttributes;
        if (auto policy = s.attributes.find("FilterPolicy"); policy != s.attributes.end())
            s.filter = FilterPolicy::parse(policy->second, scope, caller);
        s.attributes[name] = value;
        return;
    }
    if (name == "FilterPolicy") {
        if (value.empty()) {  // an empty policy removes it, and its scope with it
            s.filter.reset();
            s.attributes.erase("FilterPolicy");
            s.attributes.erase("FilterPolicyScope");
            return;
        }
        auto scope_name = s.attributes.find("FilterPolicyScope");
        const auto scope = scope_name != s.attributes.end() && scope_name->second == "MessageBody"
                               ? FilterPolicyScope::MessageBody
                               : FilterPolicyScope::MessageAttributes;
        s.filter = FilterPolicy::parse(value, scope, caller);
        s.attributes[name] = value;
        s.attributes.try_emplace("FilterPolicyScope", "MessageAttributes");
        return;
    }
    if (name == "RedrivePolicy") {
        if (value.empty()) {
            s.dead_letter_arn.clear();
            s.attributes.erase(name);
            return;
        }
        auto policy = protocol::parse_json(value);
        const Json* target = policy.is_object() ? &policy["deadLetterTargetArn"] : nullptr;
        if (!target || !target->is_string())
            throw errors::invalid_parameter(reason + "RedrivePolicy: deadLetterTargetArn is missing or not a string");
        auto arn = core::Arn::parse(target->get<std::string>());
        if (!arn || arn->service != "sqs")
            throw errors::invalid_parameter(reason + "RedrivePolicy: deadLetterTargetArn is an invalid arn");
        if (topic.fifo && arn->resource.ends_with(".fifo") != s.endpoint.ends_with(".fifo"))
            throw errors::invalid_parameter(
                "RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.");
        s.dead_letter_arn = target->get<std::string>();
        s.attributes[name] = value;
        return;
    }
    if (name == "DeliveryPolicy" || name == "SubscriptionRoleArn" || name == "ReplayPolicy") {
        s.attributes[name] = value;  // kept and shown; SQS deliveries do not use them
        return;
    }
    if (caller == PolicyCaller::Subscribe)
        throw errors::invalid_parameter("Attributes Reason: Unknown attribute " + name);
    throw errors::invalid_parameter("AttributeName");
}

void SnsService::reset() {
    lock_.run([&] {
        topics_.clear();
        subscriptions_.clear();
    });
}

Json SnsService::introspect() const {
    return lock_.run([&] {
        Json topics = Json::array();
        for (const auto& [arn, topic] : topics_) {
            Json subscriptions = Json::array();
            for (const auto& sub_arn : topic.subscriptions) {
                const auto& s = subscriptions_.at(sub_arn);
                subscriptions.push_back({{"arn", s.arn}, {"protocol", s.protocol}, {"endpoint", s.endpoint}});
            }
            topics.push_back({{"arn", arn}, {"fifo", topic.fifo}, {"subscriptions", std::move(subscriptions)}});
        }
        return Json{{"topics", std::move(topics)}};
    });
}

}  // namespace sluice::sns
