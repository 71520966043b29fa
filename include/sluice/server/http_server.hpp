#pragma once
// Boost.Beast HTTP/1.1 listener: keep-alive, body limit, idle timeout. Hands each request to a
// handler as plain values and writes back whatever the handler answers, whenever it answers.
// One acceptor per io_context (SO_REUSEPORT): a connection lives on one thread, so reading,
// handling and writing a request never hops between threads.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "sluice/protocol/http_message.hpp"

namespace sluice::server {

struct HttpLimits {
    // SendMessageBatch may carry 1 MiB of message data, which the query protocol's
    // percent-encoding can grow up to nine-fold.
    std::size_t body_limit = 16 * 1024 * 1024;
    std::size_t header_limit = 64 * 1024;
    std::chrono::seconds idle_timeout{75};
    // After refusing a request, what is still read and thrown away (lingering close) before the
    // connection is closed: at most this many bytes, for at most this long.
    std::size_t linger_limit = 64 * 1024 * 1024;
    std::chrono::seconds linger_timeout{10};
};

using Handler = std::function<void(protocol::HttpRequest, std::function<void(protocol::HttpResponse)>)>;

class HttpServer {
public:
    HttpServer(const std::vector<boost::asio::io_context*>& contexts, const boost::asio::ip::tcp::endpoint& endpoint,
               Handler handler, HttpLimits limits = {});
    ~HttpServer();
    boost::asio::ip::tcp::endpoint local_endpoint() const;
    void start();
    void stop();

private:
    struct Listener;
    std::vector<std::shared_ptr<Listener>> listeners_;
};

}  // namespace sluice::server
