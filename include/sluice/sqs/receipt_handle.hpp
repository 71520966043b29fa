#pragma once
// A receipt handle names one receive of one message of one queue: the queue's unique id, the
// message's serial and the receive's nonce, so a handle from an earlier receive or another
// queue can be told apart without keeping a table of handles.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::sqs {

struct ReceiptHandle {
    std::uint64_t queue_uid = 0;
    std::uint64_t serial = 0;
    std::uint32_t nonce = 0;

    std::string encode() const;
    static std::optional<ReceiptHandle> decode(std::string_view text);
};

}  // namespace sluice::sqs
