// API answers whose shape or text AWS's recordings pin (LocalStack's AWS-validated
// test_sfn_api*.snapshot.json); each case names its recording.
#include <catch2/catch.hpp>

#include "daemon_harness.hpp"
#include "expect_ok.hpp"

using sluice::protocol::AwsError;
using sluice::protocol::Json;

namespace {

struct Harness : sluice::testing::DaemonHarness {
    std::variant<Json, AwsError> try_call(const std::string& op, Json params) {
        return call(daemon.sfn(), op, std::move(params));
    }
    Json ok(const std::string& op, Json params) {
        return sluice::testing::expect_ok(op, try_call(op, std::move(params)));
    }
    AwsError fails(const std::string& op, Json params) {
        auto out = try_call(op, std::move(params));
        REQUIRE(std::holds_alternative<AwsError>(out));
        return std::get<AwsError>(out);
    }
};

const std::string kPass = R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}})";
const std::string kRole = "arn:aws:iam::000000000000:role/r";

}  // namespace

TEST_CASE("UpdateStateMachine on a version ARN: StateMachineDoesNotExist", "[sfn][api]") {
    // Recording test_sfn_api_versioning test_update_state_machine (invalid_arn_1, invalid_arn_2).
    Harness h;
    auto created =
        h.ok("CreateStateMachine", {{"name", "u"}, {"definition", kPass}, {"roleArn", kRole}, {"publish", true}});
    const std::string version = created["stateMachineVersionArn"];
    for (bool publish : {false, true}) {
        auto e =
            h.fails("UpdateStateMachine", {{"stateMachineArn", version}, {"definition", kPass}, {"publish", publish}});
        CHECK(e.short_code() == "StateMachineDoesNotExist");
        CHECK(e.message() == "State Machine Does Not Exist: '" + version + "'");
    }
}

TEST_CASE("CreateStateMachine with a versionDescription but no publish is refused", "[sfn][api]") {
    // Recording test_create_with_version_description_no_publish.
    Harness h;
    auto e = h.fails("CreateStateMachine",
                     {{"name", "d"}, {"definition", kPass}, {"roleArn", kRole}, {"versionDescription", "HelloWorld!"}});
    CHECK(e.short_code() == "ValidationException");
    CHECK(e.message() == "Version description can only be set when publish is true");
}

TEST_CASE("an error message keeps a NUL", "[sfn][api]") {
    // Recording test_create_activity_invalid_name["\x00activity"]: the name is quoted whole.
    Harness h;
    const std::string name = std::string("\0activity", 9);
    auto e = h.fails("CreateActivity", {{"name", name}});
    CHECK(e.short_code() == "InvalidName");
    CHECK(e.message() == "Invalid Name: '" + name + "'");
}

TEST_CASE("ValidateStateMachineDefinition applies EXPRESS rules and omits an empty location", "[sfn][api]") {
    Harness h;
    // Recording test_validate_state_machine_definition_type_express[ILLEGAL_WFTT].
    const Json wftt = {{"StartAt", "SendMessageWithWait"},
                       {"States",
                        {{"SendMessageWithWait",
                          {{"Type", "Task"},
                           {"Resource", "arn:aws:states:::sqs:sendMessage.waitForTaskToken"},
                           {"Parameters", {{"QueueUrl", "q"}, {"MessageBody", {{"t.$", "$$.Task.Token"}}}}},
                           {"End", true}}}}}};
    auto out = h.ok("ValidateStateMachineDefinition", {{"definition", wftt.dump()}, {"type", "EXPRESS"}});
    CHECK(out["result"] == "FAIL");
    REQUIRE(out["diagnostics"].size() == 1);
    CHECK(out["diagnostics"][0] ==
          Json{{"severity", "ERROR"},
               {"code", "SCHEMA_VALIDATION_FAILED"},
               {"message", "Express state machine does not support '.waitForTaskToken' service integration "},
               {"location", "/States/SendMessageWithWait/Resource"}});
    CHECK(h.ok("ValidateStateMachineDefinition", {{"definition", wftt.dump()}})["result"] == "OK");
    // Recording ...not_a_definition[EMPTY_STRING]: no location member at all (blank text here: the
    // harness checks the model's minimum length, which the recording shows AWS does not apply).
    out = h.ok("ValidateStateMachineDefinition", {{"definition", " "}});
    REQUIRE(out["diagnostics"].size() == 1);
    CHECK_FALSE(out["diagnostics"][0].contains("location"));
}

TEST_CASE("a validation message writes a list of structures as AWS's Java objects print", "[sfn][api]") {
    // Recording test_sfn_api_aliasing test_error_create_alias_invalid_router_configs (too_many_routing).
    Harness h;
    const std::string machine = "arn:aws:states:us-east-1:000000000000:stateMachine:a";
    Json routing = Json::array();
    int weight = 50;
    for (int n = 1; n <= 3; ++n) {
        routing.push_back({{"stateMachineVersionArn", machine + ":" + std::to_string(n)}, {"weight", weight}});
        weight = n == 1 ? 30 : 20;
    }
    auto e = h.fails("CreateStateMachineAlias", {{"name", "alias"}, {"routingConfiguration", routing}});
    CHECK(e.short_code() == "ValidationException");
    CHECK(e.message() ==
          "1 validation error detected: Value '[RoutingConfigurationListItem(stateMachineVersionArn=" + machine +
              ":1, weight=50), RoutingConfigurationListItem(stateMachineVersionArn=" + machine +
              ":2, weight=30), RoutingConfigurationListItem(stateMachineVersionArn=" + machine +
              ":3, weight=20)]' at 'routingConfiguration' failed to satisfy constraint: Member must have length less "
              "than or equal to 2");
}

TEST_CASE("logging at a level but OFF needs exactly one destination", "[sfn][api]") {
    // Recording test_sfn_api_logs test_invalid_logging_configuration (ALL, FATAL, ERROR) and
    // test_incomplete_logging_configuration (no level: accepted).
    Harness h;
    for (const char* level : {"ALL", "FATAL", "ERROR"}) {
        auto e = h.fails("CreateStateMachine", {{"name", std::string("l") + level},
                                                {"definition", kPass},
                                                {"roleArn", kRole},
                                                {"loggingConfiguration", {{"level", level}}}});
        CHECK(e.short_code() == "InvalidLoggingConfiguration");
        CHECK(e.message() == "Invalid Logging Configuration: Must specify exactly one Log Destination.");
    }
    h.ok("CreateStateMachine", {{"name", "loff"},
                                {"definition", kPass},
                                {"roleArn", kRole},
                                {"loggingConfiguration", {{"destinations", Json::array()}}}});
}
