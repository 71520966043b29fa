#pragma once
// The protocol layer's view of HTTP: plain values, so codecs are pure functions testable
// without sockets and the server stays the only place that knows Beast.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::protocol {

struct HttpRequest {
    std::string method;
    std::string target;  // path and query string, as received
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    // Header lookup, case-insensitive; empty when absent. Views into this request.
    std::string_view header(std::string_view name) const;
    std::string_view path() const;
    std::string_view query_string() const;
};

struct HttpResponse {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

}  // namespace sluice::protocol
