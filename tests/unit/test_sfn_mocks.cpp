// Mocked service integrations: Step Functions Local's mock configuration file, read and refused
// with the problem named, and executions started as `<ARN>#<test case>` answered call by call.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <variant>

#include <catch2/catch.hpp>

#include "daemon_harness.hpp"
#include "expect_ok.hpp"
#include "sluice/sfn/mock_config.hpp"
#include "sluice/sfn/mock_file.hpp"

using sluice::protocol::Json;
using sluice::sfn::MockConfig;
using sluice::sfn::MockConfigError;

namespace {

std::string refusal(const std::string& text) {
    try {
        MockConfig::parse(text);
    } catch (const MockConfigError& e) {
        return e.what();
    }
    return "";
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

const char* kConfig = R"({
  "StateMachines": {
    "orders": {"TestCases": {
      "RetryThenSuccess": {"Charge": "ChargeRetries"},
      "Loop": {"Poll": "PollThreeTimes"},
      "Token": {"Wait": "TokenAnswer"},
      "Caught": {"Charge": "ChargeFails"},
      "TimesOut": {"Charge": "ChargeTimesOut"}
    }}
  },
  "MockedResponses": {
    "ChargeTimesOut": {"0-3": {"Throw": {"Error": "States.Timeout", "Cause": "mocked"}}},
    "ChargeRetries": {
      "0": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "first"}},
      "1-2": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "again"}},
      "3": {"Return": {"StatusCode": 200, "Payload": {"charged": true}}}
    },
    "PollThreeTimes": {
      "0-1": {"Return": {"Payload": {"done": false}}},
      "2": {"Return": {"Payload": {"done": true}}}
    },
    "TokenAnswer": {"0": {"Return": {"approved": "yes"}}},
    "ChargeFails": {"0-9": {"Throw": {"Error": "Payment.Declined", "Cause": "card"}}}
  }
})";

struct Machines {
    sluice::testing::DaemonHarness h;
    sluice::sfn::SfnService& sfn = h.daemon.sfn();

    Machines() { sfn.set_mock_config(std::make_shared<const MockConfig>(MockConfig::parse(kConfig))); }

    std::string create(const Json& definition, const std::string& name = "orders") {
        auto out = h.call(
            sfn, "CreateStateMachine",
            {{"name", name}, {"definition", definition.dump()}, {"roleArn", "arn:aws:iam::000000000000:role/r"}});
        return sluice::testing::expect_ok("CreateStateMachine", std::move(out))["stateMachineArn"];
    }
    // Runs to the end (the manual clock jumps over Retry intervals) and describes the execution.
    Json run(const std::string& arn, const Json& input = Json::object()) {
        auto started =
            std::get<Json>(h.call(sfn, "StartExecution", {{"stateMachineArn", arn}, {"input", input.dump()}}));
        h.settle();
        return std::get<Json>(h.call(sfn, "DescribeExecution", {{"executionArn", started["executionArn"]}}));
    }
    std::vector<std::string> types(const Json& described) {
        auto history =
            std::get<Json>(h.call(sfn, "GetExecutionHistory", {{"executionArn", described["executionArn"]}}));
        std::vector<std::string> out;
        for (const auto& e : history["events"]) out.push_back(e["type"]);
        return out;
    }
};

long count(const std::vector<std::string>& v, const std::string& s) {
    return std::count(v.begin(), v.end(), s);
}

const Json kCharge = {{"StartAt", "Charge"},
                      {"States",
                       {{"Charge",
                         {{"Type", "Task"},
                          {"Resource", "arn:aws:states:::lambda:invoke"},
                          {"Parameters", {{"FunctionName", "charge"}}},
                          {"Retry", {{{"ErrorEquals", {"States.ALL"}}, {"IntervalSeconds", 1}, {"MaxAttempts", 3}}}},
                          {"Catch", {{{"ErrorEquals", {"Payment.Declined"}}, {"Next", "Declined"}}}},
                          {"End", true}}},
                        {"Declined", {{"Type", "Pass"}, {"Result", "declined"}, {"End", true}}}}}};

}  // namespace

TEST_CASE("a mock configuration is refused with the place of its first problem", "[sfn][mock]") {
    CHECK(contains(refusal("{"), "$: not JSON"));
    CHECK(contains(refusal(R"({"StateMachines": {}})"), "$.MockedResponses: missing"));
    CHECK(contains(refusal(R"({"StateMachines": {}, "MockedResponses": {"R": {"x": {"Return": 1}}}})"),
                   "$.MockedResponses.R.x: the key must be an invocation count"));
    CHECK(contains(refusal(R"({"StateMachines": {}, "MockedResponses": {"R": {"3-1": {"Return": 1}}}})"),
                   "$.MockedResponses.R['3-1']"));
    CHECK(contains(
        refusal(R"({"StateMachines": {}, "MockedResponses": {"R": {"0": {"Return": 1}, "0-2": {"Return": 2}}}})"),
        "invocation 0 has two entries"));
    CHECK(contains(
        refusal(R"({"StateMachines": {}, "MockedResponses": {"R": {"0": {"Return": 1, "Throw": {"Error": "E"}}}}})"),
        "$.MockedResponses.R['0']: has both Return and Throw"));
    CHECK(contains(refusal(R"({"StateMachines": {}, "MockedResponses": {"R": {"0": {}}}})"), "needs Return or Throw"));
    CHECK(contains(refusal(R"({"StateMachines": {}, "MockedResponses": {"R": {"0": {"Throw": {"Cause": "c"}}}}})"),
                   "$.MockedResponses.R['0'].Throw.Error: missing"));
    CHECK(contains(refusal(R"({"StateMachines": {"m": {"TestCases": {"c": {"S": "Nope"}}}}, "MockedResponses": {}})"),
                   "$.StateMachines.m.TestCases.c.S: names the response 'Nope'"));
    CHECK(refusal(kConfig).empty());
}

TEST_CASE("mocked answers follow the state's call count: Retry attempts count, then the Return", "[sfn][mock]") {
    Machines m;
    const auto arn = m.create(kCharge);
    auto done = m.run(arn + "#RetryThenSuccess");
    REQUIRE(done["status"] == "SUCCEEDED");
    CHECK(Json::parse(done["output"].get<std::string>()) ==
          Json{{"StatusCode", 200}, {"Payload", {{"charged", true}}}});
    const auto types = m.types(done);
    CHECK(count(types, "TaskScheduled") == 4);
    CHECK(count(types, "TaskFailed") == 3);
    CHECK(count(types, "TaskSucceeded") == 1);
    // Without a test case the real integration runs (Sluice has no Lambda): the same machine fails.
    CHECK(m.run(arn)["status"] == "FAILED");
}

TEST_CASE("a mocked Throw goes through Retry and then Catch like a real failure", "[sfn][mock]") {
    Machines m;
    auto done = m.run(m.create(kCharge) + "#Caught");
    REQUIRE(done["status"] == "SUCCEEDED");
    CHECK(done["output"] == "\"declined\"");
    const auto types = m.types(done);
    CHECK(count(types, "TaskFailed") == 4);  // the first call and three retries, all declined
}

TEST_CASE("a mocked States.Timeout is a timeout: TaskTimedOut, caught as States.Timeout", "[sfn][mock]") {
    Machines m;
    auto done = m.run(m.create(kCharge) + "#TimesOut");
    CHECK(done["status"] == "FAILED");
    CHECK(done["error"] == "States.Timeout");
    const auto types = m.types(done);
    CHECK(count(types, "TaskTimedOut") == 4);  // the first call and three retries (States.ALL)
    CHECK(count(types, "TaskFailed") == 0);
}

TEST_CASE("a state reached again through a loop sees the next response each time", "[sfn][mock]") {
    Machines m;
    const Json loop = {{"StartAt", "Poll"},
                       {"States",
                        {{"Poll",
                          {{"Type", "Task"},
                           {"Resource", "arn:aws:states:::lambda:invoke"},
                           {"Parameters", {{"FunctionName", "poll"}}},
                           {"OutputPath", "$.Payload"},
                           {"Next", "Done?"}}},
                         {"Done?",
                          {{"Type", "Choice"},
                           {"Choices", {{{"Variable", "$.done"}, {"BooleanEquals", true}, {"Next", "Finished"}}}},
                           {"Default", "Poll"}}},
                         {"Finished", {{"Type", "Succeed"}}}}}};
    auto done = m.run(m.create(loop) + "#Loop");
    REQUIRE(done["status"] == "SUCCEEDED");
    CHECK(count(m.types(done), "TaskSucceeded") == 3);
}

TEST_CASE("a mocked .waitForTaskToken is submitted and answers without a token", "[sfn][mock]") {
    Machines m;
    const Json wait = {
        {"StartAt", "Wait"},
        {"States",
         {{"Wait",
           {{"Type", "Task"},
            {"Resource", "arn:aws:states:::sqs:sendMessage.waitForTaskToken"},
            {"Parameters", {{"QueueUrl", "http://localhost/000000000000/none"}, {"MessageBody.$", "$$.Task.Token"}}},
            {"End", true}}}}}};
    auto done = m.run(m.create(wait) + "#Token");
    REQUIRE(done["status"] == "SUCCEEDED");
    CHECK(Json::parse(done["output"].get<std::string>()) == Json{{"approved", "yes"}});
    const auto types = m.types(done);
    CHECK(count(types, "TaskSubmitted") == 1);
    CHECK(count(types, "TaskSucceeded") == 1);
}

TEST_CASE("a test case the configuration does not have is refused at StartExecution", "[sfn][mock]") {
    Machines m;
    const auto arn = m.create(kCharge);
    for (const std::string& bad : {arn + "#Nope", arn + "#"}) {
        auto out = m.h.call(m.sfn, "StartExecution", {{"stateMachineArn", bad}});
        REQUIRE(std::holds_alternative<sluice::protocol::AwsError>(out));
        CHECK(std::get<sluice::protocol::AwsError>(out).short_code() == "StateMachineDoesNotExist");
    }
    // A machine of another name has no test cases.
    auto other = m.create(kCharge, "other");
    auto out = m.h.call(m.sfn, "StartExecution", {{"stateMachineArn", other + "#RetryThenSuccess"}});
    CHECK(std::holds_alternative<sluice::protocol::AwsError>(out));
}

TEST_CASE("the mock file is read again when it changes; a bad version is refused and the last good one stays",
          "[sfn][mock]") {
    const std::string path = "sluice-test-mock-config.json";
    auto write = [&](const std::string& text) { std::ofstream(path, std::ios::trunc) << text; };
    write(kConfig);
    sluice::core::ManualClock clock;
    sluice::core::ManualScheduler scheduler{clock};
    std::vector<std::shared_ptr<const MockConfig>> loads;
    auto file = sluice::sfn::MockConfigFile::watch(path, scheduler, [&](auto c) { loads.push_back(c); });
    REQUIRE(loads.size() == 1);
    CHECK(loads[0]->has_test_case("orders", "Loop"));
    CHECK_FALSE(file->look());  // unchanged
    write("{ not json");
    CHECK_FALSE(file->look());
    CHECK(loads.size() == 1);  // refused, the previous one stays
    write(R"({"StateMachines": {"orders": {"TestCases": {"New": {}}}}, "MockedResponses": {}})");
    scheduler.advance(std::chrono::milliseconds(1000));  // the daemon looks once a second
    REQUIRE(loads.size() == 2);
    CHECK(loads[1]->has_test_case("orders", "New"));
    file->stop();
    write("{}");
    CHECK_THROWS_AS(sluice::sfn::MockConfigFile::watch(path, scheduler, [](auto) {}), MockConfigError);
    std::remove(path.c_str());
}

namespace {

// TestState with a mocked result for a one-Task definition: the error message, or "" when it ran.
std::string mocked_result_refusal(const std::string& resource, const Json& result, const std::string& mode = "") {
    sluice::testing::DaemonHarness h;
    Json mock = {{"result", result.dump()}};
    if (!mode.empty()) mock["fieldValidationMode"] = mode;
    auto out = h.call(h.daemon.sfn(), "TestState",
                      {{"definition", Json{{"Type", "Task"}, {"Resource", resource}, {"End", true}}.dump()},
                       {"roleArn", "arn:aws:iam::000000000000:role/r"},
                       {"mock", mock}});
    if (std::holds_alternative<Json>(out)) return "";
    const auto& e = std::get<sluice::protocol::AwsError>(out);
    CHECK(e.short_code() == "ValidationException");
    return e.message();
}

}  // namespace

TEST_CASE("TestState checks a mocked result against the API's output shape (fieldValidationMode)", "[sfn][mock]") {
    // AWS's words: LocalStack test_field_validation_mode(_present).py, validated on AWS.
    const std::string prefix = "Mock result schema validation error: ";
    CHECK(mocked_result_refusal("arn:aws:states:::events:putEvents", {{"Entries", "x"}}) ==
          prefix + "Field 'Entries' must be an array");
    CHECK(mocked_result_refusal("arn:aws:states:::events:putEvents",
                                {{"Entries", {{{"EventId", "a"}}, {{"EventId", {"b"}}}}}}) ==
          prefix + "Field 'EventId' must be a string");
    // Member names are capitalized as Step Functions hands results over; STRICT wants the required ones.
    CHECK(mocked_result_refusal("arn:aws:states:::states:startExecution", Json::object()) ==
          prefix + "Required field 'ExecutionArn' is missing");
    CHECK(mocked_result_refusal("arn:aws:states:::states:startExecution", {{"executionArn", "a"}}, "PRESENT").empty());
    CHECK(mocked_result_refusal("arn:aws:states:::states:startExecution", {{"ExecutionArn", "a"}, {"StartDate", 17}}) ==
          prefix + "Field 'StartDate' must be a string");
    CHECK(mocked_result_refusal("arn:aws:states:::lambda:invoke", {{"StatusCode", "200"}}) ==
          prefix + "Field 'StatusCode' must be a number");
    // An optimized integration's blob is the decoded payload: any JSON.
    CHECK(mocked_result_refusal("arn:aws:states:::lambda:invoke", {{"StatusCode", 200}, {"Payload", {{"a", 1}}}})
              .empty());
    CHECK(mocked_result_refusal("arn:aws:states:::aws-sdk:s3:getObject", {{"StorageClass", "Papyrus"}}) ==
          prefix + "Field 'StorageClass' is not an expected value");
    CHECK(mocked_result_refusal("arn:aws:states:::aws-sdk:kms:encrypt", {{"CiphertextBlob", ""}}) ==
          prefix + "Field 'CiphertextBlob' is smaller than the minimum length");
    CHECK(mocked_result_refusal("arn:aws:states:::aws-sdk:kms:encrypt", {{"CiphertextBlob", 5}}) ==
          prefix + "Field 'CiphertextBlob' must be a string");
    CHECK(mocked_result_refusal("arn:aws:states:::aws-sdk:lambda:getFunction",
                                {{"Configuration", {{"MemorySize", 1}}}}) ==
          prefix + "Field 'MemorySize' is less than the minimum value");
    CHECK(mocked_result_refusal("arn:aws:states:::aws-sdk:lambda:getFunction",
                                {{"Configuration", {{"MemorySize", 99999999}}}}) ==
          prefix + "Field 'MemorySize' exceeds the maximum value");
    // Members outside the shape pass; NONE checks nothing; a token's answer has no shape.
    CHECK(mocked_result_refusal("arn:aws:states:::aws-sdk:lambda:getFunction", {{"random", "json"}}).empty());
    CHECK(mocked_result_refusal("arn:aws:states:::aws-sdk:lambda:getFunction",
                                {{"Configuration", {{"MemorySize", 99999999}}}}, "NONE")
              .empty());
    CHECK(mocked_result_refusal("arn:aws:states:::sqs:sendMessage.waitForTaskToken", {{"MessageId", 5}}).empty());
}
