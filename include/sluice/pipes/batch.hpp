#pragma once
// One batch on its way through a pipe: the messages read from the source, the records built
// from them, which passed the filters, what goes to the target, and which items failed.
#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/pipes/pipe.hpp"

namespace sluice::pipes {

struct Batch {
    std::shared_ptr<Pipe> pipe;
    std::shared_ptr<const PipeSpec> spec;  // the spec the batch started with
    TimePoint started;
    std::vector<Json> messages;          // as ReceiveMessage answered them
    std::vector<Json> records;           // the SQS event records, one per message
    std::vector<std::size_t> delivered;  // indices of the records that passed the filters
    std::size_t filtered = 0;
    std::vector<Json> events;           // what the target gets (records, or what enrichment made)
    bool events_are_records = true;     // events[i] is records[delivered[i]], so item failures map back
    std::set<std::string> failed_ids;   // messageIds a partial batch response named
    std::atomic<bool> finished{false};  // finish_batch ran (it runs once, whatever throws)
};

// The (account, region) an ARN names: where a pipe's calls to its source and target go.
core::Scope scope_of(const std::string& arn);

// "<what> <executionArn> <status>: <error>: <cause>", for a synchronous execution that did not succeed.
std::string execution_failure(const std::string& what, const Json& answer);

// The SQS event record Pipes builds from a received message (AWS_FACTS.md: Pipes' SQS source).
Json sqs_record(const Json& message, const std::string& queue_arn, const std::string& region);

// The record as filters see it: a body holding JSON is matched as that JSON.
Json filter_view(const Json& record);

// `{"batchItemFailures": [{"itemIdentifier": id}, ...]}`: the ids, or nullopt when `output` is not
// a partial batch response. Throws std::invalid_argument for a malformed one.
std::optional<std::set<std::string>> batch_item_failures(const Json& output);
// Whether a target's output text may hold a partial batch response: it names batchItemFailures,
// or spells something with \u escapes. Most outputs are not one, and parsing a whole batch's
// output only to learn that was a large share of a pipe's CPU.
bool may_name_batch_item_failures(std::string_view output_text);

}  // namespace sluice::pipes
