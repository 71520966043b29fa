#include "sluice/protocol/query.hpp"

#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "sluice/core/encoding.hpp"
#include "sluice/protocol/xml.hpp"

namespace sluice::protocol::query {

namespace {

// Views into the decoded form (Params), which outlives the decoding.
using ParamMap = std::map<std::string_view, std::string_view>;

// The name a member has on the wire: the reference's locationName, else the target shape's,
// else the member name itself (botocore's serialization['name']).
std::string wire_name(const std::string& member, const ShapeRef& ref) {
    if (!ref.location_name.empty()) return ref.location_name;
    if (!ref.shape->location_name.empty()) return ref.shape->location_name;
    return member;
}

bool flattened(const ShapeRef& ref) {
    return ref.flattened || ref.shape->flattened;
}

std::string list_member_name(const ShapeRef& list_ref) {
    const auto& m = list_ref.shape->member;
    if (!m.location_name.empty()) return m.location_name;
    return m.shape->location_name;
}

// The 1-based indices that appear directly below `prefix` ("prefix.3", "prefix.3.Name"), in order.
std::vector<std::pair<long, std::string>> indices(const ParamMap& params, const std::string& prefix) {
    std::map<long, std::string> found;
    const std::string start = prefix + ".";
    for (auto it = params.lower_bound(start); it != params.end() && it->first.substr(0, start.size()) == start; ++it) {
        std::string_view rest = it->first.substr(start.size());
        auto dot = rest.find('.');
        auto digits = rest.substr(0, dot);
        long index = 0;
        auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
        if (ec != std::errc() || ptr != digits.data() + digits.size() || index < 1) continue;
        found.emplace(index, start + std::string(digits));
    }
    return {found.begin(), found.end()};
}

AwsError bad_value(const std::string& key, std::string_view value, const char* expected) {
    return common_errors::invalid_parameter_value("Value " + std::string(value) + " for parameter " + key +
                                                  " is invalid. Reason: " + expected + ".");
}

// Whether any parameter lies below `key` ("key.…"): structures and maps with none are absent.
bool has_params_below(const ParamMap& params, const std::string& key) {
    // Names that start with `key` are ordered by the character after it: the scan stops at the
    // first one past '.', and "key." is never built.
    for (auto it = params.upper_bound(key); it != params.end() && it->first.substr(0, key.size()) == key; ++it) {
        const char next = it->first.size() > key.size() ? it->first[key.size()] : '\0';
        if (next == '.') return true;
        if (next > '.') return false;  // past every "key." name
    }
    return false;
}

std::optional<Json> decode_ref(const ParamMap& params, const ShapeRef& ref, const std::string& key);

std::optional<Json> decode_scalar(const ParamMap& params, const Shape& shape, const std::string& key) {
    auto it = params.find(key);
    if (it == params.end()) return std::nullopt;
    const std::string_view text = it->second;
    switch (shape.type) {
        case Shape::Type::Integer:
        case Shape::Type::Long: {
            long long v = 0;
            auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
            if (ec != std::errc() || ptr != text.data() + text.size() || text.empty())
                throw bad_value(key, text, "must be an integer");
            return Json(v);
        }
        case Shape::Type::Boolean:
            if (text == "true") return Json(true);
            if (text == "false") return Json(false);
            throw bad_value(key, text, "must be a boolean");
        case Shape::Type::Double:
        case Shape::Type::Float: {
            const std::string copy(text);  // strtod wants the terminating NUL
            char* end = nullptr;
            double v = std::strtod(copy.c_str(), &end);
            if (copy.empty() || end != copy.c_str() + copy.size() || !std::isfinite(v))
                throw bad_value(key, text, "must be a number");
            return Json(v);
        }
        default:
            return Json(std::string(text));  // strings, blobs (base64 text, as in the JSON protocol), timestamps
    }
}

std::optional<Json> decode_ref(const ParamMap& params, const ShapeRef& ref, const std::string& key) {
    const Shape& shape = *ref.shape;
    switch (shape.type) {
        case Shape::Type::Structure: {
            if (!has_params_below(params, key)) return std::nullopt;
            Json obj = Json::object();
            for (const auto& [member, mref] : shape.members)
                if (auto v = decode_ref(params, mref, key + "." + wire_name(member, mref))) obj[member] = std::move(*v);
            if (obj.empty()) return std::nullopt;
            return obj;
        }
        case Shape::Type::List: {
            std::string prefix = key;
            if (flattened(ref)) {
                auto name = list_member_name(ref);
                if (!name.empty()) prefix = key.substr(0, key.rfind('.') + 1) + name;
            } else {
                auto name = list_member_name(ref);
                prefix = key + "." + (name.empty() ? "member" : name);
            }
            Json arr = Json::array();
            for (const auto& [index, element_key] : indices(params, prefix))
                if (auto v = decode_ref(params, shape.member, element_key)) arr.push_back(std::move(*v));
            if (arr.empty()) {
                auto it = params.find(key);  // `Name=` is how the query protocol sends an empty list
                if (it == params.end() || !it->second.empty()) return std::nullopt;
            }
            return arr;
        }
        case Shape::Type::Map: {
            if (!has_params_below(params, key)) return std::nullopt;
            const std::string prefix = flattened(ref) ? key : key + ".entry";
            auto key_name = shape.key.location_name.empty() ? std::string("key") : shape.key.location_name;
            auto value_name = shape.value.location_name.empty() ? std::string("value") : shape.value.location_name;
            Json obj = Json::object();
            for (const auto& [index, entry_key] : indices(params, prefix)) {
                auto k = params.find(entry_key + "." + key_name);
                if (k == params.end())
                    throw common_errors::invalid_parameter_value("The request must contain the parameter " + entry_key +
                                                                 "." + key_name + ".");
                auto v = decode_ref(params, shape.value, entry_key + "." + value_name);
                obj[std::string(k->second)] = v ? std::move(*v) : Json(nullptr);
            }
            if (obj.empty()) return std::nullopt;
            return obj;
        }
        default:
            return decode_scalar(params, shape, key);
    }
}

// The XML element name of a structure member (botocore's _member_key_name).
std::string xml_member_name(const std::string& member, const ShapeRef& ref) {
    if (ref.shape->type == Shape::Type::List && flattened(ref)) {
        auto name = list_member_name(ref);
        if (!name.empty()) return name;
    }
    return wire_name(member, ref);
}

void encode_value(xml::Writer& w, const std::string& name, const ShapeRef& ref, const Json& value);

void encode_scalar(xml::Writer& w, const std::string& name, const Json& value) {
    if (value.is_string())
        w.element(name, value.get_ref<const std::string&>());
    else if (value.is_boolean())
        w.element(name, value.get<bool>() ? "true" : "false");
    else
        w.element(name, value.dump());
}

void encode_value(xml::Writer& w, const std::string& name, const ShapeRef& ref, const Json& value) {
    if (value.is_null()) return;
    const Shape& shape = *ref.shape;
    switch (shape.type) {
        case Shape::Type::Structure:
            w.open(name);
            for (const auto& [member, mref] : shape.members) {
                auto it = value.find(member);
                if (it != value.end()) encode_value(w, xml_member_name(member, mref), mref, *it);
            }
            w.close(name);
            return;
        case Shape::Type::List:
            if (flattened(ref)) {
                for (const auto& element : value) encode_value(w, name, shape.member, element);
            } else {
                auto member_name = list_member_name(ref);
                w.open(name);
                for (const auto& element : value)
                    encode_value(w, member_name.empty() ? "member" : member_name, shape.member, element);
                w.close(name);
            }
            return;
        case Shape::Type::Map: {
            auto key_name = shape.key.location_name.empty() ? std::string("key") : shape.key.location_name;
            auto value_name = shape.value.location_name.empty() ? std::string("value") : shape.value.location_name;
            const bool flat = flattened(ref);
            if (!flat) w.open(name);
            for (const auto& [k, v] : value.items()) {
                w.open(flat ? name : "entry");
                w.element(key_name, k);
                encode_value(w, value_name, shape.value, v);
                w.close(flat ? name : "entry");
            }
            if (!flat) w.close(name);
            return;
        }
        default:
            encode_scalar(w, name, value);
    }
}

}  // namespace

Params parse_form(std::string_view text) {
    Params out;
    while (!text.empty()) {
        auto amp = text.find('&');
        auto pair = text.substr(0, amp);
        text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
        if (pair.empty()) continue;
        auto eq = pair.find('=');
        auto name = core::url_decode(pair.substr(0, eq));
        auto value = eq == std::string_view::npos ? std::string() : core::url_decode(pair.substr(eq + 1));
        out.emplace_back(std::move(name), std::move(value));
    }
    return out;
}

Json decode(const Params& params, const Model& model, const Operation& op) {
    (void)model;
    if (!op.input) return Json::object();
    ParamMap map;
    for (const auto& [k, v] : params) map.insert_or_assign(std::string_view(k), std::string_view(v));  // the last wins
    Json obj = Json::object();
    for (const auto& [member, mref] : op.input->members)
        if (auto v = decode_ref(map, mref, wire_name(member, mref))) obj[member] = std::move(*v);
    return obj;
}

std::string encode_result(const Json& result, const Model& model, const Operation& op, const std::string& request_id) {
    xml::Writer w;
    const std::string response = op.name + "Response";
    w.open_ns(response, model.xml_namespace());
    if (op.output) {
        const std::string wrapper = op.name + "Result";
        w.open(wrapper);
        for (const auto& [member, mref] : op.output->members) {
            auto it = result.find(member);
            if (it != result.end()) encode_value(w, xml_member_name(member, mref), mref, *it);
        }
        // An answer with nothing in it is written as AWS writes an empty receive, <ReceiveMessageResult/>
        // (LocalStack test_sqs.py test_get_send_and_receive_messages, recorded on AWS).
        w.close_or_collapse(wrapper);
    }
    w.open("ResponseMetadata").element("RequestId", request_id).close("ResponseMetadata");
    w.close(response);
    return w.take();
}

// Where AWS's query front end words an error differently from its JSON one.
std::string query_message(const AwsError& error) {
    if (error.query_code == "AWS.SimpleQueueService.NonExistentQueue")
        return "The specified queue does not exist for this wsdl version.";
    return error.message();
}

std::string encode_error(const AwsError& error, const std::string& xml_namespace, const std::string& request_id) {
    xml::Writer w;
    w.open_ns("ErrorResponse", xml_namespace);
    w.open("Error");
    w.element("Type", error.sender_fault ? "Sender" : "Receiver");
    w.element("Code", error.query_code);
    w.element("Message", query_message(error));
    w.open("Detail").close("Detail");
    w.close("Error");
    w.element("RequestId", request_id);
    w.close("ErrorResponse");
    return w.take();
}

}  // namespace sluice::protocol::query
