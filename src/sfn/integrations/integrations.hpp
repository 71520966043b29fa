#pragma once
// The Step Functions integrations: the runtime that performs Task states which call services
// (SQS, ECS, Step Functions itself). Each calls the service's ops through the LocalClient, as an
// HTTP request would reach them, never over HTTP. The service keeps the API and the executions.
#include <functional>
#include <memory>
#include <string>

#include "sluice/core/scheduler.hpp"
#include "sluice/core/service_lock.hpp"
#include "sluice/protocol/local_client.hpp"
#include "sluice/sfn/interpreter.hpp"

namespace sluice::sfn {

// What `states:startExecution` needs of the service that runs the child executions. Called
// under the service's lock.
class ChildExecutions {
public:
    virtual ~ChildExecutions() = default;
    // The execution named `arn`, or nullptr once it is gone (an Express child that ended).
    virtual std::shared_ptr<Execution> execution(const std::string& arn) = 0;
    // The parent's task ended (timeout, StopExecution): its running child stops too, as on AWS.
    virtual void abort_child(Execution& child) = 0;
};

class Integrations final : public TaskRunner {
public:
    Integrations(core::ServiceLock& lock, core::Scheduler& scheduler, protocol::LocalClient& client,
                 ChildExecutions& children)
        : lock_(lock), scheduler_(scheduler), client_(client), children_(children) {}

    Json parameters_for(const TaskResource& resource, Json parameters) const override;
    std::function<void()> start(const TaskInvocation& task, TaskCallbacks callbacks) override;

private:
    std::function<void()> start_sqs(const TaskInvocation& task, TaskCallbacks callbacks);     // sqs.cpp
    std::function<void()> start_sns(const TaskInvocation& task, TaskCallbacks callbacks);     // sns.cpp
    std::function<void()> start_states(const TaskInvocation& task, TaskCallbacks callbacks);  // states.cpp
    std::function<void()> start_ecs(const TaskInvocation& task, TaskCallbacks callbacks);     // ecs.cpp
    std::function<void()> start_events(const TaskInvocation& task, TaskCallbacks callbacks);  // events.cpp
    // A task that cannot start fails from the scheduler: the interpreter calls start() under
    // the service's lock and must not be called back from inside it.
    std::function<void()> fail_soon(const TaskCallbacks& callbacks, std::string error, std::string cause);

    core::ServiceLock& lock_;
    core::Scheduler& scheduler_;
    protocol::LocalClient& client_;
    ChildExecutions& children_;
};

}  // namespace sluice::sfn
