// Variables as AWS reports them: `variableReferences` in DescribeStateMachine and
// DescribeStateMachineForExecution (state name -> the variables the state reads), and a
// revisionId in DescribeStateMachineForExecution only for a revision an update made. Rules and
// their recordings: src/sfn/asl/variable_references.cpp, docs/research/sfn-behaviour.md.
#include <catch2/catch.hpp>

#include "daemon_harness.hpp"
#include "expect_ok.hpp"
#include "sluice/sfn/definition.hpp"

using sluice::protocol::Json;

TEST_CASE("variableReferences lists the $name roots each state reads", "[sfn][variables]") {
    const Json definition = Json::parse(R"json({
      "StartAt": "Set",
      "States": {
        "Set": {"Type": "Pass", "Assign": {"a": 1, "b.$": "$.x"}, "Result": {"r.$": "$ignored"}, "Next": "Check"},
        "Check": {"Type": "Choice",
                  "Choices": [{"Variable": "$a", "NumericEqualsPath": "$b.n", "Next": "Each",
                               "Assign": {"c.$": "States.Format('{} $notavariable', $d)"}}],
                  "Default": "Each"},
        "Each": {"Type": "Map", "ItemsPath": "$list", "MaxConcurrencyPath": "$$.Execution.Input.m",
                 "ItemSelector": {"literal": "$bucket", "v.$": "$$.Map.Item.Value"},
                 "ItemProcessor": {"StartAt": "Inner",
                                   "States": {"Inner": {"Type": "Pass", "Parameters": {"p.$": "$outer"}, "End": true}}},
                 "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"e.$": "$err"}, "Next": "Done"}],
                 "Next": "Done"},
        "Done": {"Type": "Fail", "ErrorPath": "$errorVar", "CausePath": "States.Format('{}', $causeVar)"}
      }
    })json");
    const Json want = Json::parse(R"({
      "Check": ["a", "b", "d"],
      "Each": ["err", "list"],
      "Inner": ["outer"],
      "Done": ["causeVar", "errorVar"]
    })");
    CHECK(sluice::sfn::variable_references(definition) == want);
    // A machine that reads no variable: no entries (and no member in Describe*).
    CHECK(sluice::sfn::variable_references(
              Json::parse(
                  R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"x.$": "$.y"}, "End": true}}})"))
              .empty());
}

namespace {

struct Harness : sluice::testing::DaemonHarness {
    Json ok(const std::string& op, Json params) {
        return sluice::testing::expect_ok(op, call(daemon.sfn(), op, std::move(params)));
    }
};

}  // namespace

TEST_CASE("DescribeStateMachine and DescribeStateMachineForExecution show variableReferences", "[sfn][variables]") {
    Harness h;
    const std::string reads =
        R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"x": 1}, "Next": "B"},
            "B": {"Type": "Pass", "InputPath": "$x", "End": true}}})";
    auto arn = h.ok(
        "CreateStateMachine",
        {{"name", "m"}, {"definition", reads}, {"roleArn", "arn:aws:iam::000000000000:role/r"}})["stateMachineArn"];
    const Json want = {{"B", {"x"}}};
    CHECK(h.ok("DescribeStateMachine", {{"stateMachineArn", arn}})["variableReferences"] == want);
    auto exec = h.ok("StartExecution", {{"stateMachineArn", arn}})["executionArn"];
    auto for_exec = h.ok("DescribeStateMachineForExecution", {{"executionArn", exec}});
    CHECK(for_exec["variableReferences"] == want);
    CHECK(for_exec["encryptionConfiguration"] == Json{{"type", "AWS_OWNED_KEY"}});
    // The revision CreateStateMachine made has no revisionId here...
    CHECK_FALSE(for_exec.contains("revisionId"));

    // ...one an update made has; and a definition that reads nothing has no variableReferences.
    const std::string plain = R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}})";
    auto updated = h.ok("UpdateStateMachine", {{"stateMachineArn", arn}, {"definition", plain}});
    CHECK_FALSE(h.ok("DescribeStateMachine", {{"stateMachineArn", arn}}).contains("variableReferences"));
    exec = h.ok("StartExecution", {{"stateMachineArn", arn}})["executionArn"];
    for_exec = h.ok("DescribeStateMachineForExecution", {{"executionArn", exec}});
    CHECK(for_exec["revisionId"] == updated["revisionId"]);
    CHECK_FALSE(for_exec.contains("variableReferences"));
}

TEST_CASE("a revisionId only for a revision an update made, versions included", "[sfn][variables]") {
    Harness h;
    const std::string first = R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}})";
    const std::string second = R"({"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}})";
    auto created = h.ok(
        "CreateStateMachine",
        {{"name", "v"}, {"definition", first}, {"roleArn", "arn:aws:iam::000000000000:role/r"}, {"publish", true}});
    // The version CreateStateMachine published (recording test_create_publish_describe_no_version_description).
    CHECK_FALSE(
        h.ok("DescribeStateMachine", {{"stateMachineArn", created["stateMachineVersionArn"]}}).contains("revisionId"));
    CHECK_FALSE(h.ok("DescribeStateMachine", {{"stateMachineArn", created["stateMachineArn"]}}).contains("revisionId"));
    // One published after an update (recording test_publish_state_machine_version).
    auto updated = h.ok("UpdateStateMachine",
                        {{"stateMachineArn", created["stateMachineArn"]}, {"definition", second}, {"publish", true}});
    CHECK(h.ok("DescribeStateMachine", {{"stateMachineArn", updated["stateMachineVersionArn"]}})["revisionId"] ==
          updated["revisionId"]);
    CHECK(h.ok("DescribeStateMachine", {{"stateMachineArn", created["stateMachineArn"]}})["revisionId"] ==
          updated["revisionId"]);
}

TEST_CASE("an empty Assign lists no assignedVariables", "[sfn][variables]") {
    // Recording test_base_cases[BASE_EMPTY]: the exit event of a state with "Assign": {} has neither member.
    Harness h;
    const std::string definition = R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {}, "End": true}}})";
    auto arn = h.ok("CreateStateMachine", {{"name", "e"},
                                           {"definition", definition},
                                           {"roleArn", "arn:aws:iam::000000000000:role/r"}})["stateMachineArn"];
    auto exec = h.ok("StartExecution", {{"stateMachineArn", arn}})["executionArn"];
    h.scheduler.run_all();
    auto events = h.ok("GetExecutionHistory", {{"executionArn", exec}})["events"];
    REQUIRE(events.size() == 4);
    REQUIRE(events[2]["type"] == "PassStateExited");
    CHECK_FALSE(events[2]["stateExitedEventDetails"].contains("assignedVariables"));
    CHECK_FALSE(events[2]["stateExitedEventDetails"].contains("assignedVariablesDetails"));
}
