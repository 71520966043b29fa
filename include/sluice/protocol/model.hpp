#pragma once
// An AWS service model: the operations and shapes from botocore that a codec walks to turn wire
// parameters into structured values and back. Loaded from models/<service>.json (see
// scripts/gen_model.py), never edited by hand.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "sluice/protocol/aws_error.hpp"

namespace sluice::protocol {

struct Shape;

struct ShapeRef {
    const Shape* shape = nullptr;
    std::string location_name;  // the member's wire name (query/XML name, URI label, header, query key)
    bool flattened = false;
    std::string location;  // REST protocols: "uri", "querystring", "header", "headers"; empty = body
};

struct ErrorInfo {
    std::string query_code;
    int status = 400;
    bool sender_fault = true;
};

struct Shape {
    enum class Type { Structure, List, Map, String, Integer, Long, Boolean, Blob, Timestamp, Double, Float };
    std::string name;
    Type type = Type::String;
    std::vector<std::pair<std::string, ShapeRef>> members;  // in model order
    std::vector<std::string> required;
    ShapeRef member, key, value;  // lists and maps
    bool flattened = false;
    std::string location_name;
    std::optional<double> min, max;
    std::vector<std::string> enum_values;
    std::optional<ErrorInfo> error;
};

struct Operation {
    std::string name;
    const Shape* input = nullptr;
    const Shape* output = nullptr;
    std::string http_method;
    std::string request_uri;
    int response_code = 200;
};

class Model {
public:
    static std::shared_ptr<const Model> parse(std::string_view json_text);

    const std::string& service() const { return service_; }
    const std::string& target_prefix() const { return target_prefix_; }
    const std::string& json_version() const { return json_version_; }
    const std::string& xml_namespace() const { return xml_namespace_; }
    const std::string& protocol() const { return protocol_; }
    bool query_compatible() const { return query_compatible_; }

    const Operation* operation(std::string_view name) const;
    const Shape* shape(std::string_view name) const;
    const std::map<std::string, Operation, std::less<>>& operations() const { return operations_; }

    // An error of this service, with the status and legacy code its model gives.
    AwsError error(const std::string& code, const std::string& message) const;

private:
    std::string service_, target_prefix_, json_version_, xml_namespace_, protocol_;
    bool query_compatible_ = false;
    std::map<std::string, Operation, std::less<>> operations_;
    std::unordered_map<std::string, std::unique_ptr<Shape>> shapes_;
};

}  // namespace sluice::protocol
