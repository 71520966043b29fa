// Message operations: send, delete and change visibility, single and batched.
#include "message_input.hpp"
#include "params.hpp"
#include "sluice/core/encoding.hpp"
#include "sluice/sqs/errors.hpp"
#include "sluice/sqs/sqs_service.hpp"

namespace sluice::sqs {

namespace {

constexpr std::size_t kMaxBatchBytes = 1'048'576;

// Built member by member: an initializer list costs the hottest answer a copy of every value.
Json send_result_json(const SendResult& r) {
    Json out(Json::value_t::object);
    auto& members = *out.get_ptr<Json::object_t*>();
    members.emplace("MessageId", core::to_string(r.id));
    members.emplace("MD5OfMessageBody", core::to_hex(r.body_md5));
    if (r.attributes_md5) members.emplace("MD5OfMessageAttributes", core::to_hex(*r.attributes_md5));
    if (r.system_attributes_md5)
        members.emplace("MD5OfMessageSystemAttributes", core::to_hex(*r.system_attributes_md5));
    if (r.sequence_number) members.emplace("SequenceNumber", std::to_string(r.sequence_number));
    return out;
}

Json failure_json(const std::string& id, const protocol::AwsError& e) {
    return {{"Id", id}, {"SenderFault", e.sender_fault}, {"Code", e.query_code}, {"Message", e.message()}};
}

ReceiptHandle decode_handle(const std::string& text) {
    auto handle = ReceiptHandle::decode(text);
    if (!handle) throw invalid_receipt_handle(text);
    return *handle;
}

// A batch's answer. An empty list is left out: AWS answers a SendMessageBatch whose entries all
// succeeded with no Failed member at all (LocalStack test_sqs.py
// test_send_message_batch_with_oversized_contents_with_updated_maximum_message_size, recorded on
// AWS in the JSON protocol); the other batch operations and Successful follow the same rule.
Json batch_result(Json successful, Json failed) {
    Json out = Json::object();
    if (!successful.empty()) out["Successful"] = std::move(successful);
    if (!failed.empty()) out["Failed"] = std::move(failed);
    return out;
}

// The X-Ray header a message was sent with becomes its AWSTraceHeader system attribute, unless
// the message names one itself (LocalStack test_sqs.py test_aws_trace_header_propagation,
// recorded on AWS in both protocols). It is added after the digests are taken: the sender did not
// send it as an attribute, so MD5OfMessageSystemAttributes does not cover it.
void add_trace_header(SendRequest& request, const std::string& trace_header) {
    if (trace_header.empty() || request.system_attributes.count("AWSTraceHeader")) return;
    request.system_attributes.emplace("AWSTraceHeader", AttributeValue{"String", trace_header});
}

// Runs `each` on every entry of a batch whose answer is just its Id; what `each` throws fails
// that entry alone.
template <typename Each>
Json run_batch(const Json& params, const std::string& entry_name, Each each) {
    const Json empty = Json::array();
    const Json* entries = params::find(params, "Entries");
    check_batch_entries(entries ? *entries : empty, entry_name);  // throws unless entries holds 1-10
    Json successful = Json::array(), failed = Json::array();
    for (const auto& e : *entries) {
        auto id = params::str(e, "Id").value_or("");
        try {
            each(e);
            successful.push_back({{"Id", id}});
        } catch (const protocol::AwsError& err) {
            failed.push_back(failure_json(id, err));
        }
    }
    return batch_result(std::move(successful), std::move(failed));
}

int read_visibility(const Json& p) {
    auto timeout = params::integer(p, "VisibilityTimeout");
    if (!timeout) throw protocol::common_errors::missing_parameter("VisibilityTimeout");
    if (*timeout < 0 || *timeout > 43'200)
        throw invalid_parameter_value(
            "Value " + std::to_string(*timeout) +
            " for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200.");
    return static_cast<int>(*timeout);
}

}  // namespace

// The sends take the lock themselves (see SqsService::Operation): once to look the queue up,
// once to enqueue. A DeleteQueue in between lets the message go with the queue, which AWS allows:
// a send to a queue being deleted may succeed.
Json SqsService::send_message(const Call& call) {
    const auto address = address_of(call);
    auto [queue, rules] = lock_.run([&] {
        auto q = queue_at(address);
        return std::pair(q, q->message_rules());
    });
    check_fifo_fields(call.params, rules, /*in_batch=*/false);
    SendRequest request = read_message(call.params, rules);
    add_trace_header(request, call.context.trace_header);
    const auto result = lock_.run([&, &queue = queue] {
        request.sender = sender_of(call);
        auto sent = queue->send(std::move(request), clock_.now());
        wake(*queue);
        return sent;
    });
    return send_result_json(result);
}

Json SqsService::send_message_batch(const Call& call) {
    const auto address = address_of(call);
    auto [queue, rules] = lock_.run([&] {
        auto q = queue_at(address);
        return std::pair(q, q->message_rules());
    });
    const Json empty = Json::array();
    const Json* entries = params::find(call.params, "Entries");
    check_batch_entries(entries ? *entries : empty, "SendMessageBatchRequestEntry");
    // Group and deduplication problems fail the whole batch; anything else fails its entry.
    for (const auto& e : *entries) check_fifo_fields(e, rules, /*in_batch=*/true);

    std::vector<std::pair<std::string, std::variant<SendRequest, protocol::AwsError>>> prepared;
    std::size_t total = 0;
    for (const auto& e : *entries) {
        auto id = params::str(e, "Id").value_or("");
        try {
            SendRequest r = read_message(e, rules, /*in_batch=*/true);
            add_trace_header(r, call.context.trace_header);
            total += message_size(r);
            prepared.emplace_back(id, std::move(r));
        } catch (const protocol::AwsError& err) {
            prepared.emplace_back(id, err);
        }
    }
    if (total > kMaxBatchBytes)
        throw error("BatchRequestTooLong", "Batch requests cannot be longer than 1048576 bytes. You have sent " +
                                               std::to_string(total) + " bytes.");
    std::vector<std::optional<SendResult>> results(prepared.size());
    lock_.run([&, &queue = queue] {
        const auto sender = sender_of(call);
        const auto now = clock_.now();
        for (std::size_t i = 0; i < prepared.size(); ++i) {
            if (auto* request = std::get_if<SendRequest>(&prepared[i].second)) {
                request->sender = sender;
                results[i] = queue->send(std::move(*request), now);
            }
        }
        wake(*queue);
    });
    Json successful = Json::array(), failed = Json::array();
    for (std::size_t i = 0; i < prepared.size(); ++i) {
        const auto& id = prepared[i].first;
        if (auto* err = std::get_if<protocol::AwsError>(&prepared[i].second)) {
            failed.push_back(failure_json(id, *err));
            continue;
        }
        Json ok = send_result_json(*results[i]);
        ok["Id"] = id;
        successful.push_back(std::move(ok));
    }
    return batch_result(std::move(successful), std::move(failed));
}

Json SqsService::delete_message(const Call& call) {
    auto queue = queue_for(call);
    auto text = params::required_str(call.params, "ReceiptHandle");
    queue->delete_message(decode_handle(text), clock_.now());
    // Deleting a FIFO group's message in flight frees the messages behind it: a long poll
    // waiting meanwhile gets them at once (LocalStack test_sqs.py test_fifo_message_group_visibility,
    // recorded on AWS). On a standard queue a deletion frees nothing.
    if (queue->fifo()) wake(*queue);
    return Json::object();
}

Json SqsService::delete_message_batch(const Call& call) {
    auto queue = queue_for(call);
    const auto now = clock_.now();
    auto result = run_batch(call.params, "DeleteMessageBatchRequestEntry", [&](const Json& e) {
        queue->delete_message(decode_handle(params::required_str(e, "ReceiptHandle")), now);
    });
    if (queue->fifo()) wake(*queue);  // as in DeleteMessage
    return result;
}

Json SqsService::change_message_visibility(const Call& call) {
    auto queue = queue_for(call);
    auto text = params::required_str(call.params, "ReceiptHandle");
    int timeout = read_visibility(call.params);
    queue->change_visibility(decode_handle(text), timeout, clock_.now());
    wake(*queue);
    return Json::object();
}

Json SqsService::change_message_visibility_batch(const Call& call) {
    auto queue = queue_for(call);
    const auto now = clock_.now();
    auto result = run_batch(call.params, "ChangeMessageVisibilityBatchRequestEntry", [&](const Json& e) {
        auto handle = decode_handle(params::required_str(e, "ReceiptHandle"));
        queue->change_visibility(handle, read_visibility(e), now);
    });
    wake(*queue);
    return result;
}

}  // namespace sluice::sqs
