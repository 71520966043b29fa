// The Docker Engine API (v1.41, which Docker 20.10+ and Podman 4's compatibility service both
// speak) over a unix socket.
#include "sluice/ecs/docker_engine.hpp"

#include <cstdlib>

#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "sluice/core/encoding.hpp"

namespace sluice::ecs {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Json = nlohmann::json;

namespace {

constexpr const char* kApi = "/v1.41";
// Logs of one container are kept up to this size; the parser refuses larger answers.
constexpr std::uint64_t kMaxBody = 64ull << 20;

std::string socket_path_of(const std::string& address) {
    const std::string prefix = "unix://";
    return address.rfind(prefix, 0) == 0 ? address.substr(prefix.size()) : std::string();
}

std::string message_of(const std::string& body) {
    auto j = Json::parse(body, nullptr, false);
    if (j.is_object()) {
        if (auto m = j.find("message"); m != j.end() && m->is_string()) return *m;
        if (auto m = j.find("cause"); m != j.end() && m->is_string()) return *m;
    }
    return body;
}

// One request and its answer over a fresh connection.
struct Exchange : std::enable_shared_from_this<Exchange> {
    Exchange(asio::io_context& io, std::function<void(DockerEngine::Response)> done)
        : socket(io), done(std::move(done)) {
        parser.body_limit(kMaxBody);
    }
    void run(const std::string& path) {
        socket.async_connect(asio::local::stream_protocol::endpoint(path),
                             [self = shared_from_this(), path](beast::error_code ec) {
                                 if (ec) return self->fail("connect " + path + ": " + ec.message());
                                 self->write();
                             });
    }
    void write() {
        http::async_write(socket, request, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->fail("write: " + ec.message());
            self->read();
        });
    }
    void read() {
        http::async_read(socket, buffer, parser, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->fail("read: " + ec.message());
            auto& res = self->parser.get();
            self->finish({res.result_int(), std::move(res.body()), {}});
        });
    }
    void fail(std::string why) { finish({0, {}, std::move(why)}); }
    void finish(DockerEngine::Response r) {
        beast::error_code ignored;
        socket.close(ignored);
        if (auto d = std::exchange(done, nullptr)) d(std::move(r));
    }

    asio::local::stream_protocol::socket socket;
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::response_parser<http::string_body> parser;
    std::function<void(DockerEngine::Response)> done;
};

}  // namespace

DockerEngine::DockerEngine(asio::io_context& io, std::vector<std::string> candidates)
    : io_(io), candidates_(std::move(candidates)) {}

std::vector<std::string> DockerEngine::default_candidates() {
    if (const char* host = std::getenv("DOCKER_HOST"); host && *host) return {host};
    std::vector<std::string> out = {"unix:///var/run/docker.sock", "unix:///run/podman/podman.sock"};
    if (const char* runtime = std::getenv("XDG_RUNTIME_DIR"); runtime && *runtime)
        out.push_back(std::string("unix://") + runtime + "/podman/podman.sock");
    else
        out.push_back("unix:///run/user/" + std::to_string(::getuid()) + "/podman/podman.sock");
    return out;
}

void DockerEngine::connect(Done done) {
    {
        std::lock_guard lock(mutex_);
        tried_.clear();
    }
    try_candidate(0, std::move(done));
}

void DockerEngine::try_candidate(std::size_t index, Done done) {
    if (index >= candidates_.size()) {
        std::string message = "no container engine answered; tried ";
        {
            std::lock_guard lock(mutex_);
            state_ = "unreachable";
            socket_path_.clear();
            for (std::size_t i = 0; i < tried_.size(); ++i) message += (i ? "; " : "") + tried_[i];
            if (tried_.empty()) message += "nothing (no candidate address)";
        }
        message += ". Start Docker, or Podman's service (podman system service), and set DOCKER_HOST.";
        return asio::post(io_, [done = std::move(done), message] {
            done(EngineError{EngineError::Kind::Unreachable, message});
        });
    }
    const std::string& address = candidates_[index];
    const std::string path = socket_path_of(address);
    if (path.empty()) {
        {
            std::lock_guard lock(mutex_);
            tried_.push_back(address + ": Sluice reaches engines over unix sockets only (unix:///path)");
        }
        return try_candidate(index + 1, std::move(done));
    }
    // _ping answers at once; /version takes Podman seconds, so it is asked for afterwards.
    exchange(path, "GET", "/_ping", {},
             [self = shared_from_this(), index, address, path, done = std::move(done)](Response r) mutable {
                 if (r.status != 200) {
                     {
                         std::lock_guard lock(self->mutex_);
                         self->tried_.push_back(
                             address + ": " +
                             (r.transport_error.empty() ? "HTTP " + std::to_string(r.status) : r.transport_error));
                     }
                     return self->try_candidate(index + 1, std::move(done));
                 }
                 {
                     std::lock_guard lock(self->mutex_);
                     self->socket_path_ = path;
                     self->state_ = "connected";
                 }
                 done(std::nullopt);
                 self->exchange(path, "GET", std::string(kApi) + "/version", {}, [self](Response v) {
                     auto j = Json::parse(v.body, nullptr, false);
                     if (v.status != 200 || !j.is_object()) return;
                     std::string version = j.value("Version", "");
                     if (auto c = j.find("Components");
                         c != j.end() && c->is_array() && !c->empty() && (*c)[0].is_object())
                         version = (*c)[0].value("Name", "") + " " + version;
                     std::lock_guard lock(self->mutex_);
                     self->version_ = version;
                 });
             });
}

Json DockerEngine::status() const {
    std::lock_guard lock(mutex_);
    Json out = {{"state", state_}};
    if (!socket_path_.empty()) out["endpoint"] = "unix://" + socket_path_;
    if (!version_.empty()) out["version"] = version_;
    if (state_ != "connected") {
        out["candidates"] = candidates_;
        if (!tried_.empty()) out["tried"] = tried_;
    }
    return out;
}

void DockerEngine::exchange(const std::string& socket_path, const std::string& method, const std::string& target,
                            std::string body, std::function<void(Response)> done) {
    auto x = std::make_shared<Exchange>(io_, std::move(done));
    x->request.method(http::string_to_verb(method));
    x->request.target(target);
    x->request.version(11);
    x->request.set(http::field::host, "docker");
    x->request.set(http::field::connection, "close");
    if (!body.empty()) x->request.set(http::field::content_type, "application/json");
    x->request.body() = std::move(body);
    x->request.prepare_payload();
    x->run(socket_path);
}

void DockerEngine::call(const std::string& method, const std::string& target, std::string body,
                        std::function<void(Response)> done) {
    std::string path;
    {
        std::lock_guard lock(mutex_);
        path = socket_path_;
    }
    if (path.empty()) {
        return asio::post(io_, [done = std::move(done)] { done({0, {}, "no container engine connected"}); });
    }
    exchange(path, method, std::string(kApi) + target, std::move(body),
             [self = shared_from_this(), done = std::move(done)](Response r) {
                 if (!r.transport_error.empty()) {
                     std::lock_guard lock(self->mutex_);
                     self->state_ = "unreachable";
                 }
                 done(std::move(r));
             });
}

EngineError DockerEngine::error_of(const Response& r, const std::string& what) const {
    if (!r.transport_error.empty())
        return {EngineError::Kind::Unreachable,
                what + ": the container engine did not answer (" + r.transport_error + ")"};
    return {r.status == 404 ? EngineError::Kind::NotFound : EngineError::Kind::Failed, message_of(r.body)};
}

void DockerEngine::create(const ContainerSpec& spec, std::function<void(EngineResult<std::string>)> done) {
    open_events();  // listening before any container can start, so no exit goes unheard
    Json body = {
        {"Image", spec.image}, {"Env", spec.env}, {"Labels", spec.labels}, {"StopTimeout", spec.stop_timeout_seconds}};
    if (spec.command) body["Cmd"] = *spec.command;
    if (spec.entry_point) body["Entrypoint"] = *spec.entry_point;
    if (spec.working_directory) body["WorkingDir"] = *spec.working_directory;
    if (spec.user) body["User"] = *spec.user;
    Json host = {{"NetworkMode", spec.network_mode}};
    if (spec.memory_bytes > 0) host["Memory"] = spec.memory_bytes;
    if (spec.nano_cpus > 0) host["NanoCpus"] = spec.nano_cpus;
    body["HostConfig"] = std::move(host);
    call("POST", "/containers/create?name=" + core::url_encode(spec.name), body.dump(),
         [self = shared_from_this(), done = std::move(done)](Response r) {
             if (r.status == 201) {
                 auto j = Json::parse(r.body, nullptr, false);
                 if (j.is_object() && j.contains("Id") && j["Id"].is_string()) {
                     {
                         std::lock_guard lock(self->mutex_);
                         self->ours_.insert(j["Id"].get<std::string>());
                     }
                     return done(j["Id"].get<std::string>());
                 }
             }
             done(self->error_of(r, "create container"));
         });
}

void DockerEngine::pull(const std::string& image, Done done) {
    // A pull answers 200 at once and streams progress; a failure is an "error" line in it.
    // Without a tag Docker would pull every tag of the repository: an untagged image is :latest.
    const auto last_part = image.substr(image.rfind('/') == std::string::npos ? 0 : image.rfind('/') + 1);
    const bool tagged = last_part.find(':') != std::string::npos || image.find('@') != std::string::npos;
    call("POST", "/images/create?fromImage=" + core::url_encode(image) + (tagged ? "" : "&tag=latest"), {},
         [self = shared_from_this(), done = std::move(done)](Response r) {
             if (r.status != 200) return done(self->error_of(r, "pull image"));
             std::size_t begin = 0;
             while (begin < r.body.size()) {
                 auto end = r.body.find('\n', begin);
                 if (end == std::string::npos) end = r.body.size();
                 auto line = Json::parse(r.body.substr(begin, end - begin), nullptr, false);
                 if (line.is_object())
                     if (auto e = line.find("error"); e != line.end() && e->is_string())
                         return done(EngineError{EngineError::Kind::Failed, *e});
                 begin = end + 1;
             }
             done(std::nullopt);
         });
}

void DockerEngine::start(const std::string& id, Done done) {
    {
        std::lock_guard lock(mutex_);
        if (events_ready_) started_while_listening_.insert(id);
    }
    call("POST", "/containers/" + id + "/start", {}, [self = shared_from_this(), done = std::move(done)](Response r) {
        if (r.status == 204 || r.status == 304) return done(std::nullopt);
        done(self->error_of(r, "start container"));
    });
}

void DockerEngine::wait(const std::string& id, std::function<void(EngineResult<long long>)> done) {
    bool registered = false;
    bool heard_from_start = false;
    {
        std::lock_guard lock(mutex_);
        heard_from_start = started_while_listening_.erase(id) > 0;
        if (auto e = exits_.find(id); e != exits_.end()) {
            const long long code = e->second;
            exits_.erase(e);
            return asio::post(io_, [done = std::move(done), code] { done(code); });
        }
        // No event stream to hear the exit from yet: ask about this one container (below).
        registered = events_ready_;
        if (registered) waiters_[id] = std::move(done);
    }
    if (!registered) {
        open_events();
        // Moved above only when registered.
        return wait_directly(id, std::move(done));  // NOLINT(bugprone-use-after-move)
    }
    if (heard_from_start) return;
    // The exit may have come just before the stream could report it: look once.
    call("GET", "/containers/" + id + "/json", {}, [self = shared_from_this(), id](Response r) {
        auto j = Json::parse(r.body, nullptr, false);
        if (r.status != 200 || !j.is_object()) return;
        const Json state = j.value("State", Json::object());
        const std::string status = state.value("Status", "");
        if (status == "exited" || status == "dead") self->container_died(id, state.value("ExitCode", -1LL));
    });
}

void DockerEngine::wait_directly(const std::string& id, std::function<void(EngineResult<long long>)> done) {
    call("POST", "/containers/" + id + "/wait", {}, [self = shared_from_this(), done = std::move(done)](Response r) {
        if (r.status == 200) {
            auto j = Json::parse(r.body, nullptr, false);
            if (j.is_object() && j.contains("StatusCode") && j["StatusCode"].is_number_integer())
                return done(j["StatusCode"].get<long long>());
        }
        done(self->error_of(r, "wait for container"));
    });
}

void DockerEngine::stop(const std::string& id, int timeout_seconds, Done done) {
    call("POST", "/containers/" + id + "/stop?t=" + std::to_string(timeout_seconds), {},
         [self = shared_from_this(), done = std::move(done)](Response r) {
             // 304: it had stopped already.
             if (r.status == 204 || r.status == 304) return done(std::nullopt);
             done(self->error_of(r, "stop container"));
         });
}

void DockerEngine::logs(const std::string& id, std::function<void(EngineResult<std::string>)> done) {
    call("GET", "/containers/" + id + "/logs?stdout=1&stderr=1&tail=20000", {},
         [self = shared_from_this(), done = std::move(done)](Response r) {
             if (r.status == 200) return done(demux_log_stream(r.body));
             done(self->error_of(r, "read container logs"));
         });
}

void DockerEngine::remove(const std::string& id, Done done) {
    {
        std::lock_guard lock(mutex_);
        ours_.erase(id);
        exits_.erase(id);
        started_while_listening_.erase(id);
    }
    call("DELETE", "/containers/" + id + "?force=1", {},
         [self = shared_from_this(), done = std::move(done)](Response r) {
             if (r.status == 204 || r.status == 200 || r.status == 404) return done(std::nullopt);
             done(self->error_of(r, "remove container"));
         });
}

std::string demux_log_stream(const std::string& raw) {
    auto framed = [&](std::size_t at) {
        return at + 8 <= raw.size() && static_cast<unsigned char>(raw[at]) <= 2 && raw[at + 1] == 0 &&
               raw[at + 2] == 0 && raw[at + 3] == 0;
    };
    if (raw.empty() || !framed(0)) return raw;  // a TTY container: no frames
    std::string out;
    std::size_t at = 0;
    while (framed(at)) {
        std::size_t length = 0;
        for (int i = 4; i < 8; ++i) length = (length << 8) | static_cast<unsigned char>(raw[at + i]);
        at += 8;
        const std::size_t take = std::min(length, raw.size() - at);
        out.append(raw, at, take);
        at += take;
    }
    if (at < raw.size()) out.append(raw, at, std::string::npos);  // a truncated or unframed tail
    return out;
}

}  // namespace sluice::ecs
