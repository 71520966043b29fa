#pragma once
// A queue's settable attributes, typed, with AWS's validation and defaults. GetQueueAttributes
// renders them back as the strings AWS uses.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::sqs {

struct RedrivePolicy {
    std::string dead_letter_target_arn;
    int max_receive_count = 0;
};

struct QueueConfig {
    int visibility_timeout = 30;
    int delay_seconds = 0;
    int maximum_message_size = 1'048'576;
    int message_retention_period = 345'600;
    int receive_message_wait_time_seconds = 0;
    bool fifo = false;
    bool content_based_deduplication = false;
    std::string deduplication_scope = "queue";
    std::string fifo_throughput_limit = "perQueue";
    std::optional<std::string> policy;
    std::optional<std::string> redrive_policy;  // as given, re-rendered canonically
    std::optional<std::string> redrive_allow_policy;
    std::optional<std::string> kms_master_key_id;
    int kms_data_key_reuse_period_seconds = 300;
    bool sqs_managed_sse_enabled = true;
    std::optional<RedrivePolicy> redrive;

    // Validates and applies attributes (CreateQueue, SetQueueAttributes). Throws AwsError
    // InvalidAttributeName / InvalidAttributeValue as AWS does. Cross-queue checks (does the
    // dead-letter target exist) are the service's.
    void apply(const std::map<std::string, std::string>& attributes, bool creating);

    // Settable attributes with their current values, as GetQueueAttributes shows them.
    std::vector<std::pair<std::string, std::string>> render() const;
};

// "true" or "false" in any case, as AWS reads boolean attributes; nullopt for anything else.
std::optional<bool> parse_boolean(std::string_view text);

// Every attribute name GetQueueAttributes knows (for validation and for "All").
bool is_known_attribute(const std::string& name);

}  // namespace sluice::sqs
