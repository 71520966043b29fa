// The JSON form of query answers. AWS's query front end answers `Accept: application/json` with a JSON
// mirror of its XML document, written from the operation's output shape rather than from the XML:
// - every member of a structure is present, null when it has no value (recorded: an empty receive is
//   `{"ReceiveMessageResult": {"messages": null}}`, and a message without attributes has
//   `"Attributes": null, "MD5OfMessageAttributes": null, "MessageAttributes": null`);
// - keys are in byte order (recorded: `NextToken` before `queueUrls`; `MD5OfBody` before `MessageId`);
// - a list member is named in lower camel case (`messages`, `queueUrls`, both recorded), any other member
//   by its name in the model (`Body`, `NextToken`, `Attributes`);
// - a map is a list of {key, value} objects named by the map's locationNames (recorded:
//   GetQueueAttributes' `Attributes: [{"Name": "QueueArn", "Value": "arn:aws:sqs:..."}]`).
// Sources are in docs/research/sqs-behaviour.md (row 5d).
#include <cctype>

#include "sluice/protocol/json_text.hpp"
#include "sluice/protocol/query.hpp"

namespace sluice::protocol::query {

namespace {

std::string lower_camel(std::string name) {
    if (!name.empty()) name.front() = static_cast<char>(std::tolower(static_cast<unsigned char>(name.front())));
    return name;
}

std::string key_name(const ShapeRef& ref, const char* fallback) {
    return ref.location_name.empty() ? std::string(fallback) : ref.location_name;
}

Json mirror(const ShapeRef& ref, const Json& value);

Json mirror_structure(const Shape& shape, const Json& value) {
    Json out = Json::object();
    for (const auto& [member, mref] : shape.members) {
        const std::string name = mref.shape->type == Shape::Type::List ? lower_camel(member) : member;
        auto it = value.is_object() ? value.find(member) : value.end();
        out[name] = it == value.end() ? Json(nullptr) : mirror(mref, *it);
    }
    return out;
}

Json mirror(const ShapeRef& ref, const Json& value) {
    if (value.is_null()) return nullptr;
    const Shape& shape = *ref.shape;
    switch (shape.type) {
        case Shape::Type::Structure:
            return mirror_structure(shape, value);
        case Shape::Type::List: {
            Json out = Json::array();
            for (const auto& element : value) out.push_back(mirror(shape.member, element));
            return out;
        }
        case Shape::Type::Map: {
            const auto key = key_name(shape.key, "key");
            const auto val = key_name(shape.value, "value");
            Json out = Json::array();
            for (const auto& [k, v] : value.items()) out.push_back({{key, k}, {val, mirror(shape.value, v)}});
            return out;
        }
        default:
            return value;
    }
}

// One media range of an Accept header: its type and its q (1 when not given).
struct MediaRange {
    std::string_view type;
    double q = 1;
};

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

MediaRange parse_range(std::string_view text) {
    MediaRange range;
    auto semi = text.find(';');
    range.type = trim(text.substr(0, semi));
    while (semi != std::string_view::npos) {
        text = text.substr(semi + 1);
        semi = text.find(';');
        auto param = trim(text.substr(0, semi));
        if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
            // A q outside [0, 1] or not a number counts as 0: the range is not wanted.
            const std::string number(param.substr(2));
            char* end = nullptr;
            const double q = std::strtod(number.c_str(), &end);
            range.q = (end == number.c_str() + number.size() && q >= 0 && q <= 1) ? q : 0;
        }
    }
    return range;
}

}  // namespace

// JSON when the client lists application/json and prefers it to every XML type it also lists; anything
// else (no Accept, */*, text/xml) keeps the XML answer every SDK expects.
bool wants_json(std::string_view accept_header) {
    double json_q = 0;
    double xml_q = 0;
    while (!accept_header.empty()) {
        const auto comma = accept_header.find(',');
        const auto range = parse_range(accept_header.substr(0, comma));
        accept_header = comma == std::string_view::npos ? std::string_view{} : accept_header.substr(comma + 1);
        if (iequals(range.type, "application/json"))
            json_q = std::max(json_q, range.q);
        else if (iequals(range.type, "text/xml") || iequals(range.type, "application/xml"))
            xml_q = std::max(xml_q, range.q);
    }
    return json_q > 0 && json_q > xml_q;
}

std::string encode_result_json(const Json& result, const Operation& op, const std::string& request_id) {
    Json response = Json::object();
    if (op.output) response[op.name + "Result"] = mirror_structure(*op.output, result);
    response["ResponseMetadata"] = {{"RequestId", request_id}};
    return dump_json(Json{{op.name + "Response", std::move(response)}});
}

std::string encode_error_json(const AwsError& error, const std::string& request_id) {
    const Json doc = {{"Error",
                       {{"Code", error.query_code},
                        {"Message", query_message(error)},
                        {"Type", error.sender_fault ? "Sender" : "Receiver"}}},
                      {"RequestId", request_id}};
    // A message can quote the request's bytes (an unknown Action), which need not be UTF-8:
    // dump_json writes them as U+FFFD.
    return dump_json(doc);
}

}  // namespace sluice::protocol::query
