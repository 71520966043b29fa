// EventBridge event patterns (src/events). Cases marked "AWS" come from LocalStack's pattern
// templates recorded against real EventBridge (tests/aws/services/events/event_pattern_templates,
// snapshot test_events_patterns.snapshot.json); the rest follow the AWS user guide and aws/event-ruler.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "sluice/events/event_pattern.hpp"

using sluice::events::EventPattern;
using sluice::events::PatternError;
using Json = nlohmann::json;

namespace {

bool match(std::string_view pattern, std::string_view event) {
    return EventPattern::parse(pattern).matches(Json::parse(event));
}

std::string error_of(std::string_view pattern) {
    try {
        EventPattern::parse(pattern);
    } catch (const PatternError& error) {
        return error.what();
    }
    return "(accepted)";
}

}  // namespace

TEST_CASE("event pattern: exact strings, numbers, null and booleans", "[event_pattern]") {
    const char* pattern = R"({"source": ["aws.ec2", "aws.fargate"], "detail": {"state": ["running"]}})";
    CHECK(match(pattern, R"({"source": "aws.ec2", "detail": {"state": "running", "other": 1}})"));
    CHECK(match(pattern, R"({"source": "aws.fargate", "detail": {"state": "running"}})"));
    CHECK_FALSE(match(pattern, R"({"source": "aws.s3", "detail": {"state": "running"}})"));
    CHECK_FALSE(match(pattern, R"({"source": "aws.ec2", "detail": {"state": "Running"}})"));  // case-sensitive
    CHECK_FALSE(match(pattern, R"({"source": "aws.ec2"})"));                                  // every field must match
    CHECK_FALSE(match(R"({"Source": ["aws.ec2"]})", R"({"source": "aws.ec2"})"));             // keys are case-sensitive

    CHECK(match(R"({"v": [null]})", R"({"v": null})"));
    CHECK_FALSE(match(R"({"v": [null]})", R"({"v": ""})"));  // null and "" are different (AWS docs)
    CHECK_FALSE(match(R"({"v": [""]})", R"({"v": null})"));
    CHECK(match(R"({"v": [""]})", R"({"v": ""})"));
    CHECK_FALSE(match(R"({"v": [null]})", R"({"w": 1})"));

    CHECK(match(R"({"v": [true]})", R"({"v": true})"));
    CHECK_FALSE(match(R"({"v": [true]})", R"({"v": false})"));
    CHECK_FALSE(match(R"({"v": [true]})", R"({"v": "true"})"));
    CHECK_FALSE(match(R"({"v": ["true"]})", R"({"v": true})"));
    CHECK(match(R"({"v": [false, "x"]})", R"({"v": false})"));
}

TEST_CASE("event pattern: numbers compare by value", "[event_pattern]") {
    CHECK(match(R"({"n": [300]})", R"({"n": 300.0})"));  // AWS: number_comparison_float
    CHECK(match(R"({"n": [5.0]})", R"({"n": 5})"));
    CHECK(match(R"({"n": [3.018e2]})", R"({"n": 301.8})"));
    CHECK(match(R"({"n": [-7]})", R"({"n": -7.0})"));
    CHECK(match(R"({"n": [1e2]})", R"({"n": 100})"));
    CHECK_FALSE(match(R"({"n": [5]})", R"({"n": 5.000001})"));
    CHECK_FALSE(match(R"({"n": [5]})", R"({"n": "5"})"));  // a string is not a number
    CHECK_FALSE(match(R"({"n": ["5"]})", R"({"n": 5})"));
    CHECK_FALSE(match(R"({"n": [-7]})", R"({"n": 7})"));
    // Integers beyond 2^53 compare exactly when both sides are integers.
    CHECK(match(R"({"n": [9007199254740993]})", R"({"n": 9007199254740993})"));
    CHECK_FALSE(match(R"({"n": [9007199254740993]})", R"({"n": 9007199254740992})"));
    CHECK(match(R"({"n": [18446744073709551615]})", R"({"n": 18446744073709551615})"));
    CHECK_FALSE(match(R"({"n": [-1]})", R"({"n": 18446744073709551615})"));
}

TEST_CASE("event pattern: arrays in events are sets", "[event_pattern]") {
    const char* pattern = R"({"resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f", "arn:other"]})";
    // AWS: arrays / arrays_NEG
    CHECK(
        match(pattern,
              R"({"resources": ["arn:aws:autoscaling:x", "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"]})"));
    CHECK_FALSE(match(pattern, R"({"resources": ["arn:aws:autoscaling:x"]})"));
    CHECK_FALSE(match(R"({"resources": [null]})", R"({"resources": []})"));  // AWS: arrays_empty_null_NEG
    CHECK(match(R"({"v": [3]})", R"({"v": [[1, 2], [3]]})"));                // nested arrays are flattened
    CHECK_FALSE(match(R"({"v": [4]})", R"({"v": [[1, 2], [3]]})"));
    CHECK(match(R"({"v": [{"prefix": "b"}]})", R"({"v": ["a", "bc", 7]})"));
    CHECK_FALSE(match(R"({"v": [{"prefix": "z"}]})", R"({"v": ["a", "bc", 7]})"));
}

TEST_CASE("event pattern: objects in arrays match element by element", "[event_pattern]") {
    const char* employees = R"({"employees": [{"firstName": "John", "lastName": "Doe"},
                                               {"firstName": "Anna", "lastName": "Smith"},
                                               {"firstName": "Peter", "lastName": "Jones"}]})";
    CHECK(match(R"({"employees": {"firstName": ["Anna"]}})", employees));
    CHECK(match(R"({"employees": {"firstName": ["Anna"], "lastName": ["Smith"]}})", employees));
    // Two fields from different elements of one array never match together (event-ruler's array consistency).
    CHECK_FALSE(match(R"({"employees": {"firstName": ["Anna"], "lastName": ["Jones"]}})", employees));
    const char* nested = R"({"employees": [[{"firstName": "John"}, {"firstName": "Anna", "lastName": "Smith"}],
                                            [{"firstName": "Peter", "lastName": "Jones"}]]})";
    CHECK(match(R"({"employees": {"firstName": ["Anna"], "lastName": ["Smith"]}})", nested));
    CHECK_FALSE(match(R"({"employees": {"firstName": ["Anna"], "lastName": ["Jones"]}})", nested));
    // AWS: list_within_dict
    CHECK(match(R"({"detail": {"automations": {"id": [{"exists": true}]}}})",
                R"({"detail": {"automations": [{"key1": "value1"}, {"id": "x"}, {"key2": "value2"}]}})"));
    CHECK_FALSE(match(R"({"detail": {"automations": {"id": [{"exists": true}]}}})",
                      R"({"detail": {"automations": [{"key1": "value1"}, {"key2": "value2"}]}})"));
}

TEST_CASE("event pattern: objects and leaves must line up", "[event_pattern]") {
    // A leaf array against an object in the event: the object is not a value.
    CHECK_FALSE(match(R"({"detail": ["x"]})", R"({"detail": {"a": "x"}})"));
    CHECK_FALSE(match(R"({"detail": [{"prefix": ""}]})", R"({"detail": {"a": "x"}})"));
    // A nested pattern against a value: nothing is found under it.
    CHECK_FALSE(match(R"({"detail": {"a": ["x"]}})", R"({"detail": "x"})"));
    CHECK_FALSE(match(R"({"detail": {"a": ["x"]}})", R"({"detail": ["x"]})"));
    // AWS: nested_json_NEG (a JSON string is not parsed)
    CHECK_FALSE(match(R"({"detail": {"my-key": ["my-value"]}})", R"({"detail": "{\"my-key\": \"my-value\"}"})"));
    CHECK(match(R"({"a": {"b": {"c": [1]}}})", R"({"a": {"b": {"c": 1, "d": 2}}})"));
    CHECK_FALSE(match(R"({"a": {"b": {"c": [1]}}})", R"({"a": {"x": {"c": 1}}})"));
}

TEST_CASE("event pattern: prefix, suffix and equals-ignore-case", "[event_pattern]") {
    CHECK(match(R"({"time": [{"prefix": "2017-10-02"}]})", R"({"time": "2017-10-02T18:43:48Z"})"));
    CHECK_FALSE(match(R"({"time": [{"prefix": "2017-10-02"}]})", R"({"time": "2017-10-03T18:43:48Z"})"));
    CHECK_FALSE(match(R"({"n": [{"prefix": "1"}]})", R"({"n": 12})"));             // strings only
    CHECK(match(R"({"source": [{"prefix": ""}]})", R"({"source": "anything"})"));  // AWS: content_prefix_empty
    CHECK_FALSE(match(R"({"source": [{"prefix": ""}]})", R"({"source": null})"));

    CHECK(match(R"({"f": [{"suffix": ".png"}]})", R"({"f": "image.png"})"));
    CHECK_FALSE(match(R"({"f": [{"suffix": ".png"}]})", R"({"f": "image.PNG"})"));
    CHECK_FALSE(match(R"({"f": [{"suffix": ".png"}]})", R"({"f": "png"})"));

    CHECK(match(R"({"s": [{"prefix": {"equals-ignore-case": "EventB"}}]})", R"({"s": "eventbridge"})"));
    CHECK(match(R"({"s": [{"prefix": {"equals-ignore-case": "EventB"}}]})", R"({"s": "EVENTBRIDGE"})"));
    CHECK_FALSE(match(R"({"s": [{"prefix": {"equals-ignore-case": "EventB"}}]})", R"({"s": "event"})"));
    CHECK(match(R"({"f": [{"suffix": {"equals-ignore-case": ".png"}}]})", R"({"f": "A.PNG"})"));
    CHECK_FALSE(match(R"({"f": [{"suffix": {"equals-ignore-case": ".png"}}]})", R"({"f": "A.PNGX"})"));

    CHECK(match(R"({"n": [{"equals-ignore-case": "alice"}]})", R"({"n": "ALICE"})"));
    CHECK_FALSE(match(R"({"n": [{"equals-ignore-case": "alice"}]})", R"({"n": "alicee"})"));
    CHECK_FALSE(match(R"({"n": [{"equals-ignore-case": "alice"}]})", R"({"n": "alic"})"));
    CHECK(match(R"({"v": [{"equals-ignore-case": ""}]})", R"({"v": ""})"));  // AWS: content_ignorecase_empty
    CHECK_FALSE(match(R"({"v": [{"equals-ignore-case": ""}]})", R"({"v": "test-value"})"));
    // Beyond ASCII: Latin-1, Greek, Cyrillic.
    CHECK(match(R"({"v": [{"equals-ignore-case": "ÉTÉ"}]})", R"({"v": "été"})"));
    CHECK(match(R"({"v": [{"equals-ignore-case": "ΣΟΦΙΑ"}]})", R"({"v": "σοφια"})"));
    CHECK(match(R"({"v": [{"prefix": {"equals-ignore-case": "москва"}}]})", R"({"v": "МОСКВА-1"})"));
    CHECK(match(R"({"v": [{"suffix": {"equals-ignore-case": "É"}}]})", R"({"v": "café"})"));
    CHECK_FALSE(match(R"({"v": [{"suffix": {"equals-ignore-case": "É"}}]})", R"({"v": "cafe"})"));
}

TEST_CASE("event pattern: wildcards", "[event_pattern]") {
    CHECK(match(R"({"a": [{"wildcard": "*bc"}]})", R"({"a": "abcbc"})"));
    CHECK(match(R"({"b": [{"wildcard": "d*f"}]})", R"({"b": "deeeef"})"));
    CHECK_FALSE(match(R"({"b": [{"wildcard": "d*f"}]})", R"({"b": "deeeefx"})"));
    CHECK(match(R"({"c": [{"wildcard": "xy*"}]})", R"({"c": "xy"})"));  // a star matches nothing too
    CHECK(match(R"({"p": [{"wildcard": "*/lib/*.jar"}]})", R"({"p": "/opt/lib/x.jar"})"));
    CHECK_FALSE(match(R"({"p": [{"wildcard": "*/lib/*.jar"}]})", R"({"p": "/opt/bin/x.jar"})"));
    CHECK(match(R"({"p": [{"wildcard": "a*b*a"}]})", R"({"p": "aba"})"));
    CHECK_FALSE(match(R"({"p": [{"wildcard": "a*b*a"}]})", R"({"p": "ab"})"));
    CHECK(match(R"({"arn": [{"wildcard": "arn:aws:events:*:*:event-bus/*"}]})",
                R"({"arn": "arn:aws:events:us-east-1:123456789012:event-bus/myEventBus"})"));
    // Escapes: \* is a star, \\ a backslash.
    CHECK(match(R"({"p": [{"wildcard": "a\\*b"}]})", R"({"p": "a*b"})"));
    CHECK_FALSE(match(R"({"p": [{"wildcard": "a\\*b"}]})", R"({"p": "axb"})"));
    CHECK(match(R"({"p": [{"wildcard": "a\\\\*"}]})", R"({"p": "a\\zz"})"));
    CHECK_FALSE(match(R"({"p": [{"wildcard": "a\\\\*"}]})", R"({"p": "azz"})"));
    CHECK(match(R"({"p": [{"wildcard": ""}]})", R"({"p": ""})"));
    CHECK_FALSE(match(R"({"p": [{"wildcard": ""}]})", R"({"p": "x"})"));  // AWS: content_wildcard_empty_NEG
    CHECK_FALSE(match(R"({"p": [{"wildcard": "*"}]})", R"({"p": 5})"));
    CHECK(match(R"({"p": [{"wildcard": "*"}]})", R"({"p": ""})"));
    // Repetitive pieces are found in linear time (Knuth-Morris-Pratt), and correctly.
    const std::string piece(3000, 'a');
    const std::string long_value(100000, 'a');
    const std::string pattern = R"({"p": [{"wildcard": "x*)" + piece + R"(b*y"}]})";
    CHECK_FALSE(match(pattern, R"({"p": "x)" + long_value + R"(y"})"));
    CHECK(match(pattern, R"({"p": "x)" + long_value + R"(by"})"));
    CHECK(match(R"({"p": [{"wildcard": "*abab*"}]})", R"({"p": "aabaabab"})"));
    CHECK_FALSE(match(R"({"p": [{"wildcard": "*abab*"}]})", R"({"p": "aabaaba"})"));
}

TEST_CASE("event pattern: anything-but", "[event_pattern]") {
    const char* single = R"({"detail": {"state": [{"anything-but": "initializing"}]}})";
    CHECK(match(single, R"({"detail": {"state": "running"}})"));
    CHECK_FALSE(match(single, R"({"detail": {"state": "initializing"}})"));
    CHECK(match(single, R"({"detail": {"state": null}})"));  // AWS: content_anything_but_string_null
    CHECK(match(single, R"({"detail": {"state": 5}})"));
    CHECK_FALSE(match(single, R"({"detail": {}})"));  // AWS: content_anything_but_string_missing_NEG
    CHECK(match(single, R"({"detail": {"state": ["initializing", "running"]}})"));
    CHECK_FALSE(match(single, R"({"detail": {"state": ["initializing"]}})"));

    const char* list = R"({"state": [{"anything-but": ["stopped", "overloaded"]}]})";
    CHECK(match(list, R"({"state": "running"})"));
    CHECK_FALSE(match(list, R"({"state": "overloaded"})"));

    const char* numbers = R"({"x": [{"anything-but": [100, 200, 300]}]})";
    CHECK(match(numbers, R"({"x": 101})"));
    CHECK_FALSE(match(numbers, R"({"x": 200.0})"));
    CHECK(match(numbers, R"({"x": "200"})"));                          // a string is never one of the excluded numbers
    CHECK(match(R"({"x": [{"anything-but": 0}]})", R"({"x": 789})"));  // AWS: content_anything_but_number_zero
    CHECK_FALSE(match(R"({"x": [{"anything-but": 0}]})", R"({"x": -0.0})"));
    CHECK(match(R"({"x": [{"anything-but": "5"}]})", R"({"x": 5})"));

    const char* prefix = R"({"state": [{"anything-but": {"prefix": "init"}}]})";
    CHECK(match(prefix, R"({"state": "running"})"));
    CHECK_FALSE(match(prefix, R"({"state": "initializing"})"));
    CHECK(match(prefix, R"({"state": 12})"));    // AWS: content_anything_prefix_int_value
    CHECK(match(prefix, R"({"state": null})"));  // AWS: content_anything_prefix_null
    CHECK_FALSE(match(R"({"s": [{"anything-but": {"prefix": ["init", "error"]}}]})", R"({"s": "error-1"})"));
    CHECK(match(R"({"s": [{"anything-but": {"prefix": ["init", "error"]}}]})", R"({"s": "ok"})"));

    CHECK(match(R"({"f": [{"anything-but": {"suffix": ".png"}}]})", R"({"f": "a.jpg"})"));
    CHECK_FALSE(match(R"({"f": [{"anything-but": {"suffix": [".png", ".jpg"]}}]})", R"({"f": "a.jpg"})"));

    const char* ignore_case = R"({"s": [{"anything-but": {"equals-ignore-case": ["Stopped", "OverLoaded"]}}]})";
    CHECK(match(ignore_case, R"({"s": "running"})"));
    CHECK_FALSE(match(ignore_case, R"({"s": "STOPPED"})"));
    CHECK_FALSE(match(ignore_case, R"({"s": "overloaded"})"));

    const char* wildcard = R"({"p": [{"anything-but": {"wildcard": ["*/bin/*.jar", "*/bin/*.class"]}}]})";
    CHECK(match(wildcard, R"({"p": "/usr/lib/x.jar"})"));
    CHECK_FALSE(match(wildcard, R"({"p": "/usr/bin/x.class"})"));
    CHECK(match(wildcard, R"({"p": 123})"));  // AWS: content_anything_wildcard_int
    CHECK(match(R"({"p": [{"anything-but": {"wildcard": ""}}]})", R"({"p": "dir/init/file"})"));  // AWS
    // An anything-but over an empty set excludes nothing.
    CHECK(match(R"({"p": [{"anything-but": {"prefix": []}}]})", R"({"p": "x"})"));
}

TEST_CASE("event pattern: numeric ranges", "[event_pattern]") {
    const char* range = R"({"c": [{"numeric": [">", 0, "<=", 5]}]})";
    CHECK(match(range, R"({"c": 5})"));
    CHECK(match(range, R"({"c": 0.000001})"));
    CHECK_FALSE(match(range, R"({"c": 0})"));
    CHECK_FALSE(match(range, R"({"c": 5.0000001})"));
    CHECK_FALSE(match(range, R"({"c": "3"})"));   // AWS: numeric-string_NEG
    CHECK_FALSE(match(range, R"({"c": null})"));  // AWS: numeric-null_NEG
    CHECK(match(range, R"({"c": [10, 3]})"));
    CHECK(match(R"({"c": [{"numeric": [">=", -10, "<", -5]}]})", R"({"c": -10})"));
    CHECK_FALSE(match(R"({"c": [{"numeric": [">=", -10, "<", -5]}]})", R"({"c": -5})"));
    CHECK(match(R"({"c": [{"numeric": ["<", 10]}]})", R"({"c": -1e9})"));
    CHECK_FALSE(match(R"({"c": [{"numeric": ["<", 10]}]})", R"({"c": 10})"));
    CHECK(match(R"({"c": [{"numeric": ["<=", 10]}]})", R"({"c": 10})"));
    CHECK(match(R"({"x": [{"numeric": ["=", 3.018e2]}]})", R"({"x": 301.8})"));
    CHECK_FALSE(match(R"({"x": [{"numeric": ["=", 3.018e2]}]})", R"({"x": 301.9})"));
    CHECK(match(R"({"n": [{"numeric": [">", 100]}]})", R"({"n": 101.0})"));  // AWS: numeric-int-float
    // Several ranges in one leaf: any of them.
    CHECK(match(R"({"n": [{"numeric": ["<", 0]}, {"numeric": [">", 100]}]})", R"({"n": 150})"));
    CHECK_FALSE(match(R"({"n": [{"numeric": ["<", 0]}, {"numeric": [">", 100]}]})", R"({"n": 50})"));
    CHECK(match(R"({"n": [{"numeric": [">=", -5e9, "<=", 5e9]}]})", R"({"n": 5e9})"));
}

TEST_CASE("event pattern: exists", "[event_pattern]") {
    const char* exists = R"({"detail": {"c": [{"exists": true}]}})";
    CHECK(match(exists, R"({"detail": {"c": 5}})"));
    CHECK(match(exists, R"({"detail": {"c": null}})"));  // null is a value
    CHECK(match(exists, R"({"detail": {"c": ""}})"));
    CHECK(match(exists, R"({"detail": {"c": [1]}})"));
    CHECK_FALSE(match(exists, R"({"detail": {"d": 5}})"));
    CHECK_FALSE(match(exists, R"({"detail": {"c": []}})"));           // AWS: exists_list_empty_NEG
    CHECK_FALSE(match(exists, R"({"detail": {"c": {"c1": 100}}})"));  // only leaves exist (AWS: exists_dynamodb_NEG)

    const char* absent = R"({"detail": {"c": [{"exists": false}]}})";
    CHECK(match(absent, R"({"detail": {"d": 5}})"));
    CHECK(match(absent, R"({"other": 1})"));
    CHECK(match(absent, R"({"detail": {"c": {"c1": 100}}})"));  // an object is not a leaf (event-ruler README)
    CHECK(match(absent, R"({"detail": {"c": []}})"));
    CHECK_FALSE(match(absent, R"({"detail": {"c": null}})"));
    CHECK_FALSE(match(absent, R"({"detail": {"c": [1]}})"));
    // AWS: content_exists_false / content_exists_false_NEG
    CHECK(match(R"({"detail": {"level1": {"level2:": {"level3": {"level4": [{"exists": false}]}}}}})",
                R"({"detail": {"level1": {"level2": "l2 value"}}})"));
    CHECK_FALSE(match(R"({"detail": {"level1": {"level2": {"level3": {"level4": [{"exists": false}]}}}}})",
                      R"({"detail": {"level1": {"level2": {"level3": {"level4": "l4 value"}}}}})"));
    // AWS: exists_dynamodb
    CHECK(match(R"({"dynamodb": {"presentKey": {"S": [{"exists": true}]}}})",
                R"({"dynamodb": {"id": {"S": "test1234"}, "presentKey": {"S": "test123"}}})"));
    // In an array of objects, a field is absent only when no element has it.
    const char* in_array = R"({"records": {"error": [{"exists": false}]}})";
    CHECK(match(in_array, R"({"records": [{"id": 1}, {"id": 2}]})"));
    CHECK(match(in_array, R"({"records": []})"));
    CHECK_FALSE(match(in_array, R"({"records": [{"id": 1}, {"id": 2, "error": "x"}]})"));
    // With a condition that picks an element, the absence is checked in that element.
    const char* picked = R"({"records": {"id": [2], "error": [{"exists": false}]}})";
    CHECK(match(picked, R"({"records": [{"id": 1, "error": "x"}, {"id": 2}]})"));
    CHECK_FALSE(match(picked, R"({"records": [{"id": 1}, {"id": 2, "error": "x"}]})"));
    // AWS: or-exists / or-exists-parent: a value or its absence.
    const char* either =
        R"({"dynamodb": {"NewImage": {"homemade": {"S": [{"anything-but": ["roses"]}, {"exists": false}]}}}})";
    CHECK(match(either, R"({"dynamodb": {"NewImage": {"homemade": {"N": "789"}}}})"));
    CHECK(match(either, R"({"dynamodb": {"NewImage": {"purchased": {"N": "789"}}}})"));
    CHECK(match(either, R"({"dynamodb": {"NewImage": {"homemade": {"S": "tulips"}}}})"));
    CHECK_FALSE(match(either, R"({"dynamodb": {"NewImage": {"homemade": {"S": "roses"}}}})"));
    // Under an empty array nothing is present.
    CHECK(match(R"({"a": {"b": ["x", {"exists": false}]}})", R"({"a": []})"));
    CHECK_FALSE(match(R"({"a": {"b": ["x"]}})", R"({"a": []})"));
}

TEST_CASE("event pattern: IP addresses and cidr", "[event_pattern]") {
    const char* v4 = R"({"detail": {"source-ip": [{"cidr": "10.0.0.0/24"}]}})";
    CHECK(match(v4, R"({"detail": {"source-ip": "10.0.0.33"}})"));
    CHECK(match(v4, R"({"detail": {"source-ip": "10.0.0.255"}})"));
    CHECK(match(v4, R"({"detail": {"source-ip": "10.0.0.0"}})"));
    CHECK_FALSE(match(v4, R"({"detail": {"source-ip": "10.0.1.0"}})"));
    CHECK_FALSE(match(v4, R"({"detail": {"source-ip": "9.255.255.255"}})"));
    CHECK_FALSE(match(v4, R"({"detail": {"source-ip": "10.0.0.300"}})"));
    CHECK_FALSE(match(v4, R"({"detail": {"source-ip": 123}})"));  // AWS: content_ip_address_bad_type_NEG
    CHECK_FALSE(match(v4, R"({"detail": {"source-ip": "host.example"}})"));
    CHECK(match(v4, R"({"detail": {"source-ip": "::ffff:a00:1"}})"));  // IPv4-mapped, read as IPv4
    CHECK(match(R"({"ip": [{"cidr": "0.0.0.0/0"}]})", R"({"ip": "255.1.2.3"})"));
    CHECK_FALSE(match(R"({"ip": [{"cidr": "0.0.0.0/0"}]})", R"({"ip": "::1"})"));  // families do not mix
    CHECK(match(R"({"ip": [{"cidr": "10.1.2.3/31"}]})", R"({"ip": "10.1.2.2"})"));
    CHECK_FALSE(match(R"({"ip": [{"cidr": "10.1.2.3/31"}]})", R"({"ip": "10.1.2.4"})"));

    const char* v6 = R"({"ip": [{"cidr": "2001:db8::/32"}]})";
    CHECK(match(v6, R"({"ip": "2001:DB8:ffff::1"})"));
    CHECK(match(v6, R"({"ip": "2001:0db8:0000:0000:0000:0000:0000:0001"})"));
    CHECK_FALSE(match(v6, R"({"ip": "2001:db9::"})"));
    CHECK_FALSE(match(v6, R"({"ip": "10.0.0.1"})"));
    CHECK(match(R"({"ip": [{"cidr": "fe80::1:2:3:4/127"}]})", R"({"ip": "fe80::1:2:3:5"})"));
    CHECK_FALSE(match(R"({"ip": [{"cidr": "fe80::1:2:3:4/127"}]})", R"({"ip": "fe80::1:2:3:6"})"));

    // A plain string that is an IP address matches any spelling of the address.
    CHECK(match(R"({"ip": ["2001:db8::1"]})", R"({"ip": "2001:0DB8:0:0:0:0:0:1"})"));
    CHECK(match(R"({"ip": ["10.0.0.1"]})", R"({"ip": "10.0.0.1"})"));
    CHECK_FALSE(match(R"({"ip": ["10.0.0.1"]})", R"({"ip": "10.0.0.2"})"));
    CHECK_FALSE(match(R"({"ip": [{"exactly": "2001:db8::1"}]})", R"({"ip": "2001:0DB8:0:0:0:0:0:1"})"));
}

TEST_CASE("event pattern: $or", "[event_pattern]") {
    const char* simple = R"({"source": ["aws.cloudwatch"], "$or": [{"metricName": ["CPUUtilization", "ReadLatency"]},
                                                                   {"namespace": ["AWS/EC2", "AWS/ES"]}]})";
    CHECK(match(simple, R"({"source": "aws.cloudwatch", "metricName": "ReadLatency"})"));
    CHECK(match(simple, R"({"source": "aws.cloudwatch", "namespace": "AWS/ES"})"));
    CHECK_FALSE(match(simple, R"({"source": "aws.cloudwatch", "namespace": "AWS/S3"})"));
    CHECK_FALSE(match(simple, R"({"source": "aws.ec2", "metricName": "ReadLatency"})"));

    const char* nested = R"({"source": ["aws.cloudwatch"],
        "$or": [{"metricName": ["CPUUtilization"]},
                {"metricType": ["MetricType"], "namespace": ["AWS/EC2"],
                 "$or": [{"metricId": [1234]}, {"spaceId": [1000]}]},
                {"scope": ["Service"]}]})";
    CHECK(
        match(nested,
              R"({"source": "aws.cloudwatch", "metricType": "MetricType", "namespace": "AWS/EC2", "spaceId": 1000})"));
    CHECK_FALSE(match(
        nested, R"({"source": "aws.cloudwatch", "metricType": "MetricType", "namespace": "AWS/EC2", "spaceId": 1})"));
    CHECK_FALSE(match(nested, R"({"source": "aws.cloudwatch", "metricType": "MetricType", "metricId": 1234})"));
    CHECK(match(nested, R"({"source": "aws.cloudwatch", "scope": "Service"})"));

    // "$or" at a nested level, two of them in parallel.
    const char* parallel =
        R"({"$or": [{"a": [1]}, {"b": [2]}], "detail": {"$or": [{"c": [3]}, {"d": [{"exists": false}]}]}})";
    CHECK(match(parallel, R"({"a": 1, "detail": {"c": 3}})"));
    CHECK(match(parallel, R"({"b": 2, "detail": {}})"));
    CHECK(match(parallel, R"({"b": 2})"));
    CHECK_FALSE(match(parallel, R"({"b": 2, "detail": {"d": 4}})"));
    CHECK_FALSE(match(parallel, R"({"c": 3, "detail": {"c": 3}})"));
    // AWS: or-numeric-anything-but
    const char* numeric = R"({"$or": [{"n": [{"numeric": [">", 10]}]}, {"n": [{"anything-but": [1, 2]}]}]})";
    CHECK(match(numeric, R"({"n": 3})"));
    CHECK(match(numeric, R"({"n": 11})"));
    CHECK_FALSE(match(numeric, R"({"n": 2})"));
}

TEST_CASE("event pattern: dotted keys join like nested ones", "[event_pattern]") {
    // AWS: dot_joining_pattern / dot_joining_event and their NEG cases.
    CHECK(match(R"({"detail": {"state.status": ["running"]}})", R"({"detail": {"state": {"status": "running"}}})"));
    CHECK(match(R"({"detail": {"state": {"status": ["running"]}}})", R"({"detail": {"state.status": "running"}})"));
    CHECK_FALSE(match(R"({"detail": {"state.status": {"status": ["running"]}}})",
                      R"({"detail": {"state": {"status": "running"}}})"));
    CHECK_FALSE(match(R"({"detail": {"state": {"status": ["running"]}}})",
                      R"({"detail": {"state.status": {"status": "running"}}})"));
    CHECK(match(R"({"a": {"b": {"c": [1]}}})", R"({"a.b.c": 1})"));
    CHECK(match(R"({"a": {"b": {"c": [1]}}})", R"({"a.b": {"c": 1}})"));
    CHECK_FALSE(match(R"({"a": {"b": {"c": [1]}}})", R"({"a.b.c": 2})"));
    CHECK_FALSE(match(R"({"a": {"b": [1]}})", R"({"a.b.c": 1})"));  // a.b.c is deeper than a.b
    CHECK(match(R"({"a.b.c": [1], "a": {"d": [2]}})", R"({"a": {"b": {"c": 1}, "d": 2}})"));
    CHECK_FALSE(match(R"({"a.b.c": [1], "a": {"d": [2]}})", R"({"a": {"b": {"c": 1}, "d": 3}})"));
}

TEST_CASE("event pattern: several match values in one leaf", "[event_pattern]") {
    // AWS: operator_multiple_list
    const char* pattern = R"({"k": [{"exists": true}, {"prefix": "IGNORED"}, {"suffix": "IGNORED"}]})";
    CHECK(match(pattern, R"({"k": "my-value"})"));
    CHECK_FALSE(match(pattern, R"({"j": "my-value"})"));
    const char* mixed = R"({"k": ["a", 1, null, {"prefix": "zz"}, {"numeric": [">", 100]}]})";
    CHECK(match(mixed, R"({"k": "a"})"));
    CHECK(match(mixed, R"({"k": 1.0})"));
    CHECK(match(mixed, R"({"k": null})"));
    CHECK(match(mixed, R"({"k": "zzz"})"));
    CHECK(match(mixed, R"({"k": 101})"));
    CHECK_FALSE(match(mixed, R"({"k": 50})"));
    CHECK_FALSE(match(mixed, R"({"k": "b"})"));
}

TEST_CASE("event pattern: the empty pattern and events that are not objects", "[event_pattern]") {
    auto everything = EventPattern::parse("{}");
    CHECK(everything.matches_everything());
    CHECK(everything.matches(Json::parse(R"({"a": 1})")));
    CHECK(everything.matches(Json::parse(R"("a plain string")")));
    CHECK(everything.matches(Json::parse("[]")));

    auto pattern = EventPattern::parse(R"({"a": [{"exists": false}]})");
    CHECK_FALSE(pattern.matches_everything());
    CHECK(pattern.matches(Json::parse("{}")));
    CHECK_FALSE(pattern.matches(Json::parse("[]")));
    CHECK_FALSE(pattern.matches(Json::parse("\"text\"")));
    CHECK_FALSE(pattern.matches(Json()));
}

TEST_CASE("event pattern: copies share the compiled pattern", "[event_pattern]") {
    std::vector<EventPattern> patterns;
    {
        auto pattern = EventPattern::parse(R"({"k": [{"prefix": "x"}]})");
        patterns.push_back(pattern);
        patterns.push_back(std::move(pattern));
    }
    for (const auto& pattern : patterns) {
        CHECK(pattern.matches(Json::parse(R"({"k": "xy"})")));
        CHECK_FALSE(pattern.matches(Json::parse(R"({"k": "yx"})")));
    }
}

TEST_CASE("event pattern: invalid patterns are rejected with event-ruler's reasons", "[event_pattern]") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        // The pattern as a whole (AWS: test_invalid_json_event_pattern, int_nolist_EXC, string_nolist_EXC,
        // arrays_empty_EXC).
        {R"(["not", "a", "dict"])", "Filter is not an object"},
        {R"("text")", "Filter is not an object"},
        {"", "Filter is not an object"},
        {R"({"int": 42})", "\"int\" must be an object or an array"},
        {R"({"string": "my-value"})", "\"string\" must be an object or an array"},
        {R"({"a": {"b": null}})", "\"b\" must be an object or an array"},
        {R"({"resources": []})", "Empty arrays are not allowed"},
        {R"({"a": {}})", "Empty objects are not allowed"},
        {R"({"a": [["x"]]})", "Match value must be String, number, true, false, or null"},
        {R"({"a": [{}]})", "Match expression name not found"},
        {R"({"a": [{"x": 1, "prefix": "y"}]})", "Unrecognized match type x"},
        {R"({"detail": {"equal": [{"NUMERIC": ["=", 5]}]}})", "Unrecognized match type NUMERIC"},  // AWS
        {R"({"my_key": [{"EXISTS": true}]})", "Unrecognized match type EXISTS"},                   // AWS
        // prefix, suffix, equals-ignore-case, wildcard (AWS: content_*_EXC)
        {R"({"time": [{"prefix": 123}]})", "prefix match pattern must be a string"},
        {R"({"time": [{"prefix": ["2022-07-13"]}]})", "prefix match pattern must be a string"},
        {R"({"a": [{"prefix": {}}]})", "Prefix expression name not found"},
        {R"({"a": [{"prefix": {"wildcard": "x"}}]})", "Unsupported prefix pattern: wildcard"},
        {R"({"a": [{"prefix": {"equals-ignore-case": 5}}]})", "equals-ignore-case match pattern must be a string"},
        {R"({"a": [{"prefix": {"equals-ignore-case": "x", "b": 1}}]})", "Only one key allowed in match expression"},
        {R"({"a": [{"prefix": "x", "suffix": "y"}]})", "Only one key allowed in match expression"},
        {R"({"FileName": [{"suffix": 123}]})", "suffix match pattern must be a string"},
        {R"({"FileName": [{"suffix": [".png"]}]})", "suffix match pattern must be a string"},
        {R"({"a": [{"suffix": {"prefix": "x"}}]})", "Unsupported suffix pattern: prefix"},
        {R"({"a": [{"suffix": {}}]})", "Suffix expression name not found"},
        {R"({"d": [{"equals-ignore-case": ["ec2"]}]})", "equals-ignore-case match pattern must be a string"},
        {R"({"d": [{"equals-ignore-case": {"prefix": "ec2"}}]})", "equals-ignore-case match pattern must be a string"},
        {R"({"d": [{"equals-ignore-case": "x", "y": 1}]})", "Only one key allowed in match expression"},
        {R"({"E": [{"wildcard": 123}]})", "wildcard match pattern must be a string"},
        {R"({"E": [{"wildcard": ["a*"]}]})", "wildcard match pattern must be a string"},
        {R"({"E": [{"wildcard": "arn:aws:events:us-east-1:**:event-bus/*"}]})",
         "Consecutive wildcard characters at pos 26"},
        {R"({"E": [{"wildcard": "a\\b"}]})", "Invalid escape character at pos 2"},
        {R"({"E": [{"wildcard": "ab\\"}]})", "Invalid escape character at pos 3"},
        {R"({"E": [{"wildcard": "a*", "x": 1}]})", "Only one key allowed in match expression"},
        // numeric (AWS: content_numeric_EXC, content_numeric_syntax_EXC)
        {R"({"c": [{"numeric": 10}]})", "Value of numeric must be an array."},
        {R"({"c": [{"numeric": []}]})", "Invalid member in numeric match: ]"},
        {R"({"c": [{"numeric": [5, ">"]}]})", "Invalid member in numeric match: 5"},
        {R"({"c": [{"numeric": ["!=", 5]}]})", "Unrecognized numeric range operator: !="},
        {R"({"c": [{"numeric": ["=", "5"]}]})", "Value of equals must be numeric"},
        {R"({"c": [{"numeric": ["=", 5, "<", 6]}]})", "Too many elements in numeric expression"},
        {R"({"c": [{"numeric": [">"]}]})", "Value of > must be numeric"},
        {R"({"c": [{"numeric": [">=", null]}]})", "Value of >= must be numeric"},
        {R"({"c": [{"numeric": ["<=", true]}]})", "Value of <= must be numeric"},
        {R"({"c": [{"numeric": ["<", 5, ">", 1]}]})", "Too many elements in numeric expression"},
        {R"({"c": [{"numeric": [">", 0, ">", 0]}]})", "Bad numeric range operator: >"},
        {R"({"c": [{"numeric": [">", 0, 5]}]})", "Bad value in numeric range: 5"},
        {R"({"c": [{"numeric": [">", 0, "<"]}]})", "Value of < must be numeric"},
        {R"({"c": [{"numeric": [">", 0, "<", 5, 6]}]})", "Too many terms in numeric range expression"},
        {R"({"c": [{"numeric": [">", 5, "<=", 5]}]})", "Bottom must be less than top"},
        {R"({"c": [{"numeric": [">=", 6, "<", 5]}]})", "Bottom must be less than top"},
        {R"({"c": [{"numeric": [">", 5000000001]}]})", "Value must be between -5.0E9 and 5.0E9, inclusive"},
        {R"({"c": [{"numeric": ["=", -6e9]}]})", "Value must be between -5.0E9 and 5.0E9, inclusive"},
        {R"({"c": [{"numeric": ["<", 1], "x": 1}]})", "Too many elements in numeric expression"},
        // exists
        {R"({"a": [{"exists": "true"}]})", "exists match pattern must be either true or false."},
        {R"({"a": [{"exists": null}]})", "exists match pattern must be either true or false."},
        {R"({"a": [{"exists": true, "b": 1}]})", "Only one key allowed in match expression"},
        // cidr (AWS: content_ip_address_*_EXC)
        {R"({"ip": [{"cidr": ["bad-type"]}]})", "prefix match pattern must be a string"},
        {R"({"ip": [{"cidr": "bad-type"}]})", "Malformed CIDR, one '/' required"},
        {R"({"ip": [{"cidr": "10.0.0.0/8/8"}]})", "Malformed CIDR, one '/' required"},
        {R"({"ip": [{"cidr": "10.0.0.0/x"}]})", "Malformed CIDR, mask bits must be an integer"},
        {R"({"ip": [{"cidr": "10.0.0.0/"}]})", "Malformed CIDR, one '/' required"},
        {R"({"ip": [{"cidr": "10.0.0.0/-2"}]})", "Malformed CIDR, mask bits must not be negative"},
        {R"({"ip": [{"cidr": "xx.11.xx/24"}]})", "Nonstandard IP address: xx.11.xx"},
        {R"({"ip": [{"cidr": "xxxx:db8:1234:1a00::/56"}]})", "Nonstandard IP address: xxxx:db8:1234:1a00::"},
        {R"({"ip": [{"cidr": "256.0.0.0/8"}]})", "Invalid IP address: 256.0.0.0"},
        {R"({"ip": [{"cidr": "1::2::3/64"}]})", "Invalid IP address: 1::2::3"},
        {R"({"ip": [{"cidr": "1:2:3:4:5:6:7::8/64"}]})",
         "Invalid IP address: 1:2:3:4:5:6:7::8"},  // `::` stands for nothing
        {R"({"ip": [{"cidr": "1:2:3:4:5:6:7:8:9/64"}]})", "Invalid IP address: 1:2:3:4:5:6:7:8:9"},
        {R"({"ip": [{"cidr": "1:2::3:/64"}]})", "Invalid IP address: 1:2::3:"},
        {R"({"ip": [{"cidr": "10.01.0.0/16"}]})", "Invalid IP address: 10.01.0.0"},
        {R"({"ip": [{"cidr": "10.0.0.0/32"}]})", "IPv4 mask bits must be < 32"},
        {R"({"ip": [{"cidr": "::/128"}]})", "IPv6 mask bits must be < 128"},
        {R"({"ip": [{"cidr": "10.0.0.0/8", "x": 1}]})", "Only one key allowed in match expression"},
        // anything-but (AWS: content_anything_*_EXC)
        {R"({"s": [{"anything-but": null}]})", "Value of anything-but must be an array or single string/number value."},
        {R"({"s": [{"anything-but": true}]})", "Value of anything-but must be an array or single string/number value."},
        {R"({"s": [{"anything-but": ["stopped", null]}]})",
         "Inside anything but list, start|null|boolean is not supported."},
        {R"({"s": [{"anything-but": ["a", 1]}]})",
         "Inside anything but list, either all values are number or string, mixed type is not supported"},
        {R"({"s": [{"anything-but": []}]})",
         "Inside anything but list, either all values are number or string, mixed type is not supported"},
        {R"({"s": [{"anything-but": [1, 7e9]}]})", "Value must be between -5.0E9 and 5.0E9, inclusive"},
        {R"({"s": [{"anything-but": {}}]})", "Anything-But expression name not found"},
        {R"({"s": [{"anything-but": {"numeric": [">", 1]}}]})", "Unsupported anything-but pattern: numeric"},
        {R"({"s": [{"anything-but": {"prefix": {"equals-ignore-case": "file"}}}]})",
         "Value of anything-but must be an array or single string/number value."},
        {R"({"s": [{"anything-but": {"suffix": {"equals-ignore-case": ".png"}}}]})",
         "Value of anything-but must be an array or single string/number value."},
        {R"({"s": [{"anything-but": {"prefix": ""}}]})", "Null prefix/suffix not allowed"},
        {R"({"s": [{"anything-but": {"suffix": ["a", ""]}}]})", "Null prefix/suffix not allowed"},
        {R"({"s": [{"anything-but": {"prefix": 123}}]})", "prefix/suffix match pattern must be a string"},
        {R"({"s": [{"anything-but": {"suffix": [123, ".txt"]}}]})", "prefix/suffix match pattern must be a string"},
        {R"({"s": [{"anything-but": {"equals-ignore-case": 123}}]})",
         "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported."},
        {R"({"s": [{"anything-but": {"equals-ignore-case": [123, 456]}}]})",
         "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported."},
        {R"({"s": [{"anything-but": {"wildcard": 123}}]})", "wildcard match pattern must be a string"},
        {R"({"s": [{"anything-but": {"wildcard": [123, "*/dir/*"]}}]})", "wildcard match pattern must be a string"},
        {R"({"s": [{"anything-but": {"wildcard": ["ok", "a**"]}}]})", "Consecutive wildcard characters at pos 2"},
        {R"({"s": [{"anything-but": {"prefix": "a", "suffix": "b"}}]})", "Too many elements in numeric expression"},
        {R"({"s": [{"anything-but": "a", "prefix": "b"}]})", "Too many elements in numeric expression"},
        // $or
        {R"({"$or": {"a": ["x"]}})", "It must be an Array followed with $or."},
        {R"({"$or": [{"a": ["x"]}]})", "There must have at least 2 Objects in $or relationship."},
        {R"({"$or": []})", "There must have at least 2 Objects in $or relationship."},
        {R"({"$or": [{"a": ["x"]}, ["b"]]})", "Only JSON object is allowed in array of $or relationship."},
        {R"({"$or": [{"a": ["x"]}, {}]})", "Empty objects are not allowed"},
        {R"({"$or": [{"a": ["x"]}, {"numeric": [1]}]})",
         "numeric is Ruler reserved fieldName which cannot be used inside $or."},
        {R"({"$or": [{"a": {"prefix": ["x"]}}, {"b": [1]}]})",
         "prefix is Ruler reserved fieldName which cannot be used inside $or."},
        {R"({"$or": [{"a": ["x"]}, {"b": []}]})", "Empty arrays are not allowed"},
        // "exactly" (event-ruler)
        {R"({"a": [{"exactly": 5}]})", "exact match pattern must be a string"},
    };
    for (const auto& [pattern, message] : cases) {
        INFO(pattern);
        CHECK(error_of(pattern) == message);
    }
    // The parser's own words for text that is not JSON.
    CHECK(error_of("{'bad': 'quotation'}").find("parse error") != std::string::npos);
    CHECK(error_of(R"({"a": ["x"])").find("parse error") != std::string::npos);
    CHECK(error_of(R"({"a": [1e400]})") == "number overflow parsing '1e400'");
    CHECK(error_of("5010e000000926938") == "Filter is not an object");  // found by fuzz_event_pattern
    CHECK(error_of(R"("unterminated)") == "Filter is not an object");
}

TEST_CASE("event pattern: limits protect the stack and the heap", "[event_pattern]") {
    auto nested = [](int levels) {
        std::string text;
        for (int i = 0; i < levels; ++i) text += R"({"a":)";
        text += "[1]";
        text += std::string(static_cast<std::size_t>(levels), '}');
        return text;
    };
    const std::string too_deep = "Event pattern is nested more than 100 levels deep";
    CHECK(error_of(nested(99)) == "(accepted)");  // 99 objects and the leaf array: 100 levels
    CHECK(error_of(nested(100)) == too_deep);
    CHECK(error_of(std::string(200000, '[')) == "Event pattern is longer than 16384 bytes");
    CHECK(error_of(std::string(16000, '[')) == too_deep);
    // Dotted keys count one level per step.
    std::string dotted = "a";
    for (int i = 0; i < 100; ++i) dotted += ".a";
    CHECK(error_of(R"({")" + dotted + R"(": [1]})") == too_deep);
    // A wide pattern is fine, and matches.
    std::string wide = R"({"k": [)";
    for (int i = 0; i < 1500; ++i) wide += "\"v" + std::to_string(i) + "\",";
    wide += R"("last"]})";
    CHECK(match(wide, R"({"k": "v1432"})"));
    CHECK_FALSE(match(wide, R"({"k": "v1500"})"));
    // A deeply nested event does not exhaust the stack.
    std::string deep_event = R"({"a":)" + std::string(50000, '[') + std::string(50000, ']') + "}";
    CHECK_FALSE(match(R"({"a": [1]})", deep_event));
    CHECK(match(R"({"a": {"b": [{"exists": false}]}})", deep_event));
}
