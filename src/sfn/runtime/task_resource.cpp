#include "sluice/sfn/task_resource.hpp"

#include "sluice/core/arn.hpp"

namespace sluice::sfn {

std::string TaskResource::history_type() const {
    if (kind == Kind::Activity) return "activity";
    return sdk ? "aws-sdk:" + service : service;
}

std::string TaskResource::history_resource() const {
    if (kind == Kind::Activity) return arn;
    switch (pattern) {
        case Pattern::RequestResponse:
            return api;
        case Pattern::Sync:
            return api + ".sync";
        case Pattern::Sync2:
            return api + ".sync:2";
        case Pattern::WaitForTaskToken:
            return api + ".waitForTaskToken";
    }
    return api;
}

std::optional<TaskResource> TaskResource::parse(std::string_view text) {
    auto arn = core::Arn::parse(text);
    if (!arn) return std::nullopt;
    TaskResource out;
    out.arn = std::string(text);
    if (arn->service == "lambda") {
        out.kind = Kind::Lambda;
        out.service = "lambda";
        out.api = "invoke";
        return out;
    }
    if (arn->service != "states") return std::nullopt;
    if (arn->resource.starts_with("activity:")) {
        out.kind = Kind::Activity;
        return out;
    }
    // arn:aws:states:::service:api[.pattern] (region and account are empty)
    std::string_view rest = arn->resource;
    if (rest.starts_with("aws-sdk:")) {
        out.sdk = true;
        rest.remove_prefix(8);
    }
    auto colon = rest.find(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    out.service = std::string(rest.substr(0, colon));
    std::string_view api = rest.substr(colon + 1);
    auto dot = api.find('.');
    if (dot != std::string_view::npos) {
        auto suffix = api.substr(dot + 1);
        if (suffix == "sync")
            out.pattern = Pattern::Sync;
        else if (suffix == "sync:2")
            out.pattern = Pattern::Sync2;
        else if (suffix == "waitForTaskToken")
            out.pattern = Pattern::WaitForTaskToken;
        else
            return std::nullopt;
        api = api.substr(0, dot);
    }
    if (api.empty()) return std::nullopt;
    out.api = std::string(api);
    return out;
}

}  // namespace sluice::sfn
