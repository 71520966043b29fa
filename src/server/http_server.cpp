#include "sluice/server/http_server.hpp"

#include <algorithm>

#include <sys/socket.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/version.hpp>
#include <spdlog/spdlog.h>

namespace sluice::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
// Sockets and timers bound to their io_context's own executor type: no type-erased executor to
// go through on every operation.
using Executor = asio::io_context::executor_type;
using Socket = asio::basic_stream_socket<tcp, Executor>;
using Acceptor = asio::basic_socket_acceptor<tcp, Executor>;
using Timer =
    asio::basic_waitable_timer<std::chrono::steady_clock, asio::wait_traits<std::chrono::steady_clock>, Executor>;

namespace {

// What every connection shares; kept alive by the connections themselves, so a connection
// finishing after the listener is gone is still safe.
struct Shared {
    Handler handler;
    HttpLimits limits;
};

// Beast's parser, filling our plain request directly: no header container in between, so a
// request costs one string per header name and value and nothing else.
class RequestParser : public http::basic_parser<true> {
public:
    protocol::HttpRequest request;

private:
    void on_request_impl(http::verb, beast::string_view method, beast::string_view target, int,
                         beast::error_code&) override {
        request.method.assign(method.data(), method.size());
        request.target.assign(target.data(), target.size());
    }
    void on_response_impl(int, beast::string_view, int, beast::error_code&) override {
    }  // a request parser: never called
    void on_field_impl(http::field, beast::string_view name, beast::string_view value, beast::error_code&) override {
        request.headers.emplace_back(std::string(name.data(), name.size()), std::string(value.data(), value.size()));
    }
    void on_header_impl(beast::error_code&) override {}
    void on_body_init_impl(const boost::optional<std::uint64_t>& length, beast::error_code&) override {
        if (length) request.body.reserve(static_cast<std::size_t>(*length));  // within body_limit, checked before
    }
    std::size_t on_body_impl(beast::string_view body, beast::error_code&) override {
        request.body.append(body.data(), body.size());
        return body.size();
    }
    void on_chunk_header_impl(std::uint64_t, beast::string_view, beast::error_code&) override {}
    std::size_t on_chunk_body_impl(std::uint64_t, beast::string_view body, beast::error_code&) override {
        request.body.append(body.data(), body.size());
        return body.size();
    }
    void on_finish_impl(beast::error_code&) override {}
};

// One connection: read a request, hand it over, write the answer when it comes, repeat.
// A connection lives on one io_context, which one thread runs: its handlers never run at once,
// so it needs no strand. Answers are posted to it, from whatever thread gives them: one given
// while a request is handled goes out after the other requests ready now, so a client with
// many connections is woken once for a batch of answers rather than once per answer.
class Session : public std::enable_shared_from_this<Session> {
public:
    Session(Socket socket, std::shared_ptr<const Shared> shared)
        : socket_(std::move(socket)),
          idle_timer_(socket_.get_executor()),
          shared_(std::move(shared)),
          limits_(shared_->limits) {}

    void start() {
        deadline_ = Clock::now() + limits_.idle_timeout;
        arm_idle_timer(deadline_);
        read();
    }

private:
    using Clock = std::chrono::steady_clock;

    // One timer per connection, re-armed only when it fires: moving a deadline on every
    // request would cost a timerfd update per request. While a request is being handled
    // (a long poll) the connection is never idle.
    void arm_idle_timer(Clock::time_point at) {
        idle_timer_.expires_at(at);
        // Not owning: the pending read or handler keeps the connection; the timer only watches.
        idle_timer_.async_wait([weak = weak_from_this()](beast::error_code ec) {
            auto self = weak.lock();
            if (ec || !self || !self->socket_.is_open()) return;
            const auto now = Clock::now();
            if (self->handling_) return self->arm_idle_timer(now + self->limits_.idle_timeout);
            if (now < self->deadline_) return self->arm_idle_timer(self->deadline_);
            self->close();
        });
    }

    // Reading is Beast's parser fed from the socket by hand (what http::async_read does, without
    // its two layers of composed operations per read).
    void read() {
        parser_.emplace();
        parser_->eager(true);
        parser_->request.headers.reserve(16);
        parser_->body_limit(limits_.body_limit);
        parser_->header_limit(static_cast<std::uint32_t>(limits_.header_limit));
        deadline_ = Clock::now() + limits_.idle_timeout;
        if (buffer_.size() > 0) return parse();  // a pipelined request may be here already
        read_more();
    }

    // Reads of at least 8 KiB: a whole request usually comes in one (Beast's own read size
    // starts at 512 bytes and, with the body consumed as it is parsed, stays there: two or more
    // reads for a 1 KiB request). Up to 64 KiB at a time for large bodies.
    void read_more() {
        const std::size_t room = buffer_.capacity() - buffer_.size();
        socket_.async_read_some(
            buffer_.prepare(std::clamp<std::size_t>(room, 8 * 1024, 64 * 1024)),
            [self = shared_from_this()](beast::error_code ec, std::size_t n) { self->on_bytes(ec, n); });
    }

    void on_bytes(beast::error_code ec, std::size_t n) {
        buffer_.commit(n);
        if (ec == asio::error::eof) {
            if (!parser_->got_some()) return on_read(http::error::end_of_stream);
            ec = {};
            parser_->put_eof(ec);  // a message that ends with the connection, or a partial one
            return on_read(ec);
        }
        if (ec) return on_read(ec);
        parse();
    }

    void parse() {
        beast::error_code ec;
        buffer_.consume(parser_->put(buffer_.data(), ec));
        if (ec == http::error::need_more || (!ec && !parser_->is_done())) return read_more();
        on_read(ec);
    }

    void on_read(beast::error_code ec) {
        if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted ||
            ec == asio::error::connection_reset || ec == asio::error::eof || !socket_.is_open()) {
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
            refused_ = true;
            return write(std::move(r));
        }
        keep_alive_ = parser_->keep_alive();
        protocol::HttpRequest request = std::move(parser_->request);
        handling_ = true;
        shared_->handler(std::move(request), [self = shared_from_this()](protocol::HttpResponse response) {
            asio::post(self->socket_.get_executor(),
                       [self, response = std::move(response)]() mutable { self->write(std::move(response)); });
        });
    }

    // The answer as one buffer: status line, headers, body.
    void write(protocol::HttpResponse r) {
        handling_ = false;
        deadline_ = Clock::now() + limits_.idle_timeout;
        out_.clear();
        const auto status = static_cast<http::status>(r.status);
        out_.append("HTTP/1.1 ").append(std::to_string(r.status)).append(" ");
        const auto reason = http::obsolete_reason(status);
        out_.append(reason.data(), reason.size()).append("\r\nServer: Sluice\r\n");
        for (const auto& [k, v] : r.headers) out_.append(k).append(": ").append(v).append("\r\n");
        if (!keep_alive_) out_.append("Connection: close\r\n");
        out_.append("Content-Length: ").append(std::to_string(r.body.size())).append("\r\n\r\n");
        out_.append(r.body);
        asio::async_write(socket_, asio::buffer(out_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->close();
            if (self->refused_) return self->linger();
            if (!self->keep_alive_) return self->close();
            self->read();
        });
    }

    // A refused request (too large, malformed) may still be arriving: Python's http.client and
    // curl send a whole body before they read the answer. Closing a socket with unread data makes
    // the kernel send a reset, and the client then sees "connection reset" instead of our 413.
    // So, as HTTP servers do (Apache's and nginx's lingering close), stop sending, read and drop
    // what still comes, and close at the client's end of stream or at a bound of bytes or time.
    void linger() {
        beast::error_code ignored;
        socket_.shutdown(Socket::shutdown_send, ignored);
        deadline_ = Clock::now() + limits_.linger_timeout;
        idle_timer_.cancel();
        arm_idle_timer(deadline_);
        buffer_.clear();
        drain();
    }

    void drain() {
        socket_.async_read_some(buffer_.prepare(64 * 1024),
                                [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                                    self->lingered_ += n;
                                    if (ec || self->lingered_ > self->limits_.linger_limit) return self->close();
                                    self->drain();  // nothing committed: the bytes are dropped
                                });
    }

    void close() {
        beast::error_code ignored;
        idle_timer_.cancel();
        if (!socket_.is_open()) return;
        socket_.shutdown(Socket::shutdown_both, ignored);
        socket_.close(ignored);
    }

    Socket socket_;
    Timer idle_timer_;
    beast::flat_buffer buffer_;
    std::optional<RequestParser> parser_;
    std::string out_;
    std::shared_ptr<const Shared> shared_;
    const HttpLimits& limits_;
    Clock::time_point deadline_;
    bool handling_ = false;
    bool keep_alive_ = true;
    bool refused_ = false;  // the request was answered unread: linger before closing
    std::size_t lingered_ = 0;
};

}  // namespace

struct HttpServer::Listener : std::enable_shared_from_this<HttpServer::Listener> {
    Listener(asio::io_context& io, const tcp::endpoint& endpoint, std::shared_ptr<const Shared> shared)
        : io_(io), acceptor_(io.get_executor()), shared_(std::move(shared)) {
        acceptor_.open(endpoint.protocol());
        acceptor_.set_option(asio::socket_base::reuse_address(true));
        int on = 1;
        ::setsockopt(acceptor_.native_handle(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
        acceptor_.bind(endpoint);
        acceptor_.listen(asio::socket_base::max_listen_connections);
    }

    void accept() {
        acceptor_.async_accept(io_, [self = shared_from_this()](beast::error_code ec, Socket socket) {
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
    Acceptor acceptor_;
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

tcp::endpoint HttpServer::local_endpoint() const {
    return listeners_.front()->acceptor_.local_endpoint();
}

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
