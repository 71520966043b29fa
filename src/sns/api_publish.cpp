// Publish and PublishBatch: checks each message as SNS does, then hands it to fan_out.
#include <algorithm>
#include <cctype>
#include <set>

#include "errors.hpp"
#include "sluice/core/digest.hpp"
#include "sluice/core/ids.hpp"
#include "sluice/protocol/json_text.hpp"
#include "sluice/sns/sns_service.hpp"

namespace sluice::sns {

namespace {

// The largest message, and batch, SNS takes: 256 KiB (Publish API reference).
constexpr std::size_t kMaxMessageBytes = 256 * 1024;
constexpr std::size_t kMaxBatchEntries = 10;
constexpr std::size_t kMaxBatchIdLength = 80;

protocol::AwsError invalid_value(const std::string& message) {
    return errors::model_error("InvalidParameterValueException", message);
}

// Message attributes as SNS checks them; texts from LocalStack test_sns.py
// test_empty_or_wrong_message_attributes and test_message_attributes_validation... (recorded on
// AWS). `path` names the attributes in a ValidationError ("messageAttributes", or
// "publishBatchRequestEntries.N.member.messageAttributes").
void check_attributes(const Json& attributes, const std::string& path) {
    if (!attributes.is_object()) return;
    for (const auto& [name, attribute] : attributes.items()) {
        if (!attribute.is_object() || !attribute.contains("DataType"))
            throw protocol::AwsError("ValidationError", "1 validation error detected: Value null at '" + path + "." +
                                                            name +
                                                            ".member.dataType' failed to satisfy constraint: Member "
                                                            "must not be null");
        if (name.size() >= 256) throw invalid_value("Length of message attribute name must be less than 256 bytes.");
        if (name.starts_with('.'))
            throw invalid_value("Invalid message attribute name starting with character '.' was found.");
        if (name.ends_with('.'))
            throw invalid_value("Invalid message attribute name ending with character '.' was found.");
        if (name.find("..") != std::string::npos)
            throw invalid_value("Message attribute name can not have successive '.' character.");
        for (unsigned char c : name)
            if (!(std::isalnum(c) || c == '-' || c == '_' || c == '.')) {
                char code[8];
                std::snprintf(code, sizeof code, "#x%X", c);
                throw invalid_value(std::string("Invalid non-alphanumeric character '") + code +
                                    "' was found in the message attribute name. Can only include alphanumeric "
                                    "characters, hyphens, underscores, or dots.");
            }
        const std::string type = attribute.is_object() ? attribute.value("DataType", "") : "";
        const auto* string_value = errors::string_member(attribute, "StringValue");
        const auto* binary_value = errors::string_member(attribute, "BinaryValue");
        const bool binary = type.starts_with("Binary");
        if (!binary && !type.starts_with("String") && !type.starts_with("Number"))
            throw invalid_value("The message attribute '" + name +
                                "' has an invalid message attribute type, the set of supported type prefixes is "
                                "Binary, Number, and String.");
        const std::string base = binary ? "Binary" : type.starts_with("String") ? "String" : "Number";
        if (binary ? string_value != nullptr : binary_value != nullptr)
            throw invalid_value("The message attribute '" + name + "' with type '" + base + "' must use field '" +
                                (binary ? "Binary" : "String") + "'.");
        const auto* value = binary ? binary_value : string_value;
        if (!value || value->empty())
            throw invalid_value("The message attribute '" + name +
                                "' must contain non-empty message attribute value for message attribute type '" + base +
                                "'.");
        if (base == "Number") {
            // A decimal number (strtod alone would also take "nan", "inf" and hex).
            char* end = nullptr;
            std::strtod(value->c_str(), &end);
            const bool decimal = std::all_of(value->begin(), value->end(), [](unsigned char c) {
                return std::isdigit(c) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
            });
            if (!decimal || end != value->c_str() + value->size())
                throw invalid_value("Could not cast message attribute '" + name + "' value to number.");
        }
    }
}

// What one entry of Publish or PublishBatch asks for, checked.
struct Request {
    std::string message, subject, structure, group_id, deduplication_id;
    Json attributes = Json::object();
};

Request read_request(const Json& params) {
    Request r;
    r.message = errors::required_string(params, "Message");
    if (const auto* s = errors::string_member(params, "Subject")) r.subject = *s;
    if (const auto* s = errors::string_member(params, "MessageStructure")) r.structure = *s;
    if (const auto* s = errors::string_member(params, "MessageGroupId")) r.group_id = *s;
    if (const auto* s = errors::string_member(params, "MessageDeduplicationId")) r.deduplication_id = *s;
    if (auto it = params.find("MessageAttributes"); it != params.end() && it->is_object()) r.attributes = *it;
    return r;
}

}  // namespace

// The checks of one message against its topic, and the message as fan_out takes it. Answers
// {MessageId, SequenceNumber?}; a duplicate within the FIFO window answers as the first did.
Json SnsService::publish_one(Topic& topic, const Json& params, const std::string& host, const std::string& path,
                             bool check_only) {
    Request r = read_request(params);
    if (r.message.empty()) throw errors::invalid_parameter("Empty message");
    if (r.message.size() > kMaxMessageBytes) throw errors::invalid_parameter("Message too long");
    if (params.contains("Subject") &&
        (r.subject.empty() || r.subject.size() >= 100 ||
         std::any_of(r.subject.begin(), r.subject.end(), [](unsigned char c) { return c < 0x20 || c >= 0x7f; })))
        throw errors::invalid_parameter("Subject");
    check_attributes(r.attributes, path);
    Message m;
    if (!r.structure.empty()) {
        if (r.structure != "json") throw errors::invalid_parameter("MessageStructure");
        auto structured = protocol::parse_json(r.message);
        if (!structured.is_object())
            throw errors::invalid_parameter("Message Structure - JSON message body failed to parse");
        auto fallback = structured.find("default");
        if (fallback == structured.end() || !fallback->is_string())
            throw errors::invalid_parameter("Message Structure - No default entry in JSON message body");
        for (const auto& [protocol, text] : structured.items())
            if (text.is_string()) m.per_protocol[protocol] = text.get<std::string>();
    }
    if (topic.fifo) {
        if (r.group_id.empty())
            throw errors::invalid_parameter("The MessageGroupId parameter is required for FIFO topics");
        if (r.deduplication_id.empty()) {
            if (!topic.content_based_deduplication())
                throw errors::invalid_parameter(
                    "The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId "
                    "provided explicitly");
            r.deduplication_id = core::sha256_hex(r.message);  // content-based: the body's SHA-256
        }
    } else {
        if (!r.deduplication_id.empty())
            throw errors::invalid_parameter(
                "MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not "
                "valid "
                "for this topic type");
    }

    if (check_only) return Json::object();
    const auto now = clock_.now();
    if (topic.fifo) {
        // Five minutes of deduplication, per topic (the FIFO topics page of the SNS guide).
        std::erase_if(topic.recent, [&](const auto& entry) { return entry.second.expires <= now; });
        if (auto seen = topic.recent.find(r.deduplication_id); seen != topic.recent.end())
            return Json{{"MessageId", seen->second.message_id}, {"SequenceNumber", seen->second.sequence_number}};
    }
    m.id = core::random_uuid_string();
    m.message = std::move(r.message);
    m.subject = std::move(r.subject);
    m.group_id = std::move(r.group_id);
    m.deduplication_id = std::move(r.deduplication_id);
    m.attributes = std::move(r.attributes);
    m.timestamp = now;
    Json out = {{"MessageId", m.id}};
    if (topic.fifo) {
        m.sequence_number = std::to_string(10'000'000'000'000'000'000ULL + ++topic.next_sequence);
        topic.recent[m.deduplication_id] = {m.id, m.sequence_number, now + std::chrono::minutes(5)};
        out["SequenceNumber"] = m.sequence_number;
    }
    fan_out(topic, m, host);
    return out;
}

Json SnsService::publish(const Call& call) {
    const auto* topic_arn = errors::string_member(call.params, "TopicArn");
    const auto* target_arn = errors::string_member(call.params, "TargetArn");
    if (errors::string_member(call.params, "PhoneNumber"))
        throw errors::invalid_parameter("PhoneNumber Reason: Sluice does not send SMS");
    if (!topic_arn && !target_arn)
        throw errors::invalid_parameter("TopicArn or TargetArn Reason: no value for required parameter");
    Topic& topic = topic_named_by(call.params, topic_arn ? "TopicArn" : "TargetArn");
    if (!call.params.contains("Message")) throw errors::missing("Message");
    return publish_one(topic, call.params, call.context.host, "messageAttributes", false);
}

Json SnsService::publish_batch(const Call& call) {
    Topic& topic = topic_named_by(call.params, "TopicArn");
    auto entries_it = call.params.find("PublishBatchRequestEntries");
    if (entries_it == call.params.end() || !entries_it->is_array()) throw errors::missing("PublishBatchRequestEntries");
    const Json& entries = *entries_it;
    if (entries.empty())
        throw errors::model_error("EmptyBatchRequestException", "The batch request doesn't contain any entries.");
    if (entries.size() > kMaxBatchEntries)
        throw errors::model_error("TooManyEntriesInBatchRequestException",
                                  "The batch request contains more entries than permissible.");
    std::set<std::string> ids;
    std::size_t total = 0;
    for (const auto& entry : entries) {
        const std::string& id = errors::required_string(entry, "Id");
        if (id.size() > kMaxBatchIdLength)
            throw errors::model_error("InvalidBatchEntryIdException",
                                      "The Id of a batch entry in the batch request is too long: " + id);
        if (id.empty() ||
            !std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_'; }))
            throw errors::model_error("InvalidBatchEntryIdException",
                                      "The Id of a batch entry in the batch request contains an impermissible "
                                      "character: " +
                                          id);
        if (!ids.insert(id).second)
            throw errors::model_error("BatchEntryIdsNotDistinctException",
                                      "Two or more batch entries in the request have the same Id.");
        if (const auto* message = errors::string_member(entry, "Message")) total += message->size();
    }
    if (total > kMaxMessageBytes)
        throw errors::model_error("BatchRequestTooLongException",
                                  "The length of all the messages put together is more than the limit.");
    // A FIFO topic refuses the whole batch when an entry lacks what every entry needs (recorded on
    // AWS: test_publish_batch_exceptions).
    if (topic.fifo)
        for (const auto& entry : entries) {
            if (!errors::string_member(entry, "MessageGroupId"))
                throw errors::invalid_parameter("The MessageGroupId parameter is required for FIFO topics");
            if (!errors::string_member(entry, "MessageDeduplicationId") && !topic.content_based_deduplication())
                throw errors::invalid_parameter(
                    "The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId "
                    "provided explicitly");
        }
    // A bad entry fails the whole call, before any is published (recorded on AWS:
    // test_empty_or_wrong_message_attributes, the batch-* cases).
    for (std::size_t i = 0; i < entries.size(); ++i)
        publish_one(topic, entries[i], call.context.host,
                    "publishBatchRequestEntries." + std::to_string(i + 1) + ".member.messageAttributes", true);
    Json successful = Json::array(), failed = Json::array();
    for (std::size_t i = 0; i < entries.size(); ++i) {
        Json answer = publish_one(topic, entries[i], call.context.host, "", false);
        answer["Id"] = entries[i]["Id"];
        successful.push_back(std::move(answer));
    }
    return Json{{"Successful", std::move(successful)}, {"Failed", std::move(failed)}};
}

}  // namespace sluice::sns
