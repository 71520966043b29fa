// SNS: filter policies (SNS's checks and texts over the shared event-pattern engine, matching of
// attributes and bodies), and topics fanning out to SQS queues in process on a manual clock.
#include <catch2/catch.hpp>

#include "daemon_harness.hpp"
#include "expect_ok.hpp"
#include "sluice/protocol/aws_error.hpp"
#include "sluice/sns/filter_policy.hpp"

using sluice::protocol::AwsError;
using sluice::protocol::Json;
using sluice::sns::FilterPolicy;
using sluice::sns::FilterPolicyScope;
using sluice::sns::PolicyCaller;
using sluice::testing::expect_ok;

namespace {

std::string refusal(const std::string& policy, FilterPolicyScope scope = FilterPolicyScope::MessageAttributes,
                    PolicyCaller caller = PolicyCaller::SetSubscriptionAttributes) {
    try {
        FilterPolicy::parse(policy, scope, caller);
    } catch (const AwsError& e) {
        CHECK(e.query_code == "InvalidParameter");
        return e.message();
    }
    return "(accepted)";
}

Json string_attr(const std::string& v) {
    return {{"DataType", "String"}, {"StringValue", v}};
}
Json number_attr(const std::string& v) {
    return {{"DataType", "Number"}, {"StringValue", v}};
}

}  // namespace

TEST_CASE("filter policy: SNS's refusals", "[sns][filter]") {
    // LocalStack test_sns_filter_policy.py, recorded on AWS (docs/research/sns-behaviour.md).
    const std::string p = "Invalid parameter: FilterPolicy: ";
    CHECK(refusal(R"({"key":[{"numeric":[">",3,"<",1]}]})") == p + "Bottom must be less than top");
    CHECK(refusal(R"({"key":[]})") == p + "Empty arrays are not allowed");
    CHECK(refusal(R"({"key":[{"suffix":100}]})") == p + "suffix match pattern must be a string");
    CHECK(refusal(R"({"key":[{"suffix":null}]})") == p + "suffix match pattern must be a string");
    CHECK(refusal(R"({"key":[{"anything-but":{"suffix":"test"}}]})") == p + "Unsupported anything-but pattern: suffix");
    CHECK(refusal(R"({"key":[{"anything-but":{"exists":false}}]})") == p + "Unsupported anything-but pattern: exists");
    CHECK(refusal(R"({"key":[{"anything-but":{"prefix":false}}]})") == p + "prefix match pattern must be a string");
    CHECK(refusal(R"({"key":[{"cidr":["bad-filter"]}]})") == p + "prefix match pattern must be a string");
    CHECK(refusal(R"({"key":[{"cidr":"bad-filter"}]})") == p + "Malformed CIDR, one '/' required");
    CHECK(refusal(R"({"key":[{"exists":null}]})") == p + "exists match pattern must be either true or false.");
    CHECK(refusal(R"({"key":[{"wrong-operator":true}]})") == p + "Unrecognized match type wrong-operator");
    CHECK(refusal(R"({"key":[{"wildcard":"a*"}]})") == p + "Unrecognized match type wildcard");
    CHECK(refusal(R"({"key":[{"suffix":"value","prefix":"value2"}]})") ==
          p + "Only one key allowed in match expression");
    CHECK(refusal(R"({"key":[["value"]]})") == p + "Match value must be String, number, true, false, or null");
    CHECK(refusal(R"({"key":[{"numeric":[">","20","<","30"]}]})") == p + "Value of > must be numeric");
    CHECK(refusal(R"({"key":[{"numeric":[">",20,30]}]})") == p + "Bad value in numeric range: 30");
    CHECK(refusal(R"({"key_a":"value_one"})") == p + "\"key_a\" must be an object or an array");
    CHECK(refusal(R"({"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]})") ==
          p + "Filter policy can not have more than 5 keys");
    CHECK(refusal(R"({"a":[1,2,3,4,5,6,7,8,9,10],"b":[1,2,3,4,5,6,7,8,9,10],"c":[1,2]})") ==
          p + "Filter policy is too complex");
    CHECK(refusal(R"({"a":{"b":["c"]}})") ==
          "Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy");
    CHECK(refusal(R"({"a":{"b":["c"]}})", FilterPolicyScope::MessageBody) == "(accepted)");
    // Subscribe words the same refusal as an attribute of its call.
    CHECK(refusal(R"({"key":[]})", FilterPolicyScope::MessageAttributes, PolicyCaller::Subscribe) ==
          "Invalid parameter: Attributes Reason: FilterPolicy: Empty arrays are not allowed");
}

TEST_CASE("filter policy: matching message attributes", "[sns][filter]") {
    auto policy = FilterPolicy::parse(
        R"({"store":["example_corp"],"price":[{"numeric":[">=",100]}],"interests":[{"anything-but":["rugby"]}],
            "event":[{"prefix":"order-"},{"suffix":"-cancelled"}]})",
        FilterPolicyScope::MessageAttributes, PolicyCaller::SetSubscriptionAttributes);
    Json attrs = {{"store", string_attr("example_corp")},
                  {"price", number_attr("210.75")},
                  {"interests", {{"DataType", "String.Array"}, {"StringValue", R"(["soccer","hockey"])"}}},
                  {"event", string_attr("order-placed")}};
    CHECK(policy.matches_attributes(attrs));
    attrs["event"] = string_attr("x-cancelled");
    CHECK(policy.matches_attributes(attrs));
    attrs["event"] = string_attr("placed");
    CHECK_FALSE(policy.matches_attributes(attrs));
    attrs["event"] = string_attr("order-1");
    attrs["price"] = number_attr("99");
    CHECK_FALSE(policy.matches_attributes(attrs));
    attrs["price"] = string_attr("210");  // a String attribute is no number
    CHECK_FALSE(policy.matches_attributes(attrs));
    attrs["price"] = number_attr("1e3");
    attrs["interests"] = {{"DataType", "String.Array"}, {"StringValue", R"(["rugby"])"}};
    CHECK_FALSE(policy.matches_attributes(attrs));
    attrs.erase("interests");  // anything-but needs the attribute
    CHECK_FALSE(policy.matches_attributes(attrs));

    auto absent = FilterPolicy::parse(R"({"flag":[{"exists":false}],"kind":[{"equals-ignore-case":"BOOK"}]})",
                                      FilterPolicyScope::MessageAttributes, PolicyCaller::Subscribe);
    CHECK(absent.matches_attributes({{"kind", string_attr("book")}}));
    CHECK_FALSE(absent.matches_attributes({{"kind", string_attr("book")}, {"flag", string_attr("x")}}));
    CHECK_FALSE(absent.matches_attributes(Json::object()));

    auto either = FilterPolicy::parse(R"({"$or":[{"a":["1"]},{"b":[2]}]})", FilterPolicyScope::MessageAttributes,
                                      PolicyCaller::Subscribe);
    CHECK(either.matches_attributes({{"a", string_attr("1")}}));
    CHECK(either.matches_attributes({{"b", number_attr("2.0")}}));
    CHECK_FALSE(either.matches_attributes({{"b", string_attr("2")}}));
}

TEST_CASE("filter policy: matching the message body", "[sns][filter]") {
    auto policy = FilterPolicy::parse(R"({"order":{"kind":["book"],"total":[{"numeric":["<",10]}]}})",
                                      FilterPolicyScope::MessageBody, PolicyCaller::Subscribe);
    CHECK(policy.matches_body(R"({"order":{"kind":"book","total":5}})"));
    CHECK(policy.matches_body(R"({"order":{"kind":["pen","book"],"total":5}})"));
    CHECK_FALSE(policy.matches_body(R"({"order":{"kind":"book","total":50}})"));
    CHECK_FALSE(policy.matches_body("not json"));
    CHECK_FALSE(policy.matches_body("[1]"));
    CHECK(FilterPolicy::parse("{}", FilterPolicyScope::MessageBody, PolicyCaller::Subscribe).matches_body("text"));
}

namespace {

struct SnsFixture {
    sluice::testing::DaemonHarness h;

    Json sns(const std::string& op, Json params) {
        return expect_ok(op, h.call(h.daemon.sns(), op, std::move(params)));
    }
    AwsError sns_error(const std::string& op, Json params) {
        auto out = h.call(h.daemon.sns(), op, std::move(params));
        REQUIRE(std::holds_alternative<AwsError>(out));
        return std::get<AwsError>(out);
    }
    Json sqs(const std::string& op, Json params) {
        return expect_ok(op, h.call(h.daemon.sqs(), op, std::move(params)));
    }

    std::pair<std::string, std::string> queue(const std::string& name, bool fifo = false) {
        Json params = {{"QueueName", name}};
        if (fifo) params["Attributes"] = {{"FifoQueue", "true"}};
        auto url = sqs("CreateQueue", params)["QueueUrl"].get<std::string>();
        return {url, "arn:aws:sqs:us-east-1:000000000000:" + name};
    }
    std::vector<Json> receive(const std::string& url) {
        h.run_ready();
        auto r =
            sqs("ReceiveMessage", {{"QueueUrl", url}, {"MaxNumberOfMessages", 10}, {"MessageAttributeNames", {"All"}}});
        std::vector<Json> out;
        if (r.contains("Messages"))
            for (auto& m : r["Messages"]) out.push_back(m);
        return out;
    }
};

}  // namespace

TEST_CASE("sns: publish fans out to subscribed queues through their filters", "[sns]") {
    SnsFixture f;
    auto topic = f.sns("CreateTopic", {{"Name", "orders"}})["TopicArn"].get<std::string>();
    CHECK(topic == "arn:aws:sns:us-east-1:000000000000:orders");
    auto [all_url, all_arn] = f.queue("all");
    auto [red_url, red_arn] = f.queue("red");
    f.sns("Subscribe", {{"TopicArn", topic}, {"Protocol", "sqs"}, {"Endpoint", all_arn}});
    f.sns("Subscribe", {{"TopicArn", topic},
                        {"Protocol", "sqs"},
                        {"Endpoint", red_arn},
                        {"Attributes", {{"FilterPolicy", R"({"color":["red"]})"}, {"RawMessageDelivery", "true"}}}});
    f.sns("Publish",
          {{"TopicArn", topic}, {"Message", "blue one"}, {"MessageAttributes", {{"color", string_attr("blue")}}}});
    f.sns("Publish",
          {{"TopicArn", topic}, {"Message", "red one"}, {"MessageAttributes", {{"color", string_attr("red")}}}});
    auto all = f.receive(all_url);
    REQUIRE(all.size() == 2);
    auto envelope = Json::parse(all[0]["Body"].get<std::string>());
    CHECK(envelope["Type"] == "Notification");
    CHECK(envelope["TopicArn"] == topic);
    CHECK(envelope["Message"] == "blue one");
    CHECK(envelope["Timestamp"] == "2023-11-14T22:13:20.000Z");  // the manual clock's start
    auto red = f.receive(red_url);
    REQUIRE(red.size() == 1);
    CHECK(red[0]["Body"] == "red one");
    CHECK(red[0]["MessageAttributes"]["color"]["StringValue"] == "red");
}

TEST_CASE("sns: a FIFO topic delivers in order and drops duplicates within five minutes", "[sns]") {
    SnsFixture f;
    auto topic = f.sns("CreateTopic",
                       {{"Name", "t.fifo"},
                        {"Attributes", {{"FifoTopic", "true"}, {"ContentBasedDeduplication", "true"}}}})["TopicArn"]
                     .get<std::string>();
    auto [url, arn] = f.queue("q.fifo", true);
    f.sns("Subscribe", {{"TopicArn", topic}, {"Protocol", "sqs"}, {"Endpoint", arn}});
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i)
        ids.push_back(
            f.sns("Publish",
                  {{"TopicArn", topic}, {"Message", "m" + std::to_string(i)}, {"MessageGroupId", "g"}})["MessageId"]
                .get<std::string>());
    auto again = f.sns("Publish", {{"TopicArn", topic}, {"Message", "m0"}, {"MessageGroupId", "g"}});
    CHECK(again["MessageId"] == ids[0]);
    std::vector<std::string> got;
    for (int round = 0; round < 5 && got.size() < 5; ++round)
        for (auto& m : f.receive(url)) {
            got.push_back(Json::parse(m["Body"].get<std::string>())["Message"].get<std::string>());
            f.sqs("DeleteMessage", {{"QueueUrl", url}, {"ReceiptHandle", m["ReceiptHandle"]}});
        }
    CHECK(got == std::vector<std::string>{"m0", "m1", "m2", "m3", "m4"});
    f.h.clock.advance(std::chrono::minutes(6));
    auto later = f.sns("Publish", {{"TopicArn", topic}, {"Message", "m0"}, {"MessageGroupId", "g"}});
    CHECK(later["MessageId"] != ids[0]);
}

TEST_CASE("sns: an undeliverable message goes to the subscription's dead-letter queue", "[sns]") {
    SnsFixture f;
    auto topic = f.sns("CreateTopic", {{"Name", "t"}})["TopicArn"].get<std::string>();
    auto [dlq_url, dlq_arn] = f.queue("dlq");
    f.sns("Subscribe", {{"TopicArn", topic},
                        {"Protocol", "sqs"},
                        {"Endpoint", "arn:aws:sqs:us-east-1:000000000000:never-made"},
                        {"Attributes", {{"RedrivePolicy", Json{{"deadLetterTargetArn", dlq_arn}}.dump()}}}});
    f.sns("Publish", {{"TopicArn", topic}, {"Message", "lost"}});
    auto dead = f.receive(dlq_url);
    REQUIRE(dead.size() == 1);
    CHECK(Json::parse(dead[0]["Body"].get<std::string>())["Message"] == "lost");
}

TEST_CASE("sns: errors in SNS's words", "[sns]") {
    SnsFixture f;
    auto e = f.sns_error("GetTopicAttributes", {{"TopicArn", "arn:aws:sns:us-east-1:000000000000:none"}});
    CHECK(e.query_code == "NotFound");
    CHECK(e.status == 404);
    CHECK(e.message() == "Topic does not exist");
    e = f.sns_error("CreateTopic", {{"Name", "bad name"}});
    CHECK(e.query_code == "InvalidParameter");
    CHECK(e.message() == "Invalid parameter: Topic Name");
    e = f.sns_error("CreateTopic", Json::object());
    CHECK(e.query_code == "ValidationError");
    auto topic = f.sns("CreateTopic", {{"Name", "t"}})["TopicArn"];
    e = f.sns_error("Publish",
                    {{"TopicArn", topic}, {"Message", "x"}, {"MessageGroupId", "g"}, {"MessageDeduplicationId", "d"}});
    CHECK(e.message().starts_with("Invalid parameter: MessageDeduplicationId"));
}
