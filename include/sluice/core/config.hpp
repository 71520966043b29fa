#pragma once
// The daemon's settings: every one a flag and an environment variable (SLUICE_PORT for
// --port), from one table, so CI services and compose files, which set variables, configure
// what the command line does. A flag wins over its variable.
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sluice::core {

struct Config {
    std::string host = "127.0.0.1";
    unsigned short port = 4566;
    std::string log_level = "info";
    double time_scale = 1.0;
    int io_threads = 2;
    // Step Functions fails an execution whose history would pass this many events (AWS: 25,000).
    long max_history_events = 25'000;
    // ECS: the engine network containers join ("host" lets them reach Sluice on 127.0.0.1),
    // and whether finished containers stay in the engine.
    std::string ecs_network = "host";
    bool ecs_keep_containers = false;
    // ECS: the AWS_ENDPOINT_URL task containers get; empty: http://<Sluice's address>, right for
    // the host network. Sluice in a container names itself as its siblings reach it.
    std::string ecs_endpoint_url;
    // Step Functions: the mock configuration file (empty: none).
    std::string sfn_mock_config;
    // Browser pages of these origins may call Sluice (with CORS answers); "*": every origin.
    std::vector<std::string> allowed_origins;
    // Host names the console answers to besides the loopback names and the listen address.
    std::vector<std::string> allowed_hosts;
};

// Parses argv over the environment; `error` names the flag or variable that is wrong (an
// unknown SLUICE_* variable too: a typo must not fall back to a default in silence).
struct ParsedConfig {
    Config config;
    bool help = false;
    std::optional<std::string> error;
};
ParsedConfig parse_args(const std::vector<std::string>& args,
                        const std::map<std::string, std::string>& environment = {});
// The process's environment, for parse_args.
std::map<std::string, std::string> environment_of(char** envp);
std::string usage();

}  // namespace sluice::core
