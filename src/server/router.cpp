#include "sluice/server/router.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>

#include <spdlog/spdlog.h>

#include "json_response.hpp"
#include "sluice/core/ids.hpp"
#include "sluice/protocol/json_rpc.hpp"
#include "sluice/protocol/query.hpp"
#include "sluice/protocol/rest_json.hpp"
#include "sluice/protocol/sigv4_scope.hpp"

namespace sluice::server {

using protocol::AwsError;
using protocol::HttpRequest;
using protocol::HttpResponse;
using protocol::Json;

namespace {

bool is_account_id(const std::string& s) {
    return s.size() == 12 && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

void add_request_id(HttpResponse& response, const std::string& request_id) {
    response.headers.emplace_back("x-amzn-RequestId", request_id);
}

// What AWS answers a request its policy denies: 403 AccessDenied (query code AccessDenied).
AwsError access_denied(const std::string& message) {
    return AwsError("AccessDeniedException", message, 403, true, "AccessDenied");
}

}  // namespace

Router::Router(std::string version, AccessOptions access, core::Scheduler* scheduler)
    : version_(std::move(version)), access_(std::move(access)), scheduler_(scheduler) {}

void Router::set_endpoint(std::string_view host_port) {
    auto colon = host_port.rfind(':');
    if (colon != std::string_view::npos && host_port.find(']', colon) == std::string_view::npos)
        host_port = host_port.substr(0, colon);
    access_.add_own_host(host_port);
}

void Router::add(std::shared_ptr<protocol::Service> service) {
    services_.push_back(std::move(service));
}

void Router::shutdown() {
    stopping_ = true;  // parked watches answer at their next look
    for (auto& s : services_) s->shutdown();
}

protocol::Service* Router::find_by_name(std::string_view name) const {
    for (const auto& s : services_)
        if (s->name() == name) return s.get();
    return nullptr;
}

protocol::Service* Router::find_by_target(std::string_view prefix) const {
    for (const auto& s : services_)
        if (!s->model().target_prefix().empty() && s->model().target_prefix() == prefix) return s.get();
    return nullptr;
}

protocol::Service* Router::find_query_service(const std::string& scope_service, const std::string& action) const {
    if (auto* s = find_by_name(scope_service); s && !s->model().xml_namespace().empty()) return s;
    // Unsigned query calls (an SNS UnsubscribeURL opened in a browser): the first query-protocol
    // service whose model has the action, else the first (SQS), which words the refusal.
    protocol::Service* first = nullptr;
    for (const auto& s : services_) {
        if (s->model().xml_namespace().empty()) continue;
        if (!first) first = s.get();
        if (!action.empty() && s->model().operation(action)) return s.get();
    }
    return first;
}

void Router::handle(HttpRequest request, Respond respond) {
    if (auto answer = access_.preflight(request)) return respond(std::move(*answer));
    if (const auto origin = request.header("Origin"); !origin.empty())
        respond = [this, respond = std::move(respond), origin = std::string(origin)](HttpResponse r) {
            access_.add_cors_headers(origin, r);
            respond(std::move(r));
        };
    if (request.path().rfind("/_sluice/", 0) == 0) return admin(request, std::move(respond));
    if (request.path() == "/" && (request.method == "GET" || request.method == "HEAD") &&
        request.header("Accept").find("text/html") != std::string_view::npos && request.query_string().empty())
        return respond(console_link(request));
    // Every AWS operation may change state (the query protocol's GETs too): one from another
    // site is refused before it is decoded, in the protocol the request speaks.
    std::optional<std::string> refused = access_.refuse_change(request);
    protocol::RequestContext context;
    context.request_id = core::random_uuid_string();
    context.host = request.header("Host");
    context.path = request.path();
    context.trace_header = request.header("X-Amzn-Trace-Id");
    std::string scope_service;
    if (auto scope = protocol::credential_scope(request)) {
        context.access_key_id = scope->access_key_id;
        if (is_account_id(scope->access_key_id)) context.scope.account = scope->access_key_id;
        context.scope.region = scope->region;
        scope_service = scope->service;
    }

    auto target = request.header("X-Amz-Target");
    if (!target.empty()) {
        auto dot = target.rfind('.');
        auto* service = dot == std::string::npos ? nullptr : find_by_target(target.substr(0, dot));
        if (!service) {
            HttpResponse r = json_response(400, {{"__type", "UnknownOperationException"},
                                                 {"message", "Unknown operation target " + std::string(target)}});
            add_request_id(r, context.request_id);
            respond(std::move(r));
            return;
        }
        handle_json(*service, target.substr(dot + 1), std::move(request), std::move(context), refused,
                    std::move(respond));
        return;
    }
    if (handle_rest(request, context, scope_service, refused, respond)) return;
    handle_query(std::move(request), std::move(context), scope_service, refused, std::move(respond));
}

bool Router::handle_rest(HttpRequest& request, protocol::RequestContext& context, const std::string& scope_service,
                         const std::optional<std::string>& refused, Respond& respond) {
    for (const auto& service : services_) {
        if (!scope_service.empty() && scope_service != service->name()) continue;
        const auto& model = service->model();
        if (model.protocol() != "rest-json") continue;
        auto route = protocol::rest_json::match(model, request.method, request.path());
        if (!route) continue;
        const auto request_id = context.request_id;
        auto answer = [respond, request_id](HttpResponse r) {
            add_request_id(r, request_id);
            respond(std::move(r));
        };
        if (refused) {
            answer(protocol::rest_json::encode_error(access_denied(*refused)));
            return true;
        }
        protocol::Call call;
        try {
            call.params = protocol::rest_json::decode(request, *route);
        } catch (const AwsError& e) {
            answer(protocol::rest_json::encode_error(e));
            return true;
        }
        call.service = model.service();
        call.operation = route->operation->name;
        call.context = std::move(context);
        spdlog::debug("{} {} (rest-json)", call.service, call.operation);
        const auto* op = route->operation;
        service->invoke(std::move(call), [answer, op](protocol::Outcome outcome) {
            answer(std::holds_alternative<Json>(outcome)
                       ? protocol::rest_json::encode_result(std::get<Json>(outcome), *op)
                       : protocol::rest_json::encode_error(std::get<AwsError>(outcome)));
        });
        return true;
    }
    return false;
}

void Router::handle_json(protocol::Service& service, std::string_view operation, HttpRequest request,
                         protocol::RequestContext context, const std::optional<std::string>& refused, Respond respond) {
    const auto& model = service.model();
    const auto request_id = context.request_id;
    auto fail = [&](const AwsError& e) {
        auto r = protocol::json_rpc::encode_error(e, model);
        add_request_id(r, request_id);
        respond(std::move(r));
    };
    if (refused) return fail(access_denied(*refused));
    const auto* op = model.operation(operation);
    if (!op) return fail(protocol::common_errors::unknown_operation(std::string(operation)));
    protocol::Call call;
    try {
        call.params = protocol::json_rpc::decode_body(request.body);
        if (op->input) protocol::json_rpc::check_types(call.params, *op->input);
    } catch (const AwsError& e) {
        return fail(e);
    }
    call.service = model.service();
    call.operation = op->name;
    call.context = std::move(context);
    spdlog::debug("{} {} (json)", call.service, call.operation);
    service.invoke(std::move(call), [&model, respond, request_id](protocol::Outcome outcome) {
        HttpResponse r = std::holds_alternative<Json>(outcome)
                             ? protocol::json_rpc::encode_result(std::get<Json>(outcome), model)
                             : protocol::json_rpc::encode_error(std::get<AwsError>(outcome), model);
        add_request_id(r, request_id);
        respond(std::move(r));
    });
}

void Router::handle_query(HttpRequest request, protocol::RequestContext context, const std::string& scope_service,
                          const std::optional<std::string>& refused, Respond respond) {
    // The query string's parameters, then the body's (a later one wins).
    auto params = protocol::query::parse_form(request.body);
    if (const auto query = request.query_string(); !query.empty()) {
        auto from_query = protocol::query::parse_form(query);
        params.insert(params.begin(), std::make_move_iterator(from_query.begin()),
                      std::make_move_iterator(from_query.end()));
    }
    std::string action;
    for (const auto& [k, v] : params)
        if (k == "Action") action = v;

    auto* service = find_query_service(scope_service, action);
    const auto request_id = context.request_id;
    if (!service) {
        auto r = json_response(
            404, {{"__type", "UnknownOperationException"}, {"message", "No service handles this request."}});
        add_request_id(r, request_id);
        respond(std::move(r));
        return;
    }
    const auto& model = service->model();
    // The answer's dialect: XML, or its JSON mirror for a client that asks for JSON (issue 20, 5d).
    const bool json = protocol::query::wants_json(request.header("Accept"));
    auto send = [respond, request_id](int status, const char* content_type, std::string body) {
        HttpResponse r;
        r.status = status;
        r.headers.emplace_back("Content-Type", content_type);
        r.body = std::move(body);
        add_request_id(r, request_id);
        respond(std::move(r));
    };
    const char* content_type = json ? "application/json" : "text/xml";
    auto reply = [send, content_type](int status, std::string body) { send(status, content_type, std::move(body)); };
    auto fail = [&model, reply, request_id, json](const AwsError& e) {
        reply(e.status, json ? protocol::query::encode_error_json(e, request_id)
                             : protocol::query::encode_error(e, model.xml_namespace(), request_id));
    };
    if (refused) return fail(access_denied(*refused));
    // A GET on a queue's URL with no Action names no operation: AWS answers 404 with an
    // UnknownOperationException document, whatever the Accept header (LocalStack test_sqs.py
    // test_get_without_query_returns_unknown_operation, recorded on AWS).
    if (action.empty() && request.method == "GET" && request.path().find_first_not_of('/') != std::string_view::npos)
        return send(404, "text/xml", "<UnknownOperationException/>");
    if (action.empty()) return fail(AwsError("MissingAction", "The request must contain the parameter Action."));
    const auto* op = model.operation(action);
    if (!op) return fail(protocol::common_errors::invalid_action(action));

    protocol::Call call;
    try {
        call.params = protocol::query::decode(params, model, *op);
    } catch (const AwsError& e) {
        return fail(e);
    }
    call.service = model.service();
    call.operation = op->name;
    call.context = std::move(context);
    spdlog::debug("{} {} (query)", call.service, call.operation);
    service->invoke(std::move(call), [&model, op, reply, fail, request_id, json](protocol::Outcome outcome) {
        if (!std::holds_alternative<Json>(outcome)) return fail(std::get<AwsError>(outcome));
        const auto& result = std::get<Json>(outcome);
        reply(200, json ? protocol::query::encode_result_json(result, *op, request_id)
                        : protocol::query::encode_result(result, model, *op, request_id));
    });
}

}  // namespace sluice::server
