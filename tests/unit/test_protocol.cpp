#include <catch2/catch.hpp>

#include "sluice/protocol/json_rpc.hpp"
#include "sluice/protocol/query.hpp"
#include "sluice/protocol/sigv4_scope.hpp"
#include "sluice/sqs/errors.hpp"

using namespace sluice::protocol;
using sluice::sqs::model;

namespace {
Json decode_query(const std::string& form) {
    auto params = query::parse_form(form);
    std::string action;
    for (auto& [k, v] : params)
        if (k == "Action") action = v;
    return query::decode(params, model(), *model().operation(action));
}
}  // namespace

TEST_CASE("query decoding follows the model's wire names") {
    auto p = decode_query(
        "Action=SendMessage&QueueUrl=http%3A%2F%2Fh%2F000000000000%2Fq&MessageBody=hi+there&DelaySeconds=5"
        "&MessageAttribute.1.Name=color&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue="
        "red"
        "&MessageAttribute.2.Name=blob&MessageAttribute.2.Value.DataType=Binary&MessageAttribute.2.Value.BinaryValue="
        "AQI%3D"
        "&MessageSystemAttribute.1.Name=AWSTraceHeader&MessageSystemAttribute.1.Value.DataType=String"
        "&MessageSystemAttribute.1.Value.StringValue=Root%3D1");
    CHECK(p["QueueUrl"] == "http://h/000000000000/q");
    CHECK(p["MessageBody"] == "hi there");
    CHECK(p["DelaySeconds"] == 5);
    CHECK(p["MessageAttributes"]["color"]["StringValue"] == "red");
    CHECK(p["MessageAttributes"]["blob"]["BinaryValue"] == "AQI=");
    CHECK(p["MessageSystemAttributes"]["AWSTraceHeader"]["StringValue"] == "Root=1");
}

TEST_CASE("query decoding: flattened lists, maps and batch entries in index order") {
    auto p = decode_query(
        "Action=SendMessageBatch&QueueUrl=u&SendMessageBatchRequestEntry.2.Id=b&SendMessageBatchRequestEntry.2."
        "MessageBody=two"
        "&SendMessageBatchRequestEntry.10.Id=c&SendMessageBatchRequestEntry.10.MessageBody=ten"
        "&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=one");
    REQUIRE(p["Entries"].size() == 3);
    CHECK(p["Entries"][0]["Id"] == "a");
    CHECK(p["Entries"][1]["Id"] == "b");
    CHECK(p["Entries"][2]["Id"] == "c");

    auto c = decode_query(
        "Action=CreateQueue&QueueName=q&Attribute.1.Name=DelaySeconds&Attribute.1.Value=3"
        "&Attribute.2.Name=VisibilityTimeout&Attribute.2.Value=9&Tag.1.Key=team&Tag.1.Value=blue");
    CHECK(c["Attributes"]["DelaySeconds"] == "3");
    CHECK(c["Attributes"]["VisibilityTimeout"] == "9");
    CHECK(c["tags"]["team"] == "blue");

    auto r = decode_query(
        "Action=ReceiveMessage&QueueUrl=u&AttributeName.1=All&MessageAttributeName.1=a&MessageAttributeName.2=b");
    CHECK(r["AttributeNames"] == Json::array({"All"}));
    CHECK(r["MessageAttributeNames"] == Json::array({"a", "b"}));
}

TEST_CASE("query decoding rejects values of the wrong type") {
    try {
        decode_query("Action=ReceiveMessage&QueueUrl=u&MaxNumberOfMessages=ten");
        FAIL("expected an error");
    } catch (const AwsError& e) {
        CHECK(e.query_code == "InvalidParameterValue");
        CHECK(e.status == 400);
    }
}

TEST_CASE("query results are XML shaped by the model") {
    Json result = {{"Messages",
                    {{{"MessageId", "m1"},
                      {"Body", "<b>&\"x\""},
                      {"Attributes", {{"SenderId", "1"}}},
                      {"MessageAttributes", {{"k", {{"DataType", "String"}, {"StringValue", "v"}}}}}}}}};
    auto xml = query::encode_result(result, model(), *model().operation("ReceiveMessage"), "rid");
    CHECK(
        xml.find(
            R"(<ReceiveMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><ReceiveMessageResult><Message>)") !=
        std::string::npos);
    CHECK(xml.find("<Body>&lt;b&gt;&amp;&quot;x&quot;</Body>") != std::string::npos);
    CHECK(xml.find("<Attribute><Name>SenderId</Name><Value>1</Value></Attribute>") != std::string::npos);
    CHECK(xml.find("<MessageAttribute><Name>k</Name><Value><StringValue>v</StringValue><DataType>String</DataType></"
                   "Value></MessageAttribute>") != std::string::npos);
    CHECK(xml.find("<ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></ReceiveMessageResponse>") !=
          std::string::npos);

    auto urls = query::encode_result({{"QueueUrls", {"a", "b"}}}, model(), *model().operation("ListQueues"), "r");
    CHECK(urls.find("<ListQueuesResult><QueueUrl>a</QueueUrl><QueueUrl>b</QueueUrl></ListQueuesResult>") !=
          std::string::npos);

    auto none = query::encode_result(Json::object(), model(), *model().operation("DeleteMessage"), "r");
    CHECK(none.find("<DeleteMessageResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><ResponseMetadata>") !=
          std::string::npos);
}

TEST_CASE("errors carry the legacy code in query XML and in the JSON header") {
    auto e = sluice::sqs::queue_does_not_exist();
    auto xml = query::encode_error(e, model().xml_namespace(), "rid");
    CHECK(xml.find("<Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code>") != std::string::npos);
    CHECK(xml.find("<Message>The specified queue does not exist for this wsdl version.</Message>") !=
          std::string::npos);

    auto r = json_rpc::encode_error(e, model());
    CHECK(r.status == 400);
    auto body = Json::parse(r.body);
    CHECK(body["__type"] == "com.amazonaws.sqs#QueueDoesNotExist");
    CHECK(body["message"] == "The specified queue does not exist.");
    bool header = false;
    for (auto& [k, v] : r.headers)
        if (k == "x-amzn-query-error") header = v == "AWS.SimpleQueueService.NonExistentQueue;Sender";
    CHECK(header);

    auto purge = sluice::sqs::error("PurgeQueueInProgress", "m");
    CHECK(purge.status == 403);
    CHECK(purge.query_code == "AWS.SimpleQueueService.PurgeQueueInProgress");

    auto generic = json_rpc::encode_error(common_errors::invalid_parameter_value("bad"), model());
    CHECK(Json::parse(generic.body)["__type"] == "com.amazon.coral.service#InvalidParameterValueException");
}

TEST_CASE("JSON bodies are checked against the input shape") {
    const auto& send = *model().operation("SendMessage")->input;
    CHECK_NOTHROW(json_rpc::check_types(Json{{"QueueUrl", "u"}, {"MessageBody", "b"}, {"DelaySeconds", 3}}, send));
    CHECK_THROWS_AS(json_rpc::check_types(Json{{"QueueUrl", 5}}, send), AwsError);
    CHECK_THROWS_AS(json_rpc::check_types(Json{{"DelaySeconds", "3"}}, send), AwsError);
    CHECK_THROWS_AS(json_rpc::check_types(
                        Json{{"MessageAttributes", {{"a", {{"DataType", "Binary"}, {"BinaryValue", "!!"}}}}}}, send),
                    AwsError);
    CHECK_THROWS_AS(json_rpc::decode_body("{not json"), AwsError);
    CHECK_THROWS_AS(json_rpc::decode_body("[1]"), AwsError);
    CHECK(json_rpc::decode_body("").is_object());
}

TEST_CASE("the SigV4 credential scope names account key, region and service") {
    HttpRequest r;
    r.headers = {{"authorization",
                  "AWS4-HMAC-SHA256 Credential=123456789012/20240101/eu-west-2/sqs/aws4_request, SignedHeaders=host, "
                  "Signature=x"}};
    auto s = credential_scope(r);
    REQUIRE(s);
    CHECK(s->access_key_id == "123456789012");
    CHECK(s->region == "eu-west-2");
    CHECK(s->service == "sqs");
    HttpRequest presigned;
    presigned.target = "/?X-Amz-Credential=AKID%2F20240101%2Fus-west-1%2Fsqs%2Faws4_request&X-Amz-Date=x";
    REQUIRE(credential_scope(presigned));
    CHECK(credential_scope(presigned)->region == "us-west-1");
    HttpRequest garbage;
    garbage.headers = {{"Authorization", "AWS4-HMAC-SHA256 Credential=onlykey"}};
    CHECK_FALSE(credential_scope(garbage));
}

TEST_CASE("an empty query result is written as an empty element (AWS: <ReceiveMessageResult/>)", "[sqs]") {
    // LocalStack test_sqs.py test_get_send_and_receive_messages, recorded on AWS: <ReceiveMessageResult/>.
    auto empty = query::encode_result(Json::object(), model(), *model().operation("ReceiveMessage"), "r");
    CHECK(empty.find("<ReceiveMessageResult/><ResponseMetadata>") != std::string::npos);
    auto one = query::encode_result({{"QueueUrls", {"a"}}}, model(), *model().operation("ListQueues"), "r");
    CHECK(one.find("<ListQueuesResult><QueueUrl>a</QueueUrl></ListQueuesResult>") != std::string::npos);
}

TEST_CASE("a query client that asks for JSON gets it; every other Accept keeps XML", "[sqs]") {
    CHECK(query::wants_json("application/json"));
    CHECK(query::wants_json("Application/JSON; charset=utf-8"));
    CHECK(query::wants_json("text/xml;q=0.5, application/json"));
    CHECK_FALSE(query::wants_json(""));
    CHECK_FALSE(query::wants_json("*/*"));
    CHECK_FALSE(query::wants_json("text/xml"));
    CHECK_FALSE(query::wants_json("application/json;q=0.2, application/xml"));
    CHECK_FALSE(query::wants_json("application/json;q=0"));
    CHECK_FALSE(query::wants_json("application/json;q=abc"));
}

TEST_CASE("the JSON form of query answers mirrors the output shape as AWS writes it", "[sqs]") {
    // Recorded on AWS (docs/research/sqs-behaviour.md, row 5d): an empty receive is {"messages": null};
    // list members are lower camel case; absent members are null; maps are [{Name, Value}] lists.
    auto empty = Json::parse(query::encode_result_json(Json::object(), *model().operation("ReceiveMessage"), "r1"));
    CHECK(empty == Json::parse(R"({"ReceiveMessageResponse": {"ReceiveMessageResult": {"messages": null},
                                   "ResponseMetadata": {"RequestId": "r1"}}})"));
    Json message = {{"MessageId", "m"}, {"ReceiptHandle", "h"}, {"MD5OfBody", "d"}, {"Body", "b"}};
    auto one =
        Json::parse(query::encode_result_json({{"Messages", {message}}}, *model().operation("ReceiveMessage"), "r"));
    CHECK(one["ReceiveMessageResponse"]["ReceiveMessageResult"]["messages"][0] ==
          Json::parse(R"({"Attributes": null, "Body": "b", "MD5OfBody": "d", "MD5OfMessageAttributes": null,
                          "MessageAttributes": null, "MessageId": "m", "ReceiptHandle": "h"})"));
    auto urls = Json::parse(query::encode_result_json({{"QueueUrls", {"a"}}}, *model().operation("ListQueues"), "r"));
    CHECK(urls["ListQueuesResponse"]["ListQueuesResult"] == Json::parse(R"({"NextToken": null, "queueUrls": ["a"]})"));
    auto attrs = Json::parse(query::encode_result_json({{"Attributes", {{"QueueArn", "arn:q"}}}},
                                                       *model().operation("GetQueueAttributes"), "r"));
    CHECK(attrs["GetQueueAttributesResponse"]["GetQueueAttributesResult"]["Attributes"] ==
          Json::parse(R"([{"Name": "QueueArn", "Value": "arn:q"}])"));
    auto none = Json::parse(query::encode_result_json(Json::object(), *model().operation("DeleteMessage"), "r"));
    CHECK(none == Json::parse(R"({"DeleteMessageResponse": {"ResponseMetadata": {"RequestId": "r"}}})"));
}

TEST_CASE("query errors in JSON carry the legacy code, the query wording and the fault", "[sqs]") {
    auto doc = Json::parse(query::encode_error_json(sluice::sqs::queue_does_not_exist(), "rid"));
    CHECK(doc == Json::parse(R"({"Error": {"Code": "AWS.SimpleQueueService.NonExistentQueue",
                                           "Message": "The specified queue does not exist for this wsdl version.",
                                           "Type": "Sender"}, "RequestId": "rid"})"));
    // An unknown Action is quoted in the message, and need not be UTF-8: the answer stays valid JSON.
    auto bad = query::encode_error_json(common_errors::invalid_action("\xff"), "r");
    CHECK(Json::accept(bad));
}
