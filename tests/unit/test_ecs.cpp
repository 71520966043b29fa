// ECS through its ops with a fake engine: the task lifecycle, overrides reaching containers,
// stop paths and AWS's errors; then the Step Functions integrations (runTask, runTask.sync,
// waitForTaskToken) on a manual clock.
#include <catch2/catch.hpp>

#include "daemon_harness.hpp"
#include "expect_ok.hpp"

using sluice::ecs::testing::FakeEngine;
using sluice::protocol::Json;

namespace {

struct EcsHarness : sluice::testing::DaemonHarness {
    sluice::ecs::EcsService* ecs = &daemon.ecs();
    Json ok(const std::string& op, Json params) {
        return sluice::testing::expect_ok(op, call(*ecs, op, std::move(params)));
    }
    sluice::protocol::AwsError fails(const std::string& op, Json params) {
        auto out = call(*ecs, op, std::move(params));
        REQUIRE(std::holds_alternative<sluice::protocol::AwsError>(out));
        return std::get<sluice::protocol::AwsError>(out);
    }
    Json run(Json params) {
        auto out = call(*ecs, "RunTask", std::move(params));
        if (auto* e = std::get_if<sluice::protocol::AwsError>(&out))
            FAIL("RunTask: " << e->code << ": " << e->message());
        return std::get<Json>(out)["tasks"][0];
    }
    Json describe(const Json& task) {
        return ok("DescribeTasks", {{"cluster", task["clusterArn"]}, {"tasks", {task["taskArn"]}}})["tasks"][0];
    }
    void register_worker(const std::string& family = "worker", Json extra = Json::object()) {
        Json def = {
            {"family", family},
            {"containerDefinitions",
             {{{"name", "main"},
               {"image", "worker:1"},
               {"memory", 64},
               {"environment", {{{"name", "MODE"}, {"value", "definition"}}, {{"name", "KEEP"}, {"value", "yes"}}}}}}}};
        def.update(extra);
        ok("RegisterTaskDefinition", def);
    }
};

std::vector<std::string> env_of(const sluice::ecs::ContainerSpec& spec) {
    return spec.env;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_CASE("RunTask starts every container with the overrides and reports how they exited", "[ecs]") {
    EcsHarness h;
    h.ok("RegisterTaskDefinition",
         {{"family", "app"},
          {"containerDefinitions",
           {{{"name", "main"},
             {"image", "worker:1"},
             {"memory", 64},
             {"environment", {{{"name", "MODE"}, {"value", "definition"}}}}},
            {{"name", "sidecar"}, {"image", "sidecar:1"}, {"memory", 32}, {"essential", false}}}}});
    auto task = h.run({{"taskDefinition", "app"},
                       {"startedBy", "me"},
                       {"overrides",
                        {{"containerOverrides",
                          {{{"name", "main"},
                            {"command", {"run", "--fast"}},
                            {"environment",
                             {{{"name", "MODE"}, {"value", "override"}},
                              {{"name", "STEP_FUNCTIONS_INPUT"}, {"value", "{\"a\":1}"}}}}}}}}}});
    CHECK(task["lastStatus"] == "PENDING");  // an EC2 task is placed at once
    CHECK(task["desiredStatus"] == "RUNNING");
    CHECK(task["group"] == "family:app");
    CHECK(task["startedBy"] == "me");
    const std::string arn = task["taskArn"];
    CHECK(arn.rfind("arn:aws:ecs:us-east-1:000000000000:task/default/", 0) == 0);
    CHECK(arn.size() == std::string("arn:aws:ecs:us-east-1:000000000000:task/default/").size() + 32);

    h.engine->pump();
    auto running = h.describe(task);
    CHECK(running["lastStatus"] == "RUNNING");
    CHECK(running.contains("startedAt"));
    CHECK(running["containers"][0]["lastStatus"] == "RUNNING");

    const auto* main = h.engine->spec_named("-main");
    REQUIRE(main);
    CHECK(has(main->env, "MODE=override"));  // the override wins over the definition
    CHECK(!has(main->env, "MODE=definition"));
    CHECK(has(main->env, "STEP_FUNCTIONS_INPUT={\"a\":1}"));
    CHECK(has(main->env, "AWS_ENDPOINT_URL=http://127.0.0.1:4566"));
    CHECK(main->command == std::vector<std::string>{"run", "--fast"});
    CHECK(main->memory_bytes == 64ll * 1024 * 1024);
    CHECK(main->labels.at("sluice.task-arn") == arn);
    CHECK(main->labels.at("sluice.instance") == "test-instance");
    CHECK(main->labels.at("com.amazonaws.ecs.container-name") == "main");

    // The essential container exits 3: ECS stops the sidecar and the task.
    h.engine->exit("c1", 3);
    h.engine->pump();
    auto stopped = h.describe(task);
    INFO(stopped.dump(2));
    CHECK(stopped["lastStatus"] == "STOPPED");
    CHECK(stopped["desiredStatus"] == "STOPPED");
    CHECK(stopped["stopCode"] == "EssentialContainerExited");
    CHECK(stopped["stoppedReason"] == "Essential container in task exited");
    CHECK(stopped["containers"][0]["exitCode"] == 3);
    CHECK(stopped["containers"][1]["exitCode"] == 143);
    CHECK(h.engine->count("stop c2 30") == 1);
    CHECK(h.engine->count("remove ") == 2);  // output read, containers removed
    for (const char* t :
         {"createdAt", "pullStartedAt", "pullStoppedAt", "startedAt", "stoppingAt", "executionStoppedAt", "stoppedAt"})
        CHECK(stopped.contains(t));
    CHECK(stopped["version"].get<long long>() > task["version"].get<long long>());
    auto logs = h.ecs->introspect_path("tasks/" + arn.substr(arn.rfind('/') + 1) + "/logs");
    REQUIRE(logs);
    CHECK(logs->get<std::string>() == "==> main <==\noutput of c1\n==> sidecar <==\noutput of c2\n");
    CHECK(h.ok("ListTasks", Json::object())["taskArns"].empty());
    CHECK(h.ok("ListTasks", {{"desiredStatus", "STOPPED"}})["taskArns"] == Json::array({arn}));
}

TEST_CASE("an image the engine lacks stops the task with CannotPullContainerError", "[ecs]") {
    EcsHarness h;
    h.register_worker();
    h.engine->missing_images.insert("worker:1");
    auto task = h.run({{"taskDefinition", "worker:1"}});
    h.engine->pump();
    auto stopped = h.describe(task);
    INFO(stopped.dump(2));
    CHECK(stopped["lastStatus"] == "STOPPED");
    CHECK(stopped["stopCode"] == "TaskFailedToStart");
    CHECK(stopped["stoppedReason"].get<std::string>().rfind("CannotPullContainerError: ", 0) == 0);
    CHECK(stopped["containers"][0]["reason"] == stopped["stoppedReason"]);
    CHECK(!stopped["containers"][0].contains("exitCode"));
    CHECK(!stopped.contains("startedAt"));
    CHECK(h.engine->count("pull worker:1") == 1);
    CHECK(h.engine->count("start ") == 0);
}

TEST_CASE("StopTask stops running containers, and tasks still being created never start", "[ecs]") {
    EcsHarness h;
    h.register_worker();
    auto task = h.run({{"taskDefinition", "worker"}});
    h.engine->pump();
    auto answer = h.ok("StopTask", {{"task", task["taskArn"]}, {"reason", "enough"}})["task"];
    CHECK(answer["desiredStatus"] == "STOPPED");
    CHECK(answer["stoppedReason"] == "enough");
    CHECK(answer["stopCode"] == "UserInitiated");
    CHECK(answer.contains("stoppingAt"));
    h.engine->pump();
    auto stopped = h.describe(task);
    CHECK(stopped["lastStatus"] == "STOPPED");
    CHECK(stopped["containers"][0]["exitCode"] == 143);

    auto early = h.run({{"taskDefinition", "worker"}});
    auto id = early["taskArn"].get<std::string>().substr(early["taskArn"].get<std::string>().rfind('/') + 1);
    CHECK(h.ok("StopTask", {{"task", id}})["task"]["stoppedReason"] == "Task stopped by user");
    h.engine->pump();
    CHECK(h.describe(early)["lastStatus"] == "STOPPED");
    CHECK(h.engine->count("start ") == 1);  // only the first task's container ever started
    CHECK(h.engine->running.empty());
}

TEST_CASE("ECS answers bad requests with AWS's errors", "[ecs]") {
    EcsHarness h;
    h.register_worker();
    h.ok("RegisterTaskDefinition", {{"family", "vpc"},
                                    {"networkMode", "awsvpc"},
                                    {"requiresCompatibilities", {"FARGATE"}},
                                    {"cpu", "256"},
                                    {"memory", "512"},
                                    {"containerDefinitions", {{{"name", "main"}, {"image", "worker:1"}}}}});
    auto e = h.fails("RunTask", {{"taskDefinition", "vpc"}});
    CHECK(e.code == "InvalidParameterException");
    CHECK(e.message() == "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    e = h.fails("RunTask", {{"taskDefinition", "worker"},
                            {"networkConfiguration", {{"awsvpcConfiguration", {{"subnets", {"subnet-1"}}}}}}});
    CHECK(e.message() == "Network Configuration is not valid for the given networkMode of this task definition.");
    e = h.fails("RunTask", {{"taskDefinition", "worker"}, {"cluster", "nope"}});
    CHECK(e.code == "ClusterNotFoundException");
    CHECK(e.message() == "Cluster not found.");
    e = h.fails("RunTask", {{"taskDefinition", "missing"}});
    CHECK(e.code == "ClientException");
    CHECK(e.message() == "TaskDefinition not found.");
    e = h.fails("RunTask",
                {{"taskDefinition", "worker"}, {"overrides", {{"containerOverrides", {{{"name", "ghost"}}}}}}});
    CHECK(e.code == "InvalidParameterException");
    e = h.fails("RegisterTaskDefinition", {{"family", "f"},
                                           {"requiresCompatibilities", {"FARGATE"}},
                                           {"networkMode", "awsvpc"},
                                           {"containerDefinitions", {{{"name", "main"}, {"image", "x"}}}}});
    CHECK(e.message() == "Fargate requires that 'cpu' be defined at the task level.");
    e = h.fails("RegisterTaskDefinition",
                {{"family", "f"}, {"containerDefinitions", {{{"name", "main"}, {"memory", 5}}}}});
    CHECK(e.message() == "Container.image should not be null or empty.");
    e = h.fails("DescribeTaskDefinition", {{"taskDefinition", "nope:1"}});
    CHECK(e.message() == "Unable to describe task definition.");
    e = h.fails("StopTask", {{"task", "0123"}});
    CHECK(e.message() == "The referenced task was not found.");
    e = h.fails("RunTask", Json::object());
    CHECK(e.code == "ValidationException");

    // An awsvpc Fargate task with its network configuration starts provisioning, with its ENI.
    auto task = h.run(
        {{"taskDefinition", "vpc"}, {"networkConfiguration", {{"awsvpcConfiguration", {{"subnets", {"subnet-1"}}}}}}});
    CHECK(task["lastStatus"] == "PROVISIONING");
    CHECK(task["launchType"] == "FARGATE");
    CHECK(task["attachments"][0]["type"] == "ElasticNetworkInterface");
    auto missing = h.ok("DescribeTasks", {{"tasks", {"feedface"}}});
    CHECK(missing["tasks"].empty());
    CHECK(missing["failures"][0]["reason"] == "MISSING");

    // A deregistered revision is INACTIVE and runs no more.
    CHECK(h.ok("DeregisterTaskDefinition", {{"taskDefinition", "worker:1"}})["taskDefinition"]["status"] == "INACTIVE");
    e = h.fails("RunTask", {{"taskDefinition", "worker:1"}});
    CHECK(e.message() == "TaskDefinition is inactive");
    CHECK(h.ok("ListTaskDefinitionFamilies", {{"status", "INACTIVE"}})["families"] == Json::array({"worker"}));
}

TEST_CASE("with no engine, RunTask says what it tried", "[ecs]") {
    EcsHarness h;
    h.register_worker();
    h.engine->reachable = false;  // the engine went away since the daemon started
    h.engine->connect([](std::optional<sluice::ecs::EngineError>) {});
    h.engine->pump();
    std::optional<sluice::protocol::Outcome> out;
    sluice::protocol::Call c;
    c.operation = "RunTask";
    c.params = {{"taskDefinition", "worker"}};
    h.ecs->invoke(std::move(c), [&](sluice::protocol::Outcome o) { out = std::move(o); });
    h.engine->pump();
    REQUIRE(out);
    auto* e = std::get_if<sluice::protocol::AwsError>(&*out);
    REQUIRE(e);
    CHECK(e->code == "ServerException");
    CHECK(e->message().find("unix:///fake.sock") != std::string::npos);
    CHECK(h.ok("ListTasks", {{"desiredStatus", "STOPPED"}})["taskArns"].empty());
}

TEST_CASE("clusters: default exists, create, describe, delete and tags", "[ecs]") {
    EcsHarness h;
    CHECK(h.ok("ListClusters", Json::object())["clusterArns"] ==
          Json::array({"arn:aws:ecs:us-east-1:000000000000:cluster/default"}));
    auto c =
        h.ok("CreateCluster", {{"clusterName", "jobs"}, {"tags", {{{"key", "team"}, {"value", "data"}}}}})["cluster"];
    CHECK(c["status"] == "ACTIVE");
    h.ok("TagResource", {{"resourceArn", c["clusterArn"]}, {"tags", {{{"key", "env"}, {"value", "ci"}}}}});
    CHECK(h.ok("ListTagsForResource", {{"resourceArn", c["clusterArn"]}})["tags"].size() == 2);
    auto described = h.ok("DescribeClusters", {{"clusters", {"jobs", "ghost"}}, {"include", {"TAGS"}}});
    CHECK(described["clusters"][0]["tags"].size() == 2);
    CHECK(described["failures"][0]["reason"] == "MISSING");
    h.register_worker();
    auto task = h.run({{"cluster", "jobs"}, {"taskDefinition", "worker"}});
    h.engine->pump();
    CHECK(h.fails("DeleteCluster", {{"cluster", "jobs"}}).code == "ClusterContainsTasksException");
    h.ok("StopTask", {{"cluster", "jobs"}, {"task", task["taskArn"]}});
    h.engine->pump();
    CHECK(h.ok("DeleteCluster", {{"cluster", "jobs"}})["cluster"]["status"] == "INACTIVE");
    CHECK(h.fails("DescribeTasks", {{"cluster", "jobs"}, {"tasks", {task["taskArn"]}}}).code ==
          "ClusterNotFoundException");
}

TEST_CASE("Docker's multiplexed log stream is read frame by frame", "[ecs]") {
    std::string raw;
    auto frame = [&](char stream, const std::string& text) {
        raw += stream;
        raw += std::string(3, '\0');
        for (int shift = 24; shift >= 0; shift -= 8) raw += static_cast<char>((text.size() >> shift) & 0xff);
        raw += text;
    };
    frame(1, "hello\n");
    frame(2, "oops\n");
    CHECK(sluice::ecs::demux_log_stream(raw) == "hello\noops\n");
    CHECK(sluice::ecs::demux_log_stream("plain tty output\n") == "plain tty output\n");
    CHECK(sluice::ecs::demux_log_stream(raw.substr(0, raw.size() - 2)) == "hello\noop");  // truncated: what arrived
}

// ---- Step Functions → ECS

namespace {

struct SfnEcsHarness : EcsHarness {
    sluice::sfn::SfnService* sfn = &daemon.sfn();

    Json sfn_ok(const std::string& op, Json params) {
        auto out = call(*sfn, op, std::move(params));
        if (auto* e = std::get_if<sluice::protocol::AwsError>(&out))
            FAIL(op << ": " << e->code << ": " << e->message());
        return std::get<Json>(out);
    }
    Json execute(const Json& definition, const Json& input) {
        auto sm =
            sfn_ok("CreateStateMachine",
                   {{"name", "m"}, {"definition", definition.dump()}, {"roleArn", "arn:aws:iam::000000000000:role/r"}});
        auto exec = sfn_ok("StartExecution", {{"stateMachineArn", sm["stateMachineArn"]}, {"input", input.dump()}});
        settle();
        return sfn_ok("DescribeExecution", {{"executionArn", exec["executionArn"]}});
    }
    // The parameters of the first TaskScheduled event.
    Json scheduled_parameters(const Json& exec) {
        const Json history =
            sfn_ok("GetExecutionHistory", {{"executionArn", exec["executionArn"]}, {"maxResults", 1000}});
        for (const auto& e : history["events"])
            if (e["type"] == "TaskScheduled")
                return Json::parse(e["taskScheduledEventDetails"]["parameters"].get<std::string>());
        return nullptr;
    }
    std::vector<std::string> history_types(const Json& exec) {
        std::vector<std::string> out;
        const Json history =
            sfn_ok("GetExecutionHistory", {{"executionArn", exec["executionArn"]}, {"maxResults", 1000}});
        for (const auto& e : history["events"]) out.push_back(e["type"]);
        return out;
    }
};

Json run_task_machine(const std::string& resource) {
    return {
        {"StartAt", "Run"},
        {"States",
         {{"Run",
           {{"Type", "Task"},
            {"Resource", resource},
            {"Parameters",
             {{"TaskDefinition", "worker"},
              {"Overrides",
               {{"ContainerOverrides",
                 {{{"Name", "main"},
                   {"Environment", {{{"Name", "STEP_FUNCTIONS_INPUT"}, {"Value.$", "States.JsonToString($)"}}}}}}}}}}},
            {"Retry",
             {{{"ErrorEquals", {"States.TaskFailed"}},
               {"IntervalSeconds", 60},
               {"MaxAttempts", 3},
               {"BackoffRate", 2}}}},
            {"End", true}}}}}};
}

}  // namespace

TEST_CASE("ecs:runTask succeeds once the task starts: a failing container is never seen", "[ecs][sfn]") {
    SfnEcsHarness h;
    h.register_worker();
    h.engine->exit_on_start["worker:1"] = 1;
    auto exec = h.execute(run_task_machine("arn:aws:states:::ecs:runTask"), {{"order", 7}});
    INFO(exec.dump(2));
    CHECK(exec["status"] == "SUCCEEDED");
    CHECK(h.engine->count("create ") == 1);  // no retry: the failure never reached Step Functions
    auto output = Json::parse(exec["output"].get<std::string>());
    CHECK(output["Tasks"][0]["LastStatus"] == "PENDING");
    CHECK(!output["Tasks"][0].contains("StartedBy"));
    CHECK(!h.scheduled_parameters(exec).contains("StartedBy"));  // request-response adds nothing
    CHECK(output["Failures"] == Json::array());
    CHECK(output["SdkHttpMetadata"]["HttpStatusCode"] == 200);
    CHECK(output["Tasks"][0]["Overrides"]["ContainerOverrides"][0]["Environment"][0]["Value"] == "{\"order\":7}");
    CHECK(has(env_of(*h.engine->spec_named("-main")), "STEP_FUNCTIONS_INPUT={\"order\":7}"));
    CHECK(h.history_types(exec) == std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "TaskScheduled",
                                                            "TaskStarted", "TaskSucceeded", "TaskStateExited",
                                                            "ExecutionSucceeded"});
}

TEST_CASE("ecs:runTask.sync fails with States.TaskFailed and retries the task", "[ecs][sfn]") {
    SfnEcsHarness h;
    h.register_worker();
    h.engine->exit_on_start["worker:1"] = 1;
    const auto started = h.clock.now();
    auto exec = h.execute(run_task_machine("arn:aws:states:::ecs:runTask.sync"), {{"order", 7}});
    INFO(exec.dump(2));
    CHECK(exec["status"] == "FAILED");
    CHECK(exec["error"] == "States.TaskFailed");
    CHECK(h.engine->count("create ") == 4);  // the first run and three retries
    CHECK((h.clock.now() - started) >= std::chrono::seconds(60 + 120 + 240));
    auto cause = Json::parse(exec["cause"].get<std::string>());
    CHECK(cause["LastStatus"] == "STOPPED");
    CHECK(cause["StopCode"] == "EssentialContainerExited");
    CHECK(cause["StartedBy"] == "AWS Step Functions");
    // TaskScheduled shows the parameters as Step Functions sent them, StartedBy included (recorded).
    CHECK(h.scheduled_parameters(exec)["StartedBy"] == "AWS Step Functions");
    CHECK(cause["Containers"][0]["ExitCode"] == 1);
    CHECK(cause["CreatedAt"].is_number_integer());  // epoch milliseconds, as the Java SDK writes them
    auto types = h.history_types(exec);
    CHECK(std::count(types.begin(), types.end(), "TaskSubmitted") == 4);
    CHECK(std::count(types.begin(), types.end(), "TaskFailed") == 4);
}

TEST_CASE("ecs:runTask.sync succeeds with the stopped task when every container exits 0", "[ecs][sfn]") {
    SfnEcsHarness h;
    h.register_worker();
    h.engine->exit_on_start["worker:1"] = 0;
    auto exec = h.execute(run_task_machine("arn:aws:states:::ecs:runTask.sync"), Json::object());
    INFO(exec.dump(2));
    CHECK(exec["status"] == "SUCCEEDED");
    auto output = Json::parse(exec["output"].get<std::string>());
    CHECK(output["LastStatus"] == "STOPPED");
    CHECK(output["Containers"][0]["ExitCode"] == 0);
    CHECK(!output.contains("SdkHttpMetadata"));
}

TEST_CASE("ecs:runTask errors reach the state machine as the Java SDK names them", "[ecs][sfn]") {
    SfnEcsHarness h;
    Json def = run_task_machine("arn:aws:states:::ecs:runTask.sync");
    def["States"]["Run"]["Parameters"]["Cluster"] = "nowhere";
    auto exec = h.execute(def, Json::object());
    CHECK(exec["status"] == "FAILED");
    CHECK(exec["error"] == "ECS.ClusterNotFoundException");
    CHECK(exec["cause"].get<std::string>().rfind(
              "Cluster not found. (Service: AmazonECS; Status Code: 400; Error Code: ClusterNotFoundException;", 0) ==
          0);
}

TEST_CASE("ecs:runTask.waitForTaskToken: the token reaches the container, a timeout stops the task", "[ecs][sfn]") {
    SfnEcsHarness h;
    h.register_worker();
    Json def = {
        {"StartAt", "Run"},
        {"States",
         {{"Run",
           {{"Type", "Task"},
            {"Resource", "arn:aws:states:::ecs:runTask.waitForTaskToken"},
            {"TimeoutSeconds", 300},
            {"Parameters",
             {{"TaskDefinition", "worker"},
              {"Overrides",
               {{"ContainerOverrides",
                 {{{"Name", "main"}, {"Environment", {{{"Name", "TASK_TOKEN"}, {"Value.$", "$$.Task.Token"}}}}}}}}}}},
            {"End", true}}}}}};
    auto sm =
        h.sfn_ok("CreateStateMachine",
                 {{"name", "token"}, {"definition", def.dump()}, {"roleArn", "arn:aws:iam::000000000000:role/r"}});
    auto exec = h.sfn_ok("StartExecution", {{"stateMachineArn", sm["stateMachineArn"]}});
    h.settle([&] { return h.engine->running.size() == 1; });
    const auto* spec = h.engine->spec_named("-main");
    REQUIRE(spec);
    std::string token;
    for (const auto& e : spec->env)
        if (e.rfind("TASK_TOKEN=", 0) == 0) token = e.substr(11);
    REQUIRE(!token.empty());
    h.sfn_ok("SendTaskSuccess", {{"taskToken", token}, {"output", "{\"done\":true}"}});
    h.settle([&] {
        return h.sfn_ok("DescribeExecution", {{"executionArn", exec["executionArn"]}})["status"] != "RUNNING";
    });
    auto done = h.sfn_ok("DescribeExecution", {{"executionArn", exec["executionArn"]}});
    CHECK(done["status"] == "SUCCEEDED");
    CHECK(Json::parse(done["output"].get<std::string>()) == Json{{"done", true}});

    // A second run nobody answers: the timeout fails the state and stops its task.
    auto again = h.sfn_ok("StartExecution", {{"stateMachineArn", sm["stateMachineArn"]}});
    h.settle();
    auto timed_out = h.sfn_ok("DescribeExecution", {{"executionArn", again["executionArn"]}});
    CHECK(timed_out["status"] == "FAILED");
    CHECK(timed_out["error"] == "States.Timeout");
    CHECK(h.engine->count("stop ") >= 1);
    CHECK(h.engine->running.size() == 1);  // the first task's container: its token was answered, it runs on
}

TEST_CASE("a sidecar that exits at once does not keep the task from RUNNING", "[ecs]") {
    EcsHarness h;
    h.ok("RegisterTaskDefinition", {{"family", "pair"},
                                    {"containerDefinitions",
                                     {{{"name", "main"}, {"image", "worker:1"}, {"memory", 64}},
                                      {{"name", "init"}, {"image", "init:1"}, {"memory", 32}, {"essential", false}}}}});
    h.engine->exit_on_start["init:1"] = 0;
    auto task = h.run({{"taskDefinition", "pair"}});
    h.engine->pump();
    auto running = h.describe(task);
    INFO(running.dump(2));
    CHECK(running["lastStatus"] == "RUNNING");
    CHECK(running.contains("startedAt"));
    CHECK(running["containers"][1]["exitCode"] == 0);
    CHECK(running["desiredStatus"] == "RUNNING");  // a non-essential exit stops nothing
}

TEST_CASE("parameters of the wrong type fail the state, never the daemon", "[ecs][sfn]") {
    SfnEcsHarness h;
    h.register_worker();
    Json def = run_task_machine("arn:aws:states:::ecs:runTask");
    def["States"]["Run"]["Parameters"]["Count"] = "2";
    def["States"]["Run"].erase("Retry");
    auto exec = h.execute(def, Json::object());
    INFO(exec.dump(2));
    CHECK(exec["status"] == "FAILED");
    CHECK(exec["error"].get<std::string>().rfind("ECS.", 0) == 0);
    CHECK(h.engine->count("create ") == 0);
}

TEST_CASE("ECS listings page with maxResults and nextToken", "[ecs]") {
    EcsHarness h;
    for (const char* f : {"alpha", "beta", "gamma"}) h.register_worker(f);
    auto first = h.ok("ListTaskDefinitionFamilies", {{"maxResults", 2}});
    CHECK(first["families"] == Json::array({"alpha", "beta"}));
    REQUIRE(first.contains("nextToken"));
    auto second = h.ok("ListTaskDefinitionFamilies", {{"maxResults", 2}, {"nextToken", first["nextToken"]}});
    CHECK(second["families"] == Json::array({"gamma"}));
    CHECK(!second.contains("nextToken"));
    CHECK(h.fails("ListTaskDefinitionFamilies", {{"nextToken", "bm9wZQ=="}}).code == "InvalidParameterException");
    CHECK(h.fails("ListTaskDefinitions", {{"maxResults", 0}}).code == "InvalidParameterException");
    auto desc = h.ok("ListTaskDefinitions", {{"sort", "DESC"}});
    CHECK(desc["taskDefinitionArns"][0] == "arn:aws:ecs:us-east-1:000000000000:task-definition/gamma:1");
}

TEST_CASE("stopped tasks stay describable for an hour, then are forgotten", "[ecs]") {
    EcsHarness h;
    h.register_worker();
    auto task = h.run({{"taskDefinition", "worker"}});
    h.engine->pump();
    h.ok("StopTask", {{"task", task["taskArn"]}});
    h.engine->pump();
    h.clock.advance(std::chrono::minutes(59));
    h.run({{"taskDefinition", "worker"}});
    CHECK(h.describe(task)["lastStatus"] == "STOPPED");
    h.clock.advance(std::chrono::minutes(2));
    h.run({{"taskDefinition", "worker"}});  // RunTask sweeps tasks stopped over an hour ago
    auto gone = h.ok("DescribeTasks", {{"tasks", {task["taskArn"]}}});
    CHECK(gone["tasks"].empty());
    CHECK(gone["failures"][0]["reason"] == "MISSING");
}

TEST_CASE("shutdown removes every container, including those still being created", "[ecs]") {
    EcsHarness h;
    h.register_worker();
    h.run({{"taskDefinition", "worker"}});
    h.engine->pump();                                     // this one runs
    h.run({{"taskDefinition", "worker"}, {"count", 2}});  // these are being created
    bool done = false;
    h.ecs->remove_all_containers([&] { done = true; });
    CHECK(!done);
    h.engine->pump();
    CHECK(done);
    CHECK(h.engine->containers.size() == 3);
    CHECK(h.engine->count("remove ") == 3);
    CHECK(h.engine->count("start ") == 1);  // nothing started after shutdown began
    CHECK(h.engine->running.empty());
    // A task asked for after shutdown began never reaches the engine.
    h.run({{"taskDefinition", "worker"}});
    h.engine->pump();
    CHECK(h.engine->containers.size() == 3);
}

TEST_CASE("every service names itself as its model does, without the router parsing the model", "[ecs][router]") {
    SfnEcsHarness h;
    const sluice::protocol::Service* services[] = {&h.daemon.sqs(), h.sfn, h.ecs, &h.daemon.pipes()};
    for (const auto* s : services) CHECK(s->name() == s->model().service());
}
