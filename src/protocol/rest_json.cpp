#include "sluice/protocol/rest_json.hpp"

#include <charconv>

#include <strings.h>

#include "sluice/core/encoding.hpp"
#include "sluice/protocol/json_rpc.hpp"
#include "sluice/protocol/json_text.hpp"
#include "sluice/protocol/query.hpp"

namespace sluice::protocol::rest_json {

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> out;
    while (!path.empty()) {
        if (path.front() == '/') {
            path.remove_prefix(1);
            continue;
        }
        auto slash = path.find('/');
        out.push_back(path.substr(0, slash));
        path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
    }
    return out;
}

// A string from the URI, query string or a header, converted to the member's type.
Json scalar_from_text(const std::string& text, const Shape& shape, const std::string& name) {
    switch (shape.type) {
        case Shape::Type::Integer:
        case Shape::Type::Long: {
            long long v = 0;
            auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
            if (text.empty() || ec != std::errc() || p != text.data() + text.size())
                throw common_errors::serialization("Value for " + name + " must be an integer.");
            return v;
        }
        case Shape::Type::Boolean:
            if (text == "true") return true;
            if (text == "false") return false;
            throw common_errors::serialization("Value for " + name + " must be a boolean.");
        case Shape::Type::Double:
        case Shape::Type::Float: {
            char* end = nullptr;
            double v = std::strtod(text.c_str(), &end);
            if (text.empty() || end != text.c_str() + text.size())
                throw common_errors::serialization("Value for " + name + " must be a number.");
            return v;
        }
        default:
            return text;
    }
}

}  // namespace

std::optional<Route> match(const Model& model, const std::string& method, std::string_view path) {
    const auto segments = split_path(path);
    for (const auto& [name, op] : model.operations()) {
        if (op.http_method != method) continue;
        std::string_view uri = op.request_uri;
        uri = uri.substr(0, uri.find('?'));  // a literal query in the template is matched loosely
        const auto pattern = split_path(uri);
        Route route{&op, {}};
        bool ok = true;
        std::size_t i = 0;
        for (std::size_t k = 0; k < pattern.size() && ok; ++k) {
            auto part = pattern[k];
            if (part.size() > 2 && part.front() == '{' && part.back() == '}') {
                auto label = part.substr(1, part.size() - 2);
                if (label.back() == '+') {  // greedy: the rest of the path, slashes included
                    label.remove_suffix(1);
                    if (i >= segments.size()) {
                        ok = false;
                        break;
                    }
                    std::string rest;
                    for (; i < segments.size(); ++i) {
                        if (!rest.empty()) rest += '/';
                        rest += segments[i];
                    }
                    route.labels[std::string(label)] = core::url_decode(rest, false);
                } else {
                    if (i >= segments.size() || segments[i].empty()) {
                        ok = false;
                        break;
                    }
                    route.labels[std::string(label)] = core::url_decode(segments[i++], false);
                }
            } else {
                ok = i < segments.size() && segments[i++] == part;
            }
        }
        if (ok && i == segments.size()) return route;
    }
    return std::nullopt;
}

Json decode(const HttpRequest& request, const Route& route) {
    const Operation& op = *route.operation;
    Json input = json_rpc::decode_body(request.body);
    if (!op.input) return Json::object();
    json_rpc::check_types(input, *op.input);
    const auto query = query::parse_form(request.query_string());
    for (const auto& [member, ref] : op.input->members) {
        const std::string wire = ref.location_name.empty() ? member : ref.location_name;
        if (ref.location == "uri") {
            if (auto it = route.labels.find(wire); it != route.labels.end())
                input[member] = scalar_from_text(it->second, *ref.shape, member);
        } else if (ref.location == "querystring") {
            if (ref.shape->type == Shape::Type::List) {
                Json list = Json::array();
                for (const auto& [k, v] : query)
                    if (k == wire) list.push_back(scalar_from_text(v, *ref.shape->member.shape, member));
                if (!list.empty()) input[member] = std::move(list);
            } else {
                for (const auto& [k, v] : query)
                    if (k == wire) input[member] = scalar_from_text(v, *ref.shape, member);
            }
        } else if (ref.location == "header") {
            auto v = request.header(wire);
            if (!v.empty()) input[member] = scalar_from_text(std::string(v), *ref.shape, member);
        }
    }
    return input;
}

HttpResponse encode_result(const Json& result, const Operation& op) {
    HttpResponse response;
    response.status = op.response_code;
    response.headers.emplace_back("Content-Type", "application/json");
    Json body = Json::object();
    if (op.output && result.is_object()) {
        for (const auto& [member, ref] : op.output->members) {
            auto it = result.find(member);
            if (it == result.end() || it->is_null()) continue;
            if (ref.location == "header") {
                response.headers.emplace_back(ref.location_name, it->is_string() ? it->get<std::string>() : it->dump());
            } else if (ref.location.empty()) {
                body[member] = *it;
            }
        }
    }
    response.body = dump_json(body);
    return response;
}

HttpResponse encode_error(const AwsError& error) {
    HttpResponse response;
    response.status = error.status;
    response.headers.emplace_back("Content-Type", "application/json");
    response.headers.emplace_back("X-Amzn-ErrorType", error.short_code());
    Json body = {{"message", error.message()}};
    for (const auto& [name, value] : error.fields) body[name] = value;
    response.body = dump_json(body);
    return response;
}

}  // namespace sluice::protocol::rest_json
