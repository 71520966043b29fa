#pragma once
// How services call each other: a Task state sends to SQS, a pipe starts an execution, a rule
// delivers to its target. The call is the one the HTTP path would build (parameters checked
// against the callee's model types, the account and region of the caller, the daemon's own
// host and port for URLs handed back), runs on the scheduler (never inside the caller, so an
// answer that comes at once cannot re-enter it) and is answered exactly once.
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "sluice/core/scheduler.hpp"
#include "sluice/protocol/service.hpp"

namespace sluice::protocol {

class LocalClient {
public:
    explicit LocalClient(core::Scheduler& scheduler) : scheduler_(scheduler) {}

    // Services by their name() ("sqs", "stepfunctions", "ecs", "pipes"); a later one of the same
    // name replaces the first (tests put stand-ins in). Not owned: the daemon keeps them alive
    // while the client is used.
    void add(Service& service);
    // host:port where the daemon listens, as a client would put it in the Host header.
    void set_host(std::string host);
    std::string host() const;
    // The model of a service the client reaches, or nullptr when the daemon does not run it.
    const Model* model(std::string_view service) const;

    void call(std::string_view service, std::string operation, Json params, const core::Scope& scope, Reply reply);

private:
    core::Scheduler& scheduler_;
    std::map<std::string, Service*, std::less<>> services_;
    mutable std::mutex host_mutex_;
    std::string host_ = "localhost:4566";
};

}  // namespace sluice::protocol
