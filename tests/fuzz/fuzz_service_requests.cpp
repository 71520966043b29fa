// libFuzzer target: the request path of Step Functions (JSON 1.0), ECS (JSON 1.1) and Pipes
// (REST-JSON), router to operation, with the services wired to each other as the daemon wires
// them (ECS on an in-memory engine). fuzz_json_request covers SQS the same way.
// Input: byte 0 picks the service, byte 1 the operation, the rest is the body; for a Pipes
// operation without a body (GET, DELETE) the rest becomes the query string instead.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "../unit/daemon_harness.hpp"

namespace {

constexpr const char* kRole = "arn:aws:iam::000000000000:role/r";

struct World : sluice::testing::DaemonHarness {
    sluice::server::Router& router = daemon.router();
    std::vector<std::string> sfn_ops, ecs_ops;
    std::vector<const sluice::protocol::Operation*> pipes_ops;

    World() {
        for (const auto& [name, op] : sluice::sfn::model().operations()) sfn_ops.push_back(name);
        for (const auto& [name, op] : sluice::ecs::model().operations()) ecs_ops.push_back(name);
        for (const auto& [name, op] : sluice::pipes::model().operations()) pipes_ops.push_back(&op);
        // Something for the operations to find: a queue, a state machine, a task definition, a pipe.
        json("AmazonSQS.CreateQueue", "application/x-amz-json-1.0", R"({"QueueName":"q"})");
        json("AWSStepFunctions.CreateStateMachine", "application/x-amz-json-1.0",
             std::string(R"({"name":"m","roleArn":")") + kRole +
                 R"(","definition":"{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}"})");
        json("AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition", "application/x-amz-json-1.1",
             R"({"family":"w","containerDefinitions":[{"name":"main","image":"worker","memory":64}]})");
        rest(
            "POST", "/v1/pipes/p",
            std::string(
                R"({"Source":"arn:aws:sqs:us-east-1:000000000000:q","Target":"arn:aws:sqs:us-east-1:000000000000:q","RoleArn":")") +
                kRole + R"(","DesiredState":"STOPPED"})");
        settle();
    }

    void send(sluice::protocol::HttpRequest r) {
        r.headers.emplace_back("Host", "h");
        router.handle(std::move(r), [](sluice::protocol::HttpResponse) {});
    }
    void json(const std::string& target, const std::string& content_type, std::string body) {
        sluice::protocol::HttpRequest r;
        r.method = "POST";
        r.target = "/";
        r.headers = {{"X-Amz-Target", target}, {"Content-Type", content_type}};
        r.body = std::move(body);
        send(std::move(r));
    }
    void rest(const std::string& method, std::string target, std::string body) {
        sluice::protocol::HttpRequest r;
        r.method = method;
        r.target = std::move(target);
        r.headers = {{"Authorization",
                      "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/pipes/aws4_request, "
                      "SignedHeaders=host, Signature=0"},
                     {"Content-Type", "application/json"}};
        r.body = std::move(body);
        send(std::move(r));
    }
    // Answers from the engine, due timers and executions; bounded, as a definition may loop.
    void settle() {
        for (int i = 0; i < 4; ++i) {
            engine->pump();
            scheduler.run_all(/*max_steps=*/20, /*max_tasks_per_step=*/50);
        }
    }
};

// The operation's URI with every label filled: `{Name}` with the pipe's name, any other
// (`{resourceArn}`) with its ARN.
std::string filled(const std::string& uri) {
    std::string out;
    for (std::size_t i = 0; i < uri.size(); ++i) {
        if (uri[i] != '{') {
            out += uri[i];
            continue;
        }
        const auto end = uri.find('}', i);
        if (end == std::string::npos) break;  // not in the model's URIs; never loop on it
        const auto label = uri.substr(i + 1, end - i - 1);
        out += label == "Name" ? "p" : "arn%3Aaws%3Apipes%3Aus-east-1%3A000000000000%3Apipe%2Fp";
        i = end;
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static World world;
    if (size < 2) return 0;
    std::string rest(reinterpret_cast<const char*>(data + 2), size - 2);
    switch (data[0] % 3) {
        case 0:
            world.json("AWSStepFunctions." + world.sfn_ops[data[1] % world.sfn_ops.size()],
                       "application/x-amz-json-1.0", std::move(rest));
            break;
        case 1:
            world.json("AmazonEC2ContainerServiceV20141113." + world.ecs_ops[data[1] % world.ecs_ops.size()],
                       "application/x-amz-json-1.1", std::move(rest));
            break;
        default: {
            const auto& op = *world.pipes_ops[data[1] % world.pipes_ops.size()];
            const bool has_body = op.http_method == "POST" || op.http_method == "PUT";
            auto target = filled(op.request_uri);
            if (!has_body) target += (target.find('?') == std::string::npos ? "?" : "&") + rest;
            world.rest(op.http_method, std::move(target), has_body ? std::move(rest) : std::string());
        }
    }
    world.clock.advance(sluice::core::Millis(1000));
    world.settle();
    return 0;
}
