#include "sluice/pipes/pipes_service.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include "sluice/core/arn.hpp"
#include "sluice/protocol/constraints.hpp"

std::string_view sluice_model_pipes();  // generated from models/pipes.json

namespace sluice::pipes {

const protocol::Model& model() {
    static const auto parsed = protocol::Model::parse(sluice_model_pipes());
    return *parsed;
}

protocol::AwsError error(const std::string& code, const std::string& message) { return model().error(code, message); }

PipesService::PipesService(boost::asio::io_context& io, const core::Clock& clock) : io_(io), clock_(clock) {}

PipesService::~PipesService() {
    // Handlers still queued may keep a Pipe alive past the service; its timers must not
    // outlive the io_context, so they go now, while it exists.
    for (auto& [key, pipe] : pipes_) {
        pipe->window_timer.reset();
        pipe->retry_timer.reset();
    }
}

const protocol::Model& PipesService::model() const { return pipes::model(); }

const std::map<std::string, PipesService::Handler, std::less<>>& PipesService::handlers() {
    static const std::map<std::string, Handler, std::less<>> table = {
        {"DeletePipe", &PipesService::delete_pipe},
        {"DescribePipe", &PipesService::describe_pipe},
        {"ListPipes", &PipesService::list_pipes},
        {"ListTagsForResource", &PipesService::list_tags_for_resource},
        {"StartPipe", &PipesService::start_pipe},
        {"StopPipe", &PipesService::stop_pipe},
        {"TagResource", &PipesService::tag_resource},
        {"UntagResource", &PipesService::untag_resource},
    };
    return table;
}

void PipesService::invoke(Call call, protocol::Reply reply) {
    try {
        if (const auto* op = pipes::model().operation(call.operation); op && op->input)
            protocol::check_constraints(call.params, *op->input, pipes::model());
        if (call.operation == "CreatePipe") return create_pipe(call, reply);
        if (call.operation == "UpdatePipe") return update_pipe(call, reply);
    } catch (const protocol::AwsError& e) {
        return reply(e);
    } catch (const nlohmann::json::exception& e) {
        return reply(error("ValidationException", std::string("Invalid request: ") + e.what()));
    }
    auto it = handlers().find(call.operation);
    if (it == handlers().end()) return reply(protocol::common_errors::unknown_operation(call.operation));
    Json result;
    try {
        with_lock([&] { result = (this->*(it->second))(call); });
    } catch (const protocol::AwsError& e) {
        return reply(e);
    } catch (const nlohmann::json::exception& e) {
        return reply(error("ValidationException", std::string("Invalid request: ") + e.what()));
    }
    reply(std::move(result));
}

void PipesService::with_lock(const std::function<void()>& body) {
    std::vector<std::function<void()>> later;
    {
        std::lock_guard lock(mutex_);
        try {
            body();
        } catch (...) {
            later = std::exchange(deferred_, {});
            // What the body set going before it threw still happens.
            for (auto& a : later) boost::asio::post(io_, std::move(a));
            throw;
        }
        later = std::exchange(deferred_, {});
    }
    for (auto& action : later) action();
}

void PipesService::call_peer(const std::string& service, const std::string& operation, Json params,
                             const core::Scope& scope, protocol::Reply reply) {
    auto it = peers_.find(service);
    if (it == peers_.end() || !it->second) {
        boost::asio::post(io_, [reply = std::move(reply), service] {
            reply(protocol::common_errors::internal_failure("Sluice has no " + service + " service to call."));
        });
        return;
    }
    protocol::Call call;
    call.service = service;
    call.operation = operation;
    call.params = std::move(params);
    call.context.scope = scope;
    call.context.host = "localhost";
    boost::asio::post(io_, [peer = it->second, call = std::move(call), reply = std::move(reply)]() mutable {
        auto once = std::make_shared<bool>(false);
        auto guarded = [reply, once](protocol::Outcome outcome) {
            if (std::exchange(*once, true)) return;
            reply(std::move(outcome));
        };
        try {
            peer->invoke(std::move(call), guarded);
        } catch (const protocol::AwsError& e) {
            guarded(e);
        } catch (const std::exception& e) {
            guarded(protocol::common_errors::internal_failure(e.what()));
        }
    });
}

void PipesService::shutdown() {
    std::vector<std::shared_ptr<Pipe>> all;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        for (auto& [key, pipe] : pipes_) all.push_back(pipe);
    }
    // Parked reads answer empty; batches in flight end with the daemon (their messages come
    // back on the source after its visibility timeout, as after any crash).
    with_lock([&] {
        for (auto& pipe : all) {
            stop_consuming(pipe);
            if (pipe->window_timer) pipe->window_timer->cancel();
            if (pipe->retry_timer) pipe->retry_timer->cancel();
        }
    });
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
                {"batchesInFlight", pipe.batches_in_flight},
                {"messagesBuffered", pipe.buffered.size()},
                {"lastError", c.last_error.empty() ? Json(nullptr) : Json(c.last_error)},
                {"lastErrorAt", c.last_error_at ? Json(core::iso8601(*c.last_error_at)) : Json(nullptr)}};
    if (!pipe.spec->enrichment.empty()) out["enrichment"] = pipe.spec->enrichment;
    return out;
}

Json PipesService::introspect() const {
    std::lock_guard lock(mutex_);
    Json list = Json::array();
    for (const auto& [key, pipe] : pipes_) list.push_back(counters_json(*pipe));
    return {{"pipes", std::move(list)}};
}

std::optional<Json> PipesService::introspect_path(std::string_view path) const {
    // /_sluice/pipes/<name>, or /_sluice/pipes/<account>/<region>/<name> when names repeat.
    std::lock_guard lock(mutex_);
    std::string name(path);
    std::optional<core::Scope> scope;
    if (auto first = path.find('/'); first != std::string_view::npos) {
        auto second = path.find('/', first + 1);
        if (second == std::string_view::npos) return std::nullopt;
        scope = core::Scope{std::string(path.substr(0, first)), std::string(path.substr(first + 1, second - first - 1))};
        name = std::string(path.substr(second + 1));
    }
    for (const auto& [key, pipe] : pipes_)
        if (key.second == name && (!scope || *scope == key.first)) return counters_json(*pipe);
    return std::nullopt;
}

}  // namespace sluice::pipes
