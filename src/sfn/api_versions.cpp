// Versions (immutable published revisions) and aliases (weighted routes to one or two versions).
#include <cctype>
#include <set>

#include "api_support.hpp"

namespace sluice::sfn {

namespace {

api::StatesArn machine_arn_of(const std::string& text) {
    auto arn = api::StatesArn::parse(text);
    if (!arn || arn->type != "stateMachine") throw api::invalid_arn(text);
    return *arn;
}

}  // namespace

Json SfnService::publish_state_machine_version(const Call& call) {
    const auto arn_text = api::str(call.params, "stateMachineArn");
    auto arn = machine_arn_of(arn_text);
    if (!arn.qualifier.empty())
        throw error("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: stateMachineVersion'");
    auto machine = machine_by_arn(arn_text);
    if (!machine) throw error("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn_text + "'");
    const auto revision_id = api::str(call.params, "revisionId");
    if (!revision_id.empty() && revision_id != machine->latest->revision_id)
        throw error("ConflictException", "Failed to publish the State Machine version for revision " + revision_id +
                                             ". The current State Machine revision is " + machine->latest->revision_id +
                                             ".");
    auto [version_arn, created] = publish_version(*machine, api::str(call.params, "description"));
    return {{"creationDate", core::epoch_seconds_fraction(created)}, {"stateMachineVersionArn", version_arn}};
}

std::pair<std::string, TimePoint> SfnService::publish_version(StateMachine& machine, const std::string& description) {
    // Publishing a revision that already has a version gives that version back.
    for (const auto& [n, v] : machine.versions)
        if (v->revision_id == machine.latest->revision_id) return {machine.arn + ":" + std::to_string(n), v->created};
    auto version = std::make_shared<MachineRevision>(*machine.latest);
    version->description = description;
    version->created = clock_.now();
    const long long n = machine.next_version++;  // never reused, even after a delete
    machine.versions[n] = version;
    return {machine.arn + ":" + std::to_string(n), version->created};
}

Json SfnService::list_state_machine_versions(const Call& call) {
    const auto arn_text = api::str(call.params, "stateMachineArn");
    auto arn = machine_arn_of(arn_text);
    if (!arn.qualifier.empty()) throw api::invalid_arn(arn_text);
    Json items = Json::array();
    auto machine = machine_by_arn(arn_text);
    std::vector<std::pair<long long, std::shared_ptr<const MachineRevision>>> versions;
    if (machine)
        for (auto it = machine->versions.rbegin(); it != machine->versions.rend(); ++it)
            versions.emplace_back(it->first, it->second);
    auto pg = api::page(versions.size(), call.params);
    for (std::size_t i = pg.begin; i < pg.end; ++i)
        items.push_back({{"stateMachineVersionArn", arn_text + ":" + std::to_string(versions[i].first)},
                         {"creationDate", core::epoch_seconds_fraction(versions[i].second->created)}});
    Json out = {{"stateMachineVersions", items}};
    if (pg.next_token) out["nextToken"] = *pg.next_token;
    return out;
}

Json SfnService::delete_state_machine_version(const Call& call) {
    const auto arn_text = api::str(call.params, "stateMachineVersionArn");
    auto arn = machine_arn_of(arn_text);
    if (!api::is_version_number(arn.qualifier)) throw api::invalid_arn(arn_text);
    auto machine = machine_by_arn(arn.base());
    if (!machine) return Json::object();
    for (const auto& [name, alias] : machine->aliases)
        for (const auto& route : alias.routing)
            if (route.value("stateMachineVersionArn", "") == arn_text)
                throw error("ConflictException",
                            "Version to be deleted must not be referenced by an alias. Current list of aliases "
                            "referencing this version: [" +
                                name + "]");
    machine->versions.erase(std::stoll(arn.qualifier));
    return Json::object();
}

namespace {

// Checks a routingConfiguration: one or two versions of `machine`, weights adding up to 100.
void check_routing(const StateMachine& machine, const Json& routing) {
    if (!routing.is_array() || routing.empty() || routing.size() > 2)
        throw error("ValidationException", "Routing configuration must contain one or two versions");
    // AWS lists what it was given: "Received: [arn1, arn2]" / "Received: [70, 29]".
    std::string arns, weights;
    for (const auto& route : routing) {
        arns += (arns.empty() ? "" : ", ") + route.value("stateMachineVersionArn", "");
        weights += (weights.empty() ? "" : ", ") + std::to_string(route.value("weight", 0));
    }
    long long total = 0;
    std::set<std::string> seen;
    for (const auto& route : routing) {
        const auto version_arn = route.value("stateMachineVersionArn", "");
        auto arn = api::StatesArn::parse(version_arn);
        if (!arn || arn->type != "stateMachine") throw api::invalid_arn(version_arn);
        if (!api::is_version_number(arn->qualifier))
            throw error("ValidationException",
                        "Routing configuration must contain state machine version ARNs. Received: [" + arns + "]");
        if (arn->base() != machine.arn)
            throw error("ValidationException",
                        "Routing configuration must contain state machine version ARNs of the same state machine");
        if (!machine.versions.contains(std::stoll(arn->qualifier)))
            throw error("ResourceNotFound", "Resource not found: '" + version_arn + "'");
        if (!seen.insert(version_arn).second)
            throw error(
                "ValidationException",
                "Routing configuration must contain distinct state machine version ARNs. Received: [" + arns + "]");
        total += route.value("weight", 0);
    }
    if (total != 100)
        throw error("ValidationException",
                    "Sum of routing configuration weights must equal 100. Received: [" + weights + "]");
}

Json alias_json(const StateMachine::Alias& a) {
    return {{"stateMachineAliasArn", a.arn},
            {"name", a.name},
            {"description", a.description},
            {"routingConfiguration", a.routing},
            {"creationDate", core::epoch_seconds_fraction(a.created)},
            {"updateDate", core::epoch_seconds_fraction(a.updated)}};
}

}  // namespace

Json SfnService::create_state_machine_alias(const Call& call) {
    const auto name = api::str(call.params, "name");
    // Alias names follow a pattern of the model, checked by the front end: letters, digits,
    // '_', '-', '.', and at least one that is not a digit.
    bool word = !name.empty(), non_digit = false;
    for (char c : name) {
        const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
        word = word && ok;
        non_digit = non_digit || !std::isdigit(static_cast<unsigned char>(c));
    }
    if (!word || !non_digit)
        throw protocol::AwsError(
            "com.amazon.coral.validate#ValidationException",
            "1 validation error detected: Value '" + name +
                "' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                "^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$");
    const Json routing = call.params.value("routingConfiguration", Json::array());
    const auto first = routing.is_array() && !routing.empty() ? routing[0].value("stateMachineVersionArn", "") : "";
    auto arn = api::StatesArn::parse(first);
    if (!arn || arn->type != "stateMachine") throw api::invalid_arn(first);
    auto machine = machine_by_arn(arn->base());
    if (!machine) throw error("ResourceNotFound", "Resource not found: '" + arn->base() + "'");
    check_routing(*machine, routing);
    const auto alias_arn = machine->arn + ":" + name;
    if (auto it = machine->aliases.find(name); it != machine->aliases.end()) {
        if (it->second.routing == routing && it->second.description == api::str(call.params, "description"))
            return {{"stateMachineAliasArn", alias_arn},
                    {"creationDate", core::epoch_seconds_fraction(it->second.created)}};
        throw error("ConflictException",
                    "Failed to create alias because an alias with the same name and a different routing configuration "
                    "already exists.");
    }
    StateMachine::Alias alias{alias_arn, name,         api::str(call.params, "description"),
                              routing,   clock_.now(), clock_.now()};
    machine->aliases[name] = alias;
    return {{"stateMachineAliasArn", alias_arn}, {"creationDate", core::epoch_seconds_fraction(alias.created)}};
}

namespace {

std::pair<std::shared_ptr<StateMachine>, StateMachine::Alias*> find_alias(
    const std::function<std::shared_ptr<StateMachine>(const std::string&)>& machine_by_arn, const std::string& text) {
    auto arn = api::StatesArn::parse(text);
    if (!arn || arn->type != "stateMachine" || arn->qualifier.empty() || api::is_version_number(arn->qualifier))
        throw api::invalid_arn(text);
    auto machine = machine_by_arn(arn->base());
    if (!machine) throw error("ResourceNotFound", "Request references a resource that does not exist.");
    auto it = machine->aliases.find(arn->qualifier);
    if (it == machine->aliases.end())
        throw error("ResourceNotFound", "Request references a resource that does not exist.");
    return {machine, &it->second};
}

}  // namespace

Json SfnService::describe_state_machine_alias(const Call& call) {
    auto [machine, alias] = find_alias([this](const std::string& a) { return machine_by_arn(a); },
                                       api::str(call.params, "stateMachineAliasArn"));
    return alias_json(*alias);
}

Json SfnService::update_state_machine_alias(const Call& call) {
    auto [machine, alias] = find_alias([this](const std::string& a) { return machine_by_arn(a); },
                                       api::str(call.params, "stateMachineAliasArn"));
    if (!call.params.contains("description") && !call.params.contains("routingConfiguration"))
        throw error("ValidationException", "Either the description or the RoutingConfiguration must be specified");
    if (auto r = call.params.find("routingConfiguration"); r != call.params.end()) {
        check_routing(*machine, *r);
        alias->routing = *r;
    }
    if (call.params.contains("description")) alias->description = api::str(call.params, "description");
    alias->updated = clock_.now();
    return {{"updateDate", core::epoch_seconds_fraction(alias->updated)}};
}

Json SfnService::delete_state_machine_alias(const Call& call) {
    try {
        auto [machine, alias] = find_alias([this](const std::string& a) { return machine_by_arn(a); },
                                           api::str(call.params, "stateMachineAliasArn"));
        machine->aliases.erase(alias->name);
    } catch (const protocol::AwsError& e) {
        // Deleting an alias that is not there succeeds, as on AWS.
        if (e.short_code() != "ResourceNotFound") throw;
    }
    return Json::object();
}

Json SfnService::list_state_machine_aliases(const Call& call) {
    const auto arn_text = api::str(call.params, "stateMachineArn");
    auto arn = api::StatesArn::parse(arn_text);
    if (!arn || arn->type != "stateMachine") throw api::invalid_arn(arn_text);
    auto machine = machine_by_arn(arn->base());
    if (!machine) throw error("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn_text + "'");
    std::vector<const StateMachine::Alias*> aliases;
    for (const auto& [name, a] : machine->aliases) {
        // Listing through a version shows the aliases that route to it.
        bool routes = arn->qualifier.empty();
        for (const auto& route : a.routing) routes = routes || route.value("stateMachineVersionArn", "") == arn_text;
        if (routes) aliases.push_back(&a);
    }
    auto pg = api::page(aliases.size(), call.params);
    Json items = Json::array();
    for (std::size_t i = pg.begin; i < pg.end; ++i)
        items.push_back({{"stateMachineAliasArn", aliases[i]->arn},
                         {"creationDate", core::epoch_seconds_fraction(aliases[i]->created)}});
    Json out = {{"stateMachineAliases", items}};
    if (pg.next_token) out["nextToken"] = *pg.next_token;
    return out;
}

}  // namespace sluice::sfn
