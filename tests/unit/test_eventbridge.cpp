// EventBridge through its ops, with the real SQS service for targets and dead-letter queues and a
// Step Functions stand-in that answers as the test says: buses, rules, PutEvents and the event
// targets see, target input, retries on the manual clock, dead-letter queues, schedules; then
// the input transformer, schedule expressions and the retry schedule on their own.
#include <catch2/catch.hpp>

#include "daemon_harness.hpp"
#include "expect_ok.hpp"
#include "sluice/eventbridge/event.hpp"
#include "sluice/eventbridge/eventbridge_service.hpp"
#include "sluice/eventbridge/input_transformer.hpp"
#include "sluice/eventbridge/retry_schedule.hpp"
#include "sluice/eventbridge/schedule_expression.hpp"

using sluice::core::Millis;
using sluice::protocol::AwsError;
using sluice::protocol::Json;
using sluice::protocol::Outcome;
namespace eb = sluice::eventbridge;

namespace {

// Answers StartExecution as the test says, and remembers the calls.
struct FakeStates final : sluice::protocol::Service {
    std::vector<sluice::protocol::Call> calls;
    std::function<Outcome(const sluice::protocol::Call&)> answer;
    std::string_view name() const override { return "stepfunctions"; }
    const sluice::protocol::Model& model() const override { return eb::model(); }
    void invoke(sluice::protocol::Call call, sluice::protocol::Reply reply) override {
        calls.push_back(call);
        if (answer) return reply(answer(call));
        reply(Json{{"executionArn", "arn:aws:states:us-east-1:000000000000:execution:sm:1"}, {"startDate", 0}});
    }
};

struct EventBridgeHarness : sluice::testing::DaemonHarness {
    FakeStates states;
    // A service of its own with a fixed jitter, in the real one's place in the client, so that
    // retry waits are exact.
    std::shared_ptr<eb::EventBridgeService> events =
        std::make_shared<eb::EventBridgeService>(scheduler, daemon.client(), [] { return 0.0; });
    const std::string machine = "arn:aws:states:us-east-1:000000000000:stateMachine:sm";

    EventBridgeHarness() {
        daemon.client().add(states);
        daemon.client().add(*events);
    }
    ~EventBridgeHarness() {
        events->shutdown();
        daemon.shutdown();
        run_ready();
    }
    Json ok(const std::string& op, Json params) {
        return sluice::testing::expect_ok(op, call(*events, op, std::move(params)));
    }
    AwsError fails(const std::string& op, Json params) {
        auto out = call(*events, op, std::move(params));
        auto* e = std::get_if<AwsError>(&out);
        if (!e) FAIL(op << " succeeded: " << std::get<Json>(out).dump());
        return *e;
    }
    Json sqs_ok(const std::string& op, Json params) {
        return sluice::testing::expect_ok(op, call(daemon.sqs(), op, std::move(params)));
    }
    std::string queue(const std::string& name, Json attributes = Json::object()) {
        sqs_ok("CreateQueue", {{"QueueName", name}, {"Attributes", attributes}});
        return "arn:aws:sqs:us-east-1:000000000000:" + name;
    }
    Json receive(const std::string& name) {
        return sqs_ok("ReceiveMessage", {{"QueueUrl", "http://localhost/000000000000/" + name},
                                         {"MaxNumberOfMessages", 10},
                                         {"MessageAttributeNames", {"All"}},
                                         {"AttributeNames", {"All"}}})
            .value("Messages", Json::array());
    }
    Json put(const std::string& source, Json detail, const std::string& bus = "default") {
        return ok("PutEvents", {{"Entries",
                                 {{{"Source", source},
                                   {"DetailType", "order placed"},
                                   {"Detail", detail.dump()},
                                   {"EventBusName", bus}}}}});
    }
    void rule_to(const std::string& rule, Json target, const std::string& pattern = R"({"source":["shop"]})") {
        ok("PutRule", {{"Name", rule}, {"EventPattern", pattern}});
        auto out = ok("PutTargets", {{"Rule", rule}, {"Targets", {std::move(target)}}});
        REQUIRE(out["FailedEntryCount"] == 0);
    }
};

}  // namespace

TEST_CASE("event buses: the default bus, create, describe, list, delete", "[eventbridge]") {
    EventBridgeHarness h;
    auto d = h.ok("DescribeEventBus", Json::object());
    CHECK(d["Name"] == "default");
    CHECK(d["Arn"] == "arn:aws:events:us-east-1:000000000000:event-bus/default");
    auto created = h.ok("CreateEventBus", {{"Name", "orders"}, {"Description", "the shop's"}});
    CHECK(created["EventBusArn"] == "arn:aws:events:us-east-1:000000000000:event-bus/orders");
    CHECK(h.fails("CreateEventBus", {{"Name", "orders"}}).short_code() == "ResourceAlreadyExistsException");
    CHECK(h.ok("DescribeEventBus", {{"Name", "orders"}})["Description"] == "the shop's");
    auto listed = h.ok("ListEventBuses", {{"Limit", 1}});
    CHECK(listed["EventBuses"].size() == 1);
    REQUIRE(listed.contains("NextToken"));
    CHECK(h.ok("ListEventBuses", {{"Limit", 1}, {"NextToken", listed["NextToken"]}})["EventBuses"][0]["Name"] ==
          "orders");
    CHECK(h.ok("ListEventBuses", {{"NamePrefix", "ord"}})["EventBuses"].size() == 1);
    auto e = h.fails("DeleteEventBus", {{"Name", "default"}});
    CHECK(e.short_code() == "ValidationException");
    CHECK(e.message() == "Cannot delete event bus default.");
    h.ok("DeleteEventBus", {{"Name", "orders"}});
    e = h.fails("DescribeEventBus", {{"Name", "orders"}});
    CHECK(e.short_code() == "ResourceNotFoundException");
    CHECK(e.message() == "Event bus orders does not exist.");
}

TEST_CASE("event buses: resource policies are stored", "[eventbridge]") {
    EventBridgeHarness h;
    h.ok("PutPermission", {{"Action", "events:PutEvents"}, {"Principal", "111122223333"}, {"StatementId", "a"}});
    auto policy = Json::parse(h.ok("DescribeEventBus", Json::object())["Policy"].get<std::string>());
    CHECK(policy["Statement"][0]["Principal"]["AWS"] == "arn:aws:iam::111122223333:root");
    CHECK(h.fails("RemovePermission", {{"StatementId", "b"}}).short_code() == "ResourceNotFoundException");
    h.ok("RemovePermission", {{"StatementId", "a"}});
    CHECK_FALSE(h.ok("DescribeEventBus", Json::object()).contains("Policy"));
}

TEST_CASE("rules: put, describe, list with prefix and pages, enable, disable, delete", "[eventbridge]") {
    EventBridgeHarness h;
    auto arn = h.ok("PutRule", {{"Name", "orders"}, {"EventPattern", R"({"source":["shop"]})"}})["RuleArn"];
    CHECK(arn == "arn:aws:events:us-east-1:000000000000:rule/orders");
    h.ok("PutRule", {{"Name", "orders-late"}, {"EventPattern", R"({"source":["shop"]})"}, {"State", "DISABLED"}});
    h.ok("PutRule", {{"Name", "refunds"}, {"EventPattern", R"({"source":["shop"]})"}});
    auto d = h.ok("DescribeRule", {{"Name", "orders"}});
    CHECK(d["State"] == "ENABLED");
    CHECK(d["EventBusName"] == "default");
    CHECK(d["EventPattern"] == R"({"source":["shop"]})");
    CHECK(h.ok("ListRules", {{"NamePrefix", "orders"}})["Rules"].size() == 2);
    auto first = h.ok("ListRules", {{"Limit", 2}});
    CHECK(first["Rules"].size() == 2);
    CHECK(h.ok("ListRules", {{"Limit", 2}, {"NextToken", first["NextToken"]}})["Rules"][0]["Name"] == "refunds");
    h.ok("DisableRule", {{"Name", "orders"}});
    CHECK(h.ok("DescribeRule", {{"Name", "orders"}})["State"] == "DISABLED");
    h.ok("EnableRule", {{"Name", "orders"}});
    auto e = h.fails("DescribeRule", {{"Name", "nope"}});
    CHECK(e.short_code() == "ResourceNotFoundException");
    CHECK(e.message() == "Rule nope does not exist on EventBus default.");
    h.ok("PutTargets", {{"Rule", "orders"}, {"Targets", {{{"Id", "1"}, {"Arn", h.queue("q")}}}}});
    e = h.fails("DeleteRule", {{"Name", "orders"}});
    CHECK(e.message() == "Rule can't be deleted since it has targets.");
    CHECK(h.ok("ListRuleNamesByTarget", {{"TargetArn", "arn:aws:sqs:us-east-1:000000000000:q"}})["RuleNames"] ==
          Json({"orders"}));
    h.ok("RemoveTargets", {{"Rule", "orders"}, {"Ids", {"1"}}});
    h.ok("DeleteRule", {{"Name", "orders"}});
    CHECK(h.ok("ListRules", Json::object())["Rules"].size() == 2);
}

TEST_CASE("rules: bad patterns, schedules and buses", "[eventbridge]") {
    EventBridgeHarness h;
    auto e = h.fails("PutRule", {{"Name", "r"}, {"EventPattern", R"({"source":"shop"})"}});
    CHECK(e.short_code() == "InvalidEventPatternException");
    CHECK(e.message().rfind("Event pattern is not valid. Reason: ", 0) == 0);
    CHECK(h.fails("PutRule", {{"Name", "r"}}).message() ==
          "Parameter(s) EventPattern or ScheduleExpression must be specified.");
    CHECK(h.fails("PutRule", {{"Name", "r"}, {"ScheduleExpression", "rate(1 minutes)"}}).message() ==
          "Parameter ScheduleExpression is not valid.");
    h.ok("CreateEventBus", {{"Name", "orders"}});
    CHECK(h.fails("PutRule", {{"Name", "r"}, {"EventBusName", "orders"}, {"ScheduleExpression", "rate(5 minutes)"}})
              .message() == "ScheduleExpression is supported only on the default event bus.");
    CHECK(h.fails("PutRule", {{"Name", "r"}, {"EventBusName", "nope"}, {"EventPattern", "{}"}}).short_code() ==
          "ResourceNotFoundException");
    auto arn = h.ok("PutRule", {{"Name", "r"}, {"EventBusName", "orders"}, {"EventPattern", "{}"}})["RuleArn"];
    CHECK(arn == "arn:aws:events:us-east-1:000000000000:rule/orders/r");
}

TEST_CASE("rules and buses: tags", "[eventbridge]") {
    EventBridgeHarness h;
    auto arn = h.ok("PutRule",
                    {{"Name", "r"}, {"EventPattern", "{}"}, {"Tags", {{{"Key", "team"}, {"Value", "a"}}}}})["RuleArn"];
    h.ok("TagResource", {{"ResourceARN", arn}, {"Tags", {{{"Key", "env"}, {"Value", "dev"}}}}});
    CHECK(h.ok("ListTagsForResource", {{"ResourceARN", arn}})["Tags"].size() == 2);
    h.ok("UntagResource", {{"ResourceARN", arn}, {"TagKeys", {"team"}}});
    CHECK(h.ok("ListTagsForResource", {{"ResourceARN", arn}})["Tags"] ==
          Json::parse(R"([{"Key":"env","Value":"dev"}])"));
    CHECK(h.fails("ListTagsForResource", {{"ResourceARN", "arn:aws:events:us-east-1:000000000000:rule/nope"}})
              .short_code() == "ResourceNotFoundException");
}

TEST_CASE("TestEventPattern", "[eventbridge]") {
    EventBridgeHarness h;
    const std::string event =
        R"({"id":"1","account":"000000000000","source":"shop","time":"2026-12-08T00:00:00Z","region":"us-east-1",)"
        R"("resources":[],"detail-type":"x","detail":{"total":120}})";
    CHECK(h.ok("TestEventPattern", {{"EventPattern", R"({"detail":{"total":[{"numeric":[">",100]}]}})"},
                                    {"Event", event}})["Result"] == true);
    CHECK(h.ok("TestEventPattern", {{"EventPattern", R"({"source":["other"]})"}, {"Event", event}})["Result"] == false);
    CHECK(h.fails("TestEventPattern", {{"EventPattern", "{}"}, {"Event", R"({"source":"shop"})"}}).message() ==
          "Parameter Event is not valid.");
}

TEST_CASE("PutEvents: bad entries fail alone; a matching event reaches an SQS target as AWS writes it",
          "[eventbridge]") {
    EventBridgeHarness h;
    h.rule_to("orders", {{"Id", "q"}, {"Arn", h.queue("q")}});
    auto out =
        h.ok("PutEvents", {{"Entries",
                            {{{"Source", "shop"},
                              {"DetailType", "order"},
                              {"Detail", R"({"id":7})"},
                              {"Resources", {"arn:aws:shop:order/7"}}},
                             {{"DetailType", "order"}, {"Detail", "{}"}},
                             {{"Source", "shop"}, {"DetailType", "order"}, {"Detail", "{not json"}},
                             {{"Source", "shop"}, {"DetailType", "order"}, {"Detail", "{}"}, {"EventBusName", "nope"}},
                             {{"Source", "elsewhere"}, {"DetailType", "order"}, {"Detail", "{}"}}}}});
    CHECK(out["FailedEntryCount"] == 3);
    const auto& entries = out["Entries"];
    CHECK(entries[0].contains("EventId"));
    CHECK(entries[1] ==
          Json{{"ErrorCode", "InvalidArgument"},
               {"ErrorMessage", "Parameter Source is not valid. Reason: Source is a required argument."}});
    CHECK(entries[2] == Json{{"ErrorCode", "MalformedDetail"}, {"ErrorMessage", "Detail is malformed."}});
    CHECK(entries[3]["ErrorCode"] == "ResourceNotFoundException");
    CHECK(entries[4].contains("EventId"));
    h.run_ready();
    auto messages = h.receive("q");
    REQUIRE(messages.size() == 1);
    auto event = Json::parse(messages[0]["Body"].get<std::string>());
    CHECK(event["version"] == "0");
    CHECK(event["id"] == entries[0]["EventId"]);
    CHECK(event["detail-type"] == "order");
    CHECK(event["source"] == "shop");
    CHECK(event["account"] == "000000000000");
    CHECK(event["region"] == "us-east-1");
    CHECK(event["resources"] == Json({"arn:aws:shop:order/7"}));
    CHECK(event["detail"] == Json{{"id", 7}});
    CHECK(event["time"].get<std::string>().size() == 20);  // 2023-11-14T22:13:20Z
}

TEST_CASE("PutEvents: the request's size is counted as AWS counts it", "[eventbridge]") {
    EventBridgeHarness h;
    // Detail of 1 MiB minus what Source and DetailType take: exactly at the limit, accepted.
    const std::string pad(1024 * 1024 - 4 - 1 - 10, 'x');
    Json entry = {{"Source", "shop"}, {"DetailType", "o"}, {"Detail", R"({"a":")" + pad + R"("})"}};
    CHECK(h.ok("PutEvents", {{"Entries", {entry}}})["FailedEntryCount"] == 0);
    entry["Time"] = 1700000000;  // 14 bytes more
    CHECK(h.fails("PutEvents", {{"Entries", {entry}}}).message() ==
          "Total size of the entries in the request is over the limit.");
}

TEST_CASE("targets: Input, InputPath, InputTransformer, FIFO queues, disabled rules", "[eventbridge]") {
    EventBridgeHarness h;
    h.queue("q");
    const auto q = std::string("arn:aws:sqs:us-east-1:000000000000:q");
    h.ok("PutRule", {{"Name", "r"}, {"EventPattern", R"({"source":["shop"]})"}});
    auto out = h.ok("PutTargets",
                    {{"Rule", "r"},
                     {"Targets",
                      {{{"Id", "const"}, {"Arn", q}, {"Input", R"({"fixed":true})"}},
                       {{"Id", "path"}, {"Arn", q}, {"InputPath", "$.detail.id"}},
                       {{"Id", "tx"},
                        {"Arn", q},
                        {"InputTransformer",
                         {{"InputPathsMap", {{"id", "$.detail.id"}, {"who", "$.detail.name"}}},
                          {"InputTemplate",
                           R"({"order": <id>, "text": "order <id> by <who>", "rule": "<aws.events.rule-name>"})"}}}},
                       {{"Id", "lambda"}, {"Arn", "arn:aws:lambda:us-east-1:000000000000:function:f"}}}}});
    CHECK(out["FailedEntryCount"] == 1);
    CHECK(out["FailedEntries"][0]["TargetId"] == "lambda");
    CHECK(out["FailedEntries"][0]["ErrorCode"] == "ValidationException");
    CHECK(h.ok("ListTargetsByRule", {{"Rule", "r"}})["Targets"].size() == 3);
    h.put("shop", {{"id", 7}, {"name", "Ann \"A\""}});
    h.run_ready();
    std::vector<std::string> bodies;
    for (const auto& m : h.receive("q")) bodies.push_back(m["Body"]);
    std::sort(bodies.begin(), bodies.end());
    REQUIRE(bodies.size() == 3);
    CHECK(bodies[0] == "7");
    CHECK(bodies[1] == R"({"fixed":true})");
    CHECK(Json::parse(bodies[2]) == Json{{"order", 7}, {"text", "order 7 by Ann \"A\""}, {"rule", "r"}});

    // FIFO: a MessageGroupId is required, and the event id deduplicates.
    h.queue("f.fifo", {{"FifoQueue", "true"}});
    const auto f = std::string("arn:aws:sqs:us-east-1:000000000000:f.fifo");
    h.ok("PutRule", {{"Name", "fifo"}, {"EventPattern", R"({"source":["fifo"]})"}});
    CHECK(h.fails("PutTargets", {{"Rule", "fifo"}, {"Targets", {{{"Id", "f"}, {"Arn", f}}}}}).message() ==
          "Parameter(s) SqsParameters must be specified for target: f.");
    h.ok("PutTargets",
         {{"Rule", "fifo"}, {"Targets", {{{"Id", "f"}, {"Arn", f}, {"SqsParameters", {{"MessageGroupId", "g1"}}}}}}});
    h.put("fifo", {{"n", 1}});
    h.run_ready();
    auto fifo = h.receive("f.fifo");
    REQUIRE(fifo.size() == 1);
    CHECK(fifo[0]["Attributes"]["MessageGroupId"] == "g1");

    // A disabled rule delivers nothing.
    h.ok("DisableRule", {{"Name", "r"}});
    h.put("shop", {{"id", 8}});
    h.run_ready();
    CHECK(h.receive("q").empty());
}

TEST_CASE("targets: Step Functions and another bus", "[eventbridge]") {
    EventBridgeHarness h;
    h.ok("CreateEventBus", {{"Name", "audit"}});
    h.rule_to("to-sm", {{"Id", "sm"}, {"Arn", h.machine}});
    h.ok("PutTargets",
         {{"Rule", "to-sm"},
          {"Targets", {{{"Id", "bus"}, {"Arn", "arn:aws:events:us-east-1:000000000000:event-bus/audit"}}}}});
    h.ok("PutRule", {{"Name", "audit-all"}, {"EventBusName", "audit"}, {"EventPattern", R"({"source":["shop"]})"}});
    h.ok("PutTargets",
         {{"Rule", "audit-all"}, {"EventBusName", "audit"}, {"Targets", {{{"Id", "q"}, {"Arn", h.queue("audit")}}}}});
    h.put("shop", {{"id", 1}});
    h.run_ready();
    REQUIRE(h.states.calls.size() == 1);
    CHECK(h.states.calls[0].operation == "StartExecution");
    CHECK(h.states.calls[0].params["stateMachineArn"] == h.machine);
    CHECK(Json::parse(h.states.calls[0].params["input"].get<std::string>())["detail"]["id"] == 1);
    auto audited = h.receive("audit");
    REQUIRE(audited.size() == 1);
    CHECK(Json::parse(audited[0]["Body"].get<std::string>())["detail"]["id"] == 1);
}

TEST_CASE("delivery failures: a target that is gone goes to the dead-letter queue at once", "[eventbridge]") {
    EventBridgeHarness h;
    const auto dlq = h.queue("dlq");
    h.states.answer = [](const auto&) { return AwsError("StateMachineDoesNotExist", "State Machine Does Not Exist"); };
    h.rule_to("r", {{"Id", "sm"}, {"Arn", h.machine}, {"DeadLetterConfig", {{"Arn", dlq}}}});
    auto id = h.put("shop", {{"id", 1}})["Entries"][0]["EventId"];
    h.run_ready();
    CHECK(h.states.calls.size() == 1);
    auto messages = h.receive("dlq");
    REQUIRE(messages.size() == 1);
    CHECK(Json::parse(messages[0]["Body"].get<std::string>())["id"] == id);
    const auto& a = messages[0]["MessageAttributes"];
    CHECK(a["ERROR_CODE"]["StringValue"] == "NO_RESOURCE");
    CHECK(a["ERROR_MESSAGE"]["StringValue"] == "State Machine Does Not Exist");
    CHECK(a["RETRY_ATTEMPTS"]["StringValue"] == "0");
    CHECK(a["RULE_ARN"]["StringValue"] == "arn:aws:events:us-east-1:000000000000:rule/r");
    CHECK(a["TARGET_ARN"]["StringValue"] == h.machine);
    CHECK_FALSE(a.contains("EXHAUSTED_RETRY_CONDITION"));
}

TEST_CASE("delivery failures: throttling is retried with back-off until MaximumRetryAttempts", "[eventbridge]") {
    EventBridgeHarness h;
    const auto dlq = h.queue("dlq");
    h.states.answer = [](const auto&) { return AwsError("ThrottlingException", "Rate exceeded"); };
    h.rule_to("r", {{"Id", "sm"},
                    {"Arn", h.machine},
                    {"RetryPolicy", {{"MaximumRetryAttempts", 3}, {"MaximumEventAgeInSeconds", 3600}}},
                    {"DeadLetterConfig", {{"Arn", dlq}}}});
    h.put("shop", {{"id", 1}});
    h.run_ready();
    CHECK(h.states.calls.size() == 1);
    // Jitter 0: waits of half the exponential, 0.5 s, 1 s, 2 s.
    h.scheduler.advance(Millis(499));
    h.run_ready();
    CHECK(h.states.calls.size() == 1);
    h.scheduler.advance(Millis(1));
    h.run_ready();
    CHECK(h.states.calls.size() == 2);
    h.scheduler.advance(Millis(1000));
    h.run_ready();
    CHECK(h.states.calls.size() == 3);
    CHECK(h.receive("dlq").empty());
    h.scheduler.advance(Millis(2000));
    h.run_ready();
    CHECK(h.states.calls.size() == 4);
    auto messages = h.receive("dlq");
    REQUIRE(messages.size() == 1);
    const auto& a = messages[0]["MessageAttributes"];
    CHECK(a["ERROR_CODE"]["StringValue"] == "THROTTLING");
    CHECK(a["EXHAUSTED_RETRY_CONDITION"]["StringValue"] == "MaximumRetryAttempts");
    CHECK(a["RETRY_ATTEMPTS"]["StringValue"] == "3");
    CHECK(a["RETRY_ATTEMPTS"]["DataType"] == "Number");
}

TEST_CASE("delivery failures: MaximumEventAgeInSeconds ends retries; success ends them too", "[eventbridge]") {
    EventBridgeHarness h;
    const auto dlq = h.queue("dlq");
    h.states.answer = [](const auto&) { return AwsError("ServiceUnavailable", "down", 503, false); };
    h.rule_to("r", {{"Id", "sm"},
                    {"Arn", h.machine},
                    {"RetryPolicy", {{"MaximumEventAgeInSeconds", 60}}},
                    {"DeadLetterConfig", {{"Arn", dlq}}}});
    h.put("shop", {{"id", 1}});
    h.settle();
    // Waits 0.5+1+2+4+8+16 = 31.5 s; the next (32 s) would pass 60 s.
    CHECK(h.states.calls.size() == 7);
    auto dead = h.receive("dlq");
    REQUIRE(dead.size() == 1);
    CHECK(dead[0]["MessageAttributes"]["EXHAUSTED_RETRY_CONDITION"]["StringValue"] == "MaximumEventAgeInSeconds");
    CHECK(dead[0]["MessageAttributes"]["ERROR_CODE"]["StringValue"] == "INTERNAL_ERROR");
    CHECK(dead[0]["MessageAttributes"]["RETRY_ATTEMPTS"]["StringValue"] == "6");
    h.sqs_ok("DeleteMessage",
             {{"QueueUrl", "http://localhost/000000000000/dlq"}, {"ReceiptHandle", dead[0]["ReceiptHandle"]}});

    // A target that recovers: the retry delivers and nothing goes to the DLQ.
    int failures = 2;
    h.states.calls.clear();
    h.states.answer = [&](const auto&) -> Outcome {
        if (failures-- > 0) return AwsError("ThrottlingException", "Rate exceeded");
        return Json{{"executionArn", "x"}};
    };
    h.put("shop", {{"id", 2}});
    h.settle();
    CHECK(h.states.calls.size() == 3);
    CHECK(h.receive("dlq").empty());
}

TEST_CASE("scheduled rules fire on the clock", "[eventbridge]") {
    EventBridgeHarness h;
    const auto q = h.queue("ticks");
    h.ok("PutRule", {{"Name", "tick"}, {"ScheduleExpression", "rate(5 minutes)"}});
    h.ok("PutTargets", {{"Rule", "tick"}, {"Targets", {{{"Id", "q"}, {"Arn", q}}}}});
    h.scheduler.advance(Millis(5 * 60'000 - 1));
    h.run_ready();
    CHECK(h.receive("ticks").empty());
    h.scheduler.advance(Millis(1));
    h.run_ready();
    auto messages = h.receive("ticks");
    REQUIRE(messages.size() == 1);
    auto event = Json::parse(messages[0]["Body"].get<std::string>());
    CHECK(event["source"] == "aws.events");
    CHECK(event["detail-type"] == "Scheduled Event");
    CHECK(event["resources"] == Json({"arn:aws:events:us-east-1:000000000000:rule/tick"}));
    CHECK(event["detail"] == Json::object());
    h.sqs_ok("DeleteMessage",
             {{"QueueUrl", "http://localhost/000000000000/ticks"}, {"ReceiptHandle", messages[0]["ReceiptHandle"]}});
    h.ok("DisableRule", {{"Name", "tick"}});
    h.scheduler.advance(Millis(10 * 60'000));
    h.run_ready();
    CHECK(h.receive("ticks").empty());
}

TEST_CASE("schedule expressions: rate and cron", "[eventbridge]") {
    using eb::ScheduleExpression;
    using sluice::core::TimePoint;
    for (const char* bad : {"rate(0 minutes)", "rate(1 minutes)", "rate(2 minute)", "rate(5 weeks)", "cron(* * * * *)",
                            "cron(0 12 * * * *)", "cron(0 12 ? * ? *)", "cron(61 * * * ? *)", "every 5 minutes"})
        CHECK_FALSE(ScheduleExpression::parse(bad).has_value());
    // 2023-11-14T22:13:20Z, a Tuesday.
    const TimePoint t{Millis(1'700'000'000'000)};
    auto at = [&](const char* text) {
        return sluice::eventbridge::event_time(*ScheduleExpression::parse(text)->next_after(t));
    };
    CHECK(at("rate(1 hour)") == "2023-11-14T23:13:20Z");
    CHECK(at("cron(0/15 * * * ? *)") == "2023-11-14T22:15:00Z");
    CHECK(at("cron(0 10 * * ? *)") == "2023-11-15T10:00:00Z");
    CHECK(at("cron(0 18 ? * MON-FRI *)") == "2023-11-15T18:00:00Z");
    CHECK(at("cron(0 8 1 * ? *)") == "2023-12-01T08:00:00Z");
    CHECK(at("cron(0 0 L * ? *)") == "2023-11-30T00:00:00Z");
    CHECK(at("cron(0 9 ? * 6#3 *)") == "2023-11-17T09:00:00Z");
    CHECK(at("cron(0 9 ? * 2L *)") == "2023-11-27T09:00:00Z");
    CHECK(at("cron(0 0 1 JAN ? 2025)") == "2025-01-01T00:00:00Z");
    CHECK_FALSE(ScheduleExpression::parse("cron(0 0 1 JAN ? 2020)")->next_after(t).has_value());
}

TEST_CASE("input transformer: paths, reserved variables, AWS's quoting", "[eventbridge]") {
    using eb::InputTransformer;
    const Json event = {{"id", "e1"}, {"detail", {{"state", "running"}, {"n", 3}, {"tags", {"a", "b"}}}}};
    const eb::ReservedVariables vars{"arn:rule", "r", "2026-12-08T00:00:00Z"};
    auto render = [&](Json paths, const std::string& text) {
        return InputTransformer::parse(paths, text).render(event, vars);
    };
    // Outside quotes a value is JSON; inside, its text.
    CHECK(render({{"s", "$.detail.state"}, {"n", "$.detail.n"}}, R"({"s": <s>, "n": <n>})") ==
          R"({"s": "running", "n": 3})");
    CHECK(render({{"s", "$.detail.state"}}, R"("instance is <s>")") == R"("instance is running")");
    CHECK(render({{"t", "$.detail.tags"}}, R"({"t": "<t>"})") == R"({"t": "[\"a\",\"b\"]"})");
    // A path that names nothing: null outside quotes, nothing inside.
    CHECK(render({{"x", "$.detail.none"}}, R"({"x": <x>, "y": "<x>"})") == R"({"x": null, "y": ""})");
    CHECK(render(Json::object(), R"({"rule": "<aws.events.rule-arn>", "e": <aws.events.event>})") ==
          R"({"rule": "arn:rule", "e": )" + event.dump() + "}");
    // Names not in the map stay as written.
    CHECK(render(Json::object(), "<b>bold</b>") == "<b>bold</b>");
    CHECK_THROWS_AS(InputTransformer::parse({{"s", "detail.state"}}, "<s>"), std::invalid_argument);
    CHECK_THROWS_AS(InputTransformer::parse({{"aws.x", "$.id"}}, "<aws.x>"), std::invalid_argument);
}

TEST_CASE("retry schedule: exponential, capped, jittered; limits", "[eventbridge]") {
    CHECK(eb::retry_delay(1, 0.0) == Millis(500));
    CHECK(eb::retry_delay(1, 0.999) == Millis(999));
    CHECK(eb::retry_delay(4, 0.0) == Millis(4000));
    CHECK(eb::retry_delay(11, 0.0) == Millis(300'000));  // 2^10 s > the 600 s cap
    CHECK(eb::retry_delay(185, 0.5) == Millis(450'000));
    eb::RetryPolicy defaults;
    CHECK(defaults.maximum_retry_attempts == 185);
    CHECK(defaults.maximum_event_age_seconds == 86'400);
    CHECK_FALSE(eb::exhausted(defaults, 185, Millis(86'400'000)).has_value());
    CHECK(eb::exhausted(defaults, 186, Millis(0)) == std::optional<std::string>("MaximumRetryAttempts"));
    CHECK(eb::exhausted(defaults, 1, Millis(86'400'001)) == std::optional<std::string>("MaximumEventAgeInSeconds"));
    // With the mean jitter, AWS's two defaults run out close together (about 22 hours for 185).
    long long total = 0;
    for (int r = 1; r <= 185; ++r) total += eb::retry_delay(r, 0.5).count();
    CHECK(total > 20LL * 3600 * 1000);
    CHECK(total < 24LL * 3600 * 1000);
}

TEST_CASE("Step Functions: events:putEvents puts the task's entries on the bus", "[eventbridge]") {
    EventBridgeHarness h;
    h.rule_to("from-sfn", {{"Id", "q"}, {"Arn", h.queue("q")}}, R"({"source":["workflow"]})");
    auto sfn_ok = [&](const std::string& op, Json params) {
        return sluice::testing::expect_ok(op, h.call(h.daemon.sfn(), op, std::move(params)));
    };
    auto machine = [&](const std::string& name, Json entries) {
        Json definition = {{"StartAt", "Put"},
                           {"States",
                            {{"Put",
                              {{"Type", "Task"},
                               {"Resource", "arn:aws:states:::events:putEvents"},
                               {"Parameters", {{"Entries", std::move(entries)}}},
                               {"End", true}}}}}};
        return sfn_ok("CreateStateMachine", {{"name", name},
                                             {"definition", definition.dump()},
                                             {"roleArn", "arn:aws:iam::000000000000:role/r"}})["stateMachineArn"]
            .get<std::string>();
    };
    auto run = [&](const std::string& arn) {
        auto exec = sfn_ok("StartExecution", {{"stateMachineArn", arn}, {"input", R"({"n":5})"}})["executionArn"];
        h.settle([&] { return sfn_ok("DescribeExecution", {{"executionArn", exec}})["status"] != "RUNNING"; });
        return sfn_ok("DescribeExecution", {{"executionArn", exec}});
    };
    auto good = run(
        machine("good", Json::array({{{"Source", "workflow"}, {"DetailType", "done"}, {"Detail", {{"n.$", "$.n"}}}}})));
    CHECK(good["status"] == "SUCCEEDED");
    auto output = Json::parse(good["output"].get<std::string>());
    CHECK(output["FailedEntryCount"] == 0);
    CHECK(output["Entries"][0].contains("EventId"));
    h.run_ready();
    auto messages = h.receive("q");
    REQUIRE(messages.size() == 1);
    CHECK(Json::parse(messages[0]["Body"].get<std::string>())["detail"] == Json{{"n", 5}});
    // An entry EventBridge refuses fails the task.
    auto bad = run(machine("bad", Json::array({{{"Source", "workflow"}, {"DetailType", "done"}}})));
    CHECK(bad["status"] == "FAILED");
    CHECK(bad["error"] == "EventBridge.FailedEntry");
}

TEST_CASE("targets: an ECS cluster gets RunTask from EcsParameters, Input as overrides", "[eventbridge]") {
    EventBridgeHarness h;
    struct FakeEcs final : sluice::protocol::Service {
        std::vector<sluice::protocol::Call> calls;
        std::string_view name() const override { return "ecs"; }
        const sluice::protocol::Model& model() const override { return eb::model(); }
        void invoke(sluice::protocol::Call call, sluice::protocol::Reply reply) override {
            calls.push_back(call);
            reply(Json{{"tasks", {{{"taskArn", "arn:aws:ecs:us-east-1:000000000000:task/default/1"}}}},
                       {"failures", Json::array()}});
        }
    } ecs;
    h.daemon.client().add(ecs);
    const std::string cluster = "arn:aws:ecs:us-east-1:000000000000:cluster/default";
    h.ok("PutRule", {{"Name", "r"}, {"EventPattern", R"({"source":["shop"]})"}});
    CHECK(h.fails("PutTargets", {{"Rule", "r"}, {"Targets", {{{"Id", "t"}, {"Arn", cluster}}}}}).message() ==
          "Parameter(s) EcsParameters must be specified for target: t.");
    h.ok(
        "PutTargets",
        {{"Rule", "r"},
         {"Targets",
          {{{"Id", "t"},
            {"Arn", cluster},
            {"EcsParameters",
             {{"TaskDefinitionArn", "worker:1"},
              {"TaskCount", 2},
              {"LaunchType", "FARGATE"},
              {"NetworkConfiguration", {{"awsvpcConfiguration", {{"Subnets", {"subnet-1"}}}}}}}},
            {"InputTransformer",
             {{"InputPathsMap", {{"id", "$.detail.id"}}},
              {"InputTemplate",
               R"({"containerOverrides": [{"name": "main", "environment": [{"name": "ORDER", "value": "<id>"}]}]})"}}}}}}});
    h.put("shop", {{"id", "A-1"}});
    h.run_ready();
    REQUIRE(ecs.calls.size() == 1);
    const auto& p = ecs.calls[0].params;
    CHECK(ecs.calls[0].operation == "RunTask");
    CHECK(p["cluster"] == cluster);
    CHECK(p["taskDefinition"] == "worker:1");
    CHECK(p["count"] == 2);
    CHECK(p["launchType"] == "FARGATE");
    CHECK(p["networkConfiguration"]["awsvpcConfiguration"]["subnets"] == Json({"subnet-1"}));
    CHECK(p["overrides"]["containerOverrides"][0]["environment"][0]["value"] == "A-1");
    h.events->shutdown();
}
