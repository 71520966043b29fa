#include "sluice/server/http_server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/version.hpp>

#include <sys/socket.h>

namespace sluice::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// What every connection shares; kept alive by the connections themselves, so a connection
// finishing after the listener is gone is still safe.
struct Shared {
    Handler handler;
    HttpLimits limits;
};

// One connection: read a request, hand it over, write the answer when it comes, repeat.
class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, std::shared_ptr<const Shared> shared)
        : stream_(std::move(socket)), shared_(std::move(shared)), limits_(shared_->limits) {}

    void start() {
        asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
    }

private:
    void read() {
        parser_.emplace();
        parser_->body_limit(limits_.body_limit);
        parser_->header_limit(static_cast<std::uint32_t>(limits_.header_limit));
        stream_.expires_after(limits_.idle_timeout);
        http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
        if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
            ec == asio::error::connection_reset || ec == asio::error::eof) {
            return close();
        }
        if (ec) {
            // A request we could not parse: say so once, then drop the connection, since we
            // cannot know where the next request would start.
            const bool too_large = ec == http::error::body_limit || ec == http::error::header_limit;
            protocol::HttpResponse r;
            r.status = too_large ? 413 : 400;
            r.headers.emplace_back("Content-Type", "application/json");
            r.body = std::string(R"({"__type":")") + (too_large ? "RequestEntityTooLarge" : "MalformedHttpRequest") +
                     R"(","message":")" + (too_large ? "The request is too large." : "The HTTP request is malformed.") +
                     "\"}";
            keep_alive_ = false;
            return write(std::move(r));
        }
        auto req = parser_->release();
        keep_alive_ = req.keep_alive();
        protocol::HttpRequest request;
        request.method = std::string(req.method_string());
        request.target = std::string(req.target());
        for (const auto& field : req) request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
        request.body = std::move(req.body());
        stream_.expires_never();
        shared_->handler(std::move(request), [self = shared_from_this()](protocol::HttpResponse response) {
            asio::dispatch(self->stream_.get_executor(),
                           [self, response = std::move(response)]() mutable { self->write(std::move(response)); });
        });
    }

    void write(protocol::HttpResponse r) {
        response_.emplace();
        response_->result(static_cast<http::status>(r.status));
        response_->version(11);
        response_->set(http::field::server, "Sluice");
        for (auto& [k, v] : r.headers) response_->set(k, v);
        response_->body() = std::move(r.body);
        response_->keep_alive(keep_alive_);
        response_->prepare_payload();
        stream_.expires_after(limits_.idle_timeout);
        http::async_write(stream_, *response_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec || !self->keep_alive_) return self->close();
            self->read();
        });
    }

    void close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream_.close();
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::optional<http::response<http::string_body>> response_;
    std::shared_ptr<const Shared> shared_;
    const HttpLimits& limits_;
    bool keep_alive_ = true;
};

}  // namespace

struct HttpServer::Listener : std::enable_shared_from_this<HttpServer::Listener> {
    Listener(asio::io_context& io, const tcp::endpoint& endpoint, std::shared_ptr<const Shared> shared)
        : io_(io), acceptor_(asio::make_strand(io)), shared_(std::move(shared)) {
        acceptor_.open(endpoint.protocol());
        acceptor_.set_option(asio::socket_base::reuse_address(true));
        int on = 1;
        ::setsockopt(acceptor_.native_handle(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
        acceptor_.bind(endpoint);
        acceptor_.listen(asio::socket_base::max_listen_connections);
    }

    void accept() {
        acceptor_.async_accept(asio::make_strand(io_), [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
            if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) return;
            if (!ec) {
                socket.set_option(tcp::no_delay(true));
                std::make_shared<Session>(std::move(socket), self->shared_)->start();
            } else {
                spdlog::warn("accept failed: {}", ec.message());
            }
            self->accept();
        });
    }

    asio::io_context& io_;
    tcp::acceptor acceptor_;
    std::shared_ptr<const Shared> shared_;
};

HttpServer::HttpServer(const std::vector<asio::io_context*>& contexts, const tcp::endpoint& endpoint, Handler handler,
                       HttpLimits limits) {
    auto shared = std::make_shared<Shared>(Shared{std::move(handler), limits});
    auto bound = endpoint;
    for (auto* io : contexts) {
        listeners_.push_back(std::make_shared<Listener>(*io, bound, shared));
        bound = listeners_.front()->acceptor_.local_endpoint();  // port 0: the others take the port the first got
    }
}

HttpServer::~HttpServer() = default;

tcp::endpoint HttpServer::local_endpoint() const { return listeners_.front()->acceptor_.local_endpoint(); }

void HttpServer::start() {
    for (auto& l : listeners_) l->accept();
}

void HttpServer::stop() {
    for (auto& l : listeners_) {
        asio::dispatch(l->acceptor_.get_executor(), [l] {
            beast::error_code ignored;
            l->acceptor_.close(ignored);
        });
    }
}

}  // namespace sluice::server
