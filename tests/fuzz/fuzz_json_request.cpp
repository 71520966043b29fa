// libFuzzer target: the whole JSON request path, router to SQS operation. The first byte picks
// the operation, the rest is the body. A few queues exist so operations reach real queue code.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "../unit/daemon_harness.hpp"
#include "sluice/sqs/errors.hpp"

namespace {
struct World : sluice::testing::DaemonHarness {
    sluice::server::Router& router = daemon.router();
    std::vector<std::string> operations;

    World() {
        for (const auto& [name, op] : sluice::sqs::model().operations()) operations.push_back(name);
        call("CreateQueue", R"({"QueueName":"q"})");
        call("CreateQueue",
             R"({"QueueName":"f.fifo","Attributes":{"FifoQueue":"true","ContentBasedDeduplication":"true"}})");
        call("SendMessage", R"({"QueueUrl":"http://h/000000000000/q","MessageBody":"x"})");
    }
    void call(const std::string& op, std::string body) {
        sluice::protocol::HttpRequest r;
        r.method = "POST";
        r.target = "/";
        r.headers = {{"X-Amz-Target", "AmazonSQS." + op}, {"Host", "h"}};
        r.body = std::move(body);
        router.handle(std::move(r), [](sluice::protocol::HttpResponse) {});
    }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static World world;
    if (size == 0) return 0;
    const auto& op = world.operations[data[0] % world.operations.size()];
    world.call(op, std::string(reinterpret_cast<const char*>(data + 1), size - 1));
    world.clock.advance(sluice::core::Millis(1000));
    // Run whatever timers are due (long polls, move tasks) without blocking.
    world.scheduler.run_ready();
    return 0;
}
