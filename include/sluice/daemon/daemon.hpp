#pragma once
// The composition root: the one place that builds Sluice's services and wires them together,
// with the in-process client every service calls the others through and the router the HTTP
// server hands requests to. main, the unit harnesses and the fuzz harnesses all build a Daemon,
// so a service added here is served, tested and fuzzed alike.
#include <memory>
#include <string>

#include "sluice/core/scheduler.hpp"
#include "sluice/ecs/container_engine.hpp"
#include "sluice/ecs/ecs_service.hpp"
#include "sluice/eventbridge/eventbridge_service.hpp"
#include "sluice/pipes/pipes_service.hpp"
#include "sluice/protocol/local_client.hpp"
#include "sluice/server/router.hpp"
#include "sluice/sfn/mock_file.hpp"
#include "sluice/sfn/sfn_service.hpp"
#include "sluice/sns/sns_service.hpp"
#include "sluice/sqs/sqs_service.hpp"

namespace sluice::daemon {

struct Options {
    ecs::RunnerOptions ecs;            // the engine network, whether to keep containers, the instance label
    long max_history_events = 25'000;  // Step Functions fails an execution past this many events
    std::string version = "0.0.0";     // what /_sluice/health reports
    std::string sfn_mock_config;       // Step Functions' mock configuration file (empty: none)
    server::AccessOptions access;      // origins allowed to call from a browser, extra host names
};

class Daemon {
public:
    // `scheduler` runs every service's deferred work and deadlines (an AsioScheduler on the
    // first io_context in the daemon, a ManualScheduler in tests); `engine` runs ECS containers
    // (the Docker Engine API, or a fake). Both outlive the Daemon. Throws sfn::MockConfigError
    // when Options::sfn_mock_config names a file that is not a mock configuration.
    Daemon(core::Scheduler& scheduler, std::shared_ptr<ecs::ContainerEngine> engine, Options options);
    ~Daemon();
    Daemon(const Daemon&) = delete;
    Daemon& operator=(const Daemon&) = delete;

    // Where clients reach the daemon ("127.0.0.1:4566"): in-process calls carry it as their
    // Host (a queue URL a state machine gets back names the real port), and containers get it
    // as AWS_ENDPOINT_URL unless Options::ecs named another.
    void set_endpoint(const std::string& host_port);

    server::Router& router() { return *router_; }
    protocol::LocalClient& client() { return client_; }
    sqs::SqsService& sqs() { return *sqs_; }
    sfn::SfnService& sfn() { return *sfn_; }
    ecs::EcsService& ecs() { return *ecs_; }
    pipes::PipesService& pipes() { return *pipes_; }
    sns::SnsService& sns() { return *sns_; }
    eventbridge::EventBridgeService& eventbridge() { return *eventbridge_; }

    // Answers every parked call (long polls, activity polls) and stops the pipes' reads.
    void shutdown() {
        if (mock_file_) mock_file_->stop();
        router_->shutdown();
    }

private:
    core::Scheduler& scheduler_;
    bool ecs_endpoint_configured_;  // Options::ecs.endpoint_url was given: set_endpoint leaves it
    protocol::LocalClient client_;
    std::shared_ptr<sqs::SqsService> sqs_;
    std::shared_ptr<sfn::SfnService> sfn_;
    std::shared_ptr<ecs::EcsService> ecs_;
    std::shared_ptr<pipes::PipesService> pipes_;
    std::shared_ptr<sns::SnsService> sns_;
    std::shared_ptr<eventbridge::EventBridgeService> eventbridge_;
    std::shared_ptr<server::Router> router_;
    std::shared_ptr<sfn::MockConfigFile> mock_file_;
};

}  // namespace sluice::daemon
