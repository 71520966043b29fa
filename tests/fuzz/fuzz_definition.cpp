// libFuzzer target: a state machine definition, as CreateStateMachine receives it. When it is
// valid it also runs, on a manual clock and for a bounded number of steps, against a fixed
// input, so the interpreter meets whatever the parser lets through.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sluice/core/scheduler.hpp"
#include "sluice/sfn/sfn_service.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using sluice::protocol::Json;
    const std::string definition(reinterpret_cast<const char*>(data), size);
    sluice::core::ManualClock clock;
    sluice::core::ManualScheduler scheduler(clock);
    auto service = std::make_shared<sluice::sfn::SfnService>(scheduler, clock);
    auto call = [&](const std::string& op, Json params) {
        sluice::protocol::Call c;
        c.service = "stepfunctions";
        c.operation = op;
        c.params = std::move(params);
        std::optional<sluice::protocol::Outcome> out;
        service->invoke(std::move(c), [&](sluice::protocol::Outcome o) { out = std::move(o); });
        return out;
    };
    auto created = call("CreateStateMachine",
                        {{"name", "fuzz"}, {"definition", definition}, {"roleArn", "arn:aws:iam::000000000000:role/r"}});
    if (!created || !std::holds_alternative<Json>(*created)) return 0;
    const auto arn = std::get<Json>(*created)["stateMachineArn"];
    call("StartExecution", {{"stateMachineArn", arn}, {"input", R"({"a":[1,2,{"b":"x"}],"n":3,"s":"t","t":"2024-01-01T00:00:00Z"})"}});
    // Bounded: a machine may loop forever, or wait for a year.
    scheduler.run_all(/*max_steps=*/50, /*max_tasks_per_step=*/20);
    return 0;
}
