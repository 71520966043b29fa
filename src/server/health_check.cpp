#include "sluice/server/health_check.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

namespace sluice::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

struct Url {
    std::string host, port, target;
};

std::optional<Url> parse_url(const std::string& url) {
    const std::string scheme = "http://";
    if (url.rfind(scheme, 0) != 0) return std::nullopt;
    std::string rest = url.substr(scheme.size());
    Url out;
    auto slash = rest.find('/');
    out.target = slash == std::string::npos ? "/_sluice/health" : rest.substr(slash);
    std::string authority = rest.substr(0, slash);
    auto colon = authority.rfind(':');
    const bool bracketed = !authority.empty() && authority.front() == '[';
    if (colon != std::string::npos && (!bracketed || colon > authority.find(']'))) {
        out.host = authority.substr(0, colon);
        out.port = authority.substr(colon + 1);
    } else {
        out.host = authority;
        out.port = "80";
    }
    if (bracketed && out.host.size() > 2) out.host = out.host.substr(1, out.host.size() - 2);
    if (out.host.empty() || out.port.empty()) return std::nullopt;
    return out;
}

}  // namespace

HealthCheckResult check_health(const std::string& url, std::chrono::milliseconds timeout) {
    auto parsed = parse_url(url);
    if (!parsed) return {false, "not an http:// URL: " + url};
    asio::io_context io;
    asio::ip::tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    beast::flat_buffer buffer;
    http::request<http::empty_body> request(http::verb::get, parsed->target, 11);
    request.set(http::field::host, parsed->host + ":" + parsed->port);
    http::response<http::string_body> response;
    HealthCheckResult result{false, "no answer within " + std::to_string(timeout.count()) + " ms"};
    stream.expires_after(timeout);
    resolver.async_resolve(
        parsed->host, parsed->port, [&](beast::error_code ec, asio::ip::tcp::resolver::results_type endpoints) {
            if (ec) return void(result.detail = "cannot resolve " + parsed->host + ": " + ec.message());
            stream.async_connect(endpoints, [&](beast::error_code ec, const asio::ip::tcp::endpoint&) {
                if (ec) return void(result.detail = "cannot connect to " + url + ": " + ec.message());
                http::async_write(stream, request, [&](beast::error_code ec, std::size_t) {
                    if (ec) return void(result.detail = "cannot send: " + ec.message());
                    http::async_read(stream, buffer, response, [&](beast::error_code ec, std::size_t) {
                        if (ec) return void(result.detail = "no answer: " + ec.message());
                        auto body = nlohmann::json::parse(response.body(), nullptr, false);
                        result.healthy = response.result() == http::status::ok && body.is_object() &&
                                         body.value("status", "") == "ok";
                        result.detail = "HTTP " + std::to_string(response.result_int());
                        if (!result.healthy) result.detail += ": " + response.body().substr(0, 200);
                    });
                });
            });
        });
    io.run_for(timeout + std::chrono::milliseconds(100));
    return result;
}

}  // namespace sluice::server
