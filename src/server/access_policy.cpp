#include "sluice/server/access_policy.hpp"

#include <algorithm>
#include <cctype>

namespace sluice::server {

using protocol::HttpRequest;
using protocol::HttpResponse;

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// "name:port", "[::1]:port" or "name" → the name ("[::1]" keeps its brackets).
std::string host_name(std::string_view host_header) {
    if (!host_header.empty() && host_header.front() == '[') {
        const auto close = host_header.find(']');
        return lower(host_header.substr(0, close == std::string_view::npos ? host_header.size() : close + 1));
    }
    return lower(host_header.substr(0, host_header.find(':')));
}

bool loopback_name(const std::string& name) {
    // RFC 6761: localhost and every name under .localhost are loopback; so is 127.0.0.0/8.
    if (name == "localhost" || name == "[::1]" || name.ends_with(".localhost")) return true;
    if (!name.starts_with("127.")) return false;
    return std::all_of(name.begin(), name.end(), [](unsigned char c) { return std::isdigit(c) || c == '.'; });
}

}  // namespace

AccessPolicy::AccessPolicy(AccessOptions options) : options_(std::move(options)) {
    for (auto& h : options_.allowed_hosts) own_hosts_.push_back(host_name(h));
}

void AccessPolicy::add_own_host(std::string_view host) {
    auto name = lower(host);
    if (name.find(':') != std::string::npos && name.front() != '[') name = "[" + name + "]";
    own_hosts_.push_back(std::move(name));
}

bool AccessPolicy::host_allowed(std::string_view host_header) const {
    const auto name = host_name(host_header);
    if (name.empty()) return false;
    return loopback_name(name) || std::find(own_hosts_.begin(), own_hosts_.end(), name) != own_hosts_.end();
}

bool AccessPolicy::own_origin(std::string_view origin, std::string_view host_header) const {
    // A page of Sluice's own (the console) sends its own origin: http:// and the Host it was
    // loaded from. The Host must be one of Sluice's names, or a rebound name would pass.
    return lower(origin) == "http://" + lower(host_header) && host_allowed(host_header);
}

bool AccessPolicy::extra_origin(std::string_view origin) const {
    const auto wanted = lower(origin);
    return std::any_of(options_.allowed_origins.begin(), options_.allowed_origins.end(),
                       [&](const std::string& o) { return o == "*" || lower(o) == wanted; });
}

std::optional<std::string> AccessPolicy::refuse_change(const HttpRequest& request) const {
    const auto origin = request.header("Origin");
    if (origin.empty()) {
        // Browsers send no Origin on a GET (an <img>, a link) but do send Sec-Fetch-Site
        // (Fetch Metadata): a request another site made is refused even without an Origin.
        const auto site = lower(request.header("Sec-Fetch-Site"));
        if (site == "cross-site" || site == "same-site")
            return "Sluice refuses a " + site + " request that may change state (no Origin header).";
        return std::nullopt;
    }
    if (own_origin(origin, request.header("Host")) || extra_origin(origin)) return std::nullopt;
    return "Sluice refuses requests that may change state from origin " + std::string(origin) +
           " (allow it with --allowed-origins / SLUICE_ALLOWED_ORIGINS).";
}

void AccessPolicy::add_cors_headers(std::string_view origin, HttpResponse& response) const {
    if (origin.empty() || !extra_origin(origin)) return;
    response.headers.emplace_back("Access-Control-Allow-Origin", std::string(origin));
    response.headers.emplace_back("Vary", "Origin");
    // What the SDKs read from an answer: the request id, the error code, the SQS legacy code.
    response.headers.emplace_back("Access-Control-Expose-Headers",
                                  "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-query-error, x-amz-request-id, Date");
}

std::optional<HttpResponse> AccessPolicy::preflight(const HttpRequest& request) const {
    const auto origin = request.header("Origin");
    if (request.method != "OPTIONS" || origin.empty() || request.header("Access-Control-Request-Method").empty())
        return std::nullopt;
    HttpResponse r;
    if (!extra_origin(origin) && !own_origin(origin, request.header("Host"))) {
        r.status = 403;
        r.headers.emplace_back("Content-Type", "application/json");
        r.body = R"json({"message":"Origin not allowed (see --allowed-origins)"})json";
        return r;
    }
    r.status = 204;
    r.headers.emplace_back("Access-Control-Allow-Origin", std::string(origin));
    r.headers.emplace_back("Vary", "Origin");
    r.headers.emplace_back("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE");
    if (auto wanted = request.header("Access-Control-Request-Headers"); !wanted.empty())
        r.headers.emplace_back("Access-Control-Allow-Headers", std::string(wanted));
    r.headers.emplace_back("Access-Control-Max-Age", "600");
    return r;
}

}  // namespace sluice::server
