#pragma once
// Mocked service integrations: a TaskRunner in front of the real integrations. An execution
// started as `<state machine ARN>#<test case>` has its Task states answered from the mock
// configuration where the test case names them, call by call; every other state, and every
// execution started without a test case, goes to the real integration.
#include <memory>

#include "sluice/core/scheduler.hpp"
#include "sluice/sfn/interpreter.hpp"
#include "sluice/sfn/mock_config.hpp"

namespace sluice::sfn {

class MockedTasks final : public TaskRunner {
public:
    MockedTasks(core::Scheduler& scheduler, TaskRunner& real) : scheduler_(scheduler), real_(real) {}

    // Under the service's lock, like start().
    void set_config(std::shared_ptr<const MockConfig> config) { config_ = std::move(config); }
    const std::shared_ptr<const MockConfig>& config() const { return config_; }
    // How a mocked `.waitForTaskToken` answers: as SendTaskSuccess with the token would (called
    // from the scheduler, without the lock).
    using CompleteToken = std::function<void(const std::string& token, const Json& output)>;
    void set_token_completion(CompleteToken complete) { complete_token_ = std::move(complete); }

    Json parameters_for(const TaskResource& resource, Json parameters) const override {
        return real_.parameters_for(resource, std::move(parameters));
    }
    std::function<void()> start(const TaskInvocation& task, TaskCallbacks callbacks) override;

private:
    core::Scheduler& scheduler_;
    TaskRunner& real_;
    std::shared_ptr<const MockConfig> config_;
    CompleteToken complete_token_;
};

}  // namespace sluice::sfn
