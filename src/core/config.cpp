#include "sluice/core/config.hpp"

#include <charconv>
#include <cstdlib>
#include <functional>

namespace sluice::core {

namespace {

// Sets the config from a value's text; an error message (without the option's name) when the
// text is not a value of this option.
using Apply = std::function<std::optional<std::string>(Config&, const std::string&)>;

struct Option {
    const char* flag;      // "--port"
    const char* variable;  // "SLUICE_PORT"
    const char* value;     // "N" (nullptr: a switch, which takes no value on the command line)
    const char* help;
    Apply apply;
};

std::optional<long> whole_number(const std::string& text, long min, long max) {
    long v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size() || v < min || v > max) return std::nullopt;
    return v;
}

// "a, b,c" → {"a", "b", "c"}; nullopt when an entry is empty.
std::optional<std::vector<std::string>> comma_list(const std::string& text) {
    std::vector<std::string> out;
    for (std::size_t start = 0; start <= text.size();) {
        auto end = text.find(',', start);
        if (end == std::string::npos) end = text.size();
        auto item = text.substr(start, end - start);
        const auto first = item.find_first_not_of(" \t"), last = item.find_last_not_of(" \t");
        if (first == std::string::npos) return std::nullopt;
        out.push_back(item.substr(first, last - first + 1));
        start = end + 1;
    }
    return out;
}

std::optional<bool> boolean(const std::string& text) {
    if (text == "1" || text == "true" || text == "yes" || text == "on") return true;
    if (text == "0" || text == "false" || text == "no" || text == "off" || text.empty()) return false;
    return std::nullopt;
}

const std::vector<Option>& options() {
    static const std::vector<Option> table = {
        {"--host", "SLUICE_HOST", "ADDR", "address to listen on (default 127.0.0.1; 0.0.0.0 exposes it to the network)",
         [](Config& c, const std::string& v) -> std::optional<std::string> {
             if (v.empty()) return "an address";
             c.host = v;
             return std::nullopt;
         }},
        {"--port", "SLUICE_PORT", "N", "port to listen on (default 4566; 0 picks a free one)",
         [](Config& c, const std::string& v) -> std::optional<std::string> {
             auto n = whole_number(v, 0, 65535);
             if (!n) return "a port from 0 to 65535";
             c.port = static_cast<unsigned short>(*n);
             return std::nullopt;
         }},
        {"--log-level", "SLUICE_LOG_LEVEL", "LEVEL", "trace, debug, info, warn, error or off (default info)",
         [](Config& c, const std::string& v) -> std::optional<std::string> {
             if (v != "trace" && v != "debug" && v != "info" && v != "warn" && v != "error" && v != "off")
                 return "one of trace, debug, info, warn, error, off";
             c.log_level = v;
             return std::nullopt;
         }},
        {"--time-scale", "SLUICE_TIME_SCALE", "F",
         "run every wait, delay and timeout F times as long (0.01: 100x faster)",
         [](Config& c, const std::string& v) -> std::optional<std::string> {
             char* end = nullptr;
             const double f = std::strtod(v.c_str(), &end);
             if (v.empty() || end != v.c_str() + v.size() || !(f > 0) || f > 1000) return "a number > 0 (at most 1000)";
             c.time_scale = f;
             return std::nullopt;
         }},
        {"--io-threads", "SLUICE_IO_THREADS", "N", "threads serving connections (default 2)",
         [](Config& c, const std::string& v) -> std::optional<std::string> {
             auto n = whole_number(v, 1, 64);
             if (!n) return "a number from 1 to 64";
             c.io_threads = static_cast<int>(*n);
             return std::nullopt;
         }},
        {"--max-history-events", "SLUICE_MAX_HISTORY_EVENTS", "N",
         "Step Functions history limit per execution (default 25000, as AWS)",
         [](Config& c, const std::string& v) -> std::optional<std::string> {
             auto n = whole_number(v, 100, 100'000'000);
             if (!n) return "a number from 100 to 100000000";
             c.max_history_events = *n;
             return std::nullopt;
         }},
        {"--ecs-network", "SLUICE_ECS_NETWORK", "MODE",
         "network ECS task containers join: host (default: they reach Sluice on 127.0.0.1), bridge, or the name "
         "of an engine network",
         [](Config& c, const std::string& v) -> std::optional<std::string> {
             if (v.empty() || v.find_first_of(" /") != std::string::npos) return "a network name";
             c.ecs_network = v;
             return std::nullopt;
         }},
        {"--ecs-endpoint-url", "SLUICE_ECS_ENDPOINT_URL", "URL",
         "the AWS_ENDPOINT_URL task containers get (default http://127.0.0.1:PORT, for the host network; "
         "e.g. http://sluice:4566 when Sluice runs in a container on the engine network the tasks join)",
         [](Config& c, const std::string& v) -> std::optional<std::string> {
             const bool http = v.rfind("http://", 0) == 0 || v.rfind("https://", 0) == 0;
             if (!http || v.find_first_of(" \t\r\n") != std::string::npos || v.find("://") + 3 >= v.size())
                 return "an http:// or https:// URL";
             c.ecs_endpoint_url = v;
             return std::nullopt;
         }},
        {"--mock-config", "SLUICE_SFN_MOCK_CONFIG", "FILE",
         "Step Functions Local's mock configuration file: executions started as <state machine ARN>#<test case> "
         "answer Task states from it (also SFN_MOCK_CONFIG, the variable other emulators read); re-read when it "
         "changes",
         [](Config& c, const std::string& v) -> std::optional<std::string> {
             if (v.empty()) return "a file name";
             c.sfn_mock_config = v;
             return std::nullopt;
         }},
        {"--allowed-origins", "SLUICE_ALLOWED_ORIGINS", "LIST",
         "comma-separated origins (http://localhost:3000) whose browser pages may call Sluice, answered with CORS "
         "headers; * allows every origin. Other origins may not change state (default: only Sluice's own pages)",
         [](Config& c, const std::string& v) -> std::optional<std::string> {
             auto list = comma_list(v);
             if (!list) return "origins separated by commas, none empty";
             for (const auto& o : *list)
                 if (o != "*" && o.rfind("http://", 0) != 0 && o.rfind("https://", 0) != 0)
                     return "origins like http://localhost:3000 (scheme, host and port), or *";
             c.allowed_origins = std::move(*list);
             return std::nullopt;
         }},
        {"--allowed-hosts", "SLUICE_ALLOWED_HOSTS", "LIST",
         "comma-separated host names the console and /_sluice/ views answer to, besides loopback names and the "
         "listen address (e.g. sluice, for a container reached by that name)",
         [](Config& c, const std::string& v) -> std::optional<std::string> {
             auto list = comma_list(v);
             if (!list) return "host names separated by commas, none empty";
             c.allowed_hosts = std::move(*list);
             return std::nullopt;
         }},
        {"--ecs-keep-containers", "SLUICE_ECS_KEEP_CONTAINERS", nullptr,
         "leave finished task containers in the engine (default: removed once their output is read)",
         [](Config& c, const std::string& v) -> std::optional<std::string> {
             auto b = boolean(v);
             if (!b) return "true or false";
             c.ecs_keep_containers = *b;
             return std::nullopt;
         }},
    };
    return table;
}

// Variables of Sluice's own scripts, tests and benchmarks, which a daemon they start inherits:
// known names, so not typos, but not the daemon's.
bool tooling_variable(const std::string& name) {
    static const char* const names[] = {"SLUICE_BIN",           "SLUICE_URL",        "SLUICE_SQS_PROTOCOL",
                                        "SLUICE_PODMAN_SOCKET", "SLUICE_PODMAN_LOG", "SLUICE_STATIC_BIN",
                                        "SLUICE_IMAGE"};
    for (const char* n : names)
        if (name == n) return true;
    return false;
}

}  // namespace

std::string usage() {
    std::string out =
        "usage: sluice [FLAG VALUE]...      run the daemon\n"
        "       sluice --health-check [URL] exit 0 when the daemon at URL answers healthy (default\n"
        "                                   http://127.0.0.1:$SLUICE_PORT/_sluice/health), else 1\n"
        "Each flag has an environment variable; a flag wins over its variable.\n";
    for (const auto& o : options()) {
        std::string left = std::string("  ") + o.flag + (o.value ? std::string(" ") + o.value : "");
        left += std::string(left.size() < 28 ? 28 - left.size() : 1, ' ');
        out += left + o.variable + "\n      " + o.help + "\n";
    }
    out += "The container engine is DOCKER_HOST (unix:///path), else Docker's socket, else Podman's.\n";
    return out;
}

std::map<std::string, std::string> environment_of(char** envp) {
    std::map<std::string, std::string> out;
    for (char** e = envp; e && *e; ++e) {
        std::string entry(*e);
        auto eq = entry.find('=');
        if (eq != std::string::npos) out.emplace(entry.substr(0, eq), entry.substr(eq + 1));
    }
    return out;
}

ParsedConfig parse_args(const std::vector<std::string>& args, const std::map<std::string, std::string>& environment) {
    ParsedConfig out;
    auto& c = out.config;
    // Variables first, so that flags win. SFN_MOCK_CONFIG is the name users already set for the
    // other Step Functions emulators; Sluice's own name wins over it.
    if (auto it = environment.find("SFN_MOCK_CONFIG");
        it != environment.end() && !it->second.empty() && !environment.count("SLUICE_SFN_MOCK_CONFIG"))
        c.sfn_mock_config = it->second;
    for (const auto& [name, value] : environment) {
        if (name.rfind("SLUICE_", 0) != 0 || tooling_variable(name)) continue;
        const Option* option = nullptr;
        for (const auto& o : options())
            if (name == o.variable) option = &o;
        if (!option) {
            out.error = "unknown environment variable " + name + " (see --help for the SLUICE_* variables)";
            return out;
        }
        if (auto problem = option->apply(c, value)) {
            out.error = "invalid " + name + "=" + value + ": " + *problem;
            return out;
        }
    }
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& flag = args[i];
        if (flag == "--help" || flag == "-h") {
            out.help = true;
            continue;
        }
        const Option* option = nullptr;
        for (const auto& o : options())
            if (flag == o.flag) option = &o;
        if (!option) {
            out.error = (flag.rfind("--", 0) == 0 ? "unknown flag " : "unknown argument ") + flag;
            return out;
        }
        std::string value = "true";
        if (option->value) {
            if (i + 1 >= args.size()) {
                out.error = "missing value for " + flag;
                return out;
            }
            value = args[++i];
        }
        if (auto problem = option->apply(c, value)) {
            out.error = "invalid " + flag + " " + value + ": " + *problem;
            return out;
        }
    }
    return out;
}

}  // namespace sluice::core
