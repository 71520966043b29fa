#include "sluice/protocol/model.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "sluice/protocol/json_text.hpp"

namespace sluice::protocol {

namespace {
Shape::Type type_of(const std::string& name) {
    static const std::map<std::string, Shape::Type, std::less<>> types = {
        {"structure", Shape::Type::Structure}, {"list", Shape::Type::List},       {"map", Shape::Type::Map},
        {"string", Shape::Type::String},       {"integer", Shape::Type::Integer}, {"long", Shape::Type::Long},
        {"boolean", Shape::Type::Boolean},     {"blob", Shape::Type::Blob},       {"timestamp", Shape::Type::Timestamp},
        {"double", Shape::Type::Double},       {"float", Shape::Type::Float},
    };
    auto it = types.find(name);
    if (it == types.end()) throw std::runtime_error("model: unknown shape type " + name);
    return it->second;
}
}  // namespace

std::shared_ptr<const Model> Model::parse(std::string_view json_text) {
    // ordered_json: XML answers list members in model order, as AWS writes them. Read with
    // read_json: the first request a service gets waits for its model.
    nlohmann::ordered_json doc;
    if (read_json(json_text, doc) != JsonRead::ok) throw std::runtime_error("model: not a JSON document");
    auto model = std::make_shared<Model>();
    model->service_ = doc.at("service").get<std::string>();
    const auto& md = doc.at("metadata");
    model->target_prefix_ = md.value("targetPrefix", "");
    model->json_version_ = md.value("jsonVersion", "1.0");
    model->xml_namespace_ = md.value("xmlNamespace", "");
    model->protocol_ = md.value("protocol", "");
    model->query_compatible_ = md.contains("awsQueryCompatible");

    // Two passes: create every shape, then resolve references between them.
    for (const auto& [name, def] : doc.at("shapes").items()) {
        auto shape = std::make_unique<Shape>();
        shape->name = name;
        shape->type = type_of(def.at("type").get<std::string>());
        model->shapes_.emplace(name, std::move(shape));
    }
    auto resolve = [&](const nlohmann::ordered_json& ref) {
        ShapeRef out;
        out.shape = model->shape(ref.at("shape").get<std::string>());
        if (!out.shape) throw std::runtime_error("model: dangling shape " + ref.at("shape").get<std::string>());
        out.location_name = ref.value("locationName", "");
        out.flattened = ref.value("flattened", false);
        out.location = ref.value("location", "");
        return out;
    };
    for (const auto& [name, def] : doc.at("shapes").items()) {
        auto& shape = *model->shapes_.at(name);
        shape.flattened = def.value("flattened", false);
        shape.location_name = def.value("locationName", "");
        if (def.contains("min")) shape.min = def["min"].get<double>();
        if (def.contains("max")) shape.max = def["max"].get<double>();
        if (def.contains("enum")) shape.enum_values = def["enum"].get<std::vector<std::string>>();
        if (def.contains("required")) shape.required = def["required"].get<std::vector<std::string>>();
        if (def.contains("members"))
            for (const auto& [member, ref] : def["members"].items()) shape.members.emplace_back(member, resolve(ref));
        if (def.contains("member")) shape.member = resolve(def["member"]);
        if (def.contains("key")) shape.key = resolve(def["key"]);
        if (def.contains("value")) shape.value = resolve(def["value"]);
        if (def.contains("error")) {
            const auto& e = def["error"];
            shape.error =
                ErrorInfo{e.value("code", name), e.value("httpStatusCode", 400), e.value("senderFault", true)};
        }
    }
    for (const auto& [name, def] : doc.at("operations").items()) {
        Operation op;
        op.name = name;
        if (def.contains("input")) op.input = model->shape(def["input"].get<std::string>());
        if (def.contains("output")) op.output = model->shape(def["output"].get<std::string>());
        if (def.contains("http")) {
            op.http_method = def["http"].value("method", "POST");
            op.request_uri = def["http"].value("requestUri", "/");
            op.response_code = def["http"].value("responseCode", 200);
        }
        model->operations_.emplace(name, std::move(op));
    }
    return model;
}

const Operation* Model::operation(std::string_view name) const {
    auto it = operations_.find(name);
    return it == operations_.end() ? nullptr : &it->second;
}

const Shape* Model::shape(std::string_view name) const {
    auto it = shapes_.find(std::string(name));
    return it == shapes_.end() ? nullptr : it->second.get();
}

AwsError Model::error(const std::string& code, const std::string& message) const {
    const Shape* s = shape(code);
    if (s && s->error) return AwsError(code, message, s->error->status, s->error->sender_fault, s->error->query_code);
    return AwsError(code, message);
}

}  // namespace sluice::protocol
