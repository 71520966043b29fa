// sluice: flags and config, then one io_context with a few threads serving every service.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "sluice/core/clock.hpp"
#include "sluice/core/config.hpp"
#include "sluice/core/ids.hpp"
#include "sluice/core/scheduler.hpp"
#include "sluice/daemon/daemon.hpp"
#include "sluice/ecs/docker_engine.hpp"
#include "sluice/server/health_check.hpp"
#include "sluice/server/http_server.hpp"

#ifndef SLUICE_VERSION
#define SLUICE_VERSION "0.0.0"
#endif

extern char** environ;

namespace {

// `sluice --health-check [URL]`: the daemon's own port (SLUICE_PORT) unless a URL is given.
int health_check(const std::vector<std::string>& args, const sluice::core::Config& config) {
    const std::string url =
        args.size() > 1 ? args[1] : "http://127.0.0.1:" + std::to_string(config.port) + "/_sluice/health";
    auto result = sluice::server::check_health(url, std::chrono::seconds(3));
    std::cerr << "sluice: " << (result.healthy ? "healthy" : "unhealthy") << ": " << url << ": " << result.detail
              << "\n";
    return result.healthy ? 0 : 1;
}

// Docker and Podman mark their containers so; there, listening on every address is the point.
bool in_container() {
    std::error_code ec;
    return std::filesystem::exists("/.dockerenv", ec) || std::filesystem::exists("/run/.containerenv", ec);
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    const auto environment = sluice::core::environment_of(environ);
    if (!args.empty() && args[0] == "--health-check") {
        if (args.size() > 2) {
            std::cerr << "sluice: --health-check takes at most one URL\n";
            return 2;
        }
        auto parsed = sluice::core::parse_args({}, environment);
        if (parsed.error) {
            std::cerr << "sluice: " << *parsed.error << "\n";
            return 2;
        }
        return health_check(args, parsed.config);
    }
    auto parsed = sluice::core::parse_args(args, environment);
    if (parsed.help) {
        std::cout << sluice::core::usage();
        return 0;
    }
    if (parsed.error) {
        std::cerr << "sluice: " << *parsed.error << "\n" << sluice::core::usage();
        return 2;
    }
    const auto& config = parsed.config;
    auto logger = spdlog::stderr_color_mt("sluice");
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::from_str(config.log_level));

    namespace asio = boost::asio;
    // One io_context per thread; services keep their timers on the first.
    std::vector<std::unique_ptr<asio::io_context>> contexts;
    std::vector<asio::io_context*> context_ptrs;
    for (int i = 0; i < config.io_threads; ++i) {
        contexts.push_back(std::make_unique<asio::io_context>(1));
        context_ptrs.push_back(contexts.back().get());
    }
    asio::io_context& io = *contexts.front();
    sluice::core::SystemClock clock(config.time_scale);
    if (config.time_scale != 1.0)
        spdlog::warn("time scale {}: every wait, delay and timeout runs {}x {}", config.time_scale,
                     config.time_scale < 1 ? 1 / config.time_scale : config.time_scale,
                     config.time_scale < 1 ? "faster" : "slower");

    // Every service's timers and deferred work run on the first io_context, through one scheduler.
    auto scheduler = std::make_shared<sluice::core::AsioScheduler>(io, clock);
    // ECS runs containers on whichever Docker-compatible engine answers; none is needed to start.
    auto engine = std::make_shared<sluice::ecs::DockerEngine>(io, sluice::ecs::DockerEngine::default_candidates());
    sluice::daemon::Options options;
    options.ecs.network_mode = config.ecs_network;
    options.ecs.keep_containers = config.ecs_keep_containers;
    options.ecs.endpoint_url = config.ecs_endpoint_url;
    options.ecs.instance_id = sluice::core::random_uuid_string();
    options.max_history_events = config.max_history_events;
    options.sfn_mock_config = config.sfn_mock_config;
    options.version = SLUICE_VERSION;
    options.access.allowed_origins = config.allowed_origins;
    options.access.allowed_hosts = config.allowed_hosts;
    std::unique_ptr<sluice::daemon::Daemon> daemon;
    try {
        daemon = std::make_unique<sluice::daemon::Daemon>(*scheduler, engine, std::move(options));
    } catch (const sluice::sfn::MockConfigError& e) {
        std::cerr << "sluice: " << e.what() << "\n";
        return 2;
    }
    engine->connect([engine](std::optional<sluice::ecs::EngineError> e) {
        if (e)
            spdlog::warn("ecs: {} RunTask will look again.", e->message);
        else
            spdlog::info("ecs: container engine at {}", engine->status().value("endpoint", "?"));
    });

    std::unique_ptr<sluice::server::HttpServer> server;
    try {
        server = std::make_unique<sluice::server::HttpServer>(
            context_ptrs, asio::ip::tcp::endpoint(asio::ip::make_address(config.host), config.port),
            // Not owning: connections still queued on a stopped io_context must not keep the
            // router (and the services' timers) alive past the contexts.
            [router = &daemon->router()](sluice::protocol::HttpRequest request,
                                         std::function<void(sluice::protocol::HttpResponse)> respond) {
                router->handle(std::move(request), std::move(respond));
            });
    } catch (const std::exception& e) {
        spdlog::error("cannot listen on {}:{}: {}", config.host, config.port, e.what());
        return 1;
    }
    auto endpoint = server->local_endpoint();
    {
        // Containers and in-process callers reach Sluice here (host network); a wildcard listen
        // is reachable on loopback. Known before the first request is accepted.
        auto address = endpoint.address();
        if (address.is_unspecified())
            address = address.is_v6() ? asio::ip::address(asio::ip::address_v6::loopback())
                                      : asio::ip::address(asio::ip::address_v4::loopback());
        const auto text = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
        daemon->set_endpoint(text + ":" + std::to_string(endpoint.port()));
    }
    server->start();
    if (config.host != "127.0.0.1" && config.host != "localhost" && config.host != "::1" && !in_container())
        spdlog::warn("listening on {}: anyone who can reach this address can use Sluice", config.host);
    // The one line on stdout: scripts and tests read the port from it.
    std::printf("listening on http://%s:%u\n", endpoint.address().to_string().c_str(), endpoint.port());
    std::fflush(stdout);
    spdlog::info("sluice {} ready (services: sqs, stepfunctions, ecs, pipes)", SLUICE_VERSION);

    asio::signal_set signals(io, SIGINT, SIGTERM);
    asio::steady_timer grace(io), cleanup_deadline(io);
    signals.async_wait([&](const boost::system::error_code& ec, int signal) {
        if (ec) return;
        spdlog::info("signal {}: shutting down", signal);
        server->stop();
        daemon->shutdown();
        // Let the answers to released long polls go out and the containers this daemon started
        // be removed (up to 10 s: an engine that hangs does not keep Sluice up), then stop.
        auto stop_all = std::make_shared<std::function<void()>>([&] {
            for (auto& c : contexts) c->stop();
        });
        auto left = std::make_shared<int>(2);
        auto one_done = [stop_all, left] {
            if (--*left == 0) (*stop_all)();
        };
        grace.expires_after(std::chrono::milliseconds(100));
        grace.async_wait([one_done](const boost::system::error_code&) { one_done(); });
        cleanup_deadline.expires_after(std::chrono::seconds(10));
        cleanup_deadline.async_wait([stop_all](const boost::system::error_code& ec) {
            if (!ec) {
                spdlog::warn("ecs: the container engine did not confirm every removal in 10 s");
                (*stop_all)();
            }
        });
        daemon->ecs().remove_all_containers([&io, one_done, &cleanup_deadline] {
            asio::post(io, [one_done, &cleanup_deadline] {
                cleanup_deadline.cancel();
                one_done();
            });
        });
    });

    // Keep the other contexts running while they have no connection yet.
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work;
    for (std::size_t i = 1; i < contexts.size(); ++i) work.push_back(asio::make_work_guard(*contexts[i]));
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < contexts.size(); ++i) threads.emplace_back([c = contexts[i].get()] { c->run(); });
    io.run();
    for (auto& c : contexts) c->stop();
    for (auto& t : threads) t.join();
    threads.clear();
    // The server and the services go first, while the contexts (and the scheduler's timer) exist.
    server.reset();
    daemon.reset();
    engine.reset();
    scheduler.reset();
    spdlog::info("stopped");
    return 0;
}
