#pragma once
// A message as a queue stores it. Fields every message has stay inline; the rare ones (user
// attributes, FIFO ids, trace header, DLQ origin) live behind one pointer so a plain message
// costs little more than its body.
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "sluice/core/clock.hpp"
#include "sluice/core/digest.hpp"
#include "sluice/core/ids.hpp"

namespace sluice::sqs {

using core::Millis;
using core::TimePoint;

// One message attribute. Binary values are kept decoded; the wire carries them in base64.
struct AttributeValue {
    std::string data_type;  // "String", "Number", "Binary", optionally with a ".custom" suffix
    std::string value;      // the string value, or the binary bytes
    bool is_binary() const { return data_type.rfind("Binary", 0) == 0; }
};

// Sorted by name, the order AWS hashes them in.
using MessageAttributes = std::map<std::string, AttributeValue>;

// MD5 over AWS's encoding of attributes: per attribute, sorted by name, the length-prefixed
// name and data type, a transport byte (1 string/number, 2 binary) and the length-prefixed value.
core::Md5 md5_of_attributes(const MessageAttributes& attributes);

struct MessageExtras {
    MessageAttributes attributes;
    MessageAttributes system_attributes;  // AWSTraceHeader
    std::string group_id;
    std::string deduplication_id;
    std::uint64_t sequence_number = 0;
    std::string dead_letter_source_arn;
};

struct Message {
    enum class State : std::uint8_t { Delayed, Visible, InFlight };

    std::uint64_t serial = 0;  // the queue's own key for it, in arrival order
    core::Uuid id{};
    core::Md5 body_md5{};
    std::string body;
    TimePoint sent{};
    TimePoint visible_at{};      // when Delayed or InFlight: when it becomes visible
    TimePoint first_received{};  // zero until first received
    TimePoint last_received{};   // the receive the current receipt handle belongs to
    std::uint32_t receive_count = 0;
    std::uint32_t receipt_nonce = 0;  // changes with every receive; a receipt handle names one
    std::uint32_t sender = 0;         // index into the service's table of sender ids
    State state = State::Visible;
    std::unique_ptr<MessageExtras> extras;

    MessageExtras& ensure_extras() {
        if (!extras) extras = std::make_unique<MessageExtras>();
        return *extras;
    }
    const std::string& group_id() const {
        static const std::string none;
        return extras ? extras->group_id : none;
    }
};

}  // namespace sluice::sqs
