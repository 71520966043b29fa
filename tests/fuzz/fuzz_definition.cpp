// libFuzzer target: a state machine definition, as CreateStateMachine receives it. When it is
// valid it also runs, on a manual clock and for a bounded number of steps, against a fixed
// input, so the interpreter meets whatever the parser lets through.
#include <cstddef>
#include <cstdint>
#include <string>

#include "../unit/daemon_harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using sluice::protocol::Json;
    const std::string definition(reinterpret_cast<const char*>(data), size);
    sluice::testing::DaemonHarness world;
    auto call = [&](const std::string& op, Json params) {
        return *world.start(world.daemon.sfn(), op, std::move(params));
    };
    auto created =
        call("CreateStateMachine",
             {{"name", "fuzz"}, {"definition", definition}, {"roleArn", "arn:aws:iam::000000000000:role/r"}});
    if (!created || !std::holds_alternative<Json>(*created)) return 0;
    const auto arn = std::get<Json>(*created)["stateMachineArn"];
    call("StartExecution",
         {{"stateMachineArn", arn}, {"input", R"({"a":[1,2,{"b":"x"}],"n":3,"s":"t","t":"2024-01-01T00:00:00Z"})"}});
    // Bounded: a machine may loop forever, or wait for a year.
    world.scheduler.run_all(/*max_steps=*/50, /*max_tasks_per_step=*/20);
    return 0;
}
