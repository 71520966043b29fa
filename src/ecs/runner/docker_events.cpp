// The engine's event stream: one long GET /events that reports every container's `die`, read
// line by line as it arrives. DockerEngine::wait() is answered from it.
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "sluice/core/encoding.hpp"
#include "sluice/ecs/docker_engine.hpp"

namespace sluice::ecs {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Json = nlohmann::json;

struct EventStream : std::enable_shared_from_this<EventStream> {
    EventStream(asio::io_context& io, std::weak_ptr<DockerEngine> engine) : socket(io), engine(std::move(engine)) {
        parser.body_limit(boost::none);
        // Chunked answers (Docker, Podman) come through here and are consumed as they arrive.
        on_chunk = [this](std::uint64_t, beast::string_view body, beast::error_code&) {
            pending.append(body.data(), body.size());
            return body.size();
        };
        parser.on_chunk_body(on_chunk);  // kept by reference: a member, so it lives as long
    }

    void run(const std::string& path, long long since_nano) {
        // Only the type filter: Podman 4.3 answers an `event` filter with a silent stream.
        std::string target = "/v1.41/events?filters=" + core::url_encode(R"({"type":["container"]})");
        // After a lost stream, replay from the last event seen so no exit falls in the gap.
        if (since_nano > 0) target += "&since=" + std::to_string(since_nano / 1'000'000'000);
        request.method(http::verb::get);
        request.target(target);
        request.version(11);
        request.set(http::field::host, "docker");
        socket.async_connect(
            asio::local::stream_protocol::endpoint(path), [self = shared_from_this()](beast::error_code ec) {
                if (ec) return self->lost("connect: " + ec.message());
                http::async_write(self->socket, self->request, [self](beast::error_code ec, std::size_t) {
                    if (ec) return self->lost("write: " + ec.message());
                    http::async_read_header(self->socket, self->buffer, self->parser,
                                            [self](beast::error_code ec, std::size_t) {
                                                if (ec) return self->lost("read: " + ec.message());
                                                if (self->parser.get().result_int() != 200)
                                                    return self->lost("GET /events answered " +
                                                                      std::to_string(self->parser.get().result_int()));
                                                if (auto e = self->engine.lock()) {
                                                    std::lock_guard lock(e->mutex_);
                                                    e->events_ready_ = true;
                                                }
                                                self->read();
                                            });
                });
            });
    }

    void read() {
        http::async_read_some(socket, buffer, parser, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            // A body without chunks (read until close) collects in the parser's body instead.
            auto& body = self->parser.get().body();
            self->pending += body;
            body.clear();
            self->lines();
            if (ec || self->parser.is_done())
                return self->lost(ec ? "read: " + ec.message() : "the engine ended the stream");
            self->read();
        });
    }

    void lines() {
        std::size_t begin = 0;
        for (auto end = pending.find('\n'); end != std::string::npos; end = pending.find('\n', begin)) {
            auto event = Json::parse(pending.substr(begin, end - begin), nullptr, false);
            begin = end + 1;
            if (!event.is_object()) continue;
            if (auto e = engine.lock(); e && event.contains("timeNano") && event["timeNano"].is_number_integer())
                e->event_seen(event["timeNano"].get<long long>());
            if (event.value("Action", event.value("status", "")) != "die") continue;
            const Json actor = event.value("Actor", Json::object());
            const std::string id = actor.value("ID", event.value("id", ""));
            const Json attributes = actor.value("Attributes", Json::object());
            long long code = -1;
            try {
                code = std::stoll(attributes.value("exitCode", "-1"));
            } catch (const std::exception&) {
            }
            if (auto e = engine.lock()) e->container_died(id, code);
        }
        pending.erase(0, begin);
    }

    void lost(const std::string& why) {
        beast::error_code ignored;
        socket.close(ignored);
        if (auto e = engine.lock()) e->events_lost(why);
    }

    asio::local::stream_protocol::socket socket;
    std::weak_ptr<DockerEngine> engine;
    beast::flat_buffer buffer;
    http::request<http::empty_body> request;
    http::response_parser<http::string_body> parser;
    std::string pending;
    std::function<std::size_t(std::uint64_t, beast::string_view, beast::error_code&)> on_chunk;
};

void DockerEngine::open_events() {
    std::string path;
    long long since = 0;
    {
        std::lock_guard lock(mutex_);
        if (events_open_ || socket_path_.empty()) return;
        events_open_ = true;
        events_ready_ = false;
        path = socket_path_;
        since = events_since_;
        // A stream that is lost before its first event replays from when it was opened.
        if (events_since_ == 0)
            events_since_ = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
    }
    std::make_shared<EventStream>(io_, weak_from_this())->run(path, since);
}

void DockerEngine::event_seen(long long time_nano) {
    std::lock_guard lock(mutex_);
    events_since_ = std::max(events_since_, time_nano);
}

void DockerEngine::container_died(const std::string& id, long long exit_code) {
    std::function<void(EngineResult<long long>)> waiter;
    {
        std::lock_guard lock(mutex_);
        if (auto w = waiters_.find(id); w != waiters_.end()) {
            waiter = std::move(w->second);
            waiters_.erase(w);
        } else if (ours_.count(id)) {
            exits_[id] = exit_code;  // for the wait() still to come
        }
    }
    if (waiter) waiter(exit_code);
}

void DockerEngine::events_lost(const std::string& why) {
    std::map<std::string, std::function<void(EngineResult<long long>)>> orphans;
    bool reopen = false;
    {
        std::lock_guard lock(mutex_);
        events_open_ = false;
        events_ready_ = false;
        orphans.swap(waiters_);
        reopen = !ours_.empty() && !socket_path_.empty();
    }
    // Whoever waited on the stream asks the engine about their container directly.
    for (auto& [id, waiter] : orphans) wait_directly(id, std::move(waiter));
    if (!reopen) return;
    // The engine restarted or closed the stream: look again in a second, replaying the gap.
    auto timer = std::make_shared<asio::steady_timer>(io_, std::chrono::seconds(1));
    timer->async_wait([timer, weak = weak_from_this()](beast::error_code) {
        if (auto self = weak.lock()) self->open_events();
    });
}

}  // namespace sluice::ecs
