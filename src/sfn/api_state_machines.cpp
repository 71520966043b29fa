// State machines: create, describe, update, delete, list, validate, tags.
#include "api_support.hpp"
#include "sluice/core/arn.hpp"
#include "sluice/sfn/definition.hpp"
#include "sluice/sfn/task_resource.hpp"

namespace sluice::sfn {

namespace {

std::shared_ptr<const Definition> checked_definition(const std::string& text) {
    auto parsed = parse_definition(text);
    if (!parsed.definition) throw error("InvalidDefinition", invalid_definition_message(parsed.diagnostics));
    return parsed.definition;
}

// Express workflows run at most five minutes and cannot wait on anything outside: AWS refuses
// `.sync`, `.waitForTaskToken` and activities in them when the machine is created.
void collect_express_problems(const StateBlock& block, const std::string& at, Diagnostics& out) {
    for (const auto& s : block.states) {
        const std::string where = at + "/States/" + s->name;
        if (s->type == State::Type::Task) {
            auto r = TaskResource::parse(s->resource);
            if (r && r->kind == TaskResource::Kind::Activity)
                out.push_back({"SCHEMA_VALIDATION_FAILED", "Express state machine does not support Activity ARN",
                               where + "/Resource"});
            else if (r && (r->pattern == TaskResource::Pattern::Sync || r->pattern == TaskResource::Pattern::Sync2))
                out.push_back({"SCHEMA_VALIDATION_FAILED",
                               "Express state machine does not support '.sync' service integration",
                               where + "/Resource"});
            else if (r && r->pattern == TaskResource::Pattern::WaitForTaskToken)
                // AWS's message has two spaces before "at" here.
                out.push_back({"SCHEMA_VALIDATION_FAILED",
                               "Express state machine does not support '.waitForTaskToken' service integration ",
                               where + "/Resource"});
        }
        for (std::size_t i = 0; i < s->branches.size(); ++i)
            collect_express_problems(*s->branches[i], where + "/Branches[" + std::to_string(i) + "]", out);
        if (s->iterator) collect_express_problems(*s->iterator, where + "/ItemProcessor", out);
    }
}

void check_express(const MachineRevision& r) {
    if (r.type != "EXPRESS" || !r.definition) return;
    Diagnostics problems;
    collect_express_problems(*r.definition->root, "", problems);
    if (!problems.empty()) throw error("InvalidDefinition", invalid_definition_message(problems));
}

void check_role(const std::string& role) {
    if (!core::Arn::parse(role)) throw error("InvalidArn", "Invalid Arn: 'Invalid ARN prefix: " + role + "'");
}

Json tags_json(const std::map<std::string, std::string>& tags) {
    Json out = Json::array();
    for (const auto& [k, v] : tags) out.push_back({{"key", k}, {"value", v}});
    return out;
}

// AWS lists `variableReferences` only when some state reads a variable (the recordings of
// test_sfn_api_variable_references: BASE_ASSIGN_FROM_RESULT has none).
void add_variable_references(const MachineRevision& r, Json& out) {
    if (r.definition && !r.definition->variable_references.empty())
        out["variableReferences"] = r.definition->variable_references;
}

Json describe_revision(const MachineRevision& r, const std::string& arn, const std::string& status) {
    Json out = {{"stateMachineArn", arn},
                {"name", r.name},
                {"status", status},
                {"definition", r.definition_text},
                {"roleArn", r.role_arn},
                {"type", r.type},
                {"creationDate", core::epoch_seconds_fraction(r.created)},
                {"loggingConfiguration", r.logging_configuration},
                {"tracingConfiguration", r.tracing_configuration},
                {"encryptionConfiguration", {{"type", "AWS_OWNED_KEY"}}}};
    if (!r.description.empty()) out["description"] = r.description;
    add_variable_references(r, out);
    return out;
}

}  // namespace

std::shared_ptr<const MachineRevision> SfnService::make_revision(const StateMachine& machine, const Json& params,
                                                                 const MachineRevision* base) const {
    auto r = std::make_shared<MachineRevision>();
    if (base) *r = *base;
    r->arn = machine.arn;
    r->name = machine.name;
    r->type = machine.type;
    if (auto d = params.find("definition"); d != params.end() && d->is_string()) {
        r->definition_text = d->get<std::string>();
        r->definition = checked_definition(r->definition_text);
    }
    if (auto role = params.find("roleArn"); role != params.end() && role->is_string()) {
        check_role(role->get<std::string>());
        r->role_arn = role->get<std::string>();
    }
    if (auto l = params.find("loggingConfiguration"); l != params.end() && l->is_object()) {
        r->logging_configuration = *l;
        if (!r->logging_configuration.contains("level")) r->logging_configuration["level"] = "OFF";
        if (!r->logging_configuration.contains("includeExecutionData"))
            r->logging_configuration["includeExecutionData"] = false;
        // Logging at any level but OFF needs one place to log to (recording test_sfn_api_logs
        // test_invalid_logging_configuration: ALL, FATAL and ERROR without destinations).
        const Json destinations = r->logging_configuration.value("destinations", Json::array());
        if (r->logging_configuration["level"] != "OFF" && (!destinations.is_array() || destinations.size() != 1))
            throw error("InvalidLoggingConfiguration",
                        "Invalid Logging Configuration: Must specify exactly one Log Destination.");
    } else if (!base) {
        r->logging_configuration = {{"level", "OFF"}, {"includeExecutionData", false}};
    }
    if (auto t = params.find("tracingConfiguration"); t != params.end() && t->is_object())
        r->tracing_configuration = *t;
    else if (!base)
        r->tracing_configuration = {{"enabled", false}};
    r->revision_id = core::random_uuid_string();
    r->from_update = base != nullptr;
    r->created = clock_.now();
    r->description.clear();
    check_express(*r);
    return r;
}

Json SfnService::create_state_machine(const Call& call) {
    const auto& p = call.params;
    const auto name = api::str(p, "name");
    if (!api::valid_name(name)) throw error("InvalidName", "Invalid Name: '" + name + "'");
    const auto type = api::str(p, "type", "STANDARD");
    // Recording test_create_with_version_description_no_publish.
    if (!p.value("publish", false) && p.contains("versionDescription"))
        throw error("ValidationException", "Version description can only be set when publish is true");
    auto machine = std::make_shared<StateMachine>();
    machine->scope = call.context.scope;
    machine->name = name;
    machine->type = type;
    machine->arn =
        "arn:aws:states:" + call.context.scope.region + ":" + call.context.scope.account + ":stateMachine:" + name;
    machine->created = clock_.now();
    auto revision = make_revision(*machine, p, nullptr);

    if (auto existing = machine_by_arn(machine->arn)) {
        // Creating the same machine again is idempotent; anything different is a conflict.
        const auto& l = *existing->latest;
        if (l.definition_text == revision->definition_text && l.role_arn == revision->role_arn &&
            existing->type == type && !p.value("publish", false))
            return {{"stateMachineArn", existing->arn},
                    {"creationDate", core::epoch_seconds_fraction(existing->created)}};
        throw error("StateMachineAlreadyExists", "State Machine Already Exists: '" + machine->arn + "'");
    }
    auto r = std::const_pointer_cast<MachineRevision>(revision);
    r->created = machine->created;
    machine->latest = revision;
    if (auto t = p.find("tags"); t != p.end() && t->is_array())
        for (const auto& tag : *t) machine->tags[tag.value("key", "")] = tag.value("value", "");
    machines_[machine->arn] = machine;
    Json out = {{"stateMachineArn", machine->arn}, {"creationDate", core::epoch_seconds_fraction(machine->created)}};
    if (p.value("publish", false))
        out["stateMachineVersionArn"] = publish_version(*machine, api::str(p, "versionDescription")).first;
    return out;
}

Json SfnService::describe_state_machine(const Call& call) {
    const auto arn_text = api::str(call.params, "stateMachineArn");
    auto arn = api::StatesArn::parse(arn_text);
    if (arn && arn->type == "stateMachine" && !arn->qualifier.empty() && !api::is_version_number(arn->qualifier)) {
        auto machine = machine_by_arn(arn->base());
        if (machine && machine->aliases.contains(arn->qualifier))
            throw error("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: stateMachineAlias'");
    }
    auto target = resolve_target(arn_text);
    // AWS shows a revisionId only for a revision UpdateStateMachine made: not for a new machine,
    // nor for the version CreateStateMachine published (recordings test_create_publish_describe_*,
    // test_list_delete_version), but for one published after an update (test_publish_state_machine_version).
    const bool versioned = !target.version_arn.empty();
    Json out = describe_revision(*target.revision, versioned ? target.version_arn : target.machine->arn, "ACTIVE");
    if (!versioned) out["creationDate"] = core::epoch_seconds_fraction(target.machine->created);
    if (target.revision->from_update) out["revisionId"] = target.revision->revision_id;
    return out;
}

Json SfnService::update_state_machine(const Call& call) {
    const auto& p = call.params;
    const auto arn_text = api::str(p, "stateMachineArn");
    auto arn = api::StatesArn::parse(arn_text);
    if (!arn || arn->type != "stateMachine") throw api::invalid_arn(arn_text);
    // A qualified ARN names no machine to update: AWS answers StateMachineDoesNotExist for a
    // version ARN, with or without publish (recording test_sfn_api_versioning test_update_state_machine).
    auto machine = arn->qualifier.empty() ? machine_by_arn(arn_text) : nullptr;
    if (!machine) throw error("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn_text + "'");
    const bool changes = p.contains("definition") || p.contains("roleArn") || p.contains("loggingConfiguration") ||
                         p.contains("tracingConfiguration") || p.contains("encryptionConfiguration");
    if (!changes)
        throw error("MissingRequiredParameter",
                    "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must "
                    "be specified");
    if (!p.value("publish", true) && p.contains("versionDescription"))
        throw error("ValidationException", "Version description can only be set when publish is true");
    auto revision = make_revision(*machine, p, machine->latest.get());
    const bool same = revision->definition_text == machine->latest->definition_text &&
                      revision->role_arn == machine->latest->role_arn &&
                      revision->logging_configuration == machine->latest->logging_configuration &&
                      revision->tracing_configuration == machine->latest->tracing_configuration;
    if (!same) {
        machine->latest = revision;
        machine->updated = clock_.now();
    }
    Json out = {{"updateDate", core::epoch_seconds_fraction(machine->updated.value_or(clock_.now()))}};
    if (!same) out["revisionId"] = machine->latest->revision_id;
    if (p.value("publish", false))
        out["stateMachineVersionArn"] = publish_version(*machine, api::str(p, "versionDescription")).first;
    return out;
}

Json SfnService::delete_state_machine(const Call& call) {
    const auto arn_text = api::str(call.params, "stateMachineArn");
    auto arn = api::StatesArn::parse(arn_text);
    if (!arn || arn->type != "stateMachine") throw api::invalid_arn(arn_text);
    if (!arn->qualifier.empty())
        throw error(
            "ValidationException",
            "The state machine ARN must not be qualified: use DeleteStateMachineVersion or DeleteStateMachineAlias");
    // Running executions go on with the revision they started with.
    machines_.erase(arn_text);
    return Json::object();
}

Json SfnService::list_state_machines(const Call& call) {
    std::vector<std::shared_ptr<StateMachine>> mine;
    for (const auto& [arn, m] : machines_)
        if (m->scope == call.context.scope) mine.push_back(m);
    auto pg = api::page(mine.size(), call.params);
    Json items = Json::array();
    for (std::size_t i = pg.begin; i < pg.end; ++i)
        items.push_back({{"stateMachineArn", mine[i]->arn},
                         {"name", mine[i]->name},
                         {"type", mine[i]->type},
                         {"creationDate", core::epoch_seconds_fraction(mine[i]->created)}});
    Json out = {{"stateMachines", items}};
    if (pg.next_token) out["nextToken"] = *pg.next_token;
    return out;
}

Json SfnService::validate_state_machine_definition(const Call& call) {
    auto parsed = parse_definition(api::str(call.params, "definition"));
    // The type's own rules too, as CreateStateMachine applies them: an EXPRESS definition with a
    // `.waitForTaskToken` task FAILs (recording test_validate_state_machine_definition_type_express[ILLEGAL_WFTT]).
    if (parsed.definition && api::str(call.params, "type", "STANDARD") == "EXPRESS") {
        collect_express_problems(*parsed.definition->root, "", parsed.diagnostics);
        if (!parsed.diagnostics.empty()) parsed.definition.reset();
    }
    Json diagnostics = Json::array();
    for (const auto& d : parsed.diagnostics) {
        Json item = {{"severity", "ERROR"}, {"code", d.code}, {"message", d.message}};
        // A diagnostic about the whole text has no location (recording ...not_a_definition[EMPTY_STRING]).
        if (!d.location.empty()) item["location"] = d.location;
        diagnostics.push_back(std::move(item));
    }
    std::size_t max = static_cast<std::size_t>(call.params.value("maxResults", 100));
    if (max == 0) max = 100;
    const bool truncated = diagnostics.size() > max;
    if (truncated) diagnostics.erase(diagnostics.begin() + static_cast<long>(max), diagnostics.end());
    return {{"result", parsed.definition ? "OK" : "FAIL"}, {"diagnostics", diagnostics}, {"truncated", truncated}};
}

Json SfnService::describe_state_machine_for_execution(const Call& call) {
    auto exec = execution_by_arn(api::str(call.params, "executionArn"));
    const auto& r = *exec->machine;
    Json out = {{"stateMachineArn", r.arn},
                {"name", r.name},
                {"definition", r.definition_text},
                {"roleArn", r.role_arn},
                {"updateDate", core::epoch_seconds_fraction(r.created)},
                {"loggingConfiguration", r.logging_configuration},
                {"tracingConfiguration", r.tracing_configuration},
                {"encryptionConfiguration", {{"type", "AWS_OWNED_KEY"}}}};
    // As DescribeStateMachine: a revisionId only for a revision an update made (AWS's recordings
    // test_describe_state_machine_for_execution_of_version{,_with_revision}). The
    // encryptionConfiguration is in the current model and in the newest recordings
    // (test_sfn_api_variable_references); older recordings predate it.
    if (r.from_update) out["revisionId"] = r.revision_id;
    add_variable_references(r, out);
    return out;
}

// ---- tags (state machines and activities)

Json SfnService::tag_resource(const Call& call) {
    const auto arn = api::str(call.params, "resourceArn");
    std::map<std::string, std::string>* tags = nullptr;
    if (auto m = machine_by_arn(arn))
        tags = &m->tags;
    else if (auto parsed = api::StatesArn::parse(arn); parsed && parsed->type == "activity")
        if (auto a = activity_by_arn(arn)) tags = &a->tags;
    if (!tags) throw error("ResourceNotFound", "Resource not found: '" + arn + "'");
    auto merged = *tags;
    for (const auto& tag : call.params.value("tags", Json::array()))
        merged[tag.value("key", "")] = tag.value("value", "");
    if (merged.size() > 50) throw error("TooManyTags", "Too many tags: '" + arn + "'");
    *tags = std::move(merged);
    return Json::object();
}

Json SfnService::untag_resource(const Call& call) {
    const auto arn = api::str(call.params, "resourceArn");
    std::map<std::string, std::string>* tags = nullptr;
    if (auto m = machine_by_arn(arn))
        tags = &m->tags;
    else if (auto parsed = api::StatesArn::parse(arn); parsed && parsed->type == "activity")
        if (auto a = activity_by_arn(arn)) tags = &a->tags;
    if (!tags) throw error("ResourceNotFound", "Resource not found: '" + arn + "'");
    for (const auto& key : call.params.value("tagKeys", Json::array()))
        if (key.is_string()) tags->erase(key.get<std::string>());
    return Json::object();
}

Json SfnService::list_tags_for_resource(const Call& call) {
    const auto arn = api::str(call.params, "resourceArn");
    if (auto m = machine_by_arn(arn)) return {{"tags", tags_json(m->tags)}};
    if (auto parsed = api::StatesArn::parse(arn); parsed && parsed->type == "activity")
        if (auto a = activity_by_arn(arn)) return {{"tags", tags_json(a->tags)}};
    if (!api::StatesArn::parse(arn)) throw api::invalid_arn(arn);
    throw error("ResourceNotFound", "Resource not found: '" + arn + "'");
}

}  // namespace sluice::sfn
