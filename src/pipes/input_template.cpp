#include "sluice/pipes/input_template.hpp"

#include <stdexcept>

namespace sluice::pipes {

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
const Json* step_into(const Json& value, Json& parsed_holder) {
    if (!value.is_string()) return &value;
    parsed_holder = Json::parse(value.get_ref<const std::string&>(), nullptr, false);
    if (parsed_holder.is_discarded() || !parsed_holder.is_structured()) return nullptr;
    return &parsed_holder;
}

std::optional<Json> walk(const Json& at, const std::vector<Step>& steps, std::size_t k) {
    if (k == steps.size()) return at;
    Json holder;
    const Json* node = step_into(at, holder);
    if (!node) return std::nullopt;
    const auto& step = steps[k];
    if (!step.is_index) {
        if (!node->is_object()) return std::nullopt;
        auto it = node->find(step.name);
        if (it == node->end()) return std::nullopt;
        return walk(*it, steps, k + 1);
    }
    if (!node->is_array()) return std::nullopt;
    if (step.index >= 0) {
        if (static_cast<std::size_t>(step.index) >= node->size()) return std::nullopt;
        return walk((*node)[static_cast<std::size_t>(step.index)], steps, k + 1);
    }
    Json all = Json::array();
    for (const auto& e : *node)
        if (auto v = walk(e, steps, k + 1)) all.push_back(std::move(*v));
    return all;
}

void append_escaped(std::string& out, const std::string& text) {
    // The characters of a JSON string literal, without its quotes.
    auto quoted = Json(text).dump(-1, ' ', false, Json::error_handler_t::replace);
    out.append(quoted, 1, quoted.size() - 2);
}

}  // namespace

bool is_json_path(std::string_view text) {
    return parse_path(text).has_value();
}

std::optional<Json> resolve_path(const Json& event, std::string_view path) {
    auto steps = parse_path(path);
    if (!steps) return std::nullopt;
    return walk(event, *steps, 0);
}

InputTemplate InputTemplate::parse(std::string_view text) {
    InputTemplate t;
    Piece current;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '<') {
            auto close = text.find('>', i + 1);
            auto inner = close == std::string_view::npos ? std::string_view() : text.substr(i + 1, close - i - 1);
            const bool path = !inner.empty() && inner[0] == '$';
            const bool reserved = inner.rfind("aws.pipes.", 0) == 0;
            if (path || reserved) {
                if (path && !is_json_path(inner))
                    throw std::invalid_argument("The placeholder <" + std::string(inner) +
                                                "> is not a valid JSON path.");
                static const char* known[] = {"aws.pipes.pipe-arn",   "aws.pipes.pipe-name",
                                              "aws.pipes.source-arn", "aws.pipes.enrichment-arn",
                                              "aws.pipes.target-arn", "aws.pipes.event",
                                              "aws.pipes.event.json", "aws.pipes.event.ingestion-time"};
                if (reserved &&
                    std::none_of(std::begin(known), std::end(known), [&](const char* k) { return inner == k; }))
                    throw std::invalid_argument("The placeholder <" + std::string(inner) +
                                                "> is not a reserved variable.");
                current.placeholder = std::string(inner);
                current.quoted = in_string;
                t.pieces_.push_back(std::move(current));
                current = Piece{};
                i = close;
                continue;
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

Json InputTemplate::render(const Json& event, const ReservedVariables& vars) const {
    std::string out;
    for (const auto& p : pieces_) {
        out += p.literal;
        if (p.placeholder.empty()) continue;
        std::optional<Json> value;
        const auto& name = p.placeholder;
        if (name[0] == '$')
            value = resolve_path(event, name);
        else if (name == "aws.pipes.pipe-arn")
            value = vars.pipe_arn;
        else if (name == "aws.pipes.pipe-name")
            value = vars.pipe_name;
        else if (name == "aws.pipes.source-arn")
            value = vars.source_arn;
        else if (name == "aws.pipes.enrichment-arn")
            value = vars.enrichment_arn;
        else if (name == "aws.pipes.target-arn")
            value = vars.target_arn;
        else if (name == "aws.pipes.event.ingestion-time")
            value = vars.ingestion_time;
        else if (name == "aws.pipes.event" || name == "aws.pipes.event.json")
            value = event;
        if (p.quoted) {
            if (!value || value->is_null()) continue;
            if (value->is_string())
                append_escaped(out, value->get_ref<const std::string&>());
            else
                append_escaped(out, value->dump(-1, ' ', false, Json::error_handler_t::replace));
        } else {
            out += value ? value->dump(-1, ' ', false, Json::error_handler_t::replace) : "null";
        }
    }
    Json parsed = Json::parse(out, nullptr, false);
    if (!parsed.is_discarded()) return parsed;
    return Json(out);
}

}  // namespace sluice::pipes
