// SQS's waits on a manual clock: long polls (WaitTimeSeconds) answered by a send, by a delayed
// message becoming visible, by their deadline, by DeleteQueue and by shutdown; message move
// tasks at their rate. Every wait is a deadline on the scheduler, so the clock steps through it.
#include <catch2/catch.hpp>

#include "daemon_harness.hpp"
#include "expect_ok.hpp"

using sluice::core::Millis;
using sluice::protocol::AwsError;
using sluice::protocol::Json;
using sluice::protocol::Outcome;

namespace {

struct SqsHarness : sluice::testing::DaemonHarness {
    sluice::sqs::SqsService& sqs = daemon.sqs();
    const std::string url = "http://localhost:4566/000000000000/q";

    SqsHarness() { ok("CreateQueue", {{"QueueName", "q"}}); }
    Json ok(const std::string& op, Json params) {
        return sluice::testing::expect_ok(op, call(sqs, op, std::move(params)));
    }
    auto receive(int wait_seconds) {
        return start(sqs, "ReceiveMessage", {{"QueueUrl", url}, {"WaitTimeSeconds", wait_seconds}});
    }
    void advance(Millis d) { scheduler.advance(d); }
    static std::vector<std::string> bodies(const Outcome& o) {
        std::vector<std::string> out;
        for (const auto& m : std::get<Json>(o).value("Messages", Json::array())) out.push_back(m["Body"]);
        return out;
    }
};

}  // namespace

TEST_CASE("a long poll waits until a message is sent, then answers at once", "[sqs][long-poll]") {
    SqsHarness h;
    auto poll = h.receive(20);
    h.advance(Millis(19'000));
    CHECK_FALSE(*poll);
    h.ok("SendMessage", {{"QueueUrl", h.url}, {"MessageBody", "hello"}});
    h.run_ready();
    REQUIRE(*poll);
    CHECK(SqsHarness::bodies(**poll) == std::vector<std::string>{"hello"});
    // Answered: its deadline does nothing when it comes.
    h.advance(Millis(2'000));
}

TEST_CASE("a long poll that finds nothing answers empty at its deadline, not before", "[sqs][long-poll]") {
    SqsHarness h;
    auto poll = h.receive(5);
    h.advance(Millis(4'999));
    CHECK_FALSE(*poll);
    h.advance(Millis(1));
    REQUIRE(*poll);
    CHECK(SqsHarness::bodies(**poll).empty());
    CHECK(h.scheduler.pending_timers() == 0);
}

TEST_CASE("a long poll wakes when a delayed message becomes visible", "[sqs][long-poll]") {
    SqsHarness h;
    h.ok("SendMessage", {{"QueueUrl", h.url}, {"MessageBody", "later"}, {"DelaySeconds", 3}});
    auto poll = h.receive(10);
    h.advance(Millis(2'999));
    CHECK_FALSE(*poll);
    h.advance(Millis(1));
    REQUIRE(*poll);
    CHECK(SqsHarness::bodies(**poll) == std::vector<std::string>{"later"});
}

TEST_CASE("a long poll wakes when an in-flight message's visibility timeout runs out", "[sqs][long-poll]") {
    SqsHarness h;
    h.ok("SendMessage", {{"QueueUrl", h.url}, {"MessageBody", "again"}});
    auto first = h.ok("ReceiveMessage", {{"QueueUrl", h.url}, {"VisibilityTimeout", 4}});
    REQUIRE(first["Messages"].size() == 1);
    auto poll = h.receive(20);
    h.advance(Millis(3'999));
    CHECK_FALSE(*poll);
    h.advance(Millis(1));
    REQUIRE(*poll);
    CHECK(SqsHarness::bodies(**poll) == std::vector<std::string>{"again"});
}

TEST_CASE("DeleteQueue and shutdown answer parked long polls, empty", "[sqs][long-poll]") {
    SqsHarness h;
    auto poll = h.receive(20);
    h.ok("DeleteQueue", {{"QueueUrl", h.url}});
    h.run_ready();
    REQUIRE(*poll);
    CHECK(SqsHarness::bodies(**poll).empty());

    h.ok("CreateQueue", {{"QueueName", "other"}});
    auto parked = h.start(h.sqs, "ReceiveMessage",
                          {{"QueueUrl", "http://localhost:4566/000000000000/other"}, {"WaitTimeSeconds", 20}});
    CHECK_FALSE(*parked);
    h.daemon.shutdown();
    h.run_ready();
    REQUIRE(*parked);
    CHECK(SqsHarness::bodies(**parked).empty());
}

TEST_CASE("a message move task moves at its rate, on the clock", "[sqs][move-task]") {
    SqsHarness h;
    h.ok("CreateQueue", {{"QueueName", "dlq"}});
    const std::string dlq_url = "http://localhost:4566/000000000000/dlq";
    const std::string dlq_arn = "arn:aws:sqs:us-east-1:000000000000:dlq";
    h.ok("SetQueueAttributes",
         {{"QueueUrl", h.url},
          {"Attributes", {{"RedrivePolicy", Json{{"deadLetterTargetArn", dlq_arn}, {"maxReceiveCount", 1}}.dump()}}}});
    for (const char* body : {"a", "b", "c"}) h.ok("SendMessage", {{"QueueUrl", h.url}, {"MessageBody", body}});
    // Received once each, then past maxReceiveCount on the next receive: all three go to the DLQ.
    h.ok("ReceiveMessage", {{"QueueUrl", h.url}, {"MaxNumberOfMessages", 10}, {"VisibilityTimeout", 0}});
    h.ok("ReceiveMessage", {{"QueueUrl", h.url}, {"MaxNumberOfMessages", 10}});
    auto counts = [&](const std::string& url) {
        auto a = h.ok("GetQueueAttributes", {{"QueueUrl", url}, {"AttributeNames", {"ApproximateNumberOfMessages"}}});
        return std::stoi(a["Attributes"]["ApproximateNumberOfMessages"].get<std::string>());
    };
    REQUIRE(counts(dlq_url) == 3);

    h.ok("StartMessageMoveTask", {{"SourceArn", dlq_arn}, {"MaxNumberOfMessagesPerSecond", 1}});
    auto task = [&] { return h.ok("ListMessageMoveTasks", {{"SourceArn", dlq_arn}})["Results"][0]; };
    CHECK(task()["Status"] == "RUNNING");
    h.advance(Millis(1'050));
    CHECK(task()["ApproximateNumberOfMessagesMoved"] == 1);
    CHECK(counts(h.url) == 1);
    h.advance(Millis(2'100));
    CHECK(task()["Status"] == "COMPLETED");
    CHECK(task()["ApproximateNumberOfMessagesMoved"] == 3);
    CHECK(counts(h.url) == 3);
    CHECK(counts(dlq_url) == 0);
    CHECK(h.scheduler.pending_timers() == 0);
}

TEST_CASE("a long poll wakes when deleting a FIFO group's message frees the next one", "[sqs][long-poll]") {
    // LocalStack test_sqs.py test_fifo_message_group_visibility, recorded on AWS.
    SqsHarness h;
    h.ok("CreateQueue", {{"QueueName", "g.fifo"}, {"Attributes", {{"FifoQueue", "true"}}}});
    const std::string url = "http://localhost:4566/000000000000/g.fifo";
    auto send = [&](const char* body) {
        h.ok("SendMessage",
             {{"QueueUrl", url}, {"MessageBody", body}, {"MessageGroupId", "1"}, {"MessageDeduplicationId", body}});
    };
    auto poll = [&] {
        return h.start(h.sqs, "ReceiveMessage",
                       {{"QueueUrl", url}, {"WaitTimeSeconds", 10}, {"VisibilityTimeout", 60}});
    };
    auto first = poll(), second = poll();
    send("message-1");
    h.run_ready();
    REQUIRE(*first);
    auto received = std::get<Json>(**first)["Messages"][0];
    CHECK(received["Body"] == "message-1");
    send("message-2");
    h.advance(Millis(2'000));
    CHECK_FALSE(*second);  // its group is locked
    h.ok("DeleteMessage", {{"QueueUrl", url}, {"ReceiptHandle", received["ReceiptHandle"]}});
    h.run_ready();
    REQUIRE(*second);
    CHECK(SqsHarness::bodies(**second) == std::vector<std::string>{"message-2"});
}

TEST_CASE("QueueUrl may be a bare queue name, in the caller's account and region", "[sqs]") {
    // LocalStack test_sqs.py test_posting_to_queue_via_queue_name, recorded on AWS.
    SqsHarness h;
    h.ok("SendMessage", {{"QueueUrl", "q"}, {"MessageBody", "by name"}});
    auto got = h.ok("ReceiveMessage", {{"QueueUrl", "q"}});
    CHECK(got["Messages"][0]["Body"] == "by name");
    auto missing = h.call(h.sqs, "SendMessage", {{"QueueUrl", "nope"}, {"MessageBody", "x"}});
    REQUIRE(std::holds_alternative<AwsError>(missing));
    CHECK(std::get<AwsError>(missing).query_code == "AWS.SimpleQueueService.NonExistentQueue");
}

TEST_CASE("a batch whose entries all succeed has no Failed member", "[sqs]") {
    // LocalStack test_sqs.py test_send_message_batch_with_oversized_contents_with_updated_maximum_message_size
    SqsHarness h;
    auto sent = h.ok("SendMessageBatch", {{"QueueUrl", h.url}, {"Entries", {{{"Id", "1"}, {"MessageBody", "a"}}}}});
    CHECK(sent["Successful"].size() == 1);
    CHECK_FALSE(sent.contains("Failed"));
    auto bad = h.ok("DeleteMessageBatch", {{"QueueUrl", h.url}, {"Entries", {{{"Id", "1"}, {"ReceiptHandle", "x"}}}}});
    CHECK_FALSE(bad.contains("Successful"));
    CHECK(bad["Failed"].size() == 1);
}
