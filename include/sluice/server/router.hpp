#pragma once
// Decides which service and which wire protocol a request is for, decodes it with that
// protocol's codec, hands the Call to the service, and encodes its answer. Knows nothing of any
// service's semantics.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sluice/core/scheduler.hpp"
#include "sluice/protocol/http_message.hpp"
#include "sluice/protocol/service.hpp"
#include "sluice/server/access_policy.hpp"

namespace sluice::server {

using Respond = std::function<void(protocol::HttpResponse)>;

class Router {
public:
    // `scheduler` (may be null in codec tests) runs the console's long polls (/_sluice/watch).
    explicit Router(std::string version, AccessOptions access = {}, core::Scheduler* scheduler = nullptr);
    void add(std::shared_ptr<protocol::Service> service);
    // Where clients reach Sluice ("127.0.0.1:4566"): its name is one the console answers to.
    // Called before the server starts.
    void set_endpoint(std::string_view host_port);
    void handle(protocol::HttpRequest request, Respond respond);
    void shutdown();

private:
    struct Route;
    // `refused`: why the access policy refuses the call (answered as AWS's AccessDenied).
    void handle_json(protocol::Service& service, std::string_view operation, protocol::HttpRequest request,
                     protocol::RequestContext context, const std::optional<std::string>& refused, Respond respond);
    void handle_query(protocol::HttpRequest request, protocol::RequestContext context, const std::string& scope_service,
                      const std::optional<std::string>& refused, Respond respond);
    // True when a REST-JSON service took the request.
    bool handle_rest(protocol::HttpRequest& request, protocol::RequestContext& context,
                     const std::string& scope_service, const std::optional<std::string>& refused, Respond& respond);
    protocol::HttpResponse console_link(const protocol::HttpRequest& request) const;
    // /_sluice/...: GET reads the daemon's state, POST /_sluice/reset[/<service>] resets it,
    // POST /_sluice/call/<service>/<Operation> calls an operation (admin_routes.cpp).
    void admin(const protocol::HttpRequest& request, Respond respond);
    protocol::HttpResponse reset(std::string_view path);
    protocol::HttpResponse introspect(const protocol::HttpRequest& request) const;
    protocol::HttpResponse overview() const;
    void call(const protocol::HttpRequest& request, Respond respond);
    void watch(const protocol::HttpRequest& request, Respond respond);
    // A digest of what every service shows: a console's long poll answers when it moves.
    std::string fingerprint() const;
    protocol::Service* find_by_name(std::string_view name) const;
    protocol::Service* find_by_target(std::string_view prefix) const;
    protocol::Service* find_query_service(const std::string& scope_service, const std::string& action) const;

    std::string version_;
    AccessPolicy access_;
    core::Scheduler* scheduler_;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    std::vector<std::shared_ptr<protocol::Service>> services_;
    std::shared_ptr<int> alive_ = std::make_shared<int>(0);  // parked watches hold it weakly
    std::atomic<bool> stopping_ = false;
};

}  // namespace sluice::server
