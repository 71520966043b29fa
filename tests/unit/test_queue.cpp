#include <catch2/catch.hpp>

#include "sluice/protocol/aws_error.hpp"
#include "sluice/sqs/message.hpp"
#include "sluice/sqs/queue.hpp"

using namespace sluice::sqs;
using sluice::core::ManualClock;
using sluice::protocol::AwsError;
using std::chrono::seconds;

namespace {

Queue make_queue(bool fifo = false, QueueConfig config = {}) {
    config.fifo = fifo;
    return Queue(fifo ? "q.fifo" : "q", {"000000000000", "us-east-1"}, config, ManualClock().now(), 7);
}

SendRequest msg(std::string body, std::string group = {}, std::string dedup = {}) {
    SendRequest r;
    r.body = std::move(body);
    r.group_id = std::move(group);
    r.deduplication_id = std::move(dedup);
    return r;
}

std::vector<std::string> bodies(const std::vector<const Message*>& ms) {
    std::vector<std::string> out;
    for (auto* m : ms) out.push_back(m->body);
    return out;
}

std::string error_code(const std::function<void()>& f) {
    try {
        f();
    } catch (const AwsError& e) {
        return e.query_code;
    }
    return "no error";
}

}  // namespace

TEST_CASE("MD5 of message attributes matches digests recorded from AWS") {
    CHECK(sluice::core::to_hex(md5_of_attributes({{"Foo", {"String", "Bar"}}})) == "ae7155c6026991b6d54b11589678bf9c");
    CHECK(sluice::core::to_hex(md5_of_attributes({{"MyAttribute", {"String", "foobar"}}})) ==
          "adb59cd4678ea5a855436b949cd07ab6");
    CHECK(sluice::core::to_hex(md5_of_attributes(
              {{"General", {"String", "Kenobi"}}, {"Hello", {"String", "There"}}, {"Help.Me", {"String", "Me"}}})) ==
          "4c360f3fdafd970e05fae2f149d997f5");
    std::string binary =
        "traceparent\x1e"
        "00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01";
    CHECK(sluice::core::to_hex(md5_of_attributes({{"attr1", {"Binary", binary}}})) ==
          "8cbe4db156db8a94db8b801b7addb984");
}

TEST_CASE("a received message is hidden for the visibility timeout, then comes back") {
    ManualClock clock;
    auto q = make_queue();
    q.send(msg("a"), clock.now());
    auto first = q.receive({1, 10, {}}, clock.now(), {});
    REQUIRE(bodies(first) == std::vector<std::string>{"a"});
    auto handle = q.handle_of(*first[0]);
    CHECK(q.receive({1, {}, {}}, clock.now(), {}).empty());
    CHECK(q.counts(clock.now()).in_flight == 1);
    clock.advance(seconds(9));
    CHECK(q.receive({1, {}, {}}, clock.now(), {}).empty());
    clock.advance(seconds(1));
    auto again = q.receive({1, {}, {}}, clock.now(), {});
    REQUIRE(again.size() == 1);
    CHECK(again[0]->receive_count == 2);
    // The first receive's handle is stale now: deleting with it succeeds but deletes nothing.
    q.delete_message(handle, clock.now());
    CHECK(q.counts(clock.now()).in_flight == 1);
    q.delete_message(q.handle_of(*again[0]), clock.now());
    CHECK(q.counts(clock.now()).in_flight == 0);
    CHECK(q.counts(clock.now()).visible == 0);
}

TEST_CASE("queue and message delays hold messages back") {
    ManualClock clock;
    QueueConfig config;
    config.delay_seconds = 5;
    auto q = make_queue(false, config);
    q.send(msg("queue-delay"), clock.now());
    auto m = msg("no-delay");
    m.delay_seconds = 0;
    q.send(std::move(m), clock.now());
    CHECK(q.counts(clock.now()).delayed == 1);
    CHECK(bodies(q.receive({10, {}, {}}, clock.now(), {})) == std::vector<std::string>{"no-delay"});
    REQUIRE(q.next_change());
    clock.advance(seconds(5));
    CHECK(bodies(q.receive({10, {}, {}}, clock.now(), {})) == std::vector<std::string>{"queue-delay"});
}

TEST_CASE("changing visibility to zero returns a message at once; extending keeps it hidden") {
    ManualClock clock;
    auto q = make_queue();
    q.send(msg("a"), clock.now());
    auto got = q.receive({1, {}, {}}, clock.now(), {});
    auto handle = q.handle_of(*got[0]);
    q.change_visibility(handle, 0, clock.now());
    got = q.receive({1, {}, {}}, clock.now(), {});
    REQUIRE(got.size() == 1);
    handle = q.handle_of(*got[0]);
    q.change_visibility(handle, 100, clock.now());
    clock.advance(seconds(31));
    CHECK(q.receive({1, {}, {}}, clock.now(), {}).empty());
    CHECK(error_code([&] { q.change_visibility(handle, 43'200, clock.now()); }) == "InvalidParameterValue");
    q.delete_message(handle, clock.now());
    CHECK(error_code([&] { q.change_visibility(handle, 5, clock.now()); }) == "InvalidParameterValue");
}

TEST_CASE("receipt handles of another queue or never issued are invalid") {
    ManualClock clock;
    auto q = make_queue();
    ReceiptHandle other{99, 1, 1};
    CHECK(error_code([&] { q.delete_message(other, clock.now()); }) == "ReceiptHandleIsInvalid");
    CHECK_FALSE(ReceiptHandle::decode("garbage").has_value());
    CHECK_FALSE(ReceiptHandle::decode(ReceiptHandle{7, 1, 0}.encode()).has_value());
    auto h = ReceiptHandle{7, 42, 3};
    auto decoded = ReceiptHandle::decode(h.encode());
    REQUIRE(decoded);
    CHECK(decoded->serial == 42);
    CHECK(decoded->nonce == 3);
}

TEST_CASE("messages expire after the retention period") {
    ManualClock clock;
    QueueConfig config;
    config.message_retention_period = 60;
    auto q = make_queue(false, config);
    q.send(msg("old"), clock.now());
    clock.advance(seconds(30));
    q.send(msg("new"), clock.now());
    clock.advance(seconds(30));
    CHECK(bodies(q.receive({10, {}, {}}, clock.now(), {})) == std::vector<std::string>{"new"});
}

TEST_CASE("FIFO: order within a group, and a group waits while one of its messages is in flight") {
    ManualClock clock;
    auto q = make_queue(true);
    q.send(msg("a1", "A", "1"), clock.now());
    q.send(msg("b1", "B", "2"), clock.now());
    q.send(msg("a2", "A", "3"), clock.now());
    q.send(msg("a3", "A", "4"), clock.now());

    auto first = q.receive({2, 30, {}}, clock.now(), {});
    CHECK(bodies(first) == std::vector<std::string>{"a1", "a2"});
    // Group A is in flight: only B can be received.
    auto second = q.receive({10, 30, {}}, clock.now(), {});
    CHECK(bodies(second) == std::vector<std::string>{"b1"});
    CHECK(q.receive({10, 30, {}}, clock.now(), {}).empty());
    // Deleting a1 is not enough: a2 is still in flight.
    q.delete_message(q.handle_of(*first[0]), clock.now());
    CHECK(q.receive({10, 30, {}}, clock.now(), {}).empty());
    // When a2's visibility lapses, it comes back first, ahead of a3.
    clock.advance(seconds(30));
    auto third = q.receive({10, 30, {}}, clock.now(), {});
    CHECK(bodies(third) == std::vector<std::string>{"a2", "a3", "b1"});
    CHECK(third[0]->extras->sequence_number < third[1]->extras->sequence_number);
}

TEST_CASE("FIFO: deduplication lasts five minutes and survives deletion") {
    ManualClock clock;
    auto q = make_queue(true);
    auto r1 = q.send(msg("x", "G", "same"), clock.now());
    auto got = q.receive({1, {}, {}}, clock.now(), {});
    q.delete_message(q.handle_of(*got[0]), clock.now());
    clock.advance(seconds(200));
    auto r2 = q.send(msg("x", "G", "same"), clock.now());
    CHECK(r2.id == r1.id);
    CHECK(r2.sequence_number == r1.sequence_number);
    CHECK(q.receive({1, {}, {}}, clock.now(), {}).empty());
    clock.advance(seconds(101));
    auto r3 = q.send(msg("x", "G", "same"), clock.now());
    CHECK(r3.id != r1.id);
    CHECK(q.receive({1, {}, {}}, clock.now(), {}).size() == 1);
}

TEST_CASE("FIFO: deduplication scoped by message group") {
    ManualClock clock;
    QueueConfig config;
    config.deduplication_scope = "messageGroup";
    auto q = make_queue(true, config);
    q.send(msg("x", "G1", "d"), clock.now());
    q.send(msg("x", "G2", "d"), clock.now());
    CHECK(q.counts(clock.now()).visible == 2);
}

TEST_CASE("FIFO: an expired receipt handle cannot delete") {
    ManualClock clock;
    auto q = make_queue(true);
    q.send(msg("x", "G", "d"), clock.now());
    auto got = q.receive({1, 5, {}}, clock.now(), {});
    auto handle = q.handle_of(*got[0]);
    clock.advance(seconds(6));
    CHECK(error_code([&] { q.delete_message(handle, clock.now()); }) == "InvalidParameterValue");
}

TEST_CASE("FIFO: the same ReceiveRequestAttemptId returns the same messages and handles") {
    ManualClock clock;
    auto q = make_queue(true);
    q.send(msg("x", "G", "1"), clock.now());
    q.send(msg("y", "G", "2"), clock.now());
    auto first = q.receive({10, 30, "attempt-1"}, clock.now(), {});
    REQUIRE(first.size() == 2);
    auto h0 = q.handle_of(*first[0]).encode();
    auto again = q.receive({10, 30, "attempt-1"}, clock.now(), {});
    REQUIRE(again.size() == 2);
    CHECK(q.handle_of(*again[0]).encode() == h0);
    CHECK(q.receive({10, 30, "attempt-2"}, clock.now(), {}).empty());
}

TEST_CASE("a message goes to the dead-letter queue on the receive past maxReceiveCount") {
    ManualClock clock;
    QueueConfig config;
    config.redrive = RedrivePolicy{"arn:aws:sqs:us-east-1:000000000000:dlq", 2};
    auto q = make_queue(false, config);
    auto dlq = Queue("dlq", {"000000000000", "us-east-1"}, {}, clock.now(), 8);
    DeadLetterSink sink = [&](Message&& m) {
        dlq.accept(std::move(m), clock.now());
        return true;
    };
    auto sent = q.send(msg("poison"), clock.now());
    for (int i = 0; i < 2; ++i) {
        auto got = q.receive({1, 0, {}}, clock.now(), sink);
        REQUIRE(got.size() == 1);
    }
    CHECK(q.receive({1, 0, {}}, clock.now(), sink).empty());
    CHECK(q.counts(clock.now()).visible == 0);
    auto moved = dlq.receive({1, {}, {}}, clock.now(), {});
    REQUIRE(moved.size() == 1);
    CHECK(moved[0]->id == sent.id);
    CHECK(moved[0]->receive_count == 3);  // the count carries on in the DLQ
    CHECK(moved[0]->extras->dead_letter_source_arn == q.arn());
}

TEST_CASE("purge empties the queue and refuses a second purge within 60 seconds") {
    ManualClock clock;
    auto q = make_queue();
    for (int i = 0; i < 5; ++i) q.send(msg("m"), clock.now());
    q.receive({2, {}, {}}, clock.now(), {});
    q.purge(clock.now());
    auto c = q.counts(clock.now());
    CHECK(c.visible + c.in_flight + c.delayed == 0);
    clock.advance(seconds(59));
    CHECK(error_code([&] { q.purge(clock.now()); }) == "AWS.SimpleQueueService.PurgeQueueInProgress");
    clock.advance(seconds(1));
    CHECK_NOTHROW(q.purge(clock.now()));
}

TEST_CASE("take_visible hands over visible messages only, oldest first") {
    ManualClock clock;
    auto q = make_queue();
    q.send(msg("1"), clock.now());
    q.send(msg("2"), clock.now());
    q.send(msg("3"), clock.now());
    q.receive({1, {}, {}}, clock.now(), {});
    auto taken = q.take_visible(10, clock.now());
    REQUIRE(taken.size() == 2);
    CHECK(taken[0].body == "2");
    CHECK(q.counts(clock.now()).in_flight == 1);
}

// Issue 20 (SQS as AWS recorded it): LocalStack's test_sqs.py, recorded on AWS, is cited per case.

TEST_CASE("FIFO: a message made visible again is delivered while a later one of its group is in flight",
          "[sqs][fifo]") {
    // test_fifo_message_group_visibility_after_terminate_visibility_timeout
    ManualClock clock;
    auto q = make_queue(true);
    q.send(msg("g1-m1", "g1", "1"), clock.now());
    q.send(msg("g1-m2", "g1", "2"), clock.now());
    q.send(msg("g2-m1", "g2", "3"), clock.now());
    auto first = q.receive({2, 30, {}}, clock.now(), {});
    REQUIRE(bodies(first) == std::vector<std::string>{"g1-m1", "g1-m2"});
    q.change_visibility(q.handle_of(*first[0]), 0, clock.now());
    CHECK(bodies(q.receive({3, 30, {}}, clock.now(), {})) == std::vector<std::string>{"g2-m1", "g1-m1"});
}

TEST_CASE("FIFO: a message in flight hides itself and the messages after it, not those before it", "[sqs][fifo]") {
    // test_fifo_group_visibility_extends_with_change_message_visibility: all three received with
    // a 1 s timeout, one extended to 4 s; at 2.5 s the messages before it are back.
    for (std::size_t extended = 0; extended < 3; ++extended) {
        DYNAMIC_SECTION("message " << extended << " extended") {
            ManualClock clock;
            auto q = make_queue(true);
            for (const char* body : {"foo", "bar", "baz"}) q.send(msg(body, "1", body), clock.now());
            auto all = q.receive({5, 1, {}}, clock.now(), {});
            REQUIRE(bodies(all) == std::vector<std::string>{"foo", "bar", "baz"});
            q.change_visibility(q.handle_of(*all[extended]), 4, clock.now());
            clock.advance(std::chrono::milliseconds(2'500));
            const std::vector<std::vector<std::string>> expected = {{}, {"foo"}, {"foo", "bar"}};
            CHECK(bodies(q.receive({5, 1, {}}, clock.now(), {})) == expected[extended]);
        }
    }
}

TEST_CASE("FIFO: groups received with a visibility timeout of 0 line up again in the order handed out", "[sqs][fifo]") {
    // test_fifo_receive_message_with_zero_visibility_timeout
    ManualClock clock;
    auto q = make_queue(true);
    q.send(msg("g1-m1", "g1", "1"), clock.now());
    q.send(msg("g2-m1", "g2", "2"), clock.now());
    q.send(msg("g2-m2", "g2", "3"), clock.now());
    q.send(msg("g3-m1", "g3", "4"), clock.now());
    q.send(msg("g1-m2", "g1", "5"), clock.now());
    CHECK(bodies(q.receive({3, 0, {}}, clock.now(), {})) == std::vector<std::string>{"g1-m1", "g1-m2", "g2-m1"});
    CHECK(bodies(q.receive({10, 0, {}}, clock.now(), {})) ==
          std::vector<std::string>{"g3-m1", "g1-m1", "g1-m2", "g2-m1", "g2-m2"});
}

TEST_CASE("a standard queue redelivers an expired message before a newer visible one", "[sqs]") {
    // test_inflight_message_requeue
    ManualClock clock;
    auto q = make_queue();
    q.send(msg("test1"), clock.now());
    REQUIRE(bodies(q.receive({1, 3, {}}, clock.now(), {})) == std::vector<std::string>{"test1"});
    clock.advance(std::chrono::milliseconds(1'500));
    q.send(msg("test2"), clock.now());
    clock.advance(seconds(3));
    CHECK(bodies(q.receive({1, 3, {}}, clock.now(), {})) == std::vector<std::string>{"test1"});
    CHECK(bodies(q.receive({1, 3, {}}, clock.now(), {})) == std::vector<std::string>{"test2"});
}

TEST_CASE("ChangeMessageVisibility takes an older receipt handle on a standard queue", "[sqs]") {
    // test_terminate_visibility_timeout_after_receive
    ManualClock clock;
    auto q = make_queue();
    q.send(msg("test"), clock.now());
    auto first = q.receive({1, 0, {}}, clock.now(), {});
    REQUIRE(first.size() == 1);
    const auto old_handle = q.handle_of(*first[0]);
    REQUIRE(q.receive({1, 3, {}}, clock.now(), {}).size() == 1);
    q.change_visibility(old_handle, 0, clock.now());
    CHECK(bodies(q.receive({1, 3, {}}, clock.now(), {})) == std::vector<std::string>{"test"});
}

TEST_CASE("PurgeQueue forgets FIFO deduplication ids", "[sqs][fifo]") {
    // test_purge_queue_clears_fifo_deduplication_cache
    ManualClock clock;
    auto q = make_queue(true);
    q.send(msg("message-1", "g", "same"), clock.now());
    q.purge(clock.now());
    q.send(msg("message-2", "g", "same"), clock.now());
    CHECK(bodies(q.receive({10, {}, {}}, clock.now(), {})) == std::vector<std::string>{"message-2"});
}

TEST_CASE("FIFO: deduplication keeps the scope the queue was created with", "[sqs][fifo]") {
    // test_fifo_change_to_high_throughput_after_creation, ..._to_regular_throughput_after_creation
    ManualClock clock;
    auto q = make_queue(true);
    QueueConfig high = q.config();
    high.deduplication_scope = "messageGroup";
    high.fifo_throughput_limit = "perMessageGroupId";
    q.set_config(high, clock.now());
    q.send(msg("Test4", "group4", "d2"), clock.now());
    q.send(msg("Test5", "group5", "d2"), clock.now());
    CHECK(bodies(q.receive({10, {}, {}}, clock.now(), {})) == std::vector<std::string>{"Test4"});

    QueueConfig created_high;
    created_high.deduplication_scope = "messageGroup";
    created_high.fifo_throughput_limit = "perMessageGroupId";
    auto p = make_queue(true, created_high);
    QueueConfig regular = p.config();
    regular.deduplication_scope = "queue";
    regular.fifo_throughput_limit = "perQueue";
    p.set_config(regular, clock.now());
    p.send(msg("Test2", "group2", "d"), clock.now());
    p.send(msg("Test3", "group3", "d"), clock.now());
    CHECK(bodies(p.receive({10, {}, {}}, clock.now(), {})) == std::vector<std::string>{"Test2", "Test3"});
}

TEST_CASE("FIFO sequence numbers are large and increasing but not consecutive", "[sqs][fifo]") {
    // SendMessage API reference: "The large, non-consecutive number ... continues to increase".
    ManualClock clock;
    auto q = make_queue(true);
    const auto a = q.send(msg("a", "g", "1"), clock.now()).sequence_number;
    const auto b = q.send(msg("b", "g", "2"), clock.now()).sequence_number;
    clock.advance(seconds(1));
    const auto c = q.send(msg("c", "h", "3"), clock.now()).sequence_number;
    CHECK(std::to_string(a).size() == 20);
    CHECK(b > a + 1);
    CHECK(c > b + 1);
    // A duplicate answers with the original's number.
    CHECK(q.send(msg("a again", "g", "1"), clock.now()).sequence_number == a);
}
