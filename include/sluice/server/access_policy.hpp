#pragma once
// Who may use Sluice from a browser. Any web page the user opens can send requests to
// 127.0.0.1:4566 (form POSTs and <img> GETs need no preflight), and a page on a name that the
// attacker points at 127.0.0.1 (DNS rebinding) can read the answers. So: a request that may
// change state and comes from another site is refused, the console answers only to the names
// Sluice is reached by, and origins given by flag get CORS answers (LocalStack's
// EXTRA_CORS_ALLOWED_ORIGINS). The AWS CLI, the SDKs and curl send no Origin and pass.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/protocol/http_message.hpp"

namespace sluice::server {

struct AccessOptions {
    // Origins ("http://localhost:3000") whose pages may call Sluice; "*" allows every origin.
    std::vector<std::string> allowed_origins;
    // Host names, besides the loopback names and the listen address, the console answers to.
    std::vector<std::string> allowed_hosts;
};

class AccessPolicy {
public:
    explicit AccessPolicy(AccessOptions options = {});
    // The address Sluice listens on ("127.0.0.1", "[::1]", "192.168.1.5"): a name it is reached by.
    void add_own_host(std::string_view host);

    // Whether the Host header names Sluice (the port is not compared: a published port differs).
    bool host_allowed(std::string_view host_header) const;
    // Why a request that may change state is refused; nullopt lets it through.
    std::optional<std::string> refuse_change(const protocol::HttpRequest& request) const;
    // An allowed foreign origin's CORS headers on an answer (nothing for other requests).
    void add_cors_headers(std::string_view origin, protocol::HttpResponse& response) const;
    // The answer to a CORS preflight (OPTIONS with Origin and Access-Control-Request-Method);
    // nullopt when the request is not one.
    std::optional<protocol::HttpResponse> preflight(const protocol::HttpRequest& request) const;

private:
    bool own_origin(std::string_view origin, std::string_view host_header) const;
    bool extra_origin(std::string_view origin) const;

    AccessOptions options_;
    std::vector<std::string> own_hosts_;
};

}  // namespace sluice::server
