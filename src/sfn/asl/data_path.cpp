#include "sluice/sfn/data_path.hpp"

#include <cctype>

namespace sluice::sfn {

namespace {
bool variable_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}
}  // namespace

DataPath DataPath::parse(std::string_view text) {
    DataPath out;
    out.text_ = std::string(text);
    if (text.size() >= 2 && text[0] == '$' && text[1] == '$') {
        out.root_ = Root::Context;
        out.path_ = jsonpath::Path::parse(text.substr(1));
    } else if (text.size() >= 2 && text[0] == '$' && variable_char(text[1])) {
        // `$name.rest`: the variable's name runs to the first '.' or '['.
        std::size_t end = 1;
        while (end < text.size() && variable_char(text[end])) ++end;
        if (end < text.size() && text[end] != '.' && text[end] != '[')
            throw jsonpath::PathError("Invalid JSONPath '" + std::string(text) + "': bad variable name");
        out.root_ = Root::Variable;
        out.variable_ = std::string(text.substr(1, end - 1));
        out.path_ = jsonpath::Path::parse("$" + std::string(text.substr(end)));
    } else {
        out.path_ = jsonpath::Path::parse(text);
    }
    return out;
}

std::optional<Json> DataPath::select(const EvalScope& scope) const {
    switch (root_) {
        case Root::Input:
            return jsonpath::select(path_, scope.input);
        case Root::Context: {
            if (!scope.execution_context) return jsonpath::select(path_, scope.context);
            const auto& segments = path_.segments();
            if (!segments.empty() && segments.front().kind == jsonpath::Segment::Kind::Field) {
                const auto& first = segments.front().field;
                const bool fixed = first == "Execution" || first == "StateMachine";
                return jsonpath::select(path_, fixed ? *scope.execution_context : scope.context);
            }
            // `$$` itself or a wildcard over it: the two parts together (rare, so built here).
            Json whole = scope.context;
            for (const auto& [k, v] : scope.execution_context->items()) whole[k] = v;
            return jsonpath::select(path_, whole);
        }
        case Root::Variable: {
            if (!scope.variables || !scope.variables->is_object()) return std::nullopt;
            auto it = scope.variables->find(variable_);
            if (it == scope.variables->end()) return std::nullopt;
            return jsonpath::select(path_, *it);
        }
    }
    return std::nullopt;
}

}  // namespace sluice::sfn
