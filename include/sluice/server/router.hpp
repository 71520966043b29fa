#pragma once
// Decides which service and which wire protocol a request is for, decodes it with that
// protocol's codec, hands the Call to the service, and encodes its answer. Knows nothing of any
// service's semantics.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sluice/protocol/http_message.hpp"
#include "sluice/protocol/service.hpp"

namespace sluice::server {

using Respond = std::function<void(protocol::HttpResponse)>;

class Router {
public:
    explicit Router(std::string version);
    void add(std::shared_ptr<protocol::Service> service);
    void handle(protocol::HttpRequest request, Respond respond);
    void shutdown();

private:
    struct Route;
    void handle_json(protocol::Service& service, std::string_view operation, protocol::HttpRequest request,
                     protocol::RequestContext context, Respond respond);
    void handle_query(protocol::HttpRequest request, protocol::RequestContext context, const std::string& scope_service,
                      Respond respond);
    // True when a REST-JSON service took the request.
    bool handle_rest(protocol::HttpRequest& request, protocol::RequestContext& context,
                     const std::string& scope_service, Respond& respond);
    // /_sluice/...: GET reads the daemon's state, POST /_sluice/reset[/<service>] resets it.
    protocol::HttpResponse admin(const protocol::HttpRequest& request);
    protocol::HttpResponse introspect(const protocol::HttpRequest& request) const;
    protocol::Service* find_by_name(std::string_view name) const;
    protocol::Service* find_by_target(std::string_view prefix) const;
    protocol::Service* find_query_service(const std::string& scope_service, const std::string& action) const;

    std::string version_;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    std::vector<std::shared_ptr<protocol::Service>> services_;
};

}  // namespace sluice::server
