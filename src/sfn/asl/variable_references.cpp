// The variables each state reads, as DescribeStateMachine's `variableReferences` lists them.
// AWS's recordings (LocalStack's AWS-validated test_sfn_api_variable_references.snapshot.json)
// show the rule: a state lists every `$name` root in its paths (InputPath, OutputPath,
// ItemsPath, SecondsPath, Choice's Variable and `...Path` operands, MaxConcurrencyPath, ...)
// and in the `.$` values of its templates, Assign's right-hand sides included; a string without
// `.$` is a literal ("bucketName": "$bucket" references nothing); the states of a Map's
// processor or a Parallel's branches list their own; a machine that reads no variable has no
// `variableReferences` at all.
#include <set>

#include "sluice/sfn/definition.hpp"

namespace sluice::sfn {
namespace {

bool identifier_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The `$name` roots in a path or an intrinsic call; single-quoted intrinsic literals are text.
void scan(const std::string& text, std::set<std::string>& out) {
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '\\')
                ++i;
            else if (c == '\'')
                quoted = false;
            continue;
        }
        if (c == '\'') {
            quoted = true;
            continue;
        }
        if (c != '$' || (i > 0 && (identifier_char(text[i - 1]) || text[i - 1] == '$'))) continue;
        std::size_t end = i + 1;
        while (end < text.size() && identifier_char(text[end])) ++end;
        if (end > i + 1) out.insert(text.substr(i + 1, end - i - 1));
        i = end - 1;
    }
}

// A payload template (Parameters, ItemSelector, ResultSelector, Assign): only `.$` values are read.
void scan_template(const Json& value, std::set<std::string>& out) {
    if (value.is_array()) {
        for (const auto& v : value) scan_template(v, out);
        return;
    }
    if (!value.is_object()) return;
    for (const auto& [key, v] : value.items()) {
        if (key.ends_with(".$") && v.is_string())
            scan(v.get<std::string>(), out);
        else
            scan_template(v, out);
    }
}

bool is_template_field(const std::string& key) {
    return key == "Parameters" || key == "ItemSelector" || key == "ResultSelector" || key == "Assign" ||
           key == "Arguments" || key == "Output";
}

// The rest of a state's fields: paths by name (`...Path`, `Variable`), templates by name,
// nested rules and catchers walked through; literal fields (`Result`) and nested state blocks
// (ItemProcessor, Iterator, Branches) are not this state's.
void scan_fields(const Json& value, std::set<std::string>& out) {
    if (value.is_array()) {
        for (const auto& v : value) scan_fields(v, out);
        return;
    }
    if (!value.is_object()) return;
    for (const auto& [key, v] : value.items()) {
        if (key == "Result" || key == "ItemProcessor" || key == "Iterator" || key == "Branches") continue;
        if (is_template_field(key))
            scan_template(v, out);
        else if ((key.ends_with("Path") || key == "Variable") && v.is_string())
            scan(v.get<std::string>(), out);
        else
            scan_fields(v, out);
    }
}

void scan_block(const Json& block, Json& references) {
    const auto states = block.find("States");
    if (states == block.end() || !states->is_object()) return;
    for (const auto& [name, state] : states->items()) {
        if (!state.is_object()) continue;
        std::set<std::string> names;
        scan_fields(state, names);
        if (!names.empty()) references[name] = names;
        for (const char* nested : {"ItemProcessor", "Iterator"})
            if (auto it = state.find(nested); it != state.end() && it->is_object()) scan_block(*it, references);
        if (auto it = state.find("Branches"); it != state.end() && it->is_array())
            for (const auto& branch : *it)
                if (branch.is_object()) scan_block(branch, references);
    }
}

}  // namespace

Json variable_references(const Json& definition) {
    Json references = Json::object();
    if (definition.is_object()) scan_block(definition, references);
    return references;
}

}  // namespace sluice::sfn
