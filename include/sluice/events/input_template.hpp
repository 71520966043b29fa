#pragma once
// Templates with `<placeholder>`s over an event, as EventBridge rule targets (InputTransformer)
// and Pipes (InputTemplate) write them, and the JSON paths (`$.detail.id`, `$.items[0]`) that
// name values in the event. The quoting rule is the same in both services: a placeholder inside a
// JSON string literal gets the value's text (a string's characters, escaped for JSON), one outside
// gets the value as JSON. Which `<...>` are placeholders, and what they stand for, each service says.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace sluice::events {

using Json = nlohmann::json;

// Whether `text` has the form of a path: `$` then `.name` / `[n]` / `[*]` steps.
bool is_json_path(std::string_view text);

// The value at `path` in `event`; nullopt when a step is missing. With `parse_json_strings`, a
// string that holds JSON text is walked as that JSON (Pipes reads `$.body.orderId` so).
std::optional<Json> resolve_path(const Json& event, std::string_view path, bool parse_json_strings);

class TemplateText {
public:
    // Says whether `<inner>` is a placeholder (else the text stays as written); throws
    // std::invalid_argument for one that looks like a placeholder but is not a valid one.
    using IsPlaceholder = std::function<bool(std::string_view inner)>;
    // The value a placeholder stands for; nullopt when it names nothing in the event.
    using ValueOf = std::function<std::optional<Json>(const std::string& placeholder)>;

    static TemplateText parse(std::string_view text, const IsPlaceholder& is_placeholder);

    // The text with every placeholder filled. Quoted: the value's text, nothing for a missing or
    // null value; unquoted: the value as JSON, `null` for a missing one.
    std::string render(const ValueOf& value_of) const;

    // The placeholders, in order of appearance.
    std::vector<std::string> placeholders() const;

private:
    struct Piece {
        std::string literal;      // text before the placeholder
        std::string placeholder;  // empty for the tail
        bool quoted = false;      // inside a JSON string literal
    };
    std::vector<Piece> pieces_;
};

}  // namespace sluice::events
