#pragma once
// The Docker Engine API over a unix socket (Docker, or Podman's Docker-compatible service),
// spoken asynchronously with Beast: one short connection per call. Exits are heard on one
// shared event stream (GET /events, `die`), not one /wait request per container: Podman
// serves each wait by polling, which doubled the time 50 concurrent tasks took to start.
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "sluice/ecs/container_engine.hpp"

namespace boost::asio {
class io_context;
}

namespace sluice::ecs {

class DockerEngine final : public ContainerEngine, public std::enable_shared_from_this<DockerEngine> {
public:
    // `candidates`: engine addresses to try in order, as DOCKER_HOST spells them (unix:///path).
    DockerEngine(boost::asio::io_context& io, std::vector<std::string> candidates);

    // DOCKER_HOST when set; else Docker's socket, then Podman's rootful and rootless ones.
    static std::vector<std::string> default_candidates();

    void connect(Done done) override;
    nlohmann::json status() const override;
    void create(const ContainerSpec& spec, std::function<void(EngineResult<std::string>)> done) override;
    void pull(const std::string& image, Done done) override;
    void start(const std::string& id, Done done) override;
    void wait(const std::string& id, std::function<void(EngineResult<long long>)> done) override;
    void stop(const std::string& id, int timeout_seconds, Done done) override;
    void logs(const std::string& id, std::function<void(EngineResult<std::string>)> done) override;
    void remove(const std::string& id, Done done) override;

    struct Response {
        unsigned status = 0;
        std::string body;
        std::string transport_error;  // set when no HTTP answer came back
    };

    // The event stream (runner/docker_events.cpp) reports a container's exit.
    void container_died(const std::string& id, long long exit_code);
    void event_seen(long long time_nano);
    void events_lost(const std::string& why);

private:
    void open_events();
    // POST /containers/{id}/wait: when no event stream can answer.
    void wait_directly(const std::string& id, std::function<void(EngineResult<long long>)> done);
    void try_candidate(std::size_t index, Done done);
    // One HTTP exchange with the engine at `socket_path`.
    void exchange(const std::string& socket_path, const std::string& method, const std::string& target,
                  std::string body, std::function<void(Response)> done);
    // An exchange with the connected engine; a transport failure marks it unreachable.
    void call(const std::string& method, const std::string& target, std::string body,
              std::function<void(Response)> done);
    EngineError error_of(const Response& r, const std::string& what) const;

    boost::asio::io_context& io_;
    std::vector<std::string> candidates_;
    mutable std::mutex mutex_;
    std::string socket_path_;        // the engine in use, empty until one answered
    std::string state_ = "unknown";  // unknown, connected, unreachable
    std::string version_;
    std::vector<std::string> tried_;  // "<address>: <why not>" from the last connect
    // Exits: containers created here, their exits not yet claimed, and who waits for one.
    std::set<std::string> ours_;
    std::map<std::string, long long> exits_;
    std::map<std::string, std::function<void(EngineResult<long long>)>> waiters_;
    // Containers whose start was sent while a stream was ready: their exit cannot come before
    // the stream could hear it (a lost stream replays from its last event), so wait() needs no
    // look at them. 50 such looks cost 50 concurrent starts about 6 % of their time on Podman.
    std::set<std::string> started_while_listening_;
    bool events_open_ = false;    // a stream is connecting or open
    bool events_ready_ = false;   // its answer arrived: no exit is missed from here on
    long long events_since_ = 0;  // the last event's time (ns): a new stream replays from there
    friend struct EventStream;
};

}  // namespace sluice::ecs
