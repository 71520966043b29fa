// The pipe operations: create, describe, list, update, start, stop, delete. States move as on
// AWS: an operation answers with the transitional state (CREATING, STARTING, UPDATING,
// STOPPING, DELETING) and the pipe settles right after, or, for STOPPING and DELETING, once
// the batches it has in flight are finished.
#include "pipe_spec.hpp"
#include "sluice/core/arn.hpp"
#include "sluice/core/encoding.hpp"
#include "sluice/pipes/pipes_service.hpp"
#include "sluice/protocol/paging.hpp"

namespace sluice::pipes {

namespace {

bool transitional(const std::string& state) {
    return state == "CREATING" || state == "STARTING" || state == "STOPPING" || state == "UPDATING" ||
           state == "DELETING";
}

protocol::AwsError conflict(const Pipe& pipe, const std::string& message) {
    auto e = error("ConflictException", message);
    e.fields["resourceId"] = pipe.name;
    e.fields["resourceType"] = "pipe";
    return e;
}

std::string pipe_arn(const core::Scope& scope, const std::string& name) {
    return "arn:aws:pipes:" + scope.region + ":" + scope.account + ":pipe/" + name;
}

std::map<std::string, std::string> tags_from(const Json& params, const char* key) {
    std::map<std::string, std::string> out;
    if (auto it = params.find(key); it != params.end() && it->is_object())
        for (const auto& [k, v] : it->items()) out[k] = v.is_string() ? v.get<std::string>() : v.dump();
    return out;
}

}  // namespace

void PipesService::soon(std::function<void(PipesService&)> action) {
    scheduler_.post([weak = weak_from_this(), action = std::move(action)] {
        auto self = weak.lock();
        if (!self) return;
        self->lock_.run([&] {
            if (!self->stopping_) action(*self);
        });
    });
}

void PipesService::check_state_machines(const Call& call, std::shared_ptr<const PipeSpec> spec,
                                        std::function<void(std::optional<protocol::AwsError>)> done) {
    // Which state machines must be Express: a target called with REQUEST_RESPONSE (StartSyncExecution)
    // and an enrichment (always called synchronously).
    std::vector<std::pair<std::string, bool>> to_check;  // (arn, is_target)
    if (spec->target_kind == TargetKind::StateMachine && spec->target_waits) to_check.emplace_back(spec->target, true);
    if (!spec->enrichment.empty()) to_check.emplace_back(spec->enrichment, false);
    if (to_check.empty()) return done(std::nullopt);
    struct Pending {
        int left;
        std::optional<protocol::AwsError> first_error;
        std::function<void(std::optional<protocol::AwsError>)> done;
        std::mutex mutex;
    };
    auto pending = std::make_shared<Pending>();
    pending->left = static_cast<int>(to_check.size());
    pending->done = std::move(done);
    for (const auto& [arn, is_target] : to_check) {
        auto parsed = core::Arn::parse(arn);
        core::Scope scope{parsed->account, parsed->region};
        client_.call(
            "stepfunctions", "DescribeStateMachine", {{"stateMachineArn", arn}}, scope,
            [pending, arn = arn, is_target = is_target](protocol::Outcome outcome) {
                std::optional<protocol::AwsError> problem;
                // A state machine that doesn't exist yet fails the batches, not the create.
                if (auto* ok = std::get_if<Json>(&outcome); ok && ok->value("type", "") == "STANDARD") {
                    problem = is_target
                                  ? error("ValidationException",
                                          "Target " + arn +
                                              " is a STANDARD state machine: it can only be invoked "
                                              "with InvocationType FIRE_AND_FORGET, REQUEST_RESPONSE needs an EXPRESS "
                                              "state machine.")
                                  : error("ValidationException",
                                          "Enrichment " + arn +
                                              " is a STANDARD state machine: enrichments are "
                                              "invoked synchronously and need an EXPRESS state machine.");
                }
                std::function<void(std::optional<protocol::AwsError>)> finish;
                std::optional<protocol::AwsError> result;
                {
                    std::lock_guard lock(pending->mutex);
                    if (problem && !pending->first_error) pending->first_error = problem;
                    if (--pending->left == 0) {
                        finish = std::move(pending->done);
                        result = pending->first_error;
                    }
                }
                if (finish) finish(result);
            });
    }
}

void PipesService::create_pipe(const Call& call, protocol::Reply reply) {
    const auto name = call.params.value("Name", std::string());
    check_pipe_name(name);
    auto spec = build_spec(call.params, nullptr);
    const auto scope = call.context.scope;
    lock_.run([&] {
        if (pipes_.count({scope, name})) {
            Pipe shown;
            shown.name = name;
            throw conflict(shown, "Pipe " + name + " already exists.");
        }
    });
    check_state_machines(
        call, spec,
        [self = shared_from_this(), call, spec, reply, name, scope](std::optional<protocol::AwsError> problem) {
            if (problem) return reply(*problem);
            Json out;
            try {
                self->lock_.run([&] {
                    if (self->pipes_.count({scope, name})) {
                        Pipe shown;
                        shown.name = name;
                        throw conflict(shown, "Pipe " + name + " already exists.");
                    }
                    auto pipe = std::make_shared<Pipe>();
                    pipe->scope = scope;
                    pipe->name = name;
                    pipe->arn = pipe_arn(scope, name);
                    pipe->spec = spec;
                    pipe->desired_state = call.params.value("DesiredState", std::string("RUNNING"));
                    pipe->current_state = "CREATING";
                    pipe->state_reason = "USER_INITIATED";
                    pipe->created = pipe->modified = self->clock_.now();
                    pipe->tags = tags_from(call.params, "Tags");
                    self->pipes_[{scope, name}] = pipe;
                    out = state_json(*pipe);
                    self->soon([pipe](PipesService& s) {
                        if (pipe->gone || pipe->current_state != "CREATING") return;
                        if (pipe->desired_state == "RUNNING") {
                            pipe->current_state = "RUNNING";
                            s.runner_->start(pipe);
                        } else {
                            pipe->current_state = "STOPPED";
                            pipe->state_reason = "User initiated";
                        }
                    });
                });
            } catch (const protocol::AwsError& e) {
                return reply(e);
            }
            reply(std::move(out));
        });
}

void PipesService::update_pipe(const Call& call, protocol::Reply reply) {
    const auto name = call.params.value("Name", std::string());
    const auto scope = call.context.scope;
    std::shared_ptr<const PipeSpec> spec, base;
    lock_.run([&] {
        auto pipe = pipe_named(scope, name);
        if (transitional(pipe->current_state))
            throw conflict(*pipe, "Pipe " + name + " cannot be updated while it is " + pipe->current_state + ".");
        base = pipe->spec;
        spec = build_spec(call.params, base.get());
    });
    check_state_machines(
        call, spec,
        [self = shared_from_this(), call, spec, base, reply, name, scope](std::optional<protocol::AwsError> problem) {
            if (problem) return reply(*problem);
            Json out;
            try {
                self->lock_.run([&] {
                    auto pipe = self->pipe_named(scope, name);
                    if (transitional(pipe->current_state))
                        throw conflict(*pipe,
                                       "Pipe " + name + " cannot be updated while it is " + pipe->current_state + ".");
                    // Another update landed while this one was checked: applying it would undo that one.
                    if (pipe->spec != base)
                        throw conflict(*pipe, "Pipe " + name + " was updated by another request; try again.");
                    // Batches in flight keep the spec they started with; the next ones take this one.
                    pipe->spec = spec;
                    if (auto it = call.params.find("DesiredState"); it != call.params.end() && it->is_string())
                        pipe->desired_state = it->get<std::string>();
                    pipe->current_state = "UPDATING";
                    pipe->modified = self->clock_.now();
                    out = state_json(*pipe);
                    self->soon([pipe](PipesService& s) {
                        if (pipe->gone || pipe->current_state != "UPDATING") return;
                        if (pipe->desired_state == "RUNNING") {
                            pipe->current_state = "RUNNING";
                            s.runner_->start(pipe);  // or, if it runs, a new batch size or window applies now
                        } else {
                            s.runner_->stop(pipe);
                            s.settle_state(pipe);
                        }
                    });
                });
            } catch (const protocol::AwsError& e) {
                return reply(e);
            }
            reply(std::move(out));
        });
}

Json PipesService::describe_pipe(const Call& call) {
    auto pipe = pipe_named(call.context.scope, call.params.value("Name", std::string()));
    const auto& spec = *pipe->spec;
    Json out = state_json(*pipe);
    if (!spec.description.empty()) out["Description"] = spec.description;
    if (!pipe->state_reason.empty()) out["StateReason"] = pipe->state_reason;
    out["Source"] = spec.source;
    if (!spec.source_parameters.empty()) out["SourceParameters"] = spec.source_parameters;
    if (!spec.enrichment.empty()) out["Enrichment"] = spec.enrichment;
    out["EnrichmentParameters"] = spec.enrichment_parameters;  // {} when unset, as AWS shows it
    out["Target"] = spec.target;
    out["TargetParameters"] = spec.target_parameters;
    out["RoleArn"] = spec.role_arn;
    out["Tags"] = pipe->tags;
    if (!spec.log_configuration.is_null()) out["LogConfiguration"] = spec.log_configuration;
    if (!spec.kms_key.empty()) out["KmsKeyIdentifier"] = spec.kms_key;
    return out;
}

Json PipesService::list_pipes(const Call& call) {
    const auto& p = call.params;
    const auto name_prefix = p.value("NamePrefix", std::string());
    const auto desired = p.value("DesiredState", std::string());
    const auto current = p.value("CurrentState", std::string());
    const auto source_prefix = p.value("SourcePrefix", std::string());
    const auto target_prefix = p.value("TargetPrefix", std::string());
    std::vector<Json> matching;
    for (const auto& [key, pipe] : pipes_) {  // ordered by scope, then name
        if (!(key.first == call.context.scope)) continue;
        const auto& spec = *pipe->spec;
        if (pipe->name.rfind(name_prefix, 0) != 0 || spec.source.rfind(source_prefix, 0) != 0 ||
            spec.target.rfind(target_prefix, 0) != 0)
            continue;
        if (!desired.empty() && pipe->desired_state != desired) continue;
        if (!current.empty() && pipe->current_state != current) continue;
        Json item = state_json(*pipe);
        if (!pipe->state_reason.empty()) item["StateReason"] = pipe->state_reason;
        item["Source"] = spec.source;
        item["Target"] = spec.target;
        if (!spec.enrichment.empty()) item["Enrichment"] = spec.enrichment;
        matching.push_back(std::move(item));
    }
    const std::size_t limit = p.contains("Limit") ? p["Limit"].get<std::size_t>() : 100;
    auto page = protocol::page_of(matching.size(), p.value("NextToken", std::string()), limit);
    if (!page) throw error("ValidationException", "The NextToken is invalid.");
    Json items = Json::array();
    for (std::size_t i = page->begin; i < page->end; ++i) items.push_back(std::move(matching[i]));
    Json out = {{"Pipes", std::move(items)}};
    if (page->next_token) out["NextToken"] = *page->next_token;
    return out;
}

Json PipesService::start_pipe(const Call& call) {
    auto pipe = pipe_named(call.context.scope, call.params.value("Name", std::string()));
    if (pipe->current_state == "RUNNING" || pipe->current_state == "STARTING") {
        pipe->desired_state = "RUNNING";
        return state_json(*pipe);
    }
    if (transitional(pipe->current_state))
        throw conflict(*pipe, "Pipe " + pipe->name + " cannot be started while it is " + pipe->current_state + ".");
    pipe->desired_state = "RUNNING";
    pipe->current_state = "STARTING";
    pipe->state_reason = "USER_INITIATED";
    pipe->modified = clock_.now();
    soon([pipe](PipesService& s) {
        if (pipe->gone || pipe->current_state != "STARTING") return;
        pipe->current_state = "RUNNING";
        s.runner_->start(pipe);
    });
    return state_json(*pipe);
}

Json PipesService::stop_pipe(const Call& call) {
    auto pipe = pipe_named(call.context.scope, call.params.value("Name", std::string()));
    if (pipe->current_state == "STOPPED" || pipe->current_state == "STOPPING") {
        pipe->desired_state = "STOPPED";
        return state_json(*pipe);
    }
    if (transitional(pipe->current_state) && pipe->current_state != "STARTING")
        throw conflict(*pipe, "Pipe " + pipe->name + " cannot be stopped while it is " + pipe->current_state + ".");
    pipe->desired_state = "STOPPED";
    pipe->current_state = "STOPPING";
    pipe->modified = clock_.now();
    Json out = state_json(*pipe);
    runner_->stop(pipe);
    // Answer STOPPING even when nothing is in flight; STOPPED follows.
    soon([pipe](PipesService& s) { s.settle_state(pipe); });
    return out;
}

Json PipesService::delete_pipe(const Call& call) {
    auto pipe = pipe_named(call.context.scope, call.params.value("Name", std::string()));
    if (pipe->current_state == "DELETING") return state_json(*pipe);
    // AWS answers DELETING and leaves DesiredState as it was.
    pipe->current_state = "DELETING";
    pipe->state_reason = "User initiated";
    pipe->modified = clock_.now();
    Json out = state_json(*pipe);
    runner_->stop(pipe);
    soon([pipe](PipesService& s) { s.settle_state(pipe); });
    return out;
}

Json PipesService::tag_resource(const Call& call) {
    const auto arn = call.params.value("resourceArn", std::string());
    auto pipe = pipe_by_arn(arn);
    auto merged = pipe->tags;
    for (const auto& [k, v] : tags_from(call.params, "tags")) merged[k] = v;
    if (merged.size() > 50)
        throw error("ValidationException", "A pipe can have at most 50 tags; this request would give it " +
                                               std::to_string(merged.size()) + ".");
    pipe->tags = std::move(merged);
    return Json::object();
}

Json PipesService::untag_resource(const Call& call) {
    const auto arn = call.params.value("resourceArn", std::string());
    auto pipe = pipe_by_arn(arn);
    if (auto keys = call.params.find("tagKeys"); keys != call.params.end() && keys->is_array())
        for (const auto& k : *keys)
            if (k.is_string()) pipe->tags.erase(k.get<std::string>());
    return Json::object();
}

Json PipesService::list_tags_for_resource(const Call& call) {
    const auto arn = call.params.value("resourceArn", std::string());
    auto pipe = pipe_by_arn(arn);
    return {{"tags", pipe->tags}};
}

}  // namespace sluice::pipes
