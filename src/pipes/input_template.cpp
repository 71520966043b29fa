#include "sluice/pipes/input_template.hpp"

#include <algorithm>
#include <iterator>
#include <stdexcept>

namespace sluice::pipes {

InputTemplate InputTemplate::parse(std::string_view text) {
    static const char* known[] = {"aws.pipes.pipe-arn",       "aws.pipes.pipe-name",           "aws.pipes.source-arn",
                                  "aws.pipes.enrichment-arn", "aws.pipes.target-arn",          "aws.pipes.event",
                                  "aws.pipes.event.json",     "aws.pipes.event.ingestion-time"};
    return InputTemplate(events::TemplateText::parse(text, [](std::string_view inner) {
        const bool path = !inner.empty() && inner[0] == '$';
        const bool reserved = inner.rfind("aws.pipes.", 0) == 0;
        if (path && !is_json_path(inner))
            throw std::invalid_argument("The placeholder <" + std::string(inner) + "> is not a valid JSON path.");
        if (reserved && std::none_of(std::begin(known), std::end(known), [&](const char* k) { return inner == k; }))
            throw std::invalid_argument("The placeholder <" + std::string(inner) + "> is not a reserved variable.");
        return path || reserved;
    }));
}

Json InputTemplate::render(const Json& event, const ReservedVariables& vars) const {
    auto out = text_.render([&](const std::string& name) -> std::optional<Json> {
        if (name[0] == '$') return resolve_path(event, name);
        if (name == "aws.pipes.pipe-arn") return Json(vars.pipe_arn);
        if (name == "aws.pipes.pipe-name") return Json(vars.pipe_name);
        if (name == "aws.pipes.source-arn") return Json(vars.source_arn);
        if (name == "aws.pipes.enrichment-arn") return Json(vars.enrichment_arn);
        if (name == "aws.pipes.target-arn") return Json(vars.target_arn);
        if (name == "aws.pipes.event.ingestion-time") return Json(vars.ingestion_time);
        return event;  // aws.pipes.event, aws.pipes.event.json
    });
    // The result is JSON when it parses as JSON, else a JSON string of the text (as Pipes sends it).
    Json parsed = Json::parse(out, nullptr, false);
    if (!parsed.is_discarded()) return parsed;
    return Json(out);
}

}  // namespace sluice::pipes
