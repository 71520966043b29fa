// History event details written straight to JSON text. Every state entered and exited writes
// one, so building them through a Json object (a std::map, its nodes and key strings) was a
// large share of an execution's cost; the text is what HistoryEvent keeps anyway.
#include "run.hpp"
#include "sluice/protocol/json_text.hpp"

namespace sluice::sfn {

std::string state_event_details(const std::string& name, const char* data_key, const Json& value,
                                const Json& assigned) {
    const std::string data = protocol::dump_json(value);
    std::string out;
    out.reserve(data.size() + name.size() + 64);
    out += "{\"name\":";
    protocol::dump_json_string(name, out);
    out += ",\"";
    out += data_key;
    out += "\":";
    protocol::dump_json_string(data, out);
    out += ",\"";
    out += data_key;
    out += "Details\":{\"truncated\":false}";
    // An empty Assign lists nothing (recording test_base_cases[BASE_EMPTY]).
    if (assigned.is_object() && !assigned.empty()) {
        // AWS writes each variable's value as JSON text, as it writes input and output
        // (test_assign_base.snapshot.json: "items": "[1,2,3]", "x": "42").
        out += ",\"assignedVariables\":{";
        bool first = true;
        for (const auto& [variable, v] : assigned.items()) {
            if (!first) out += ',';
            first = false;
            protocol::dump_json_string(variable, out);
            out += ':';
            protocol::dump_json_string(protocol::dump_json(v), out);
        }
        out += "},\"assignedVariablesDetails\":{\"truncated\":false}";
    }
    out += '}';
    return out;
}

std::string map_iteration_details(const std::string& name, std::size_t index) {
    std::string out = "{\"name\":";
    protocol::dump_json_string(name, out);
    out += ",\"index\":";
    out += std::to_string(index);
    out += '}';
    return out;
}

}  // namespace sluice::sfn
