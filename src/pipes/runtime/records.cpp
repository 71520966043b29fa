// SQS messages as Pipes hands them on: the Lambda-style event record (lower-camel keys, system
// attributes as strings, message attributes with their list members), and the two answers a
// target or an enrichment can give about single items.
#include <stdexcept>

#include "sluice/core/arn.hpp"
#include "sluice/pipes/batch.hpp"
#include "sluice/protocol/json_text.hpp"

namespace sluice::pipes {

core::Scope scope_of(const std::string& arn) {
    auto parsed = core::Arn::parse(arn);
    return parsed ? core::Scope{parsed->account, parsed->region} : core::Scope{};
}

std::string execution_failure(const std::string& what, const Json& answer) {
    std::string text =
        what + " " + answer.value("executionArn", std::string()) + " " + answer.value("status", std::string("?"));
    if (answer.contains("error")) text += ": " + answer.value("error", std::string());
    if (answer.contains("cause")) text += ": " + answer.value("cause", std::string());
    return text;
}

Json sqs_record(const Json& message, const std::string& queue_arn, const std::string& region) {
    Json record = {
        {"messageId", message.value("MessageId", "")}, {"receiptHandle", message.value("ReceiptHandle", "")},
        {"body", message.value("Body", "")},           {"attributes", message.value("Attributes", Json::object())},
        {"messageAttributes", Json::object()},         {"md5OfBody", message.value("MD5OfBody", "")}};
    if (auto it = message.find("MessageAttributes"); it != message.end() && it->is_object()) {
        for (const auto& [name, value] : it->items()) {
            Json a = {{"stringListValues", Json::array()},
                      {"binaryListValues", Json::array()},
                      {"dataType", value.value("DataType", "String")}};
            if (value.contains("StringValue")) a["stringValue"] = value["StringValue"];
            if (value.contains("BinaryValue")) a["binaryValue"] = value["BinaryValue"];
            record["messageAttributes"][name] = std::move(a);
        }
        if (message.contains("MD5OfMessageAttributes"))
            record["md5OfMessageAttributes"] = message["MD5OfMessageAttributes"];
    }
    record["eventSource"] = "aws:sqs";
    record["eventSourceARN"] = queue_arn;
    record["awsRegion"] = region;
    return record;
}

Json filter_view(const Json& record) {
    // eventSource, eventSourceARN and awsRegion are added after filtering: patterns can't see them.
    Json view = record;
    view.erase("eventSource");
    view.erase("eventSourceARN");
    view.erase("awsRegion");
    auto body = view.find("body");
    if (body == view.end() || !body->is_string()) return view;
    Json parsed = protocol::parse_json(body->get_ref<const std::string&>());
    if (!parsed.is_discarded()) *body = std::move(parsed);
    return view;
}

bool may_name_batch_item_failures(std::string_view output_text) {
    return output_text.find("batchItemFailures") != std::string_view::npos ||
           output_text.find("\\u") != std::string_view::npos;
}

std::optional<std::set<std::string>> batch_item_failures(const Json& output) {
    if (!output.is_object()) return std::nullopt;
    auto it = output.find("batchItemFailures");
    if (it == output.end()) return std::nullopt;
    std::set<std::string> ids;
    if (it->is_null()) return ids;
    if (!it->is_array()) throw std::invalid_argument("batchItemFailures is not a list");
    for (const auto& item : *it) {
        if (!item.is_object()) throw std::invalid_argument("a batchItemFailures entry is not an object");
        auto id = item.find("itemIdentifier");
        if (id == item.end() || !id->is_string() || id->get_ref<const std::string&>().empty())
            throw std::invalid_argument("a batchItemFailures entry has no itemIdentifier");
        ids.insert(id->get<std::string>());
    }
    return ids;
}

}  // namespace sluice::pipes
