// Subscriptions: Subscribe (SQS queues, confirmed at once as AWS confirms a queue of the same
// account), Unsubscribe, Get/SetSubscriptionAttributes, ListSubscriptions(ByTopic).
#include <algorithm>

#include "errors.hpp"
#include "sluice/core/arn.hpp"
#include "sluice/core/ids.hpp"
#include "sluice/protocol/paging.hpp"
#include "sluice/sns/sns_service.hpp"

namespace sluice::sns {

namespace {

std::map<std::string, std::string> read_attributes(const Json& params) {
    std::map<std::string, std::string> out;
    if (auto it = params.find("Attributes"); it != params.end() && it->is_object())
        for (const auto& [k, v] : it->items()) out[k] = v.is_string() ? v.get<std::string>() : "";
    return out;
}

Json summary(const Subscription& s) {
    return Json{{"SubscriptionArn", s.arn},
                {"Owner", s.owner},
                {"Protocol", s.protocol},
                {"Endpoint", s.endpoint},
                {"TopicArn", s.topic_arn}};
}

Json page_of_subscriptions(const std::vector<const Subscription*>& list, const Json& params) {
    const auto* token = errors::string_member(params, "NextToken");
    // 100 subscriptions a page, as AWS pages them (the ListSubscriptions API reference).
    auto page = protocol::page_of(list.size(), token ? *token : "", 100);
    if (!page) throw errors::invalid_parameter("NextToken");
    Json subscriptions = Json::array();
    for (auto i = page->begin; i < page->end; ++i) subscriptions.push_back(summary(*list[i]));
    Json out = {{"Subscriptions", std::move(subscriptions)}};
    if (page->next_token) out["NextToken"] = *page->next_token;
    return out;
}

}  // namespace

Json SnsService::subscribe(const Call& call) {
    Topic& topic = topic_named_by(call.params, "TopicArn");
    const std::string& protocol = errors::required_string(call.params, "Protocol");
    const auto* endpoint_given = errors::string_member(call.params, "Endpoint");
    const std::string endpoint = endpoint_given ? *endpoint_given : "";
    if (protocol != "sqs")
        throw errors::invalid_parameter("Protocol Reason: Sluice delivers to protocol sqs only, not to " + protocol);
    auto queue = core::Arn::parse(endpoint);
    if (!queue || queue->service != "sqs" || queue->resource.empty())
        throw errors::invalid_parameter("SQS endpoint ARN");
    if (!topic.fifo && queue->resource.ends_with(".fifo"))
        throw errors::invalid_parameter(
            "Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics");
    auto attributes = read_attributes(call.params);

    // Subscribing the same endpoint again answers the subscription it has, when the attributes
    // agree (LocalStack test_sns.py test_subscribe_idempotency, recorded on AWS).
    for (const auto& arn : topic.subscriptions) {
        const Subscription& s = subscriptions_.at(arn);
        if (s.protocol != protocol || s.endpoint != endpoint) continue;
        for (const auto& [k, v] : attributes) {
            auto it = s.attributes.find(k);
            const std::string current =
                it != s.attributes.end() ? it->second : (k == "RawMessageDelivery" ? "false" : "");
            if (current != v)
                throw errors::invalid_parameter(
                    "Attributes Reason: Subscription already exists with different attributes");
        }
        return Json{{"SubscriptionArn", s.arn}};
    }

    Subscription s;
    s.arn = topic.arn + ":" + core::random_uuid_string();
    s.topic_arn = topic.arn;
    s.protocol = protocol;
    s.endpoint = endpoint;
    s.owner = call.context.scope.account;
    s.attributes["RawMessageDelivery"] = "false";
    // The scope first: the policy is read in it.
    if (auto scope = attributes.find("FilterPolicyScope"); scope != attributes.end())
        apply_subscription_attribute(s, topic, scope->first, scope->second, PolicyCaller::Subscribe);
    for (const auto& [k, v] : attributes)
        if (k != "FilterPolicyScope") apply_subscription_attribute(s, topic, k, v, PolicyCaller::Subscribe);
    topic.subscriptions.push_back(s.arn);
    const std::string arn = s.arn;
    subscriptions_.emplace(arn, std::move(s));
    return Json{{"SubscriptionArn", arn}};
}

Json SnsService::unsubscribe(const Call& call) {
    const auto* arn = errors::string_member(call.params, "SubscriptionArn");
    if (!arn) throw errors::invalid_parameter("SubscriptionArn Reason: no value for required parameter");
    const auto elements = std::count(arn->begin(), arn->end(), ':') + 1;
    if (elements < 6)
        throw errors::invalid_parameter("SubscriptionArn Reason: An ARN must have at least 6 elements, not " +
                                        std::to_string(elements));
    if (elements != 7) throw errors::invalid_parameter("SubscriptionId");
    auto it = subscriptions_.find(*arn);
    if (it == subscriptions_.end()) return Json::object();  // unsubscribing twice succeeds (recorded on AWS)
    if (auto topic = topics_.find(it->second.topic_arn); topic != topics_.end()) {
        std::erase(topic->second.subscriptions, *arn);
        ++topic->second.subscriptions_deleted;
    }
    subscriptions_.erase(it);
    return Json::object();
}

Json SnsService::get_subscription_attributes(const Call& call) {
    const Subscription& s = subscription_named_by(call.params);
    Json attributes = Json::object();
    for (const auto& [k, v] : s.attributes) attributes[k] = v;
    attributes["ConfirmationWasAuthenticated"] = "true";
    attributes["Endpoint"] = s.endpoint;
    attributes["Owner"] = s.owner;
    attributes["PendingConfirmation"] = "false";
    attributes["Protocol"] = s.protocol;
    attributes["SubscriptionArn"] = s.arn;
    attributes["SubscriptionPrincipal"] = "arn:aws:iam::" + s.owner + ":root";
    attributes["TopicArn"] = s.topic_arn;
    return Json{{"Attributes", std::move(attributes)}};
}

Json SnsService::set_subscription_attributes(const Call& call) {
    Subscription& s = subscription_named_by(call.params);
    const std::string& name = errors::required_string(call.params, "AttributeName");
    const auto* value = errors::string_member(call.params, "AttributeValue");
    auto topic = topics_.find(s.topic_arn);
    if (topic == topics_.end()) throw errors::topic_not_found();
    apply_subscription_attribute(s, topic->second, name, value ? *value : "", PolicyCaller::SetSubscriptionAttributes);
    return Json::object();
}

Json SnsService::list_subscriptions(const Call& call) {
    const auto& scope = call.context.scope;
    const std::string prefix = "arn:aws:sns:" + scope.region + ":" + scope.account + ":";
    std::vector<const Subscription*> mine;
    for (auto it = subscriptions_.lower_bound(prefix); it != subscriptions_.end() && it->first.starts_with(prefix);
         ++it)
        mine.push_back(&it->second);
    return page_of_subscriptions(mine, call.params);
}

Json SnsService::list_subscriptions_by_topic(const Call& call) {
    const Topic& topic = topic_named_by(call.params, "TopicArn");
    std::vector<const Subscription*> list;
    for (const auto& arn : topic.subscriptions) list.push_back(&subscriptions_.at(arn));
    return page_of_subscriptions(list, call.params);
}

}  // namespace sluice::sns
