// Template tests: every tests/sfn_templates/*.json is a state machine with an input and what
// AWS would answer (status, output or error/cause, the history's event types). Each runs
// through the Step Functions service's ops on a manual clock, so Wait states, retry back-off
// and timeouts pass without sleeping.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "daemon_harness.hpp"

using sluice::protocol::Json;

namespace {

struct Harness : sluice::testing::DaemonHarness {
    Json ok(const std::string& op, Json params) {
        auto out = call(daemon.sfn(), op, std::move(params));
        if (auto* e = std::get_if<sluice::protocol::AwsError>(&out)) FAIL(op << ": " << e->code << ": " << e->message());
        return std::get<Json>(out);
    }
    Json sqs_ok(const std::string& op, Json params) {
        auto out = call(daemon.sqs(), op, std::move(params));
        if (auto* e = std::get_if<sluice::protocol::AwsError>(&out)) FAIL(op << ": " << e->code << ": " << e->message());
        return std::get<Json>(out);
    }
};

Json load(const std::filesystem::path& file) {
    std::ifstream in(file);
    return Json::parse(in);
}

}  // namespace

TEST_CASE("state machine templates behave as AWS would", "[sfn][templates]") {
    const std::filesystem::path dir = std::filesystem::path(SLUICE_SOURCE_DIR) / "tests" / "sfn_templates";
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.path().extension() == ".json") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 28);
    for (const auto& file : files) {
        DYNAMIC_SECTION(file.filename().string()) {
            const Json t = load(file);
            Harness h;
            const Json queues = t.value("queues", Json::array());
            for (const auto& q : queues) h.sqs_ok("CreateQueue", {{"QueueName", q}});
            // Other machines the one under test starts (states:startExecution).
            const Json others = t.value("machines", Json::object());
            for (const auto& [name, definition] : others.items())
                h.ok("CreateStateMachine", {{"name", name}, {"definition", definition.dump()},
                                            {"roleArn", "arn:aws:iam::000000000000:role/sfn"}});
            auto created = h.ok("CreateStateMachine", {{"name", t.value("machine_name", "Machine")},
                                                       {"definition", t["definition"].dump()},
                                                       {"roleArn", "arn:aws:iam::000000000000:role/sfn"}});
            Json start = {{"stateMachineArn", created["stateMachineArn"]}, {"input", t["input"].dump()}};
            if (t.contains("execution_name")) start["name"] = t["execution_name"];
            const auto started_at = h.clock.now();
            auto exec = h.ok("StartExecution", start);
            h.scheduler.run_all();
            auto described = h.ok("DescribeExecution", {{"executionArn", exec["executionArn"]}});
            INFO(described.dump(2));
            CHECK(described["status"] == t["status"]);
            if (t.contains("output")) {
                REQUIRE(described.contains("output"));
                CHECK(Json::parse(described["output"].get<std::string>()) == t["output"]);
            }
            if (t.contains("error")) CHECK(described.value("error", "") == t["error"]);
            if (t.contains("cause")) CHECK(described.value("cause", "") == t["cause"]);
            if (t.contains("min_duration_ms"))
                CHECK((h.clock.now() - started_at).count() >= t["min_duration_ms"].get<long long>());
            auto history = h.ok("GetExecutionHistory", {{"executionArn", exec["executionArn"]}, {"maxResults", 1000}});
            std::vector<std::string> types, expected;
            std::vector<long long> previous;
            for (const auto& e : history["events"]) {
                types.push_back(e["type"]);
                previous.push_back(e["previousEventId"]);
            }
            if (t.contains("events")) {
                for (const auto& e : t["events"]) expected.push_back(e);
                CHECK(types == expected);
            }
            if (t.contains("previous_event_ids")) CHECK(previous == t["previous_event_ids"].get<std::vector<long long>>());
            // The most Map iterations in flight at once, from the history's order.
            if (t.contains("max_concurrent_iterations")) {
                long long running = 0, most = 0;
                for (const auto& type : types) {
                    if (type == "MapIterationStarted") most = std::max(most, ++running);
                    if (type == "MapIterationSucceeded" || type == "MapIterationFailed" || type == "MapIterationAborted") --running;
                }
                CHECK(most == t["max_concurrent_iterations"].get<long long>());
            }
            // Whole events, by id: every member given must match.
            for (const auto& want : t.value("event_details", Json::array())) {
                const auto id = want["id"].get<std::size_t>();
                REQUIRE(id >= 1);
                REQUIRE(id <= history["events"].size());
                const Json& got = history["events"][id - 1];
                for (const auto& [key, value] : want.items()) {
                    INFO("event " << id << ", " << key);
                    CHECK(got.value(key, Json()) == value);
                }
            }
            const Json expected_messages = t.value("queue_messages", Json::object());
            for (const auto& [queue, bodies] : expected_messages.items()) {
                auto got = h.sqs_ok("ReceiveMessage", {{"QueueUrl", "http://localhost:4566/000000000000/" + queue},
                                                       {"MaxNumberOfMessages", 10}});
                std::vector<std::string> received;
                for (const auto& m : got.value("Messages", Json::array())) received.push_back(m["Body"]);
                CHECK(received == bodies.get<std::vector<std::string>>());
            }
        }
    }
}
