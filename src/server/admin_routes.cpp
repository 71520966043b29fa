// Sluice's own routes under /_sluice/: health, reset, the services' views, the console and its
// long poll, and calls of any service's operations for the console (docs/console.md).
#include <spdlog/spdlog.h>

#include "json_response.hpp"
#include "sluice/console/assets.hpp"
#include "sluice/core/encoding.hpp"
#include "sluice/core/ids.hpp"
#include "sluice/protocol/json_rpc.hpp"
#include "sluice/protocol/query.hpp"
#include "sluice/server/router.hpp"

namespace sluice::server {

using protocol::AwsError;
using protocol::HttpRequest;
using protocol::HttpResponse;
using protocol::Json;

namespace {

HttpResponse text_response(int status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
    r.body = std::move(body);
    return r;
}

HttpResponse method_not_allowed(std::string_view path, std::string_view wanted, bool changes) {
    auto r = json_response(405, {{"message", std::string(path) + " takes " + std::string(wanted) +
                                                 (changes ? " (a GET under /_sluice/ changes nothing)" : "")}});
    r.headers.emplace_back("Allow", std::string(wanted));
    return r;
}

// The console's pages run only as themselves: no framing by another site (clickjacking), no
// script or style from anywhere but Sluice.
void add_page_headers(HttpResponse& r) {
    r.headers.emplace_back("Content-Security-Policy",
                           "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                           "frame-ancestors 'none'");
    r.headers.emplace_back("X-Frame-Options", "DENY");
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    r.headers.emplace_back("Cache-Control", "no-cache");
}

HttpResponse console_asset(std::string_view name) {
    if (name.empty()) name = "index.html";
    auto found = console::asset(name);
    if (!found) return json_response(404, {{"message", "The console has no file " + std::string(name)}});
    HttpResponse r;
    r.headers.emplace_back("Content-Type", std::string(found->content_type));
    add_page_headers(r);
    r.body = std::string(found->body);
    return r;
}

std::string query_value(std::string_view query, std::string_view key) {
    for (const auto& [k, v] : protocol::query::parse_form(query))
        if (k == key) return v;
    return {};
}

// FNV-1a: a digest to compare, not to keep secret.
std::string digest(std::string_view text) {
    std::uint64_t h = 14695981039346656037ULL;
    for (unsigned char c : text) h = (h ^ c) * 1099511628211ULL;
    return std::to_string(h);
}

}  // namespace

HttpResponse Router::console_link(const HttpRequest& request) const {
    HttpResponse r;
    r.headers.emplace_back("Content-Type", "text/html; charset=utf-8");
    add_page_headers(r);
    r.body =
        "<!doctype html><meta charset=utf-8><title>Sluice</title>"
        "<p>Sluice " +
        version_ +
        " speaks the AWS APIs on this port. <a href=\"/_sluice/console/\">Open the console</a> to see its queues, "
        "state machines, pipes and tasks.</p>";
    return r;
}

void Router::admin(const HttpRequest& request, Respond respond) {
    const auto path = request.path();
    const bool is_reset = path == "/_sluice/reset" || path.starts_with("/_sluice/reset/");
    const bool is_call = path.starts_with("/_sluice/call/");
    const bool changes = is_reset || is_call;
    const std::string_view wanted = changes ? "POST" : "GET";
    if (request.method != wanted && !(wanted == "GET" && request.method == "HEAD"))
        return respond(method_not_allowed(path, wanted, is_reset));
    if (changes) {
        if (auto refused = access_.refuse_change(request))
            return respond(json_response(403, {{"__type", "AccessDeniedException"}, {"message", *refused}}));
        if (is_call) return call(request, std::move(respond));
        return respond(reset(path));
    }
    if (path == "/_sluice/health") return respond(introspect(request));
    // Everything else shows the daemon's state (message bodies, histories): only to the names
    // Sluice is reached by, so a page on a rebound name cannot read it.
    if (!access_.host_allowed(request.header("Host")))
        return respond(
            json_response(403, {{"message", "Sluice does not answer to host " + std::string(request.header("Host")) +
                                                " (allow it with --allowed-hosts / SLUICE_ALLOWED_HOSTS)"}}));
    if (path == "/_sluice/console") {
        HttpResponse r;
        r.status = 301;
        r.headers.emplace_back("Location", "/_sluice/console/");
        return respond(std::move(r));
    }
    if (path.starts_with("/_sluice/console/")) return respond(console_asset(path.substr(17)));
    if (path == "/_sluice/overview") return respond(overview());
    if (path == "/_sluice/watch") return watch(request, std::move(respond));
    respond(introspect(request));
}

HttpResponse Router::reset(std::string_view path) {
    const std::string_view reset_path = "/_sluice/reset";
    const std::string name = path.size() > reset_path.size() ? std::string(path.substr(reset_path.size() + 1)) : "";
    Json reset = Json::array();
    if (name.empty()) {
        // Consumers first: pipes stop reading before the queues they read go.
        for (auto it = services_.rbegin(); it != services_.rend(); ++it) {
            (*it)->reset();
            reset.push_back((*it)->name());
        }
    } else if (auto* s = find_by_name(name)) {
        s->reset();
        reset.push_back(s->name());
    } else {
        return json_response(404, {{"message", "Sluice runs no service named " + name}});
    }
    spdlog::info("reset: {}", reset.dump());
    return json_response(200, {{"reset", std::move(reset)}});
}

HttpResponse Router::introspect(const HttpRequest& request) const {
    auto path = request.path();
    if (path == "/_sluice/health") {
        Json services = Json::array();
        Json body = {{"status", "ok"}, {"version", version_}};
        for (const auto& s : services_) {
            services.push_back(s->name());
            if (auto extra = s->health(); !extra.is_null()) body[std::string(s->name())] = std::move(extra);
        }
        body["services"] = std::move(services);
        body["uptime_seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
        return json_response(200, body);
    }
    const std::string prefix = "/_sluice/";
    auto rest = path.substr(prefix.size());
    auto slash = rest.find('/');
    if (auto* s = find_by_name(rest.substr(0, slash))) {
        if (slash == std::string::npos || slash + 1 == rest.size()) return json_response(200, s->introspect());
        // Percent-decoded: a browser's fetch encodes an ARN's colons.
        const auto sub = core::url_decode(std::string_view(rest).substr(slash + 1), false);
        auto found = s->introspect_path(sub);
        if (!found) return json_response(404, {{"message", "Unknown introspection path " + std::string(path)}});
        if (found->is_string()) return text_response(200, found->get<std::string>());
        return json_response(200, *found);
    }
    return json_response(404, {{"message", "Unknown introspection path " + std::string(path)}});
}

HttpResponse Router::overview() const {
    Json services = Json::object();
    for (const auto& s : services_) services[std::string(s->name())] = s->introspect();
    return json_response(
        200, {{"version", version_},
              {"uptimeSeconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count()},
              {"timeScale", scheduler_ ? scheduler_->clock().time_scale() : 1.0},
              {"services", std::move(services)},
              {"fingerprint", fingerprint()}});
}

std::string Router::fingerprint() const {
    std::string text;
    for (const auto& s : services_) {
        auto view = s->introspect();
        // The scheduler's pending timers include the watch's own: not a change to show.
        if (view.is_object()) view.erase("timers");
        text += protocol::dump_json(view);
    }
    return digest(text);
}

// GET /_sluice/watch?since=<fingerprint>: answers {"fingerprint"} at once when the daemon's state
// moved since, else when it moves, or after 25 s. A parked watch looks four times a second on
// the daemon's scheduler; with no console open nothing runs.
void Router::watch(const HttpRequest& request, Respond respond) {
    const auto since = query_value(request.query_string(), "since");
    auto now = fingerprint();
    if (now != since || !scheduler_) return respond(json_response(200, {{"fingerprint", now}}));
    struct Watch {
        std::string since;
        Respond respond;
        core::TimePoint until;
        std::function<void()> look;
    };
    auto w = std::make_shared<Watch>(
        Watch{since, std::move(respond), scheduler_->clock().now() + std::chrono::seconds(25), {}});
    w->look = [this, weak = std::weak_ptr<Watch>(w), alive = std::weak_ptr<int>(alive_)] {
        auto self = weak.lock();
        if (!self || alive.expired()) return;
        auto now = fingerprint();
        if (now != self->since || scheduler_->clock().now() >= self->until || stopping_) {
            // The look holds the watch weakly: the timer's task owned it, and lets it go now.
            self->respond(json_response(200, {{"fingerprint", now}}));
            return;
        }
        scheduler_->after(std::chrono::milliseconds(250), [self] { self->look(); });
    };
    scheduler_->after(std::chrono::milliseconds(250), [w] { w->look(); });
}

void Router::call(const HttpRequest& request, Respond respond) {
    // /_sluice/call/<service>/<Operation>, body {"account", "region", "input"}.
    const auto rest = request.path().substr(std::string_view("/_sluice/call/").size());
    const auto slash = rest.find('/');
    auto* service = find_by_name(rest.substr(0, slash));
    if (!service || slash == std::string_view::npos)
        return respond(
            json_response(404, {{"message", "Sluice runs no service named " + std::string(rest.substr(0, slash))}}));
    const auto& model = service->model();
    const auto* op = model.operation(rest.substr(slash + 1));
    if (!op)
        return respond(json_response(400, {{"__type", "UnknownOperationException"},
                                           {"message", "Unknown operation " + std::string(rest.substr(slash + 1))}}));
    protocol::Call call;
    call.service = model.service();
    call.operation = op->name;
    call.context.request_id = core::random_uuid_string();
    call.context.host = request.header("Host");
    try {
        auto body = protocol::json_rpc::decode_body(request.body);
        if (auto a = body.find("account"); a != body.end() && a->is_string()) call.context.scope.account = *a;
        if (auto r = body.find("region"); r != body.end() && r->is_string()) call.context.scope.region = *r;
        if (auto in = body.find("input"); in != body.end()) call.params = *in;
        if (op->input) protocol::json_rpc::check_types(call.params, *op->input);
    } catch (const AwsError& e) {
        return respond(json_response(e.status, {{"__type", e.short_code()}, {"message", e.message()}}));
    }
    spdlog::debug("{} {} (console)", call.service, call.operation);
    service->invoke(std::move(call), [respond = std::move(respond)](protocol::Outcome outcome) {
        if (auto* result = std::get_if<Json>(&outcome)) return respond(json_response(200, *result));
        const auto& e = std::get<AwsError>(outcome);
        respond(json_response(e.status, {{"__type", e.short_code()}, {"message", e.message()}}));
    });
}

}  // namespace sluice::server
