#pragma once
// The SNS service: topics, subscriptions of SQS queues with filter policies, and Publish /
// PublishBatch fanning each message out to the subscribed queues through the in-process client
// (SQS's own SendMessage, so a delivery is exactly what a client's send would be).
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sluice/core/scheduler.hpp"
#include "sluice/protocol/local_client.hpp"
#include "sluice/protocol/operation_table.hpp"
#include "sluice/sns/topic.hpp"

namespace sluice::sns {

using protocol::Call;
using protocol::Json;

const protocol::Model& model();

class SnsService final : public protocol::TableService<SnsService>, public std::enable_shared_from_this<SnsService> {
public:
    SnsService(core::Scheduler& scheduler, protocol::LocalClient& client);
    ~SnsService() override;

    std::string_view name() const override { return "sns"; }
    const protocol::Model& model() const override;
    void shutdown() override {}
    void reset() override;
    Json introspect() const override;

private:
    friend class protocol::TableService<SnsService>;
    static const protocol::OperationTable<SnsService>& operations();
    static const protocol::InvokeRules& invoke_rules();

    // Topics (api_topics.cpp)
    Json create_topic(const Call&);
    Json delete_topic(const Call&);
    Json get_topic_attributes(const Call&);
    Json set_topic_attributes(const Call&);
    Json list_topics(const Call&);
    Json tag_resource(const Call&);
    Json untag_resource(const Call&);
    Json list_tags_for_resource(const Call&);
    // Subscriptions (api_subscriptions.cpp)
    Json subscribe(const Call&);
    Json unsubscribe(const Call&);
    Json get_subscription_attributes(const Call&);
    Json set_subscription_attributes(const Call&);
    Json list_subscriptions(const Call&);
    Json list_subscriptions_by_topic(const Call&);
    // Publishing (api_publish.cpp)
    Json publish(const Call&);
    Json publish_batch(const Call&);
    // Checks one message (Publish, or an entry of PublishBatch) and, unless `check_only`,
    // publishes it: {MessageId, SequenceNumber?}. `path` names its attributes in errors.
    Json publish_one(Topic& topic, const Json& entry, const std::string& host, const std::string& path,
                     bool check_only);

    // Shared helpers (sns_service.cpp)
    Topic& topic_named_by(const Json& params, const char* member);  // NotFound, or InvalidParameter
    Subscription& subscription_named_by(const Json& params);
    void apply_subscription_attribute(Subscription& s, const Topic& topic, const std::string& name,
                                      const std::string& value, PolicyCaller caller);

    // Delivery (delivery.cpp): one published message, after checks, to every subscriber whose
    // filter policy lets it through; the sends happen once the lock is released.
    struct Message {
        std::string id, message, subject, structure_default, sequence_number, group_id, deduplication_id;
        Json attributes = Json::object();                 // as published: {name: {DataType, StringValue|BinaryValue}}
        std::map<std::string, std::string> per_protocol;  // MessageStructure json: {"sqs": ..., "default": ...}
        core::TimePoint timestamp;
    };
    void fan_out(Topic& topic, const Message& m, const std::string& host);
    void send(const std::shared_ptr<SnsService>& self, Delivery d, bool fifo);
    void delivered(const std::string& subscription_arn);

    core::Scheduler& scheduler_;
    const core::Clock& clock_;
    protocol::LocalClient& client_;
    std::map<std::string, Topic> topics_;                // by ARN
    std::map<std::string, Subscription> subscriptions_;  // by ARN
};

}  // namespace sluice::sns
