#include "sluice/core/config.hpp"

#include <charconv>

namespace sluice::core {

std::string usage() {
    return "usage: sluice [--host ADDR] [--port N] [--log-level LEVEL] [--time-scale F] [--io-threads N]\n"
           "             [--max-history-events N] [--ecs-network MODE] [--ecs-keep-containers]\n"
           "  --host ADDR        address to listen on (default 127.0.0.1; 0.0.0.0 exposes it to the network)\n"
           "  --port N           port to listen on (default 4566; 0 picks a free one)\n"
           "  --log-level LEVEL  trace, debug, info, warn, error or off (default info)\n"
           "  --time-scale F     run every wait, delay and timeout F times as long (0.01: 100x faster)\n"
           "  --io-threads N     threads serving connections (default 2)\n"
           "  --max-history-events N  Step Functions history limit per execution (default 25000, as AWS)\n"
           "  --ecs-network MODE network ECS task containers join: host (default: they reach Sluice on\n"
           "                     127.0.0.1), bridge, or the name of an engine network\n"
           "  --ecs-keep-containers  leave finished task containers in the engine (default: removed once\n"
           "                     their output is read)\n"
           "The container engine is DOCKER_HOST (unix:///path), else Docker's socket, else Podman's.\n";
}

ParsedConfig parse_args(const std::vector<std::string>& args) {
    ParsedConfig out;
    auto& c = out.config;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& flag = args[i];
        if (flag == "--help" || flag == "-h") {
            out.help = true;
            continue;
        }
        if (flag == "--ecs-keep-containers") {
            c.ecs_keep_containers = true;
            continue;
        }
        if (i + 1 >= args.size()) {
            out.error = flag.rfind("--", 0) == 0 ? "missing value for " + flag : "unknown argument " + flag;
            return out;
        }
        const std::string& value = args[++i];
        auto to_int = [&](long min, long max) -> std::optional<long> {
            long v = 0;
            auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
            if (ec != std::errc() || p != value.data() + value.size() || v < min || v > max) return std::nullopt;
            return v;
        };
        if (flag == "--host") {
            c.host = value;
        } else if (flag == "--port") {
            auto v = to_int(0, 65535);
            if (!v) return out.error = "invalid --port " + value, out;
            c.port = static_cast<unsigned short>(*v);
        } else if (flag == "--log-level") {
            if (value != "trace" && value != "debug" && value != "info" && value != "warn" && value != "error" &&
                value != "off")
                return out.error = "invalid --log-level " + value, out;
            c.log_level = value;
        } else if (flag == "--time-scale") {
            char* end = nullptr;
            double v = std::strtod(value.c_str(), &end);
            if (end != value.c_str() + value.size() || !(v > 0) || v > 1000)
                return out.error = "invalid --time-scale " + value + " (a number > 0)", out;
            c.time_scale = v;
        } else if (flag == "--io-threads") {
            auto v = to_int(1, 64);
            if (!v) return out.error = "invalid --io-threads " + value, out;
            c.io_threads = static_cast<int>(*v);
        } else if (flag == "--max-history-events") {
            auto v = to_int(100, 100'000'000);
            if (!v) return out.error = "invalid --max-history-events " + value, out;
            c.max_history_events = *v;
        } else if (flag == "--ecs-network") {
            if (value.empty() || value.find_first_of(" /") != std::string::npos)
                return out.error = "invalid --ecs-network " + value, out;
            c.ecs_network = value;
        } else {
            out.error = "unknown flag " + flag;
            return out;
        }
    }
    return out;
}

}  // namespace sluice::core
