// The context object's optional members as AWS's recordings show them: $$.State.RetryCount
// only in states that can retry, $$.Execution.RedriveCount only in Standard executions.
#include <catch2/catch.hpp>

#include "daemon_harness.hpp"
#include "expect_ok.hpp"

using sluice::protocol::Json;

namespace {

struct Harness : sluice::testing::DaemonHarness {
    Json ok(const std::string& op, Json params) {
        return sluice::testing::expect_ok(op, call(daemon.sfn(), op, std::move(params)));
    }
    // Runs `definition` as a machine of `type` with input {"items": [1]}: its output.
    Json run(const std::string& type, const Json& definition) {
        auto arn = ok("CreateStateMachine", {{"name", "c" + type},
                                             {"type", type},
                                             {"definition", definition.dump()},
                                             {"roleArn", "arn:aws:iam::000000000000:role/r"}})["stateMachineArn"];
        const Json input = {{"items", {1}}};
        if (type == "EXPRESS") {
            auto out = ok("StartSyncExecution", {{"stateMachineArn", arn}, {"input", input.dump()}});
            REQUIRE(out["status"] == "SUCCEEDED");
            return Json::parse(out["output"].get<std::string>());
        }
        auto exec = ok("StartExecution", {{"stateMachineArn", arn}, {"input", input.dump()}})["executionArn"];
        scheduler.run_all();
        auto described = ok("DescribeExecution", {{"executionArn", exec}});
        REQUIRE(described["status"] == "SUCCEEDED");
        return Json::parse(described["output"].get<std::string>());
    }
};

const Json kDefinition = Json::parse(R"({
  "StartAt": "Look",
  "States": {
    "Look": {"Type": "Pass", "Parameters": {"state.$": "$$.State", "execution.$": "$$.Execution", "items.$": "$.items"},
             "Next": "Each"},
    "Each": {"Type": "Map", "ItemsPath": "$.items", "ItemSelector": {"state.$": "$$.State"},
             "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
             "ResultPath": "$.map", "End": true}
  }
})");

}  // namespace

TEST_CASE("$$.State.RetryCount only in states that can retry", "[sfn][context]") {
    // A Pass state's $$.State is Name and EnteredTime (recording test_query_context_object_values);
    // a Map's and a Task's add RetryCount (test_map_state_failure_count, test_lambda_invoke_with_retry_*).
    Harness h;
    Json out = h.run("STANDARD", kDefinition);
    CHECK(out["state"]["Name"] == "Look");
    CHECK(out["state"].contains("EnteredTime"));
    CHECK_FALSE(out["state"].contains("RetryCount"));
    CHECK(out["map"][0]["state"]["Name"] == "Each");
    CHECK(out["map"][0]["state"]["RetryCount"] == 0);
}

TEST_CASE("$$.Execution.RedriveCount only in Standard executions", "[sfn][context]") {
    // Recordings: test_query_context_object_values (Standard: RedriveCount 0), test_express_sync and
    // test_express_async test_query_runtime_memory (Express: none).
    Harness h;
    CHECK(h.run("STANDARD", kDefinition)["execution"]["RedriveCount"] == 0);
    CHECK_FALSE(h.run("EXPRESS", kDefinition)["execution"].contains("RedriveCount"));
}
