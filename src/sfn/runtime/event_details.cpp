// History event details written straight to JSON text. Every state entered and exited writes
// one, so building them through a Json object (a std::map, its nodes and key strings) was a
// large share of an execution's cost; the text is what HistoryEvent keeps anyway.
#include "run.hpp"
#include "sluice/protocol/json_text.hpp"

namespace sluice::sfn {

namespace {

// `text` as a JSON string literal. The text is parsed again when the history is read, so any
// valid escaping would do; this one matches nlohmann's for the characters that need it.
void append_string(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (const char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    out += "\\u00";
                    out += kHex[(c >> 4) & 0xF];
                    out += kHex[c & 0xF];
                } else {
                    out += c;
                }
        }
    }
    out += '"';
}

}  // namespace

std::string state_event_details(const std::string& name, const char* data_key, const Json& value) {
    const std::string data = protocol::dump_json(value);
    std::string out;
    out.reserve(data.size() + name.size() + 64);
    out += "{\"name\":";
    append_string(out, name);
    out += ",\"";
    out += data_key;
    out += "\":";
    append_string(out, data);
    out += ",\"";
    out += data_key;
    out += "Details\":{\"truncated\":false}}";
    return out;
}

std::string map_iteration_details(const std::string& name, std::size_t index) {
    std::string out = "{\"name\":";
    append_string(out, name);
    out += ",\"index\":";
    out += std::to_string(index);
    out += '}';
    return out;
}

}  // namespace sluice::sfn
