// The service kit: one operation table and invoke() for every service, the lock that defers
// what must happen outside it, the in-process client, the composition root.
#include <algorithm>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "daemon_harness.hpp"
#include "sluice/core/service_lock.hpp"
#include "sluice/protocol/operation_table.hpp"
#include "sluice/sqs/errors.hpp"

using sluice::protocol::AwsError;
using sluice::protocol::Call;
using sluice::protocol::Json;
using sluice::protocol::Outcome;
using sluice::protocol::Reply;

namespace {

// A service built from the kit whose handlers do what each test needs.
struct Toy final : sluice::protocol::TableService<Toy> {
    std::string_view name() const override { return "sqs"; }
    // SQS's model: an operation the table lacks (ListQueues) is in the model.
    const sluice::protocol::Model& model() const override { return sluice::sqs::model(); }

    static const sluice::protocol::OperationTable<Toy>& operations() {
        using Table = sluice::protocol::OperationTable<Toy>;
        static const Table table = {
            {"Async", &Toy::async},   {"AsyncThrowsAfterReply", &Toy::async_throws_after_reply},
            {"Held", &Toy::held},     {"Own", &Toy::own, Table::Locking::Own},
            {"Throws", &Toy::throws}, {"TypeError", &Toy::type_error},
        };
        return table;
    }
    static const sluice::protocol::InvokeRules& invoke_rules() {
        static const sluice::protocol::InvokeRules rules = {
            .check_constraints = false,
            .type_error = [](const std::string&) { return AwsError("InvalidParameterValue", "wrong type"); },
            .not_implemented = [](const std::string& op) { return AwsError("NotImplemented", op); },
        };
        return rules;
    }

    Json held(const Call&) {
        // Inside the lock: what is deferred runs once it is released.
        lock_.defer([this] { deferred_ran = true; });
        return {{"deferred_ran_inside", deferred_ran}};
    }
    Json own(const Call&) {
        return lock_.run([] { return Json{{"ok", true}}; });
    }
    Json throws(const Call&) { throw std::runtime_error("a bug"); }
    Json type_error(const Call& call) { return call.params.at("n").get<int>(); }
    void async(const Call&, Reply reply) { parked = std::move(reply); }
    void async_throws_after_reply(const Call&, Reply reply) {
        reply(Json{{"first", true}});
        throw AwsError("Late", "thrown after the reply");
    }

    bool deferred_ran = false;
    Reply parked;
};

std::vector<Outcome> invoke(sluice::protocol::Service& service, const std::string& op, Json params = Json::object()) {
    auto answers = std::make_shared<std::vector<Outcome>>();
    Call c;
    c.operation = op;
    c.params = std::move(params);
    service.invoke(std::move(c), [answers](Outcome o) { answers->push_back(std::move(o)); });
    return *answers;
}

std::string code_of(const Outcome& o) {
    return std::get<AwsError>(o).code;
}

}  // namespace

TEST_CASE("an operation table must be alphabetical, so that it reads as a list", "[kit]") {
    using Table = sluice::protocol::OperationTable<Toy>;
    CHECK_THROWS_AS((Table{{"B", &Toy::held}, {"A", &Toy::held}}), std::logic_error);
    Table table{{"A", &Toy::held}, {"B", &Toy::own, Table::Locking::Own}};
    REQUIRE(table.find("B"));
    CHECK(table.find("B")->locking == Table::Locking::Own);
    CHECK_FALSE(table.find("C"));
}

TEST_CASE("invoke answers every call exactly once, whatever the handler does", "[kit]") {
    Toy toy;
    SECTION("a sync handler runs under the lock; what it deferred runs after it") {
        auto answers = invoke(toy, "Held");
        REQUIRE(answers.size() == 1);
        CHECK(std::get<Json>(answers[0])["deferred_ran_inside"] == false);
        CHECK(toy.deferred_ran);
    }
    SECTION("a handler that takes the lock itself") {
        auto answers = invoke(toy, "Own");
        REQUIRE(answers.size() == 1);
        CHECK(std::get<Json>(answers[0])["ok"] == true);
    }
    SECTION("unknown operations: not in the model, or in the model but not run") {
        auto unknown = invoke(toy, "NoSuchOperation");
        REQUIRE(unknown.size() == 1);
        CHECK(code_of(unknown[0]) == "com.amazon.coral.service#UnknownOperationException");
        auto unimplemented = invoke(toy, "ListQueues");
        REQUIRE(unimplemented.size() == 1);
        CHECK(code_of(unimplemented[0]) == "NotImplemented");
    }
    SECTION("a member of the wrong type is the service's own error, a bug is a 500") {
        auto typed = invoke(toy, "TypeError", {{"n", "text"}});
        REQUIRE(typed.size() == 1);
        CHECK(code_of(typed[0]) == "InvalidParameterValue");
        auto bug = invoke(toy, "Throws");
        REQUIRE(bug.size() == 1);
        CHECK(std::get<AwsError>(bug[0]).status == 500);
    }
    SECTION("an async handler answers later; one that throws after answering is heard once") {
        CHECK(invoke(toy, "Async").empty());
        REQUIRE(toy.parked);
        auto late = invoke(toy, "AsyncThrowsAfterReply");
        REQUIRE(late.size() == 1);
        CHECK(std::get<Json>(late[0])["first"] == true);
    }
}

TEST_CASE("the service lock runs deferred work after release, also when the body throws", "[kit]") {
    sluice::core::ServiceLock lock;
    std::vector<std::string> order;
    lock.run([&] {
        lock.defer([&] { order.push_back("deferred"); });
        order.push_back("body");
    });
    CHECK(order == std::vector<std::string>{"body", "deferred"});

    order.clear();
    CHECK_THROWS_AS(lock.run([&] {
        lock.defer([&] {
            // The lock is free again: a deferred action may take it.
            lock.run([&] { order.push_back("deferred, relocked"); });
        });
        throw std::runtime_error("body failed");
    }),
                    std::runtime_error);
    CHECK(order == std::vector<std::string>{"deferred, relocked"});
}

TEST_CASE("a configured ECS endpoint URL is what task containers get, whatever address the daemon has", "[kit][ecs]") {
    // Sluice in a container: its siblings on the engine network reach it by its name, not by
    // the address it listens on.
    auto options = sluice::testing::DaemonHarness::options();
    options.ecs.endpoint_url = "http://sluice:4566";
    sluice::testing::DaemonHarness h(options);
    h.daemon.set_endpoint("0.0.0.0:4566");
    auto& ecs = h.daemon.ecs();
    REQUIRE(std::holds_alternative<Json>(h.call(
        ecs, "RegisterTaskDefinition",
        {{"family", "app"}, {"containerDefinitions", {{{"name", "main"}, {"image", "worker:1"}, {"memory", 64}}}}})));
    auto run = h.start(ecs, "RunTask", {{"taskDefinition", "app"}});
    h.run_ready();
    REQUIRE(*run);
    REQUIRE(std::holds_alternative<Json>(**run));
    const auto* main = h.engine->spec_named("-main");
    REQUIRE(main);
    CHECK(std::find(main->env.begin(), main->env.end(), "AWS_ENDPOINT_URL=http://sluice:4566") != main->env.end());
}

TEST_CASE("in-process calls carry the daemon's real host: a state machine's GetQueueUrl names its port",
          "[kit][sfn][sqs]") {
    sluice::testing::DaemonHarness h;
    h.daemon.set_endpoint("127.0.0.1:45123");
    auto& sqs = h.daemon.sqs();
    auto& sfn = h.daemon.sfn();
    REQUIRE(std::holds_alternative<Json>(h.call(sqs, "CreateQueue", {{"QueueName", "jobs"}})));
    const Json definition = {{"StartAt", "Url"},
                             {"States",
                              {{"Url",
                                {{"Type", "Task"},
                                 {"Resource", "arn:aws:states:::aws-sdk:sqs:getQueueUrl"},
                                 {"Parameters", {{"QueueName", "jobs"}}},
                                 {"End", true}}}}}};
    auto machine = std::get<Json>(
        h.call(sfn, "CreateStateMachine",
               {{"name", "m"}, {"definition", definition.dump()}, {"roleArn", "arn:aws:iam::000000000000:role/r"}}));
    auto started = std::get<Json>(h.call(sfn, "StartExecution", {{"stateMachineArn", machine["stateMachineArn"]}}));
    h.settle();
    auto described = std::get<Json>(h.call(sfn, "DescribeExecution", {{"executionArn", started["executionArn"]}}));
    REQUIRE(described["status"] == "SUCCEEDED");
    CHECK(Json::parse(described["output"].get<std::string>())["QueueUrl"] ==
          "http://127.0.0.1:45123/000000000000/jobs");
}

TEST_CASE("the in-process client checks parameter types as the JSON front end does, and never answers inline",
          "[kit]") {
    sluice::testing::DaemonHarness h;
    auto answers = std::make_shared<std::vector<Outcome>>();
    h.daemon.client().call("sqs", "CreateQueue", {{"QueueName", 42}}, sluice::core::Scope{},
                           [answers](Outcome o) { answers->push_back(std::move(o)); });
    CHECK(answers->empty());  // posted, not inside the caller
    h.run_ready();
    REQUIRE(answers->size() == 1);
    CHECK(std::get<AwsError>((*answers)[0]).short_code() == "SerializationException");

    h.daemon.client().call("nosuch", "Op", Json::object(), sluice::core::Scope{},
                           [answers](Outcome o) { answers->push_back(std::move(o)); });
    h.run_ready();
    REQUIRE(answers->size() == 2);
    CHECK(std::get<AwsError>((*answers)[1]).status == 500);
}

TEST_CASE("a reset stops what runs (a task's containers, a pipe's reads, an execution) and forgets everything",
          "[kit][reset]") {
    sluice::testing::DaemonHarness h;
    auto ok = [&](sluice::protocol::Service& s, const std::string& op, Json params) {
        auto out = h.call(s, op, std::move(params));
        if (auto* e = std::get_if<AwsError>(&out)) FAIL(op << ": " << e->code << ": " << e->message());
        return std::get<Json>(out);
    };
    auto& sqs = h.daemon.sqs();
    auto& sfn = h.daemon.sfn();
    auto& ecs = h.daemon.ecs();
    auto& pipes = h.daemon.pipes();
    ok(sqs, "CreateQueue", {{"QueueName", "source"}});
    ok(ecs, "RegisterTaskDefinition",
       {{"family", "worker"}, {"containerDefinitions", {{{"name", "main"}, {"image", "worker:1"}, {"memory", 64}}}}});
    ok(ecs, "RunTask", {{"taskDefinition", "worker"}});
    h.run_ready();
    REQUIRE(h.engine->running.size() == 1);
    const Json waits = {{"StartAt", "W"}, {"States", {{"W", {{"Type", "Wait"}, {"Seconds", 3600}, {"End", true}}}}}};
    auto machine = ok(sfn, "CreateStateMachine",
                      {{"name", "m"}, {"definition", waits.dump()}, {"roleArn", "arn:aws:iam::000000000000:role/r"}});
    auto execution = ok(sfn, "StartExecution", {{"stateMachineArn", machine["stateMachineArn"]}});
    ok(pipes, "CreatePipe",
       {{"Name", "p"},
        {"Source", "arn:aws:sqs:us-east-1:000000000000:source"},
        {"Target", "arn:aws:sqs:us-east-1:000000000000:source"},
        {"RoleArn", "arn:aws:iam::000000000000:role/pipe"}});
    h.run_ready();
    REQUIRE(sqs.introspect()["long_polls"] == 1);  // the pipe's parked read
    REQUIRE(sfn.introspect()["running"] == 1);

    for (auto* s : {static_cast<sluice::protocol::Service*>(&pipes), static_cast<sluice::protocol::Service*>(&ecs),
                    static_cast<sluice::protocol::Service*>(&sfn), static_cast<sluice::protocol::Service*>(&sqs)})
        s->reset();
    h.run_ready();

    CHECK(h.engine->running.empty());        // stopped ...
    CHECK(h.engine->count("remove ") == 1);  // ... and removed
    CHECK(sqs.introspect()["long_polls"] == 0);
    CHECK(sqs.introspect()["queues"].empty());
    CHECK(sfn.introspect()["running"] == 0);
    CHECK(sfn.introspect()["state_machines"] == 0);
    CHECK(std::get<AwsError>(h.call(sfn, "DescribeExecution", {{"executionArn", execution["executionArn"]}}))
              .short_code() == "ExecutionDoesNotExist");
    CHECK(pipes.introspect()["pipes"].empty());
    CHECK(ecs.introspect()["tasks"].empty());
    CHECK(h.scheduler.pending_timers() == 0);  // no Wait, no long poll, no window left behind
    // A fresh start: the names are free at once.
    ok(sqs, "CreateQueue", {{"QueueName", "source"}});
}
