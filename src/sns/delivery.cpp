// Delivery: a published message, to every subscription whose filter policy lets it through, as
// SQS's own SendMessage through the in-process client. The body is the JSON envelope AWS writes
// (or the message itself with RawMessageDelivery); a send that fails goes to the subscription's
// dead-letter queue when it has one. A FIFO topic sends one message at a time per subscription,
// so each queue gets them in the order they were published.
#include <spdlog/spdlog.h>

#include "sluice/core/arn.hpp"
#include "sluice/core/digest.hpp"
#include "sluice/core/encoding.hpp"
#include "sluice/protocol/json_text.hpp"
#include "sluice/sns/sns_service.hpp"

namespace sluice::sns {

namespace {

void field(std::string& out, std::string_view name, std::string_view value) {
    out += "  ";
    protocol::dump_json_string(name, out);
    out += " : ";
    protocol::dump_json_string(value, out);
}

}  // namespace

// The envelope as SNS writes it for SQS and HTTP subscribers: Jackson's pretty printer (two
// spaces, " : "), members in this order, Subject only when given, the signature fields only on
// standard topics, SequenceNumber only on FIFO ones, MessageAttributes last, each on one line
// (the "Fanout to Amazon SQS queues" page of the SNS guide; LocalStack test_sns.py
// test_subscribe_sqs_queue and test_message_to_fifo_sqs, recorded on AWS).
std::string envelope(const Topic& topic, const std::string& message_id, const std::string& sequence_number,
                     const std::string& subject, const std::string& message, core::TimePoint timestamp,
                     const Json& attributes, const std::string& subscription_arn, const std::string& host) {
    const std::string base = "http://" + (host.empty() ? std::string("localhost:4566") : host);
    std::string out = "{\n";
    field(out, "Type", "Notification");
    out += ",\n";
    field(out, "MessageId", message_id);
    out += ",\n";
    if (topic.fifo) {
        field(out, "SequenceNumber", sequence_number);
        out += ",\n";
    }
    field(out, "TopicArn", topic.arn);
    out += ",\n";
    if (!subject.empty()) {
        field(out, "Subject", subject);
        out += ",\n";
    }
    field(out, "Message", message);
    out += ",\n";
    const std::string timestamp_text = core::iso8601(timestamp);
    field(out, "Timestamp", timestamp_text);
    out += ",\n";
    if (!topic.fifo) {
        auto version = topic.attributes.find("SignatureVersion");
        const std::string signature_version = version != topic.attributes.end() ? version->second : "1";
        field(out, "SignatureVersion", signature_version);
        out += ",\n";
        // Sluice holds no AWS signing key: the signature is the digest of what AWS signs
        // (docs/research/sns-behaviour.md), which no certificate verifies.
        const std::string signed_text = "Message\n" + message + "\nMessageId\n" + message_id + "\n" +
                                        (subject.empty() ? "" : "Subject\n" + subject + "\n") + "Timestamp\n" +
                                        timestamp_text + "\nTopicArn\n" + topic.arn + "\nType\nNotification\n";
        field(out, "Signature",
              core::base64_encode(signature_version == "2" ? core::sha256_hex(signed_text)
                                                           : core::sha1_hex(signed_text)));
        out += ",\n";
        field(out, "SigningCertURL", base + "/_sluice/sns/SimpleNotificationService-sluice.pem");
        out += ",\n";
    }
    field(out, "UnsubscribeURL", base + "/?Action=Unsubscribe&SubscriptionArn=" + subscription_arn);
    if (attributes.is_object() && !attributes.empty()) {
        out += ",\n  \"MessageAttributes\" : {\n";
        bool first = true;
        for (const auto& [name, attribute] : attributes.items()) {
            if (!first) out += ",\n";
            first = false;
            const std::string type = attribute.value("DataType", "String");
            const bool binary = type.starts_with("Binary");
            out += "    ";
            protocol::dump_json_string(name, out);
            out += " : {\"Type\":";
            protocol::dump_json_string(type, out);
            out += ",\"Value\":";
            protocol::dump_json_string(attribute.value(binary ? "BinaryValue" : "StringValue", ""), out);
            out += "}";
        }
        out += "\n  }";
    }
    out += "\n}";
    return out;
}

void SnsService::fan_out(Topic& topic, const Message& m, const std::string& host) {
    auto self = shared_from_this();
    for (const auto& arn : topic.subscriptions) {
        Subscription& s = subscriptions_.at(arn);
        if (s.filter &&
            !(s.filter->scope() == FilterPolicyScope::MessageBody ? s.filter->matches_body(m.message)
                                                                  : s.filter->matches_attributes(m.attributes)))
            continue;
        auto structured = m.per_protocol.find("sqs");
        if (structured == m.per_protocol.end()) structured = m.per_protocol.find("default");
        const std::string& text = structured != m.per_protocol.end() ? structured->second : m.message;
        Delivery d;
        d.subscription_arn = s.arn;
        d.queue_arn = s.endpoint;
        d.dead_letter_arn = s.dead_letter_arn;
        if (s.raw) {
            d.body = text;
            if (!m.attributes.empty()) d.message_attributes = m.attributes;
        } else {
            d.body = envelope(topic, m.id, m.sequence_number, m.subject, text, m.timestamp, m.attributes, s.arn, host);
        }
        if (topic.fifo) {
            d.group_id = m.group_id;
            d.deduplication_id = m.deduplication_id;
            s.queued.push_back(std::move(d));
            if (!s.delivering) {
                s.delivering = true;
                Delivery next = std::move(s.queued.front());
                s.queued.pop_front();
                lock_.defer([self, next = std::move(next)]() mutable { self->send(self, std::move(next), true); });
            }
        } else {
            lock_.defer([self, d = std::move(d)]() mutable { self->send(self, std::move(d), false); });
        }
    }
}

namespace {

// SendMessage's parameters for `queue_arn`: the queue named by its path (/account/name), the
// FIFO members only for a FIFO queue (a standard queue refuses a deduplication id).
Json send_params(const Delivery& d, const core::Arn& queue) {
    Json params = {{"QueueUrl", "/" + queue.account + "/" + queue.resource}, {"MessageBody", d.body}};
    if (!d.message_attributes.is_null()) params["MessageAttributes"] = d.message_attributes;
    if (queue.resource.ends_with(".fifo")) {
        if (!d.group_id.empty()) params["MessageGroupId"] = d.group_id;
        if (!d.deduplication_id.empty()) params["MessageDeduplicationId"] = d.deduplication_id;
    }
    return params;
}

}  // namespace

void SnsService::send(const std::shared_ptr<SnsService>& self, Delivery d, bool fifo) {
    auto queue = core::Arn::parse(d.queue_arn);
    auto finished = [self, arn = d.subscription_arn, fifo] {
        if (fifo) self->delivered(arn);
    };
    if (!queue) return finished();
    auto params = send_params(d, *queue);
    client_.call("sqs", "SendMessage", std::move(params), core::Scope{queue->account, queue->region},
                 [self, d = std::move(d), finished](protocol::Outcome outcome) {
                     const auto* error = std::get_if<protocol::AwsError>(&outcome);
                     if (!error) return finished();
                     spdlog::info("sns: delivery to {} for {} failed: {} {}", d.queue_arn, d.subscription_arn,
                                  error->query_code, error->message());
                     auto dlq = core::Arn::parse(d.dead_letter_arn);
                     if (d.dead_letter_arn.empty() || !dlq) return finished();
                     // Undeliverable: to the subscription's dead-letter queue (the SNS guide's
                     // "Amazon SNS dead-letter queues" page).
                     self->client_.call("sqs", "SendMessage", send_params(d, *dlq),
                                        core::Scope{dlq->account, dlq->region}, [d, finished](protocol::Outcome dead) {
                                            if (auto* e = std::get_if<protocol::AwsError>(&dead))
                                                spdlog::warn(
                                                    "sns: message for {} lost: its dead-letter queue {} "
                                                    "refused it: {}",
                                                    d.subscription_arn, d.dead_letter_arn, e->message());
                                            finished();
                                        });
                 });
}

void SnsService::delivered(const std::string& subscription_arn) {
    auto self = shared_from_this();
    lock_.run([&] {
        auto it = subscriptions_.find(subscription_arn);
        if (it == subscriptions_.end()) return;
        Subscription& s = it->second;
        if (s.queued.empty()) {
            s.delivering = false;
            return;
        }
        Delivery next = std::move(s.queued.front());
        s.queued.pop_front();
        lock_.defer([self, next = std::move(next)]() mutable { self->send(self, std::move(next), true); });
    });
}

}  // namespace sluice::sns
