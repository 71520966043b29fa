#pragma once
// SNS's resources: topics (standard or FIFO) and their subscriptions, kept by the SnsService
// under its lock. A subscription's attributes are stored as SNS returns them (strings); the
// filter policy is compiled once when it is set.
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sluice/core/clock.hpp"
#include "sluice/core/scope.hpp"
#include "sluice/sns/filter_policy.hpp"

namespace sluice::sns {

// What one subscriber is sent for one published message (delivery.cpp builds and sends it).
struct Delivery {
    std::string subscription_arn;
    std::string queue_arn;
    std::string body;
    nlohmann::json message_attributes;  // SQS MessageAttributes (raw delivery), or null
    std::string group_id, deduplication_id;
    std::string dead_letter_arn;  // the subscription's RedrivePolicy target, or empty
};

struct Subscription {
    std::string arn, topic_arn, protocol, endpoint, owner;
    std::map<std::string, std::string> attributes;  // settable ones: FilterPolicy, RawMessageDelivery, ...
    std::optional<FilterPolicy> filter;
    bool raw = false;
    std::string dead_letter_arn;
    // FIFO topics deliver one message at a time per subscription, in order.
    std::deque<Delivery> queued;
    bool delivering = false;
};

struct Topic {
    std::string arn, name;
    core::Scope scope;
    bool fifo = false;
    std::map<std::string, std::string> attributes;  // settable ones as set (DisplayName, Policy, ...)
    std::vector<std::pair<std::string, std::string>> tags;
    std::vector<std::string> subscriptions;  // ARNs, in the order they were made
    std::uint64_t subscriptions_deleted = 0;
    // FIFO: deduplication ids seen in the last five minutes, with the answer they got.
    struct Published {
        std::string message_id, sequence_number;
        core::TimePoint expires;
    };
    std::map<std::string, Published> recent;
    std::uint64_t next_sequence = 0;

    bool content_based_deduplication() const {
        auto it = attributes.find("ContentBasedDeduplication");
        return it != attributes.end() && it->second == "true";
    }
};

}  // namespace sluice::sns
