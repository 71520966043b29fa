#pragma once
// Turning SendMessage parameters into a SendRequest, with every check AWS makes of a message.
#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "sluice/sqs/queue.hpp"

namespace sluice::sqs {

// Bytes a message counts against MaximumMessageSize: body plus attribute names, types, values.
std::size_t message_size(const SendRequest& request);

// Checks and converts one message (SendMessage's parameters or one SendMessageBatch entry) and
// computes its digests. FIFO group/deduplication problems are checked separately
// (check_fifo_fields) because a batch fails as a whole for them but entry by entry for everything
// else. Neither touches the queue: they run outside the service's lock.
SendRequest read_message(const nlohmann::json& p, const MessageRules& rules, bool in_batch = false);

void check_fifo_fields(const nlohmann::json& p, const MessageRules& rules, bool in_batch);

// Batch envelope checks, in AWS's order: empty, too many, bad ids, repeated ids.
void check_batch_entries(const nlohmann::json& entries, const std::string& entry_name);

}  // namespace sluice::sqs
