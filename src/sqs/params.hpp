#pragma once
// Reading an operation's parameters. Types were checked by the codec against the model, so
// these only deal with presence; a missing required one is AWS's MissingParameter.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/protocol/aws_error.hpp"

namespace sluice::sqs::params {

using Json = nlohmann::json;

inline const Json* find(const Json& p, const char* name) {
    auto it = p.find(name);
    return it == p.end() || it->is_null() ? nullptr : &*it;
}

inline std::optional<std::string> str(const Json& p, const char* name) {
    const Json* v = find(p, name);
    if (!v) return std::nullopt;
    return v->is_string() ? v->get<std::string>() : v->dump();
}

inline std::string required_str(const Json& p, const char* name) {
    auto v = str(p, name);
    if (!v) throw protocol::common_errors::missing_parameter(name);
    return *v;
}

inline std::optional<long long> integer(const Json& p, const char* name) {
    const Json* v = find(p, name);
    if (!v || !v->is_number_integer()) return std::nullopt;
    return v->get<long long>();
}

inline std::vector<std::string> str_list(const Json& p, const char* name) {
    std::vector<std::string> out;
    if (const Json* v = find(p, name); v && v->is_array())
        for (const auto& e : *v)
            if (e.is_string()) out.push_back(e.get<std::string>());
    return out;
}

inline std::map<std::string, std::string> str_map(const Json& p, const char* name) {
    std::map<std::string, std::string> out;
    if (const Json* v = find(p, name); v && v->is_object())
        for (const auto& [k, e] : v->items())
            out[k] = e.is_string() ? e.get<std::string>() : (e.is_null() ? "" : e.dump());
    return out;
}

}  // namespace sluice::sqs::params
