// Pipes through their ops, with the real SQS service as the source and a recording Step
// Functions stand-in as the target: lifecycle states, validation, delivery, filters, failures,
// partial batch responses, stop and delete; then InputTemplate and dynamic paths on their own.
#include <algorithm>

#include <catch2/catch.hpp>

#include "daemon_harness.hpp"
#include "expect_ok.hpp"
#include "sluice/pipes/input_template.hpp"

using sluice::protocol::AwsError;
using sluice::protocol::Json;
using sluice::protocol::Outcome;

namespace {

// Answers Step Functions calls as the test says, and remembers them.
struct FakeStates final : sluice::protocol::Service {
    std::vector<sluice::protocol::Call> calls;
    std::string type = "EXPRESS";
    std::function<Outcome(const sluice::protocol::Call&)> answer;
    bool hold = false;  // keep replies until the test releases them
    std::vector<sluice::protocol::Reply> held;

    std::string_view name() const override { return "stepfunctions"; }
    const sluice::protocol::Model& model() const override { return sluice::pipes::model(); }
    void invoke(sluice::protocol::Call call, sluice::protocol::Reply reply) override {
        if (call.operation == "DescribeStateMachine") return reply(Json{{"type", type}});
        calls.push_back(call);
        if (hold) return held.push_back(std::move(reply));
        if (answer) return reply(answer(call));
        reply(Json{{"executionArn", "arn:aws:states:us-east-1:000000000000:execution:sm:1"}, {"status", "SUCCEEDED"}});
    }
    std::vector<Json> inputs() const {
        std::vector<Json> out;
        for (const auto& c : calls) out.push_back(Json::parse(c.params["input"].get<std::string>()));
        return out;
    }
};

// Answers RunTask: a task, or an error for the bodies the test names.
struct FakeEcs final : sluice::protocol::Service {
    std::vector<sluice::protocol::Call> calls;
    std::string refuse;  // a command word that makes RunTask fail
    std::string_view name() const override { return "ecs"; }
    const sluice::protocol::Model& model() const override { return sluice::pipes::model(); }
    void invoke(sluice::protocol::Call call, sluice::protocol::Reply reply) override {
        calls.push_back(call);
        const auto command = call.params["overrides"]["containerOverrides"][0]["command"][0].get<std::string>();
        if (command == refuse)
            return reply(AwsError("InvalidParameterException", "Network Configuration must be provided"));
        reply(Json{{"tasks", {{{"taskArn", "arn:aws:ecs:us-east-1:000000000000:task/default/1"}}}},
                   {"failures", Json::array()}});
    }
};

struct PipesHarness : sluice::testing::DaemonHarness {
    sluice::sqs::SqsService* sqs = &daemon.sqs();
    sluice::pipes::PipesService* pipes = &daemon.pipes();
    FakeStates states;
    FakeEcs ecs;
    const std::string queue_url = "http://localhost/000000000000/source";
    const std::string queue_arn = "arn:aws:sqs:us-east-1:000000000000:source";
    const std::string machine = "arn:aws:states:us-east-1:000000000000:stateMachine:sm";

    PipesHarness() {
        // The stand-ins take the real services' places in the in-process client.
        daemon.client().add(states);
        daemon.client().add(ecs);
        sqs_ok("CreateQueue", {{"QueueName", "source"}});
    }
    ~PipesHarness() {
        // Before the stand-ins go: nothing may call them after this.
        daemon.shutdown();
        run_ready();
    }
    Json ok(const std::string& op, Json params) {
        return sluice::testing::expect_ok(op, call(*pipes, op, std::move(params)));
    }
    AwsError fails(const std::string& op, Json params) {
        auto out = call(*pipes, op, std::move(params));
        REQUIRE(std::holds_alternative<AwsError>(out));
        return std::get<AwsError>(out);
    }
    Json sqs_ok(const std::string& op, Json params) {
        return sluice::testing::expect_ok(op, call(*sqs, op, std::move(params)));
    }
    void send(const std::string& body) { sqs_ok("SendMessage", {{"QueueUrl", queue_url}, {"MessageBody", body}}); }
    // (visible, in flight) on the source queue.
    std::pair<int, int> counts() {
        auto a = sqs_ok("GetQueueAttributes", {{"QueueUrl", queue_url}, {"AttributeNames", {"All"}}})["Attributes"];
        return {std::stoi(a["ApproximateNumberOfMessages"].get<std::string>()),
                std::stoi(a["ApproximateNumberOfMessagesNotVisible"].get<std::string>())};
    }
    Json create(const std::string& name, Json extra = Json::object()) {
        Json params = {
            {"Name", name},
            {"Source", queue_arn},
            {"Target", machine},
            {"RoleArn", "arn:aws:iam::000000000000:role/pipe"},
            {"TargetParameters", {{"StepFunctionStateMachineParameters", {{"InvocationType", "FIRE_AND_FORGET"}}}}}};
        for (auto& [k, v] : extra.items()) params[k] = v;
        auto out = ok("CreatePipe", params);
        run_ready();
        return out;
    }
    Json counters(const std::string& name) { return *pipes->introspect_path(name); }
};

}  // namespace

TEST_CASE("a pipe answers CREATING, then runs; DescribePipe shows what AWS shows", "[pipes]") {
    PipesHarness h;
    auto created =
        h.ok("CreatePipe",
             {{"Name", "p1"},
              {"Source", h.queue_arn},
              {"Target", h.machine},
              {"RoleArn", "arn:aws:iam::000000000000:role/pipe"},
              {"TargetParameters", {{"StepFunctionStateMachineParameters", {{"InvocationType", "FIRE_AND_FORGET"}}}}}});
    CHECK(created["CurrentState"] == "CREATING");
    CHECK(created["DesiredState"] == "RUNNING");
    CHECK(created["Arn"] == "arn:aws:pipes:us-east-1:000000000000:pipe/p1");
    h.run_ready();
    auto d = h.ok("DescribePipe", {{"Name", "p1"}});
    CHECK(d["CurrentState"] == "RUNNING");
    CHECK(d["SourceParameters"] == Json{{"SqsQueueParameters", {{"BatchSize", 10}}}});
    CHECK(d["EnrichmentParameters"] == Json::object());
    CHECK(d["Tags"] == Json::object());
    CHECK(d["StateReason"] == "USER_INITIATED");
    auto missing = h.fails("DescribePipe", {{"Name", "nope"}});
    CHECK(missing.code == "NotFoundException");
    CHECK(missing.status == 404);
    auto again = h.fails("CreatePipe", {{"Name", "p1"},
                                        {"Source", h.queue_arn},
                                        {"Target", h.machine},
                                        {"RoleArn", "arn:aws:iam::000000000000:role/pipe"}});
    CHECK(again.code == "ConflictException");
    CHECK(again.status == 409);
    CHECK(again.fields.at("resourceId") == "p1");
}

TEST_CASE("CreatePipe refuses what AWS refuses", "[pipes]") {
    PipesHarness h;
    Json base = {
        {"Source", h.queue_arn},
        {"Target", h.machine},
        {"RoleArn", "arn:aws:iam::000000000000:role/pipe"},
        {"TargetParameters", {{"StepFunctionStateMachineParameters", {{"InvocationType", "FIRE_AND_FORGET"}}}}}};
    auto with = [&](Json changes) {
        Json p = base;
        p["Name"] = "bad";
        for (auto& [k, v] : changes.items()) p[k] = v;
        return h.fails("CreatePipe", p);
    };
    CHECK(with({{"Name", "has space"}}).message().find("regular expression pattern") != std::string::npos);
    CHECK(with({{"Source", "arn:aws:kinesis:us-east-1:000000000000:stream/s"}}).message().find("SQS") !=
          std::string::npos);
    CHECK(with({{"Target", "arn:aws:lambda:us-east-1:000000000000:function:f"}}).code == "ValidationException");
    CHECK(with({{"RoleArn", "role"}}).code == "ValidationException");
    CHECK(with({{"SourceParameters", {{"SqsQueueParameters", {{"BatchSize", 20}}}}}})
              .message()
              .find("MaximumBatchingWindowInSeconds") != std::string::npos);
    CHECK(with({{"SourceParameters", {{"SqsQueueParameters", {{"BatchSize", 0}}}}}})
              .message()
              .find("greater than or equal to 1") != std::string::npos);
    CHECK(with({{"SourceParameters", {{"FilterCriteria", {{"Filters", {{{"Pattern", "{\"body\": 5}"}}}}}}}}}).code ==
          "ValidationException");
    CHECK(with({{"TargetParameters", {{"EcsTaskParameters", {{"TaskDefinitionArn", "x"}}}}}}).code ==
          "ValidationException");
    CHECK(with({{"TargetParameters", {{"InputTemplate", "{\"a\": <$.>}"}}}}).code == "ValidationException");
    // REQUEST_RESPONSE (the default) needs an EXPRESS state machine.
    h.states.type = "STANDARD";
    auto standard = with({{"TargetParameters", Json::object()}});
    CHECK(standard.code == "ValidationException");
    CHECK(standard.message().find("STANDARD") != std::string::npos);
    h.states.type = "EXPRESS";
    h.ok("CreatePipe", {{"Name", "express"},
                        {"Source", h.queue_arn},
                        {"Target", h.machine},
                        {"RoleArn", "arn:aws:iam::000000000000:role/pipe"}});
}

TEST_CASE("a pipe delivers a batch of records to a state machine and deletes it", "[pipes]") {
    PipesHarness h;
    h.create("p");
    h.send("one");
    h.send(R"({"kind":"order"})");
    h.run_ready();
    REQUIRE(h.states.calls.size() >= 1);
    std::vector<Json> records;
    for (const auto& input : h.states.inputs()) {
        REQUIRE(input.is_array());
        for (const auto& r : input) records.push_back(r);
    }
    REQUIRE(records.size() == 2);
    const auto& r = records[0];
    CHECK(r["body"] == "one");
    CHECK(r["eventSource"] == "aws:sqs");
    CHECK(r["eventSourceARN"] == h.queue_arn);
    CHECK(r["awsRegion"] == "us-east-1");
    CHECK(r["md5OfBody"] == "f97c5d29941bfb1b2fdab0874906ab82");
    CHECK(r["attributes"]["ApproximateReceiveCount"] == "1");
    CHECK(r["attributes"].contains("SentTimestamp"));
    CHECK(r["messageAttributes"] == Json::object());
    CHECK(records[1]["body"] == R"({"kind":"order"})");  // the body stays a string
    CHECK(h.states.calls[0].operation == "StartExecution");
    CHECK(h.counts() == std::make_pair(0, 0));
    auto c = h.counters("p");
    CHECK(c["messagesDelivered"] == 2);
    CHECK(c["messagesReceived"] == 2);
}

TEST_CASE("messages no filter matches are deleted without delivery", "[pipes]") {
    PipesHarness h;
    h.create("f", {{"SourceParameters",
                    {{"FilterCriteria", {{"Filters", {{{"Pattern", R"({"body": {"kind": ["order"]}})"}}}}}}}}});
    h.send(R"({"kind":"other"})");
    h.send("not json");
    h.send(R"({"kind":"order","id":7})");
    h.run_ready();
    std::vector<Json> delivered;
    for (const auto& input : h.states.inputs())
        for (const auto& r : input) delivered.push_back(r);
    REQUIRE(delivered.size() == 1);
    CHECK(delivered[0]["body"] == R"({"kind":"order","id":7})");
    CHECK(h.counts() == std::make_pair(0, 0));
    CHECK(h.counters("f")["messagesFiltered"] == 2);
}

TEST_CASE("a failing target leaves the batch on the source, in flight until its visibility timeout", "[pipes]") {
    PipesHarness h;
    h.states.answer = [](const sluice::protocol::Call&) -> Outcome {
        return AwsError("StateMachineDoesNotExist", "State Machine Does Not Exist: 'sm'");
    };
    h.create("fail");
    h.send("a");
    h.send("b");
    h.run_ready();
    CHECK(h.counts() == std::make_pair(0, 2));
    auto c = h.counters("fail");
    CHECK(c["messagesFailed"] == 2);
    CHECK(c["messagesDelivered"] == 0);
    CHECK(c["lastError"].get<std::string>().find("StateMachineDoesNotExist") != std::string::npos);
}

TEST_CASE("an Express target's batchItemFailures retry only the items it names", "[pipes]") {
    // Also with the key spelled in escapes: the pipe looks at the text before it parses it.
    const bool escaped_key = GENERATE(false, true);
    PipesHarness h;
    std::string failed_id;
    h.states.answer = [&](const sluice::protocol::Call& call) -> Outcome {
        auto input = Json::parse(call.params["input"].get<std::string>());
        for (const auto& r : input)
            if (r["body"] == "bad") failed_id = r["messageId"];
        std::string output = Json{{"batchItemFailures", {{{"itemIdentifier", failed_id}}}}}.dump();
        if (escaped_key) output = R"({"batchItem\u0046ailures":[{"itemIdentifier":")" + failed_id + R"("}]})";
        return Json{{"executionArn", "x"}, {"status", "SUCCEEDED"}, {"output", output}};
    };
    h.ok("CreatePipe", {{"Name", "partial"},
                        {"Source", h.queue_arn},
                        {"Target", h.machine},
                        {"RoleArn", "arn:aws:iam::000000000000:role/pipe"},
                        {"SourceParameters", {{"SqsQueueParameters", {{"BatchSize", 10}}}}}});
    h.run_ready();
    // Sent before the pipe reads, so the three come in one receive.
    h.sqs_ok("SendMessageBatch", {{"QueueUrl", h.queue_url},
                                  {"Entries",
                                   {{{"Id", "1"}, {"MessageBody", "good"}},
                                    {{"Id", "2"}, {"MessageBody", "bad"}},
                                    {{"Id", "3"}, {"MessageBody", "fine"}}}}});
    h.run_ready();
    REQUIRE(h.states.calls.size() == 1);
    CHECK(h.states.calls[0].operation == "StartSyncExecution");
    CHECK_FALSE(failed_id.empty());
    CHECK(h.counts() == std::make_pair(0, 1));
    auto c = h.counters("partial");
    CHECK(c["messagesDelivered"] == 2);
    CHECK(c["messagesFailed"] == 1);
}

TEST_CASE("StopPipe releases the pipe's read: later messages stay on the queue; StartPipe resumes", "[pipes]") {
    PipesHarness h;
    h.create("s");
    auto stopping = h.ok("StopPipe", {{"Name", "s"}});
    CHECK(stopping["CurrentState"] == "STOPPING");
    CHECK(stopping["DesiredState"] == "STOPPED");
    h.run_ready();
    CHECK(h.ok("DescribePipe", {{"Name", "s"}})["CurrentState"] == "STOPPED");
    h.send("while stopped");
    h.run_ready();
    CHECK(h.states.calls.empty());
    CHECK(h.counts() == std::make_pair(1, 0));
    CHECK(h.ok("StartPipe", {{"Name", "s"}})["CurrentState"] == "STARTING");
    h.run_ready();
    CHECK(h.ok("DescribePipe", {{"Name", "s"}})["CurrentState"] == "RUNNING");
    REQUIRE(h.states.calls.size() == 1);
    CHECK(h.counts() == std::make_pair(0, 0));
}

TEST_CASE("UpdatePipe swaps the filters in place; DeletePipe goes through DELETING", "[pipes]") {
    PipesHarness h;
    h.create("u");
    auto updated =
        h.ok("UpdatePipe",
             {{"Name", "u"},
              {"RoleArn", "arn:aws:iam::000000000000:role/pipe"},
              {"SourceParameters", {{"FilterCriteria", {{"Filters", {{{"Pattern", R"({"body": ["keep"]})"}}}}}}}}});
    CHECK(updated["CurrentState"] == "UPDATING");
    h.run_ready();
    auto d = h.ok("DescribePipe", {{"Name", "u"}});
    CHECK(d["CurrentState"] == "RUNNING");
    CHECK(d["Target"] == h.machine);  // what the update left out stays
    h.send("drop");
    h.send("keep");
    h.run_ready();
    std::vector<Json> delivered;
    for (const auto& input : h.states.inputs())
        for (const auto& r : input) delivered.push_back(r["body"]);
    CHECK(delivered == std::vector<Json>{"keep"});
    auto deleting = h.ok("DeletePipe", {{"Name", "u"}});
    CHECK(deleting["CurrentState"] == "DELETING");
    h.run_ready();
    CHECK(h.fails("DescribePipe", {{"Name", "u"}}).code == "NotFoundException");
}

TEST_CASE("ListPipes filters by prefix and state and pages", "[pipes]") {
    PipesHarness h;
    h.create("alpha");
    h.create("alpine", {{"DesiredState", "STOPPED"}});
    h.create("beta");
    auto all = h.ok("ListPipes", Json::object())["Pipes"];
    REQUIRE(all.size() == 3);
    CHECK(all[0]["Name"] == "alpha");
    CHECK(all[0]["Source"] == h.queue_arn);
    CHECK(h.ok("ListPipes", {{"NamePrefix", "alp"}})["Pipes"].size() == 2);
    auto stopped = h.ok("ListPipes", {{"CurrentState", "STOPPED"}})["Pipes"];
    REQUIRE(stopped.size() == 1);
    CHECK(stopped[0]["Name"] == "alpine");
    auto page = h.ok("ListPipes", {{"Limit", 2}});
    CHECK(page["Pipes"].size() == 2);
    REQUIRE(page.contains("NextToken"));
    auto rest = h.ok("ListPipes", {{"Limit", 2}, {"NextToken", page["NextToken"]}});
    REQUIRE(rest["Pipes"].size() == 1);
    CHECK(rest["Pipes"][0]["Name"] == "beta");
    // Tags by ARN; an ARN naming no pipe is NotFoundException.
    h.ok("TagResource", {{"resourceArn", all[0]["Arn"]}, {"tags", {{"team", "a"}}}});
    CHECK(h.ok("ListTagsForResource", {{"resourceArn", all[0]["Arn"]}})["tags"] == Json{{"team", "a"}});
    auto missing = h.fails("ListTagsForResource", {{"resourceArn", "arn:aws:pipes:us-east-1:000000000000:pipe/none"}});
    CHECK(missing.code == "NotFoundException");
    CHECK(missing.status == 404);
}

TEST_CASE("an ECS target runs one task per message, each with its own dynamic paths", "[pipes]") {
    PipesHarness h;
    h.ecs.refuse = "o2";
    h.create("ecs", {{"Target", "arn:aws:ecs:us-east-1:000000000000:cluster/default"},
                     {"TargetParameters",
                      {{"EcsTaskParameters",
                        {{"TaskDefinitionArn", "arn:aws:ecs:us-east-1:000000000000:task-definition/w:1"},
                         {"TaskCount", 1},
                         {"Overrides",
                          {{"ContainerOverrides",
                            {{{"Name", "main"},
                              {"Command", {"$.body.order"}},
                              {"Environment", {{{"name", "BODY"}, {"value", "$.body"}}}}}}}}}}}}}});
    h.sqs_ok("SendMessageBatch", {{"QueueUrl", h.queue_url},
                                  {"Entries",
                                   {{{"Id", "1"}, {"MessageBody", R"({"order":"o1"})"}},
                                    {{"Id", "2"}, {"MessageBody", R"({"order":"o2"})"}},
                                    {{"Id", "3"}, {"MessageBody", R"({"order":"o3"})"}}}}});
    h.run_ready();
    REQUIRE(h.ecs.calls.size() == 3);
    std::vector<std::string> commands;
    for (const auto& c : h.ecs.calls) {
        CHECK(c.params["taskDefinition"] == "arn:aws:ecs:us-east-1:000000000000:task-definition/w:1");
        CHECK(c.params["count"] == 1);
        CHECK(c.params["cluster"] == "arn:aws:ecs:us-east-1:000000000000:cluster/default");
        const auto& o = c.params["overrides"]["containerOverrides"][0];
        CHECK(o["name"] == "main");
        CHECK(o["environment"][0]["name"] == "BODY");
        CHECK(o["environment"][0]["value"] == R"({"order":")" + o["command"][0].get<std::string>() + R"("})");
        commands.push_back(o["command"][0]);
    }
    std::sort(commands.begin(), commands.end());
    CHECK(commands == std::vector<std::string>{"o1", "o2", "o3"});
    // The refused one stays on the queue; the two that started are deleted.
    CHECK(h.counts() == std::make_pair(0, 1));
    auto c = h.counters("ecs");
    CHECK(c["messagesDelivered"] == 2);
    CHECK(c["messagesFailed"] == 1);
}

TEST_CASE("filters don't see the fields Pipes adds after filtering", "[pipes]") {
    PipesHarness h;
    h.create("meta", {{"SourceParameters",
                       {{"FilterCriteria", {{"Filters", {{{"Pattern", R"({"eventSource": ["aws:sqs"]})"}}}}}}}}});
    h.send("x");
    h.run_ready();
    CHECK(h.states.calls.empty());
    CHECK(h.counters("meta")["messagesFiltered"] == 1);
}

TEST_CASE("UpdatePipe replaces the SqsQueueParameters block it names", "[pipes]") {
    PipesHarness h;
    h.create("up", {{"SourceParameters",
                     {{"SqsQueueParameters", {{"BatchSize", 50}, {"MaximumBatchingWindowInSeconds", 5}}}}}});
    // Without the window, BatchSize 20 is refused: the old window does not carry over.
    auto refused = h.fails("UpdatePipe", {{"Name", "up"},
                                          {"RoleArn", "arn:aws:iam::000000000000:role/pipe"},
                                          {"SourceParameters", {{"SqsQueueParameters", {{"BatchSize", 20}}}}}});
    CHECK(refused.message().find("MaximumBatchingWindowInSeconds") != std::string::npos);
    h.ok("UpdatePipe", {{"Name", "up"},
                        {"RoleArn", "arn:aws:iam::000000000000:role/pipe"},
                        {"SourceParameters", {{"SqsQueueParameters", {{"BatchSize", 5}}}}}});
    h.run_ready();
    CHECK(h.ok("DescribePipe", {{"Name", "up"}})["SourceParameters"] ==
          Json{{"SqsQueueParameters", {{"BatchSize", 5}}}});
}

TEST_CASE("a target that hangs stalls neither its pipe's stop nor other pipes, and loses nothing", "[pipes]") {
    PipesHarness h;
    h.sqs_ok("CreateQueue", {{"QueueName", "other"}});
    h.create("slow");
    h.create("quick", {{"Source", "arn:aws:sqs:us-east-1:000000000000:other"},
                       {"Target", "arn:aws:sqs:us-east-1:000000000000:source-out"},
                       {"TargetParameters", Json::object()}});
    h.sqs_ok("CreateQueue", {{"QueueName", "source-out"}});
    h.states.hold = true;
    h.send("stuck");
    h.run_ready();
    REQUIRE(h.states.held.size() == 1);  // the state machine call has not answered
    // The other pipe moves its message meanwhile.
    h.sqs_ok("SendMessage", {{"QueueUrl", "http://localhost/000000000000/other"}, {"MessageBody", "free"}});
    h.run_ready();
    CHECK(h.counters("quick")["messagesDelivered"] == 1);
    // Stopping mid-batch waits for the batch: STOPPING, the message still in flight.
    CHECK(h.ok("StopPipe", {{"Name", "slow"}})["CurrentState"] == "STOPPING");
    h.run_ready();
    CHECK(h.ok("DescribePipe", {{"Name", "slow"}})["CurrentState"] == "STOPPING");
    CHECK(h.counts() == std::make_pair(0, 1));
    // The target answers at last: the batch is delivered and deleted, and the pipe is STOPPED.
    h.states.held[0](Json{{"executionArn", "x"}, {"startDate", 0}});
    h.run_ready();
    CHECK(h.ok("DescribePipe", {{"Name", "slow"}})["CurrentState"] == "STOPPED");
    CHECK(h.counts() == std::make_pair(0, 0));
    CHECK(h.counters("slow")["messagesDelivered"] == 1);
}

TEST_CASE("deleting a pipe mid-batch finishes the batch first, then the pipe is gone", "[pipes]") {
    PipesHarness h;
    h.create("del");
    h.states.hold = true;
    h.send("m");
    h.run_ready();
    REQUIRE(h.states.held.size() == 1);
    CHECK(h.ok("DeletePipe", {{"Name", "del"}})["CurrentState"] == "DELETING");
    h.run_ready();
    CHECK(h.ok("DescribePipe", {{"Name", "del"}})["CurrentState"] == "DELETING");
    // A failing answer: the message is left for its visibility timeout, not lost.
    h.states.held[0](AwsError("ExecutionLimitExceeded", "too many"));
    h.run_ready();
    CHECK(h.fails("DescribePipe", {{"Name", "del"}}).code == "NotFoundException");
    CHECK(h.counts() == std::make_pair(0, 1));
}

TEST_CASE("InputTemplate fills paths and reserved variables, quoted and unquoted", "[pipes]") {
    using sluice::pipes::InputTemplate;
    sluice::pipes::ReservedVariables vars{"arn:pipe", "p", "arn:src", "", "arn:target", "2026-11-23T10:00:00.000Z"};
    Json record = {{"messageId", "m1"}, {"body", R"({"order":{"id":42,"note":"say \"hi\""}})"}};
    auto out =
        InputTemplate::parse(
            R"({"id": <$.body.order.id>, "note": "<$.body.order.note>!", "pipe": "<aws.pipes.pipe-name>", "at": "<aws.pipes.event.ingestion-time>", "msg": <$.messageId>})")
            .render(record, vars);
    CHECK(out ==
          Json{{"id", 42}, {"note", "say \"hi\"!"}, {"pipe", "p"}, {"at", "2026-11-23T10:00:00.000Z"}, {"msg", "m1"}});
    // Not JSON once filled: the target gets the text as a string.
    CHECK(InputTemplate::parse("order <$.messageId> arrived").render(record, vars) == Json("order \"m1\" arrived"));
    CHECK(InputTemplate::parse(R"("order <$.messageId> arrived")").render(record, vars) == Json("order m1 arrived"));
    CHECK(InputTemplate::parse(R"({"whole": <aws.pipes.event>})").render(record, vars)["whole"] == record);
    CHECK_THROWS_AS(InputTemplate::parse("<aws.pipes.unknown>"), std::invalid_argument);
    CHECK(sluice::pipes::resolve_path(record, "$.body.order.id") == Json(42));
    CHECK_FALSE(sluice::pipes::resolve_path(record, "$.body.missing").has_value());
    CHECK(sluice::pipes::is_json_path("$.body.items[0].name"));
    CHECK_FALSE(sluice::pipes::is_json_path("arn:aws:ecs:us-east-1:000000000000:task-definition/w:1"));
}

// ---- The batching window and the source retry, on the manual clock

TEST_CASE("a batching window holds a partial batch until it closes", "[pipes][window]") {
    PipesHarness h;
    h.create("w", {{"SourceParameters",
                    {{"SqsQueueParameters", {{"BatchSize", 5}, {"MaximumBatchingWindowInSeconds", 2}}}}}});
    h.send("one");
    h.send("two");
    h.run_ready();
    CHECK(h.states.calls.empty());
    CHECK(h.counters("w")["messagesBuffered"] == 2);
    h.scheduler.advance(sluice::core::Millis(1'999));
    CHECK(h.states.calls.empty());
    h.scheduler.advance(sluice::core::Millis(1));
    REQUIRE(h.states.calls.size() == 1);
    CHECK(h.states.inputs()[0].size() == 2);
    CHECK(h.counts() == std::pair{0, 0});  // delivered, then deleted
}

TEST_CASE("a full batch goes at once, without waiting for its window", "[pipes][window]") {
    PipesHarness h;
    h.create("w", {{"SourceParameters",
                    {{"SqsQueueParameters", {{"BatchSize", 3}, {"MaximumBatchingWindowInSeconds", 60}}}}}});
    for (const char* body : {"a", "b", "c", "d"}) h.send(body);
    h.run_ready();
    REQUIRE(h.states.calls.size() == 1);
    CHECK(h.states.inputs()[0].size() == 3);
    // The fourth waits for its own window, which opened when it was read.
    h.scheduler.advance(sluice::core::Millis(59'999));
    CHECK(h.states.calls.size() == 1);
    h.scheduler.advance(sluice::core::Millis(1));
    REQUIRE(h.states.calls.size() == 2);
    CHECK(h.states.inputs()[1].size() == 1);
}

TEST_CASE("a pipe whose source is gone says so and reads again 5 s later", "[pipes][window]") {
    PipesHarness h;
    h.create("r");
    h.sqs_ok("DeleteQueue", {{"QueueUrl", h.queue_url}});
    h.run_ready();  // the parked read answers empty; the next read finds no queue
    auto c = h.counters("r");
    CHECK(c["lastError"].get<std::string>().find("QueueDoesNotExist") != std::string::npos);
    // It reads again every 5 s (at 5, 10, ... 60 s); a queue of the same name may come back
    // only after 60 s.
    h.scheduler.advance(sluice::core::Millis(61'000));
    h.sqs_ok("CreateQueue", {{"QueueName", "source"}});
    h.send("back");
    h.scheduler.advance(sluice::core::Millis(3'999));
    CHECK(h.states.calls.empty());
    h.scheduler.advance(sluice::core::Millis(1));
    REQUIRE(h.states.calls.size() == 1);
}
