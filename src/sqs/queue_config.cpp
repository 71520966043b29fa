#include "sluice/sqs/queue_config.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

#include <nlohmann/json.hpp>

#include "sluice/core/arn.hpp"
#include "sluice/sqs/errors.hpp"

namespace sluice::sqs {

namespace {

using Json = nlohmann::json;

const std::vector<std::string>& all_attribute_names() {
    static const std::vector<std::string> names = {"ApproximateNumberOfMessages",
                                                   "ApproximateNumberOfMessagesDelayed",
                                                   "ApproximateNumberOfMessagesNotVisible",
                                                   "CreatedTimestamp",
                                                   "DelaySeconds",
                                                   "LastModifiedTimestamp",
                                                   "MaximumMessageSize",
                                                   "MessageRetentionPeriod",
                                                   "Policy",
                                                   "QueueArn",
                                                   "ReceiveMessageWaitTimeSeconds",
                                                   "RedrivePolicy",
                                                   "RedriveAllowPolicy",
                                                   "VisibilityTimeout",
                                                   "KmsMasterKeyId",
                                                   "KmsDataKeyReusePeriodSeconds",
                                                   "SqsManagedSseEnabled",
                                                   "FifoQueue",
                                                   "ContentBasedDeduplication",
                                                   "DeduplicationScope",
                                                   "FifoThroughputLimit"};
    return names;
}

protocol::AwsError unknown_attribute(const std::string& name) {
    return error("InvalidAttributeName", "Unknown Attribute " + name + ".");
}

protocol::AwsError invalid_value(const std::string& name, const std::string& reason = {}) {
    return error("InvalidAttributeValue",
                 "Invalid value for the parameter " + name + "." + (reason.empty() ? "" : " Reason: " + reason));
}

int parse_int(const std::string& name, const std::string& text, int min, int max) {
    int v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || v < min || v > max)
        throw invalid_value(name);
    return v;
}

}  // namespace

// AWS reads boolean attributes without regard to case: queues created with "FifoQueue": "True"
// and "ContentBasedDeduplication": "True" / "False" are recorded as accepted, and rendered back
// as "true" / "false" (LocalStack test_sqs.py test_fifo_approximate_number_of_messages_not_visible,
// test_sqs_fifo_same_dedup_id_different_message_groups, test_fifo_high_throughput_ordering).
std::optional<bool> parse_boolean(std::string_view text) {
    auto equals = [&](std::string_view word) {
        return text.size() == word.size() && std::equal(text.begin(), text.end(), word.begin(), [](char a, char b) {
                   return std::tolower(static_cast<unsigned char>(a)) == b;
               });
    };
    if (equals("true")) return true;
    if (equals("false")) return false;
    return std::nullopt;
}

namespace {

bool parse_bool(const std::string& name, const std::string& text) {
    if (auto value = parse_boolean(text)) return *value;
    throw invalid_value(name);
}

RedrivePolicy parse_redrive(const std::string& text) {
    Json doc = Json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        throw invalid_value("RedrivePolicy", "Redrive policy is not a valid JSON map.");
    auto invalid = [&](const std::string& reason) {
        return invalid_parameter_value("Value " + text + " for parameter RedrivePolicy is invalid. Reason: " + reason);
    };
    for (const auto& [key, value] : doc.items())
        if (key != "deadLetterTargetArn" && key != "maxReceiveCount")
            throw invalid("Only following attributes are supported: [maxReceiveCount, deadLetterTargetArn].");
    for (const char* key : {"deadLetterTargetArn", "maxReceiveCount"})
        if (!doc.contains(key))
            throw invalid(std::string("Redrive policy does not contain mandatory attribute: ") + key + ".");
    RedrivePolicy policy;
    const auto& count = doc["maxReceiveCount"];
    std::string count_text = count.is_string() ? count.get<std::string>() : count.dump();
    long long n = 0;
    auto [ptr, ec] = std::from_chars(count_text.data(), count_text.data() + count_text.size(), n);
    if (ec != std::errc() || ptr != count_text.data() + count_text.size() || n < 1 || n > 1000)
        throw invalid("Invalid value for maxReceiveCount: " + count_text +
                      ", valid values are from 1 to 1000 both inclusive.");
    policy.max_receive_count = static_cast<int>(n);
    const auto& arn = doc["deadLetterTargetArn"];
    auto parsed = arn.is_string() ? core::Arn::parse(arn.get<std::string>()) : std::nullopt;
    if (!parsed || parsed->service != "sqs") throw invalid("Dead-letter target ARN should be fully qualified ARN.");
    policy.dead_letter_target_arn = arn.get<std::string>();
    return policy;
}

void check_redrive_allow(const std::string& text) {
    Json doc = Json::parse(text, nullptr, false);
    const std::string unsupported =
        "Amazon SQS can't create the redrive allow policy, as it\u2019s in an unsupported format.";
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("redrivePermission") ||
        !doc["redrivePermission"].is_string())
        throw invalid_value("RedriveAllowPolicy", unsupported);
    auto permission = doc["redrivePermission"].get<std::string>();
    if (permission != "allowAll" && permission != "denyAll" && permission != "byQueue")
        throw invalid_value("RedriveAllowPolicy", unsupported);
    auto invalid = [&](const std::string& reason) {
        return invalid_parameter_value("Value " + text +
                                       " for parameter RedriveAllowPolicy is invalid. Reason: " + reason);
    };
    const bool has_sources = doc.contains("sourceQueueArns");
    if (permission == "byQueue") {
        if (!has_sources || !doc["sourceQueueArns"].is_array() || doc["sourceQueueArns"].empty())
            throw invalid(
                "Amazon SQS can't create the redrive allow policy. When you specify the byQueue permission type, "
                "you must also specify one or more sourceQueueArns values.");
        if (doc["sourceQueueArns"].size() > 10)
            throw invalid(
                "Amazon SQS can't create the redrive allow policy. The maximum number of source queue ARNs you "
                "can specify is 10.");
    } else if (has_sources) {
        throw invalid(
            "Amazon SQS can't create the redrive allow policy. To specify one or more source queue ARNs, you "
            "must set redrivePermission to byQueue.");
    }
}

}  // namespace

bool is_known_attribute(const std::string& name) {
    const auto& names = all_attribute_names();
    return std::find(names.begin(), names.end(), name) != names.end();
}

void QueueConfig::apply(const std::map<std::string, std::string>& attributes, bool /*creating*/) {
    static const std::set<std::string> read_only = {"ApproximateNumberOfMessages",
                                                    "ApproximateNumberOfMessagesDelayed",
                                                    "ApproximateNumberOfMessagesNotVisible",
                                                    "CreatedTimestamp",
                                                    "LastModifiedTimestamp",
                                                    "QueueArn"};
    bool sse_requested = false;
    for (const auto& [name, value] : attributes) {
        if (name == "DelaySeconds")
            delay_seconds = parse_int(name, value, 0, 900);
        else if (name == "MaximumMessageSize")
            maximum_message_size = parse_int(name, value, 1024, 1'048'576);
        else if (name == "MessageRetentionPeriod")
            message_retention_period = parse_int(name, value, 60, 1'209'600);
        else if (name == "ReceiveMessageWaitTimeSeconds")
            receive_message_wait_time_seconds = parse_int(name, value, 0, 20);
        else if (name == "VisibilityTimeout")
            visibility_timeout = parse_int(name, value, 0, 43'200);
        else if (name == "KmsDataKeyReusePeriodSeconds")
            kms_data_key_reuse_period_seconds = parse_int(name, value, 60, 86'400);
        else if (name == "Policy") {
            if (value.empty())
                policy.reset();
            else {
                Json doc = Json::parse(value, nullptr, false);
                if (doc.is_discarded() || !doc.is_object()) throw invalid_value("Policy");
                policy = value;
            }
        } else if (name == "RedrivePolicy") {
            if (value.empty()) {
                redrive_policy.reset();
                redrive.reset();
            } else {
                redrive = parse_redrive(value);
                redrive_policy = Json{{"deadLetterTargetArn", redrive->dead_letter_target_arn},
                                      {"maxReceiveCount", redrive->max_receive_count}}
                                     .dump();
            }
        } else if (name == "RedriveAllowPolicy") {
            if (value.empty())
                redrive_allow_policy.reset();
            else {
                check_redrive_allow(value);
                redrive_allow_policy = value;
            }
        } else if (name == "KmsMasterKeyId") {
            if (value.empty())
                kms_master_key_id.reset();
            else {
                kms_master_key_id = value;
                sqs_managed_sse_enabled = false;
            }
        } else if (name == "SqsManagedSseEnabled") {
            sqs_managed_sse_enabled = parse_bool(name, value);
            sse_requested = sqs_managed_sse_enabled;
        } else if (name == "FifoQueue") {
            if (!fifo) throw unknown_attribute(name);
            // Setting a FIFO queue's FifoQueue to true again is a no-op; only false is refused
            // (LocalStack test_sqs.py test_set_unsupported_attribute_fifo, recorded on AWS).
            if (!parse_bool(name, value)) throw invalid_value(name, "Modifying queue type is not supported.");
        } else if (name == "ContentBasedDeduplication") {
            if (!fifo) throw unknown_attribute(name);
            content_based_deduplication = parse_bool(name, value);
        } else if (name == "DeduplicationScope") {
            if (!fifo)
                throw error("InvalidAttributeName",
                            "You can specify the DeduplicationScope only when FifoQueue is set to true.");
            if (value != "queue" && value != "messageGroup") throw invalid_value(name);
            deduplication_scope = value;
        } else if (name == "FifoThroughputLimit") {
            if (!fifo)
                throw error("InvalidAttributeName",
                            "You can specify the FifoThroughputLimit only when FifoQueue is set to true.");
            if (value != "perQueue" && value != "perMessageGroupId") throw invalid_value(name);
            fifo_throughput_limit = value;
        } else if (read_only.count(name) || !is_known_attribute(name)) {
            throw unknown_attribute(name);
        }
    }
    if (sse_requested && kms_master_key_id)
        throw error(
            "InvalidAttributeName",
            "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or "
            "SQS SSE.");
    if (fifo && fifo_throughput_limit == "perMessageGroupId" && deduplication_scope == "queue")
        throw invalid_value(
            "FifoThroughputLimit",
            "To set FifoThroughputLimit to perMessageGroupId, the DeduplicationScope must be messageGroup.");
}

std::vector<std::pair<std::string, std::string>> QueueConfig::render() const {
    std::vector<std::pair<std::string, std::string>> out = {
        {"DelaySeconds", std::to_string(delay_seconds)},
        {"MaximumMessageSize", std::to_string(maximum_message_size)},
        {"MessageRetentionPeriod", std::to_string(message_retention_period)},
        {"ReceiveMessageWaitTimeSeconds", std::to_string(receive_message_wait_time_seconds)},
        {"VisibilityTimeout", std::to_string(visibility_timeout)},
        {"SqsManagedSseEnabled", sqs_managed_sse_enabled ? "true" : "false"},
    };
    if (policy) out.emplace_back("Policy", *policy);
    if (redrive_policy) out.emplace_back("RedrivePolicy", *redrive_policy);
    if (redrive_allow_policy) out.emplace_back("RedriveAllowPolicy", *redrive_allow_policy);
    if (kms_master_key_id) {
        out.emplace_back("KmsMasterKeyId", *kms_master_key_id);
        out.emplace_back("KmsDataKeyReusePeriodSeconds", std::to_string(kms_data_key_reuse_period_seconds));
    }
    if (fifo) {
        out.emplace_back("FifoQueue", "true");
        out.emplace_back("ContentBasedDeduplication", content_based_deduplication ? "true" : "false");
        out.emplace_back("DeduplicationScope", deduplication_scope);
        out.emplace_back("FifoThroughputLimit", fifo_throughput_limit);
    }
    return out;
}

}  // namespace sluice::sqs
