#include <catch2/catch.hpp>

#include "sluice/protocol/aws_error.hpp"
#include "sluice/sqs/queue_config.hpp"

using namespace sluice::sqs;
using sluice::protocol::AwsError;

namespace {
std::pair<std::string, std::string> failure(QueueConfig config, std::map<std::string, std::string> attrs,
                                            bool creating = true) {
    try {
        config.apply(attrs, creating);
    } catch (const AwsError& e) {
        return {e.query_code, e.message()};
    }
    return {"ok", ""};
}
}  // namespace

TEST_CASE("queue attribute defaults render as AWS shows them") {
    QueueConfig c;
    auto r = c.render();
    std::map<std::string, std::string> m(r.begin(), r.end());
    CHECK(m["VisibilityTimeout"] == "30");
    CHECK(m["MaximumMessageSize"] == "1048576");
    CHECK(m["MessageRetentionPeriod"] == "345600");
    CHECK(m["SqsManagedSseEnabled"] == "true");
    CHECK_FALSE(m.count("FifoQueue"));
    CHECK_FALSE(m.count("Policy"));
    QueueConfig f;
    f.fifo = true;
    auto fr = f.render();
    std::map<std::string, std::string> fm(fr.begin(), fr.end());
    CHECK(fm["FifoQueue"] == "true");
    CHECK(fm["DeduplicationScope"] == "queue");
    CHECK(fm["FifoThroughputLimit"] == "perQueue");
}

TEST_CASE("attribute values are range checked") {
    CHECK(failure({}, {{"VisibilityTimeout", "43201"}}) ==
          std::make_pair(std::string("InvalidAttributeValue"),
                         std::string("Invalid value for the parameter VisibilityTimeout.")));
    CHECK(failure({}, {{"DelaySeconds", "-1"}}).first == "InvalidAttributeValue");
    CHECK(failure({}, {{"MaximumMessageSize", "1023"}}).first == "InvalidAttributeValue");
    CHECK(failure({}, {{"MessageRetentionPeriod", "abc"}}).first == "InvalidAttributeValue");
    CHECK(failure({}, {{"ReceiveMessageWaitTimeSeconds", "20"}}).first == "ok");
    CHECK(failure({}, {{"Bogus", "1"}}) ==
          std::make_pair(std::string("InvalidAttributeName"), std::string("Unknown Attribute Bogus.")));
    CHECK(failure({}, {{"QueueArn", "x"}}).first == "InvalidAttributeName");
}

TEST_CASE("FIFO-only attributes on a standard queue") {
    CHECK(failure({}, {{"FifoQueue", "false"}}).second == "Unknown Attribute FifoQueue.");
    CHECK(failure({}, {{"ContentBasedDeduplication", "true"}}).second ==
          "Unknown Attribute ContentBasedDeduplication.");
    CHECK(failure({}, {{"DeduplicationScope", "queue"}}).first == "InvalidAttributeName");
    QueueConfig fifo;
    fifo.fifo = true;
    // Setting a FIFO queue's FifoQueue to true again changes nothing; false is refused
    // (test_set_unsupported_attribute_fifo, recorded on AWS).
    CHECK(failure(fifo, {{"FifoQueue", "true"}}, false).first == "ok");
    CHECK(failure(fifo, {{"FifoQueue", "TRUE"}}, false).first == "ok");
    CHECK(failure(fifo, {{"FifoQueue", "false"}}, false).second ==
          "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.");
    CHECK(failure(fifo, {{"FifoThroughputLimit", "perMessageGroupId"}}).first == "InvalidAttributeValue");
    CHECK(failure(fifo, {{"FifoThroughputLimit", "perMessageGroupId"}, {"DeduplicationScope", "messageGroup"}}).first ==
          "ok");
}

TEST_CASE("redrive policies are parsed and rendered canonically") {
    QueueConfig c;
    c.apply({{"RedrivePolicy",
              R"({"maxReceiveCount":"5","deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq"})"}},
            true);
    REQUIRE(c.redrive);
    CHECK(c.redrive->max_receive_count == 5);
    CHECK(*c.redrive_policy ==
          R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":5})");
    CHECK(failure({}, {{"RedrivePolicy", "nope"}}).second ==
          "Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map.");
    CHECK(failure({}, {{"RedrivePolicy", R"({"maxReceiveCount":5})"}})
              .second.find("Redrive policy does not contain mandatory attribute: deadLetterTargetArn.") !=
          std::string::npos);
    CHECK(
        failure({}, {{"RedrivePolicy", R"({"maxReceiveCount":0,"deadLetterTargetArn":"arn:aws:sqs:r:1:d"})"}}).first ==
        "InvalidParameterValue");
    c.apply({{"RedrivePolicy", ""}}, false);
    CHECK_FALSE(c.redrive);
}

TEST_CASE("redrive allow policies") {
    CHECK(failure({}, {{"RedriveAllowPolicy", R"({"redrivePermission":"allowAll"})"}}).first == "ok");
    CHECK(failure({}, {{"RedriveAllowPolicy", R"({"redrivePermission":"byQueue"})"}}).first == "InvalidParameterValue");
    CHECK(failure({}, {{"RedriveAllowPolicy", R"({"redrivePermission":"sometimes"})"}}).first ==
          "InvalidAttributeValue");
}

TEST_CASE("boolean attributes are read without regard to case", "[sqs]") {
    // test_fifo_approximate_number_of_messages_not_visible, test_sqs_fifo_same_dedup_id_different_message_groups
    QueueConfig fifo;
    fifo.fifo = true;
    CHECK(failure(fifo, {{"FifoQueue", "True"}, {"ContentBasedDeduplication", "True"}}).first == "ok");
    CHECK(failure(fifo, {{"ContentBasedDeduplication", "False"}}).first == "ok");
    CHECK(failure({}, {{"SqsManagedSseEnabled", "FALSE"}}).first == "ok");
    CHECK(failure(fifo, {{"ContentBasedDeduplication", "yes"}}).first == "InvalidAttributeValue");
    QueueConfig c = fifo;
    c.apply({{"ContentBasedDeduplication", "True"}}, true);
    CHECK(c.content_based_deduplication);
    auto r = c.render();
    CHECK(std::map<std::string, std::string>(r.begin(), r.end())["ContentBasedDeduplication"] == "true");
}
