#include "sluice/pipes/pipes_service.hpp"

#include <spdlog/spdlog.h>

#include "sluice/core/arn.hpp"

std::string_view sluice_model_pipes();  // generated from models/pipes.json

namespace sluice::pipes {

const protocol::Model& model() {
    static const auto parsed = protocol::Model::parse(sluice_model_pipes());
    return *parsed;
}

protocol::AwsError error(const std::string& code, const std::string& message) {
    return model().error(code, message);
}

PipesService::PipesService(core::Scheduler& scheduler, protocol::LocalClient& client)
    : scheduler_(scheduler),
      clock_(scheduler.clock()),
      client_(client),
      runner_(std::make_shared<PipeRunner>(lock_, scheduler, client,
                                           [this](const std::shared_ptr<Pipe>& pipe) { settle_state(pipe); })) {}

PipesService::~PipesService() = default;

const protocol::Model& PipesService::model() const {
    return pipes::model();
}

const protocol::OperationTable<PipesService>& PipesService::operations() {
    static const protocol::OperationTable<PipesService> table = {
        {"CreatePipe", &PipesService::create_pipe},
        {"DeletePipe", &PipesService::delete_pipe},
        {"DescribePipe", &PipesService::describe_pipe},
        {"ListPipes", &PipesService::list_pipes},
        {"ListTagsForResource", &PipesService::list_tags_for_resource},
        {"StartPipe", &PipesService::start_pipe},
        {"StopPipe", &PipesService::stop_pipe},
        {"TagResource", &PipesService::tag_resource},
        {"UntagResource", &PipesService::untag_resource},
        {"UpdatePipe", &PipesService::update_pipe},
    };
    return table;
}

const protocol::InvokeRules& PipesService::invoke_rules() {
    static const protocol::InvokeRules rules = {
        .type_error = [](const std::string& what) { return error("ValidationException", "Invalid request: " + what); },
    };
    return rules;
}

void PipesService::shutdown() {
    lock_.run([&] {
        stopping_ = true;
        std::vector<std::shared_ptr<Pipe>> all;
        for (auto& [key, pipe] : pipes_) all.push_back(pipe);
        runner_->shutdown(all);
    });
}

void PipesService::reset() {
    lock_.run([&] {
        // Parked reads are released and read messages handed back; batches in flight finish
        // (their messages are deleted or left for retry) for a pipe that no longer exists.
        for (auto& [key, pipe] : pipes_) {
            runner_->stop(pipe);
            pipe->gone = true;
        }
        pipes_.clear();
    });
}

void PipesService::settle_state(const std::shared_ptr<Pipe>& pipe) {
    if (pipe->gone || !pipe->poller.idle()) return;
    if (pipe->current_state == "STOPPING" || (pipe->current_state == "UPDATING" && pipe->desired_state == "STOPPED")) {
        pipe->current_state = "STOPPED";
        pipe->state_reason = "User initiated";
        spdlog::info("pipe {}: STOPPED", pipe->name);
    } else if (pipe->current_state == "DELETING") {
        pipe->gone = true;
        pipes_.erase({pipe->scope, pipe->name});
        spdlog::info("pipe {}: deleted", pipe->name);
    }
}

std::shared_ptr<Pipe> PipesService::pipe_named(const core::Scope& scope, const std::string& name) const {
    auto it = pipes_.find({scope, name});
    if (it == pipes_.end()) throw error("NotFoundException", "Pipe " + name + " does not exist.");
    return it->second;
}

std::shared_ptr<Pipe> PipesService::pipe_by_arn(const std::string& arn) const {
    auto parsed = core::Arn::parse(arn);
    if (parsed && parsed->service == "pipes" && parsed->resource.rfind("pipe/", 0) == 0) {
        auto it = pipes_.find({core::Scope{parsed->account, parsed->region}, parsed->resource.substr(5)});
        if (it != pipes_.end()) return it->second;
    }
    throw error("NotFoundException", "Pipe " + arn + " does not exist.");
}

Json PipesService::state_json(const Pipe& pipe) {
    return {{"Arn", pipe.arn},
            {"Name", pipe.name},
            {"DesiredState", pipe.desired_state},
            {"CurrentState", pipe.current_state},
            {"CreationTime", core::epoch_seconds_fraction(pipe.created)},
            {"LastModifiedTime", core::epoch_seconds_fraction(pipe.modified)}};
}

Json PipesService::counters_json(const Pipe& pipe) const {
    const auto& c = pipe.counters;
    Json out = {{"name", pipe.name},
                {"arn", pipe.arn},
                {"account", pipe.scope.account},
                {"region", pipe.scope.region},
                {"desiredState", pipe.desired_state},
                {"currentState", pipe.current_state},
                {"source", pipe.spec->source},
                {"target", pipe.spec->target},
                {"batches", c.batches},
                {"messagesReceived", c.messages_received},
                {"messagesDelivered", c.messages_delivered},
                {"messagesFiltered", c.messages_filtered},
                {"messagesFailed", c.messages_failed},
                {"batchesInFlight", pipe.poller.batches_in_flight},
                {"messagesBuffered", pipe.poller.buffered.size()},
                {"lastError", c.last_error.empty() ? Json(nullptr) : Json(c.last_error)},
                {"lastErrorAt", c.last_error_at ? Json(core::iso8601(*c.last_error_at)) : Json(nullptr)}};
    if (!pipe.spec->enrichment.empty()) out["enrichment"] = pipe.spec->enrichment;
    return out;
}

Json PipesService::introspect() const {
    return lock_.run([&] {
        Json list = Json::array();
        for (const auto& [key, pipe] : pipes_) list.push_back(counters_json(*pipe));
        return Json{{"pipes", std::move(list)}};
    });
}

std::optional<Json> PipesService::introspect_path(std::string_view path) const {
    // /_sluice/pipes/<name>, or /_sluice/pipes/<account>/<region>/<name> when names repeat.
    return lock_.run([&]() -> std::optional<Json> {
        std::string name(path);
        std::optional<core::Scope> scope;
        if (auto first = path.find('/'); first != std::string_view::npos) {
            auto second = path.find('/', first + 1);
            if (second == std::string_view::npos) return std::nullopt;
            scope = core::Scope{std::string(path.substr(0, first)),
                                std::string(path.substr(first + 1, second - first - 1))};
            name = std::string(path.substr(second + 1));
        }
        for (const auto& [key, pipe] : pipes_)
            if (key.second == name && (!scope || *scope == key.first)) return counters_json(*pipe);
        return std::nullopt;
    });
}

}  // namespace sluice::pipes
