#include "sluice/events/input_template.hpp"

#include <cctype>
#include <stdexcept>

namespace sluice::events {

namespace {

bool word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '/' || c == '-';
}

// One step of a path: a member name or an index (-1 for `[*]`).
struct Step {
    std::string name;
    long index = 0;
    bool is_index = false;
};

std::optional<std::vector<Step>> parse_path(std::string_view path) {
    if (path.empty() || path[0] != '$') return std::nullopt;
    std::vector<Step> steps;
    std::size_t i = 1;
    while (i < path.size()) {
        if (path[i] == '.') {
            std::size_t j = i + 1;
            while (j < path.size() && word_char(path[j])) ++j;
            if (j == i + 1) return std::nullopt;
            steps.push_back({std::string(path.substr(i + 1, j - i - 1))});
            i = j;
        } else if (path[i] == '[' && !steps.empty()) {
            auto close = path.find(']', i);
            if (close == std::string_view::npos || close == i + 1) return std::nullopt;
            auto inside = path.substr(i + 1, close - i - 1);
            Step s;
            s.is_index = true;
            if (inside == "*") {
                s.index = -1;
            } else {
                for (char c : inside)
                    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
                if (inside.size() > 9) return std::nullopt;
                s.index = std::stol(std::string(inside));
            }
            steps.push_back(std::move(s));
            i = close + 1;
        } else {
            return std::nullopt;
        }
    }
    return steps;
}

// A string holding JSON text is walked as that JSON (the SQS body of `$.body.field`).
const Json* step_into(const Json& value, Json& parsed_holder, bool parse_json_strings) {
    if (!value.is_string() || !parse_json_strings) return &value;
    parsed_holder = Json::parse(value.get_ref<const std::string&>(), nullptr, false);
    if (parsed_holder.is_discarded() || !parsed_holder.is_structured()) return nullptr;
    return &parsed_holder;
}

std::optional<Json> walk(const Json& at, const std::vector<Step>& steps, std::size_t k, bool parse_json_strings) {
    if (k == steps.size()) return at;
    Json holder;
    const Json* node = step_into(at, holder, parse_json_strings);
    if (!node) return std::nullopt;
    const auto& step = steps[k];
    if (!step.is_index) {
        if (!node->is_object()) return std::nullopt;
        auto it = node->find(step.name);
        if (it == node->end()) return std::nullopt;
        return walk(*it, steps, k + 1, parse_json_strings);
    }
    if (!node->is_array()) return std::nullopt;
    if (step.index >= 0) {
        if (static_cast<std::size_t>(step.index) >= node->size()) return std::nullopt;
        return walk((*node)[static_cast<std::size_t>(step.index)], steps, k + 1, parse_json_strings);
    }
    Json all = Json::array();
    for (const auto& e : *node)
        if (auto v = walk(e, steps, k + 1, parse_json_strings)) all.push_back(std::move(*v));
    return all;
}

std::string dump(const Json& value) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void append_escaped(std::string& out, const std::string& text) {
    // The characters of a JSON string literal, without its quotes.
    auto quoted = dump(Json(text));
    out.append(quoted, 1, quoted.size() - 2);
}

}  // namespace

bool is_json_path(std::string_view text) {
    return parse_path(text).has_value();
}

std::optional<Json> resolve_path(const Json& event, std::string_view path, bool parse_json_strings) {
    auto steps = parse_path(path);
    if (!steps) return std::nullopt;
    return walk(event, *steps, 0, parse_json_strings);
}

TemplateText TemplateText::parse(std::string_view text, const IsPlaceholder& is_placeholder) {
    TemplateText t;
    Piece current;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '<') {
            auto close = text.find('>', i + 1);
            if (close != std::string_view::npos) {
                auto inner = text.substr(i + 1, close - i - 1);
                if (is_placeholder(inner)) {
                    current.placeholder = std::string(inner);
                    current.quoted = in_string;
                    t.pieces_.push_back(std::move(current));
                    current = Piece{};
                    i = close;
                    continue;
                }
            }
        }
        if (c == '"') in_string = !in_string;
        if (c == '\\' && in_string && i + 1 < text.size()) {
            current.literal += c;
            c = text[++i];
        }
        current.literal += c;
    }
    t.pieces_.push_back(std::move(current));
    return t;
}

std::string TemplateText::render(const ValueOf& value_of) const {
    std::string out;
    for (const auto& p : pieces_) {
        out += p.literal;
        if (p.placeholder.empty()) continue;
        std::optional<Json> value = value_of(p.placeholder);
        if (p.quoted) {
            if (!value || value->is_null()) continue;
            append_escaped(out, value->is_string() ? value->get_ref<const std::string&>() : dump(*value));
        } else {
            out += value ? dump(*value) : "null";
        }
    }
    return out;
}

std::vector<std::string> TemplateText::placeholders() const {
    std::vector<std::string> out;
    for (const auto& p : pieces_)
        if (!p.placeholder.empty()) out.push_back(p.placeholder);
    return out;
}

}  // namespace sluice::events
