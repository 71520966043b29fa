// Topics: CreateTopic, DeleteTopic, Get/SetTopicAttributes, ListTopics, and the tag operations.
#include <algorithm>
#include <set>

#include "errors.hpp"
#include "sluice/core/arn.hpp"
#include "sluice/protocol/json_text.hpp"
#include "sluice/protocol/paging.hpp"
#include "sluice/sns/sns_service.hpp"

namespace sluice::sns {

namespace {

// The attributes CreateTopic and SetTopicAttributes take (the API reference of SetTopicAttributes),
// besides FifoTopic, which only CreateTopic takes.
bool settable_topic_attribute(const std::string& name) {
    static const std::set<std::string, std::less<>> names = {"ArchivePolicy",        "ContentBasedDeduplication",
                                                             "DataProtectionPolicy", "DeliveryPolicy",
                                                             "DisplayName",          "FifoThroughputScope",
                                                             "KmsMasterKeyId",       "Policy",
                                                             "SignatureVersion",     "TracingConfig"};
    if (names.contains(name)) return true;
    // Delivery status logging: <Protocol>SuccessFeedbackRoleArn, ...SuccessFeedbackSampleRate,
    // ...FailureFeedbackRoleArn.
    for (std::string_view protocol : {"Application", "Firehose", "HTTP", "Lambda", "SQS"})
        for (std::string_view suffix :
             {"SuccessFeedbackRoleArn", "SuccessFeedbackSampleRate", "FailureFeedbackRoleArn"})
            if (name == std::string(protocol) + std::string(suffix)) return true;
    return false;
}

// The policy every new topic has: its owner may do everything to it (GetTopicAttributes as AWS
// answers it, LocalStack test_sns.py test_create_topic_test_arn, recorded on AWS).
std::string default_policy(const std::string& arn, const std::string& account) {
    Json statement = {{"Sid", "__default_statement_ID"},
                      {"Effect", "Allow"},
                      {"Principal", {{"AWS", "*"}}},
                      {"Action",
                       {"SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission",
                        "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"}},
                      {"Resource", arn},
                      {"Condition", {{"StringEquals", {{"AWS:SourceOwner", account}}}}}};
    nlohmann::ordered_json policy;
    policy["Version"] = "2008-10-17";
    policy["Id"] = "__default_policy_ID";
    nlohmann::ordered_json ordered_statement;
    for (const char* key : {"Sid", "Effect", "Principal", "Action", "Resource", "Condition"})
        ordered_statement[key] = statement[key];
    policy["Statement"] = nlohmann::ordered_json::array({ordered_statement});
    return policy.dump();
}

constexpr const char* kEffectiveDeliveryPolicy =
    R"({"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,)"
    R"("numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},)"
    R"("disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}})";

bool valid_topic_name(std::string_view name, bool fifo) {
    if (fifo) {
        if (!name.ends_with(".fifo")) return false;
        name.remove_suffix(5);
    }
    return !name.empty() && name.size() <= (fifo ? 251u : 256u) &&
           std::all_of(name.begin(), name.end(),
                       [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_'; });
}

using Tags = std::vector<std::pair<std::string, std::string>>;

Tags read_tags(const Json& params, const char* member) {
    Tags tags;
    auto it = params.find(member);
    if (it == params.end() || !it->is_array()) return tags;
    std::set<std::string> keys;
    for (const auto& tag : *it) {
        const auto* key = errors::string_member(tag, "Key");
        const auto* value = errors::string_member(tag, "Value");
        if (!key) throw errors::missing("Key");
        if (!value) throw errors::missing("Value");
        if (!keys.insert(*key).second) throw errors::invalid_parameter("Duplicated keys are not allowed.");
        tags.emplace_back(*key, *value);
    }
    return tags;
}

void merge_tags(Tags& into, const Tags& tags) {
    for (const auto& tag : tags) {
        auto it = std::find_if(into.begin(), into.end(), [&](const auto& t) { return t.first == tag.first; });
        if (it != into.end())
            it->second = tag.second;
        else
            into.push_back(tag);
    }
    if (into.size() > 50)
        throw errors::model_error("TagLimitExceededException",
                                  "Could not complete request: tag quota of per resource exceeded");
}

}  // namespace

Json SnsService::create_topic(const Call& call) {
    const std::string& name = errors::required_string(call.params, "Name");
    std::map<std::string, std::string> attributes;
    if (auto it = call.params.find("Attributes"); it != call.params.end() && it->is_object())
        for (const auto& [k, v] : it->items()) attributes[k] = v.is_string() ? v.get<std::string>() : "";
    const bool fifo = [&] {
        auto it = attributes.find("FifoTopic");
        return it != attributes.end() && it->second == "true";
    }();
    if (!valid_topic_name(name, fifo)) {
        if (fifo && !name.ends_with(".fifo"))
            throw errors::invalid_parameter(
                "Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII "
                "letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.");
        throw errors::invalid_parameter("Topic Name");
    }
    for (const auto& [k, v] : attributes) {
        if (k == "FifoTopic") {
            if (v != "true" && v != "false")
                throw errors::invalid_parameter("Attributes Reason: FifoTopic: Invalid value [" + v + "]");
            continue;
        }
        if (!settable_topic_attribute(k)) throw errors::invalid_parameter("Attributes Reason: Unknown attribute " + k);
        if (k == "ContentBasedDeduplication" && !fifo)
            throw errors::invalid_parameter(
                "Attributes Reason: ContentBasedDeduplication: Content-based deduplication can only be set for FIFO "
                "topics");
    }
    attributes.erase("FifoTopic");
    const Tags tags = read_tags(call.params, "Tags");
    const auto& scope = call.context.scope;
    const std::string arn = core::Arn{"aws", "sns", scope.region, scope.account, name}.str();
    if (auto existing = topics_.find(arn); existing != topics_.end()) {
        // CreateTopic is idempotent, for the same attributes and tags (recorded on AWS:
        // test_create_duplicate_topic_with_more_tags, test_create_topic_after_delete_with_new_tags).
        for (const auto& [k, v] : attributes) {
            auto it = existing->second.attributes.find(k);
            if (it == existing->second.attributes.end() || it->second != v)
                throw errors::invalid_parameter("Attributes Reason: Topic already exists with different attributes");
        }
        for (const auto& tag : tags)
            if (std::find(existing->second.tags.begin(), existing->second.tags.end(), tag) ==
                existing->second.tags.end())
                throw errors::invalid_parameter("Tags Reason: Topic already exists with different tags");
        return Json{{"TopicArn", arn}};
    }
    Topic topic;
    topic.arn = arn;
    topic.name = name;
    topic.scope = scope;
    topic.fifo = fifo;
    topic.attributes = std::move(attributes);
    merge_tags(topic.tags, tags);
    topics_.emplace(arn, std::move(topic));
    return Json{{"TopicArn", arn}};
}

Json SnsService::delete_topic(const Call& call) {
    const std::string& arn = errors::required_string(call.params, "TopicArn");
    auto it = topics_.find(arn);
    if (it == topics_.end()) return Json::object();  // deleting a topic that is gone succeeds
    for (const auto& subscription : it->second.subscriptions) subscriptions_.erase(subscription);
    topics_.erase(it);
    return Json::object();
}

Json SnsService::get_topic_attributes(const Call& call) {
    const Topic& topic = topic_named_by(call.params, "TopicArn");
    Json attributes = Json::object();
    for (const auto& [k, v] : topic.attributes) attributes[k] = v;
    if (!attributes.contains("Policy")) attributes["Policy"] = default_policy(topic.arn, topic.scope.account);
    if (!attributes.contains("DisplayName")) attributes["DisplayName"] = "";
    attributes["Owner"] = topic.scope.account;
    attributes["TopicArn"] = topic.arn;
    attributes["EffectiveDeliveryPolicy"] =
        topic.attributes.contains("DeliveryPolicy") ? topic.attributes.at("DeliveryPolicy") : kEffectiveDeliveryPolicy;
    attributes["SubscriptionsConfirmed"] = std::to_string(topic.subscriptions.size());
    attributes["SubscriptionsPending"] = "0";
    attributes["SubscriptionsDeleted"] = std::to_string(topic.subscriptions_deleted);
    if (topic.fifo) {
        attributes["FifoTopic"] = "true";
        if (!attributes.contains("ContentBasedDeduplication")) attributes["ContentBasedDeduplication"] = "false";
    }
    return Json{{"Attributes", std::move(attributes)}};
}

Json SnsService::set_topic_attributes(const Call& call) {
    Topic& topic = topic_named_by(call.params, "TopicArn");
    const std::string& name = errors::required_string(call.params, "AttributeName");
    const auto* value = errors::string_member(call.params, "AttributeValue");
    if (!settable_topic_attribute(name)) throw errors::invalid_parameter("AttributeName");
    if (name == "ContentBasedDeduplication") {
        if (!topic.fifo)
            throw errors::invalid_parameter(
                "ContentBasedDeduplication: Content-based deduplication can only be set for FIFO topics");
        if (!value || (*value != "true" && *value != "false"))
            throw errors::invalid_parameter("ContentBasedDeduplication: Invalid value [" + (value ? *value : "") +
                                            "]. Must be true or false.");
    }
    topic.attributes[name] = value ? *value : "";
    return Json::object();
}

Json SnsService::list_topics(const Call& call) {
    const auto& scope = call.context.scope;
    const std::string prefix = "arn:aws:sns:" + scope.region + ":" + scope.account + ":";
    std::vector<const Topic*> mine;
    for (auto it = topics_.lower_bound(prefix); it != topics_.end() && it->first.starts_with(prefix); ++it)
        mine.push_back(&it->second);
    const auto* token = errors::string_member(call.params, "NextToken");
    // 100 topics a page, as AWS pages them (the ListTopics API reference).
    auto page = protocol::page_of(mine.size(), token ? *token : "", 100);
    if (!page) throw errors::invalid_parameter("NextToken");
    Json topics = Json::array();
    for (auto i = page->begin; i < page->end; ++i) topics.push_back({{"TopicArn", mine[i]->arn}});
    Json out = {{"Topics", std::move(topics)}};
    if (page->next_token) out["NextToken"] = *page->next_token;
    return out;
}

Json SnsService::tag_resource(const Call& call) {
    const std::string& arn = errors::required_string(call.params, "ResourceArn");
    auto it = topics_.find(arn);
    if (it == topics_.end()) throw errors::model_error("ResourceNotFoundException", "Resource does not exist");
    merge_tags(it->second.tags, read_tags(call.params, "Tags"));
    return Json::object();
}

Json SnsService::untag_resource(const Call& call) {
    const std::string& arn = errors::required_string(call.params, "ResourceArn");
    auto it = topics_.find(arn);
    if (it == topics_.end()) throw errors::model_error("ResourceNotFoundException", "Resource does not exist");
    if (auto keys = call.params.find("TagKeys"); keys != call.params.end() && keys->is_array())
        for (const auto& key : *keys)
            std::erase_if(it->second.tags, [&](const auto& t) { return key.is_string() && t.first == key; });
    return Json::object();
}

Json SnsService::list_tags_for_resource(const Call& call) {
    const std::string& arn = errors::required_string(call.params, "ResourceArn");
    auto it = topics_.find(arn);
    if (it == topics_.end()) throw errors::model_error("ResourceNotFoundException", "Resource does not exist");
    auto sorted = it->second.tags;  // AWS lists them by key (recorded: test_tags)
    std::sort(sorted.begin(), sorted.end());
    Json tags = Json::array();
    for (const auto& [k, v] : sorted) tags.push_back({{"Key", k}, {"Value", v}});
    return Json{{"Tags", std::move(tags)}};
}

}  // namespace sluice::sns
