#pragma once
// What the ECS runner needs of a container engine: create, start, wait for, stop, read and remove
// containers. The daemon talks to Docker or Podman (DockerEngine, over the Docker Engine API);
// unit tests use a fake. Every call answers through its callback later, never inside the call,
// so callers may hold their own lock while they call.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace sluice::ecs {

// One container as the engine is asked to create it.
struct ContainerSpec {
    std::string name;  // the engine's container name
    std::string image;
    std::vector<std::string> env;  // KEY=VALUE
    std::optional<std::vector<std::string>> command, entry_point;
    std::optional<std::string> working_directory, user;
    std::map<std::string, std::string> labels;
    long long memory_bytes = 0;  // 0: no limit
    long long nano_cpus = 0;     // 0: no limit
    std::string network_mode = "host";
    int stop_timeout_seconds = 30;
};

struct EngineError {
    enum class Kind { Unreachable, NotFound, Failed };
    Kind kind = Kind::Failed;
    std::string message;
};

template <class T>
using EngineResult = std::variant<T, EngineError>;

class ContainerEngine {
public:
    using Done = std::function<void(std::optional<EngineError>)>;
    virtual ~ContainerEngine() = default;

    // Finds an engine that answers (DockerEngine tries its candidate sockets in order).
    virtual void connect(Done done) = 0;
    // What /_sluice/health shows: the endpoint in use or what was tried, and the state.
    virtual nlohmann::json status() const = 0;

    virtual void create(const ContainerSpec& spec, std::function<void(EngineResult<std::string>)> done) = 0;  // id
    virtual void pull(const std::string& image, Done done) = 0;
    virtual void start(const std::string& id, Done done) = 0;
    virtual void wait(const std::string& id, std::function<void(EngineResult<long long>)> done) = 0;  // exit code
    // SIGTERM, then SIGKILL after `timeout_seconds`.
    virtual void stop(const std::string& id, int timeout_seconds, Done done) = 0;
    virtual void logs(const std::string& id, std::function<void(EngineResult<std::string>)> done) = 0;
    virtual void remove(const std::string& id, Done done) = 0;  // forced: kills a running one
};

// The Docker log stream: 8-byte frame headers (stream, 0, 0, 0, big-endian length) before each
// chunk when the container has no TTY; raw text otherwise. Returns the text of every frame.
std::string demux_log_stream(const std::string& raw);

}  // namespace sluice::ecs
