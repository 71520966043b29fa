#pragma once
// Pipes' InputTemplate and dynamic path parameters: `<$.path>` placeholders into the event and
// the `<aws.pipes.*>` reserved variables, rendered per event. A path may go through an SQS body
// that holds JSON text (`$.body.orderId`): Pipes parses it implicitly, so does this.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/events/input_template.hpp"

namespace sluice::pipes {

using Json = nlohmann::json;

// The values of the reserved variables for one event.
struct ReservedVariables {
    std::string pipe_arn, pipe_name, source_arn, enrichment_arn, target_arn;
    std::string ingestion_time;  // ISO 8601, when the pipe read the event
};

// Whether `text` has the form of a dynamic path parameter: `$` then `.name` / `[n]` / `[*]` steps.
inline bool is_json_path(std::string_view text) {
    return events::is_json_path(text);
}

// The value at `path` in `event`, following JSON text in strings (implicit body parsing);
// nullopt when a step is missing.
inline std::optional<Json> resolve_path(const Json& event, std::string_view path) {
    return events::resolve_path(event, path, true);
}

class InputTemplate {
public:
    // Throws std::invalid_argument with the reason for a placeholder that is not closed or
    // names neither a path nor a reserved variable.
    static InputTemplate parse(std::string_view text);

    // The template with every placeholder filled. A placeholder inside a JSON string gets the
    // value's text (a string's characters, escaped for JSON); outside it gets the value as JSON.
    // The result is JSON when it parses as JSON, else a JSON string of the text (as Pipes sends it).
    Json render(const Json& event, const ReservedVariables& vars) const;

private:
    explicit InputTemplate(events::TemplateText text) : text_(std::move(text)) {}
    events::TemplateText text_;  // placeholders "$.a.b" or "aws.pipes.pipe-arn"
};

}  // namespace sluice::pipes
