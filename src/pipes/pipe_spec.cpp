#include "pipe_spec.hpp"

#include <regex>

#include "sluice/core/arn.hpp"
#include "sluice/pipes/pipes_service.hpp"

namespace sluice::pipes {

namespace {

// The botocore model's patterns (the trimmed model Sluice embeds keeps only lengths).
const std::regex& name_pattern() {
    static const std::regex r(R"([\.\-_A-Za-z0-9]+)");
    return r;
}
const std::regex& arn_pattern() {
    static const std::regex r(
        R"(arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-]+):([a-z]{2,4}((-gov)|(-de)|(-iso([a-z]?)))?-[a-z]+(-\d{1})?)?:(\d{12})?:(.+))");
    return r;
}
const std::regex& role_pattern() {
    static const std::regex r(R"(arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z0-9+=,.@\-_/]+)");
    return r;
}

[[noreturn]] void invalid(const std::string& field, const std::string& message) {
    (void)field;
    throw error("ValidationException", message);
}

void check_pattern(const std::string& value, const std::regex& pattern, const std::string& member, const char* text) {
    if (std::regex_match(value, pattern)) return;
    invalid(member, "1 validation error detected: Value '" + value + "' at '" + member +
                        "' failed to satisfy constraint: Member must satisfy regular expression pattern: " + text);
}

constexpr const char* kArnText =
    R"(arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-]+):([a-z]{2,4}((-gov)|(-de)|(-iso([a-z]?)))?-[a-z]+(-\d{1})?)?:(\d{12})?:(.+))";

std::string str(const Json& j, const char* name) {
    auto it = j.find(name);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const Json* member(const Json& j, const char* name) {
    if (!j.is_object()) return nullptr;
    auto it = j.find(name);
    return it == j.end() || it->is_null() ? nullptr : &*it;
}

std::string queue_path(const core::Arn& arn) {
    return "/" + arn.account + "/" + arn.resource;
}

bool is_state_machine(const core::Arn& arn) {
    return arn.service == "states" && arn.resource.rfind("stateMachine:", 0) == 0;
}

InputTemplate parse_template(const std::string& text, const std::string& field) {
    try {
        return InputTemplate::parse(text);
    } catch (const std::invalid_argument& e) {
        invalid(field, std::string("Invalid InputTemplate: ") + e.what());
    }
}

// Source parameters of another kind of source, given with an SQS source.
void only_sqs_source_parameters(const Json& source_parameters) {
    for (const auto& [key, value] : source_parameters.items()) {
        if (key == "FilterCriteria" || key == "SqsQueueParameters" || value.is_null()) continue;
        invalid("sourceParameters." + key, "SourceParameters." + key + " is not valid for an Amazon SQS source.");
    }
}

void only_target_parameters(const Json& target_parameters, const char* allowed, const std::string& target) {
    for (const auto& [key, value] : target_parameters.items()) {
        if (key == "InputTemplate" || value.is_null() || (allowed && key == allowed)) continue;
        invalid("targetParameters." + key, "TargetParameters." + key + " is not valid for the target " + target + ".");
    }
}

}  // namespace

void check_pipe_name(const std::string& name) {
    check_pattern(name, name_pattern(), "name", R"([\.\-_A-Za-z0-9]+)");
}

Json log_configuration_json(const Json& p) {
    if (!p.is_object()) return nullptr;
    Json out = Json::object();
    for (const char* key : {"Level", "IncludeExecutionData", "CloudwatchLogsLogDestination", "FirehoseLogDestination",
                            "S3LogDestination"})
        if (auto* v = member(p, key)) out[key] = *v;
    return out;
}

std::shared_ptr<const PipeSpec> build_spec(const Json& params, const PipeSpec* base) {
    // Parameter blocks must be objects (HTTP input is type-checked by the codec; this guards
    // in-process callers too).
    for (const char* key : {"SourceParameters", "EnrichmentParameters", "TargetParameters", "LogConfiguration"})
        if (auto* v = member(params, key); v && !v->is_object()) invalid(key, std::string(key) + " must be an object.");
    for (const char* key : {"EcsTaskParameters", "SqsQueueParameters", "StepFunctionStateMachineParameters"})
        if (auto* tp = member(params, "TargetParameters"); tp && member(*tp, key) && !(*tp)[key].is_object())
            invalid(key, std::string("TargetParameters.") + key + " must be an object.");
    auto spec = std::make_shared<PipeSpec>(base ? *base : PipeSpec{});

    if (!base) {
        spec->source = str(params, "Source");
        if (spec->source.rfind("smk://", 0) == 0)
            invalid("source", "Sluice supports Amazon SQS queues as pipe sources; " + spec->source +
                                  " is a self-managed Apache Kafka cluster.");
        check_pattern(spec->source, arn_pattern(), "source", kArnText);
        auto arn = core::Arn::parse(spec->source);
        if (!arn || arn->service != "sqs" || arn->resource.find(':') != std::string::npos || arn->account.empty())
            invalid("source",
                    "Sluice supports Amazon SQS queues as pipe sources; " + spec->source + " is not an SQS queue.");
        spec->source_queue = queue_path(*arn);
        spec->source_fifo =
            arn->resource.size() > 5 && arn->resource.compare(arn->resource.size() - 5, 5, ".fifo") == 0;
    }

    if (auto* d = member(params, "Description")) spec->description = d->get<std::string>();
    spec->role_arn = str(params, "RoleArn");
    check_pattern(spec->role_arn, role_pattern(), "roleArn",
                  R"(arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z0-9+=,.@\-_/]+)");
    if (auto* k = member(params, "KmsKeyIdentifier")) spec->kms_key = k->get<std::string>();
    if (auto* l = member(params, "LogConfiguration")) spec->log_configuration = log_configuration_json(*l);

    // Source parameters: each block an update names replaces the pipe's (what it leaves out goes
    // back to its default); blocks it doesn't name stay.
    if (auto* sp = member(params, "SourceParameters")) {
        only_sqs_source_parameters(*sp);
        if (auto* f = member(*sp, "FilterCriteria")) spec->source_parameters["FilterCriteria"] = *f;
        if (auto* q = member(*sp, "SqsQueueParameters")) spec->source_parameters["SqsQueueParameters"] = *q;
    }
    // AWS shows the default batch size when none was given (and no default window).
    if (!base && !spec->source_parameters.contains("SqsQueueParameters"))
        spec->source_parameters["SqsQueueParameters"] = {{"BatchSize", 10}};
    const Json sqs_parameters = spec->source_parameters.value("SqsQueueParameters", Json::object());
    spec->batch_size = sqs_parameters.value("BatchSize", 10);
    spec->batching_window_seconds = sqs_parameters.value("MaximumBatchingWindowInSeconds", 0);
    if (spec->batch_size > 10 && spec->batching_window_seconds < 1)
        invalid("sourceParameters.sqsQueueParameters.maximumBatchingWindowInSeconds",
                "MaximumBatchingWindowInSeconds must be greater than 0 when BatchSize is greater than 10.");
    spec->filters.clear();
    if (auto* criteria = member(spec->source_parameters, "FilterCriteria")) {
        if (auto* filters = member(*criteria, "Filters")) {
            int index = 0;
            for (const auto& f : *filters) {
                const auto pattern = str(f, "Pattern");
                try {
                    spec->filters.push_back(events::EventPattern::parse(pattern));
                } catch (const events::PatternError& e) {
                    invalid("sourceParameters.filterCriteria.filters[" + std::to_string(index) + "].pattern",
                            "Invalid FilterCriteria.Filters[" + std::to_string(index) + "].Pattern: " + e.what());
                }
                ++index;
            }
        }
    }

    // Enrichment: an Express state machine, called synchronously. "" removes it on update.
    if (auto* e = member(params, "Enrichment")) spec->enrichment = e->get<std::string>();
    if (!spec->enrichment.empty()) {
        check_pattern(spec->enrichment, arn_pattern(), "enrichment", kArnText);
        auto arn = core::Arn::parse(spec->enrichment);
        if (!arn || !is_state_machine(*arn))
            invalid("enrichment", "Sluice supports Step Functions state machines as pipe enrichments; " +
                                      spec->enrichment + " is not one.");
    }
    if (auto* ep = member(params, "EnrichmentParameters")) {
        if (member(*ep, "HttpParameters"))
            invalid(
                "enrichmentParameters.httpParameters",
                "EnrichmentParameters.HttpParameters is valid only for API destination and API Gateway enrichments.");
        spec->enrichment_parameters = *ep;
    }
    spec->enrichment_template.reset();
    if (auto* t = member(spec->enrichment_parameters, "InputTemplate"))
        spec->enrichment_template = parse_template(t->get<std::string>(), "enrichmentParameters.inputTemplate");

    // Target: a state machine, an ECS cluster or an SQS queue.
    if (auto* t = member(params, "Target")) spec->target = t->get<std::string>();
    if (auto* tp = member(params, "TargetParameters")) spec->target_parameters = *tp;
    check_pattern(spec->target, arn_pattern(), "target", kArnText);
    auto target = core::Arn::parse(spec->target);
    if (!target) invalid("target", "Target " + spec->target + " is not a valid ARN.");
    if (is_state_machine(*target)) {
        spec->target_kind = TargetKind::StateMachine;
        only_target_parameters(spec->target_parameters, "StepFunctionStateMachineParameters", spec->target);
        // REQUEST_RESPONSE is the API's default.
        auto invocation = spec->target_parameters.value("StepFunctionStateMachineParameters", Json::object())
                              .value("InvocationType", std::string("REQUEST_RESPONSE"));
        spec->target_waits = invocation == "REQUEST_RESPONSE";
    } else if (target->service == "ecs" && target->resource.rfind("cluster/", 0) == 0) {
        spec->target_kind = TargetKind::EcsTask;
        only_target_parameters(spec->target_parameters, "EcsTaskParameters", spec->target);
        if (!member(spec->target_parameters, "EcsTaskParameters"))
            invalid("targetParameters.ecsTaskParameters",
                    "TargetParameters.EcsTaskParameters is required for an Amazon ECS target.");
    } else if (target->service == "sqs" && target->resource.find(':') == std::string::npos &&
               !target->account.empty()) {
        spec->target_kind = TargetKind::SqsQueue;
        spec->target_queue = queue_path(*target);
        only_target_parameters(spec->target_parameters, "SqsQueueParameters", spec->target);
        // An SQS target takes at most 10 messages per call (Pipes' batching table).
        if (spec->batch_size > 10)
            invalid("sourceParameters.sqsQueueParameters.batchSize",
                    "BatchSize " + std::to_string(spec->batch_size) +
                        " exceeds 10, the most an Amazon SQS target accepts in a batch.");
    } else {
        invalid("target",
                "Sluice supports Step Functions state machines, Amazon ECS clusters and Amazon SQS queues as pipe "
                "targets; " +
                    spec->target + " is none of these.");
    }
    spec->target_template.reset();
    if (auto* t = member(spec->target_parameters, "InputTemplate"))
        spec->target_template = parse_template(t->get<std::string>(), "targetParameters.inputTemplate");
    return spec;
}

}  // namespace sluice::pipes
