#pragma once
// The daemon as unit tests and fuzz targets build it: every service, wired by the one
// composition root (sluice::daemon::Daemon), on a manual clock with an in-memory container
// engine. Nothing runs until the test steps it: posted work, engine answers and deadlines
// (long polls, batching windows, retries, Wait states) run only in run_ready() and settle().
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "fake_engine.hpp"
#include "sluice/daemon/daemon.hpp"

namespace sluice::testing {

struct DaemonHarness {
    core::ManualClock clock;
    core::ManualScheduler scheduler{clock};
    std::shared_ptr<ecs::testing::FakeEngine> engine = std::make_shared<ecs::testing::FakeEngine>();
    daemon::Daemon daemon;

    explicit DaemonHarness(daemon::Options o = options()) : daemon(scheduler, engine, std::move(o)) {
        daemon.set_endpoint("127.0.0.1:4566");
        // As main does at start: find the engine.
        engine->connect([](std::optional<ecs::EngineError>) {});
        engine->pump();
    }
    ~DaemonHarness() {
        daemon.shutdown();
        run_ready();
    }

    static daemon::Options options() {
        daemon::Options o;
        o.ecs.instance_id = "test-instance";
        o.version = "test";
        return o;
    }

    // Runs posted work and engine answers until both are quiet; the clock does not move.
    std::size_t run_ready(std::size_t max_rounds = 10'000) {
        std::size_t total = 0;
        for (std::size_t i = 0; i < max_rounds; ++i) {
            const auto ran = scheduler.run_ready() + engine->pump();
            if (ran == 0) break;
            total += ran;
        }
        return total;
    }
    // run_ready(), then the clock moves to the next deadline, until nothing is left or `until`
    // holds.
    void settle(const std::function<bool()>& until = [] { return false; }) {
        for (int i = 0; i < 10'000 && !until(); ++i) {
            if (run_ready() == 0 && !scheduler.advance_to_next()) return;
        }
    }

    // Calls an operation as a decoded request would reach it, and runs the posted work (not the
    // engine's answers, not the clock) so that in-process calls complete. A long poll answers
    // only once the clock passes its wait: use start() and step it with settle().
    protocol::Outcome call(protocol::Service& service, const std::string& operation, protocol::Json params,
                           protocol::RequestContext context = default_context()) {
        auto out = start(service, operation, std::move(params), std::move(context));
        if (!*out) throw std::logic_error(operation + " did not answer");
        return std::move(**out);
    }
    // The same, leaving the answer to come: the test steps the clock and looks at `*out` later.
    std::shared_ptr<std::optional<protocol::Outcome>> start(protocol::Service& service, const std::string& operation,
                                                            protocol::Json params,
                                                            protocol::RequestContext context = default_context()) {
        auto out = std::make_shared<std::optional<protocol::Outcome>>();
        protocol::Call c;
        c.service = std::string(service.name());
        c.operation = operation;
        c.params = std::move(params);
        c.context = std::move(context);
        service.invoke(std::move(c), [out](protocol::Outcome o) { *out = std::move(o); });
        // Posted work only: the engine answers when the test pumps it, as ECS tests need.
        scheduler.run_ready();
        return out;
    }

    static protocol::RequestContext default_context() {
        protocol::RequestContext c;
        c.host = "localhost:4566";
        return c;
    }
};

}  // namespace sluice::testing
