// The intrinsic functions. Expected values come from the AWS documentation's examples, from
// executions recorded against AWS (LocalStack's snapshot tests, and a conformance suite run
// against AWS), and from FIPS 180 for the digests.
#include <string>

#include <catch2/catch.hpp>

#include "sluice/core/digest.hpp"
#include "sluice/sfn/intrinsics.hpp"

using namespace sluice::sfn;
using intrinsics::SyntaxError;

namespace {

const Json kContext = Json::parse(R"({"Execution": {"Id": "arn:aws:states:us-east-1:123456789012:execution:sm:run-1",
    "Name": "run-1", "Input": {"input_field": {"constant_input_field": "constant_value"}}},
    "StateMachine": {"Name": "order-processing-v2"}})");
const Json kVariables = Json::parse(R"({"greeting": "hi", "limits": {"max": 3}})");

Json run(std::string_view text, const Json& input = Json::object()) {
    auto expression = intrinsics::parse(text);
    return intrinsics::evaluate(*expression, EvalScope{input, kContext, &kVariables});
}

// The cause of a call that must fail at run time; AWS fails intrinsics with States.Runtime.
std::string cause_of(std::string_view text, const Json& input = Json::object()) {
    auto expression = intrinsics::parse(text);
    try {
        intrinsics::evaluate(*expression, EvalScope{input, kContext, &kVariables});
    } catch (const StatesError& e) {
        CHECK(e.error == "States.Runtime");
        return e.cause;
    }
    FAIL("expected " << text << " to fail");
    return "";
}

bool invalid(std::string_view text, const Json& input = Json::object()) {
    return cause_of(text, input).find("Invalid arguments in States.") != std::string::npos;
}

}  // namespace

TEST_CASE("an intrinsic is a value that starts with States.") {
    CHECK(intrinsics::looks_like_intrinsic("States.Array()"));
    CHECK(intrinsics::looks_like_intrinsic("  States.UUID()"));
    CHECK_FALSE(intrinsics::looks_like_intrinsic("$.States"));
    CHECK_FALSE(intrinsics::looks_like_intrinsic("states.Array()"));
    CHECK_FALSE(intrinsics::looks_like_intrinsic(""));
}

TEST_CASE("parsing accepts every argument form") {
    CHECK(run("States.Array( 1 , 'a' , true , false , null , -2.5 , 1e3 , -0 )") ==
          Json::parse(R"([1, "a", true, false, null, -2.5, 1000.0, 0])"));
    CHECK(run("  States.Array()  ") == Json::array());
    CHECK(run("States.Array\t(\n1\n)") == Json::array({1}));
    CHECK(run("States.Array($, $$.Execution.Name, $greeting, $limits.max)", Json{{"a", 1}}) ==
          Json::parse(R"([{"a": 1}, "run-1", "hi", 3])"));
    CHECK(run("States.Array($['a,b'], $['c)'])", Json{{"a,b", 1}, {"c)", 2}}) == Json::array({1, 2}));
    CHECK(run("States.Array($.items[?(@.p > 1)].p)", Json::parse(R"({"items": [{"p": 1}, {"p": 2}, {"p": 3}]})")) ==
          Json::parse("[[2, 3]]"));
    // A raw newline inside a literal is fine (AWS: StringSplit('Hello<newline>World', '<newline>')).
    CHECK(run("States.StringSplit('Hello\nWorld', '\n')") == Json::array({"Hello", "World"}));
    // The four escapes AWS defines.
    CHECK(run(R"(States.Array('it\'s', '\{\}', 'back\\slash'))") == Json::array({"it's", "{}", "back\\slash"}));
}

TEST_CASE("parsing rejects anything that is not one valid call") {
    for (const char* bad : {
             "",
             "States",
             "States.Nope()",
             "States.format('a')",
             "$.a",
             "States.Array(",
             "States.Array(1",
             "States.Array(1,)",
             "States.Array(,1)",
             "States.Array(1 2)",
             "States.Array(1)x",
             "States.Array() States.Array()",
             "States.Array(01)",
             "States.Array(1.)",
             "States.Array(.5)",
             "States.Array(-)",
             "States.Array(+1)",
             "States.Array(1e)",
             "States.Array(1e999)",
             "States.Array(True)",
             "States.Array(x)",
             "States.Array(\"a\")",
             "States.Array('a)",
             "States.Array('a\\')",
             R"(States.Array('\n'))",
             R"(States.Array('say \"hi\"'))",
             "States.Array($.a b)",
             "States.Array($[)",
             "States.Array($.a])",
             "States.Array($['a)",
             "States.Array($.)",
             "States.Array(States.Nope())",
             "States.Array(States.Array)",
             "States.Array('\xff')",
         }) {
        INFO(bad);
        CHECK_THROWS_AS(intrinsics::parse(bad), SyntaxError);
    }
    CHECK_THROWS_WITH(intrinsics::parse("States.Nope(1)"), Catch::Contains("unknown function 'States.Nope'"));
    CHECK_THROWS_WITH(intrinsics::parse(R"(States.Array('\n'))"), Catch::Contains("invalid escape sequence"));
}

TEST_CASE("nesting is capped at AWS's 10 functions, argument counts at 256") {
    // Built front to back: wrapping the string each time would copy it quadratically.
    auto nested = [](int depth) {
        std::string text;
        for (int i = 0; i < depth; ++i) text += "States.Array(";
        text += "1";
        text.append(static_cast<std::size_t>(depth), ')');
        return text;
    };
    CHECK_NOTHROW(intrinsics::parse(nested(10)));
    CHECK_THROWS_WITH(intrinsics::parse(nested(11)), Catch::Contains("nested more than 10 deep"));
    CHECK_THROWS_AS(intrinsics::parse(nested(100000)), SyntaxError);

    auto many = [](int count) {
        std::string text = "States.Array(1";
        for (int i = 1; i < count; ++i) text += ",1";
        return text + ")";
    };
    CHECK(run(many(256)).size() == 256);
    CHECK_THROWS_AS(intrinsics::parse(many(257)), SyntaxError);
}

TEST_CASE("failures name the failing call, in AWS's words") {
    CHECK(cause_of("States.ArrayGetItem($.arr, 3)", Json{{"arr", {10, 20, 30}}}) ==
          "The function 'States.ArrayGetItem($.arr, 3)' had the following error: Invalid arguments in "
          "States.ArrayGetItem");
    // A path that matches nothing.
    CHECK(cause_of("States.Array($.missing)") ==
          "The function 'States.Array($.missing)' had the following error: The JsonPath argument for the field "
          "'$.missing' could not be found in the input '{}'");
    CHECK(cause_of("States.Base64Encode($$.Execution.Nope)").find("could not be found in the input '{\"Execution\"") !=
          std::string::npos);
    CHECK(cause_of("States.Array($nope)").find("could not be found") != std::string::npos);
    // A nested call names itself.
    CHECK(cause_of("States.Array(1, States.MathAdd('a', 1))").starts_with("The function 'States.MathAdd('a', 1)'"));
    // AWS accepts a wrong argument count in the definition and fails when the call runs.
    for (const char* text : {"States.Hash()", "States.Hash('a')", "States.Base64Encode('a', 'b')", "States.UUID(1)",
                             "States.ArrayRange(1, 5)", "States.MathRandom(1)", "States.MathRandom(1, 10, 5, 99)",
                             "States.Format()", "States.JsonMerge($, $)", "States.ArrayContains($.a)"}) {
        INFO(text);
        CHECK(invalid(text, Json{{"a", Json::array()}}));
    }
}

TEST_CASE("States.Format") {
    const Json person = {{"name", "Arnav"}, {"template", "Hello, my name is {}."}};
    CHECK(run("States.Format('Hello, my name is {}.', $.name)", person) == "Hello, my name is Arnav.");
    CHECK(run("States.Format($.template, $.name)", person) == "Hello, my name is Arnav.");
    CHECK(run("States.Format('no placeholders')") == "no placeholders");
    CHECK(run("States.Format('  {}  ', 'x')") == "  x  ");
    // Strings go in bare, other values as AWS's Java runtime prints them.
    const Json values = Json::parse(R"({"a": "x", "b": 2, "c": true, "n": null, "f": 1.1,
        "o": {"Arg1": 1, "Arg2": []}, "l": [1, "a", null, {"k": "v"}], "s": "{\"Arg1\": 1}"})");
    CHECK(run("States.Format('{} {} {}', $.a, $.b, $.c)", values) == "x 2 true");
    CHECK(run("States.Format('{}|{}|{}', $.n, $.f, $.s)", values) == R"(null|1.1|{"Arg1": 1})");
    CHECK(run("States.Format('fst={} snd={}', $.o, $.l)", values) == "fst={Arg1=1, Arg2=[]} snd=[1, a, null, {k=v}]");
    CHECK(run("States.Format('{}:{}', $$.Execution.Name, $$.StateMachine)") == "run-1:{Name=order-processing-v2}");
    CHECK(run("States.Format('arn:{}:{}', 'lambda', States.JsonToString($.o))", values) ==
          R"(arn:lambda:{"Arg1":1,"Arg2":[]})");
    CHECK(run(R"(States.Format('Name: \'{}\', Surname: "{}"', 'Gabriel', 'Moreira'))") ==
          R"(Name: 'Gabriel', Surname: "Moreira")");
    // Escaped braces are text, not placeholders.
    CHECK(run(R"(States.Format('\{\}{}\\', 'a'))") == "{}a\\");
    CHECK(run(R"(States.Format('{}', 'a{b}'))") == "a{b}");

    CHECK(
        cause_of("States.Format('{} {}', 'x')")
            .ends_with("Invalid arguments in States.Format: number of arguments do not match the occurrences of {}."));
    CHECK(invalid("States.Format('{}', 'x', 'y')"));
    CHECK(invalid("States.Format($.b, 'x')", values));
    CHECK(invalid("States.Format(1)"));
    CHECK(cause_of("States.Format('Hello {', 'x')")
              .ends_with("Invalid template in States.Format: matching '}' not found for '{'."));
    CHECK(cause_of("States.Format('}')").find("Invalid template") != std::string::npos);
    CHECK(cause_of("States.Format('Hello {{}}', 'x')").find("Invalid template") != std::string::npos);
}

TEST_CASE("the documented nine-function example parses, and its Format needs a third value") {
    const Json input = {
        {"ImageRecipe", {{"Arn", "arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/my-recipe/1.0.7"}}}};
    const std::string get =
        "States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, "
        "'/'), 2), '.'), ";
    // AWS's own example has three placeholders and two values, so it fails when it runs.
    CHECK(invalid("States.Format('{}.{}.{}', " + get + "0), " + get + "1))", input));
    CHECK(run("States.Format('{}.{}', " + get + "0), " + get + "1))", input) == "1.0");
}

TEST_CASE("States.StringToJson and States.JsonToString") {
    CHECK(run("States.StringToJson($.escapedJsonString)", {{"escapedJsonString", R"({"foo": "bar"})"}}) ==
          Json{{"foo", "bar"}});
    CHECK(run("States.StringToJson('')").is_null());
    CHECK(run("States.StringToJson(' ')").is_null());
    CHECK(run("States.StringToJson('null')").is_null());
    CHECK(run("States.StringToJson('-0')") == 0);
    CHECK(run("States.StringToJson('1.1')") == 1.1);
    CHECK(run("States.StringToJson('\"HelloWorld\"')") == "HelloWorld");
    CHECK(run("States.StringToJson('[1, 2, \"HelloWorld\"]')") == Json::parse(R"([1, 2, "HelloWorld"])"));
    CHECK(invalid("States.StringToJson('{not json')"));
    CHECK(invalid("States.StringToJson(123)"));
    CHECK(invalid("States.StringToJson($.s)", {{"s", std::string(600, '[') + std::string(600, ']')}}));
    CHECK(run("States.StringToJson($.s)", {{"s", std::string(100, '[') + std::string(100, ']')}}).is_array());

    CHECK(run("States.JsonToString($.unescapedJson)", {{"unescapedJson", {{"foo", "bar"}}}}) == R"({"foo":"bar"})");
    CHECK(run("States.JsonToString(null)") == "null");
    CHECK(run("States.JsonToString(1.1)") == "1.1");
    CHECK(run("States.JsonToString('HelloWorld')") == R"("HelloWorld")");
    CHECK(run("States.JsonToString($)", Json::parse(R"({"Arg1": 1, "Arg2": [1, 2, "x"]})")) ==
          R"({"Arg1":1,"Arg2":[1,2,"x"]})");
}

TEST_CASE("States.JsonMerge merges shallowly") {
    const Json input = Json::parse(R"({"json1": {"a": {"a1": 1, "a2": 2}, "b": 2},
                                      "json2": {"a": {"a3": 1, "a4": 2}, "c": 3}})");
    CHECK(run("States.JsonMerge($.json1, $.json2, false)", input) ==
          Json::parse(R"({"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3})"));
    CHECK(
        run(R"(States.JsonMerge(States.StringToJson('{"constant_in_literal": "false"}'), $$.Execution.Input.input_field, false))") ==
        Json::parse(R"({"constant_in_literal": "false", "constant_input_field": "constant_value"})"));
    CHECK(invalid("States.JsonMerge($.json1, $.json2, true)", input));
    CHECK(invalid("States.JsonMerge($.json1, $.json2, 'false')", input));
    CHECK(invalid("States.JsonMerge($.json1, States.Array(), false)", input));
}

TEST_CASE("States.Array") {
    CHECK(run("States.Array($.Id)", {{"Id", 123456}}) == Json::array({123456}));
    CHECK(run("States.Array()") == Json::array());
    CHECK(run("States.Array(States.Array(1), 'x')") == Json::parse(R"([[1], "x"])"));
}

TEST_CASE("States.ArrayPartition") {
    const Json input = {{"inputArray", {1, 2, 3, 4, 5, 6, 7, 8, 9}}};
    CHECK(run("States.ArrayPartition($.inputArray,4)", input) == Json::parse("[[1,2,3,4],[5,6,7,8],[9]]"));
    CHECK(run("States.ArrayPartition(States.Array(), 1)") == Json::array());
    CHECK(run("States.ArrayPartition(States.Array(0, 1), 3)") == Json::parse("[[0, 1]]"));
    CHECK(run("States.ArrayPartition($.inputArray, 2147483647)", input).size() == 1);
    // AWS cuts the fraction off: 2.6 is 2, 0.6 is 0.
    CHECK(run("States.ArrayPartition(States.Array(1, 2, 3, 4, 5), 2.6)") == Json::parse("[[1, 2], [3, 4], [5]]"));
    for (const char* size : {"0", "0.6", "-0.4", "-1", "'2'", "null", "true"}) {
        INFO(size);
        CHECK(invalid(std::string("States.ArrayPartition($.inputArray, ") + size + ")", input));
    }
    CHECK(invalid("States.ArrayPartition('not-array', 2)"));
}

TEST_CASE("States.ArrayContains") {
    CHECK(run("States.ArrayContains($.inputArray, $.lookingFor)",
              Json::parse(R"({"inputArray": [1,2,3,4,5,6,7,8,9], "lookingFor": 5})")) == true);
    CHECK(run("States.ArrayContains(States.Array(), null)") == false);
    CHECK(run("States.ArrayContains($.a, States.Array(1, 2, 3))", Json::parse(R"({"a": [[1, 2, 3], 2]})")) == true);
    CHECK(run("States.ArrayContains($.a, null)", Json::parse(R"({"a": [[1, 2, 3], 2]})")) == false);
    CHECK(run("States.ArrayContains($.a, $.t)", Json::parse(R"({"a": [{"1": 2, "2": []}], "t": {"1": 2, "2": []}})")) ==
          true);
    CHECK(run("States.ArrayContains($.a, $.t)", Json::parse(R"({"a": [{"a": 1}], "t": {"a": 1, "extra": null}})")) ==
          false);
    CHECK(run("States.ArrayContains($.a, false)", Json::parse(R"({"a": [0, 1, -1, -1.5]})")) == false);
    // AWS matches by text form: true is found among strings.
    CHECK(run("States.ArrayContains($.a, true)", Json::parse(R"({"a": ["true", "false"]})")) == true);
    CHECK(invalid("States.ArrayContains('not-array', 'x')"));
}

TEST_CASE("States.ArrayRange") {
    CHECK(run("States.ArrayRange(1, 9, 2)") == Json::parse("[1,3,5,7,9]"));
    CHECK(run("States.ArrayRange(0, 10, 3)") == Json::parse("[0,3,6,9]"));
    CHECK(run("States.ArrayRange(1, 9, 9)") == Json::parse("[1]"));
    CHECK(run("States.ArrayRange(5, 1, -2)") == Json::parse("[5,3,1]"));
    CHECK(run("States.ArrayRange(3, 3, -1)") == Json::parse("[3]"));
    CHECK(run("States.ArrayRange(5, 1, 1)") == Json::array());
    CHECK(run("States.ArrayRange(1, 5, -1)") == Json::array());
    CHECK(run("States.ArrayRange(1.6, 1.4, 1)") == Json::parse("[1]"));  // truncated, as AWS does
    CHECK(run("States.ArrayRange(1, 9, 2)")[0].is_number_integer());
    CHECK(run("States.ArrayRange(1, 1000, 1)").size() == 1000);
    CHECK(run("States.ArrayRange(1000, 1, -1)").size() == 1000);
    CHECK(invalid("States.ArrayRange(1, 1001, 1)"));
    CHECK(invalid("States.ArrayRange(-2147483648, 2147483647, 1)"));
    CHECK(invalid("States.ArrayRange(1, 10, 0)"));
    CHECK(invalid("States.ArrayRange(1, 10, 0.49)"));
    CHECK(invalid("States.ArrayRange('a', 5, 1)"));
    CHECK(invalid("States.ArrayRange(1, 3000000000, 1)"));
}

TEST_CASE("States.ArrayGetItem, States.ArrayLength, States.ArrayUnique") {
    const Json input = Json::parse(R"({"inputArray": [1,2,3,4,5,6,7,8,9], "index": 5, "arr": [10, 20, 30]})");
    CHECK(run("States.ArrayGetItem($.inputArray, $.index)", input) == 6);
    CHECK(run("States.ArrayGetItem(States.Array('x', 'y', 'z'), 1)") == "y");
    CHECK(run("States.ArrayGetItem($.arr, 1.2)", input) == 20);        // truncated, as AWS does
    CHECK(run("States.ArrayGetItem(States.Array(), 999)").is_null());  // AWS answers null here
    CHECK(invalid("States.ArrayGetItem($.arr, 3)", input));
    CHECK(invalid("States.ArrayGetItem($.arr, -1)", input));
    CHECK(invalid("States.ArrayGetItem($.arr, '1')", input));
    CHECK(invalid("States.ArrayGetItem('not-array', 0)"));

    CHECK(run("States.ArrayLength($.inputArray)", input) == 9);
    CHECK(run("States.ArrayLength(States.Array())") == 0);
    CHECK(invalid("States.ArrayLength('abc')"));

    CHECK(run("States.ArrayUnique($.a)", {{"a", {1, 2, 3, 3, 3, 3, 3, 3, 4}}}) == Json::parse("[1,2,3,4]"));
    CHECK(
        run("States.ArrayUnique($.a)", Json::parse(R"({"a": [null, null, true, true, false, 1, 1, 1.1, 0, "HelloWorld",
        "HelloWorld", [], [], [null], [null], {"a": 1, "b": 2}, {"a": 1, "b": 2}, {"a": 1, "b": 1}]})")) ==
        Json::parse(R"([null, true, false, 1, 1.1, 0, "HelloWorld", [], [null], {"a": 1, "b": 2}, {"a": 1, "b": 1}])"));
    CHECK(invalid("States.ArrayUnique(1)"));
}

TEST_CASE("States.Base64Encode and States.Base64Decode") {
    CHECK(run("States.Base64Encode($.input)", {{"input", "Data to encode"}}) == "RGF0YSB0byBlbmNvZGU=");
    CHECK(run("States.Base64Decode($.base64)", {{"base64", "RGF0YSB0byBlbmNvZGU="}}) == "Data to encode");
    CHECK(run("States.Base64Encode('')") == "");
    CHECK(run("States.Base64Decode('')") == "");
    CHECK(run("States.Base64Encode('🚀')") == "8J+agA==");
    CHECK(run("States.Base64Encode('こんにちは')") == "44GT44KT44Gr44Gh44Gv");
    CHECK(run("States.Base64Decode('4pyT')") == "✓");
    CHECK(run("States.Base64Decode(States.Base64Encode('hello'))") == "hello");
    // AWS's decoder is lenient: no padding, stray characters, data after padding.
    CHECK(run("States.Base64Decode('YWI')") == "ab");
    CHECK(run("States.Base64Decode(' YWJjZA== ')") == "abcd");
    CHECK(run("States.Base64Decode('YW!!Jj*ZA==')") == "abcd");
    CHECK(run("States.Base64Decode('!!!invalid!!!')").is_string());
    CHECK(run("States.Base64Decode('YWI=YWI=')") == "ab");
    // Bytes that are not UTF-8 come back as U+FFFD, so the result is always valid JSON text.
    CHECK(run("States.Base64Decode('/w==')") == "\xEF\xBF\xBD");
    // The limit is 10,000 characters (Java's: a character outside the BMP counts twice).
    CHECK(run("States.Base64Encode($.s)", {{"s", std::string(10000, 'a')}}).get<std::string>().size() == 13336);
    CHECK(invalid("States.Base64Encode($.s)", {{"s", std::string(10001, 'a')}}));
    std::string rockets;
    for (int i = 0; i < 5001; ++i) rockets += "🚀";
    CHECK(invalid("States.Base64Encode($.s)", {{"s", rockets}}));
    CHECK(invalid("States.Base64Decode($.s)", {{"s", std::string(10001, 'A')}}));
    CHECK(invalid("States.Base64Encode(123)"));
    CHECK(invalid("States.Base64Decode($)", {{"a", 1}}));
}

TEST_CASE("States.Hash") {
    const auto hash = [](const char* algorithm) {
        return run(std::string("States.Hash($.Data, '") + algorithm + "')", {{"Data", "input data"}});
    };
    CHECK(hash("MD5") == "812f45842bc6d66ee14572ce20db8e86");
    CHECK(hash("SHA-1") == "aaff4a450a104cd177d28d18d74485e8cae074b7");
    CHECK(hash("SHA-256") == "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3");
    CHECK(hash("SHA-384") ==
          "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562");
    CHECK(hash("SHA-512") ==
          "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d42540"
          "2d4f91316d871303aac4");
    CHECK(run("States.Hash(States.Format('{}:{}', 'x', 'y'), 'SHA-256')") ==
          "1274e286686b54fe765ec40735665b4bf789cee2a5b22124c5e0491a88e15271");
    CHECK(run("States.Hash(123, 'MD5')") == "202cb962ac59075b964b07152d234b70");  // AWS hashes the text "123"
    CHECK(run("States.Hash($.s, 'MD5')", {{"s", std::string(10000, 'a')}}).get<std::string>().size() == 32);
    CHECK(invalid("States.Hash($.s, 'MD5')", {{"s", std::string(10001, 'a')}}));
    for (const char* algorithm : {"sha-256", "SHA256", "MD-5", "SHA-257", ""}) {
        INFO(algorithm);
        CHECK(invalid(std::string("States.Hash('data', '") + algorithm + "')"));
    }
    CHECK(invalid("States.Hash('hello', 123)"));
}

TEST_CASE("States.MathAdd rounds half up, as Java does") {
    CHECK(run("States.MathAdd($.value1, $.step)", {{"value1", 111}, {"step", -1}}) == 110);
    CHECK(run("States.MathAdd(1, 2)").is_number_integer());
    const std::pair<const char*, int> cases[] = {
        {"-9, 3", -6},   {"1.49, 1.5", 3},    {"-1.5, 0", -1},     {"-1.51, 0", -2},   {"0.5, 0", 1},
        {"2.5, 0", 3},   {"-0.5, 0.5", 1},    {"-0.5, 0", 0},      {"-2.5, 0", -2},    {"1.5, 1.51", 4},
        {"-3.5, 0", -3}, {"-1.49, -1.5", -2}, {"-1.5, -1.51", -3}, {"1.49, -1.49", 0},
    };
    for (const auto& [arguments, sum] : cases) {
        INFO(arguments);
        CHECK(run(std::string("States.MathAdd(") + arguments + ")") == sum);
    }
    CHECK(run("States.MathAdd(States.ArrayLength(States.Array(1, 2)), -1)") == 1);
    CHECK(invalid("States.MathAdd(1, 'NOT A NUMBER')"));
    CHECK(invalid("States.MathAdd(2147483648, 0)"));
    CHECK(invalid("States.MathAdd(null, 0)"));
}

TEST_CASE("States.MathRandom: start inclusive, end exclusive, java.util.Random when seeded") {
    for (int i = 0; i < 200; ++i) {
        const Json v = run("States.MathRandom($.start, $.end)", {{"start", 1}, {"end", 5}});
        REQUIRE(v.is_number_integer());
        CHECK(v.get<int>() >= 1);
        CHECK(v.get<int>() < 5);
    }
    CHECK(run("States.MathRandom(1.6, 5.4)").get<int>() < 5);  // bounds truncated to [1, 5)
    CHECK(run("States.MathRandom(7, 8)") == 7);
    // Seeded values match Java's: AWS gives -5 for seed 42 over [-5, 5).
    CHECK(run("States.MathRandom(-5, 5, 42)") == -5);
    CHECK(run("States.MathRandom(0, 1000, 42)") == 130);
    CHECK(run("States.MathRandom(0, 100, 0)") == 60);
    CHECK(run("States.MathRandom(0, 16, 42)") == 11);  // a power-of-two range takes Java's other branch
    CHECK(run("States.MathRandom(1, 100, 42)") == run("States.MathRandom(1, 100, 42)"));
    const Json wide = run("States.MathRandom(-1000000, 1000000, -10)");
    CHECK(wide.get<int>() >= -1000000);
    CHECK(wide.get<int>() < 1000000);
    for (const char* arguments : {"1, 1", "10, 5", "1.49, 1.49", "1.4, 1.6", "'a', 10", "1, 'b'", "1, 10, 'seed'",
                                  "1, 10, null", "-2147483648, 2147483647"}) {
        INFO(arguments);
        CHECK(invalid(std::string("States.MathRandom(") + arguments + ")"));
    }
}

TEST_CASE("States.StringSplit splits at any delimiter character and drops empty pieces") {
    CHECK(run("States.StringSplit($.inputString, $.splitter)", {{"inputString", "1,2,3,4,5"}, {"splitter", ","}}) ==
          Json::parse(R"(["1","2","3","4","5"])"));
    CHECK(run("States.StringSplit($.inputString, $.splitter)",
              {{"inputString", "This.is+a,test=string"}, {"splitter", ".+,="}}) ==
          Json::parse(R"(["This","is","a","test","string"])"));
    CHECK(run("States.StringSplit(' ', ',')") == Json::array({" "}));
    CHECK(run("States.StringSplit(', , ,', ',')") == Json::array({" ", " "}));
    CHECK(run("States.StringSplit(',,,,', ',')") == Json::array());
    CHECK(run("States.StringSplit($.s, 'T\n')", {{"s", "split on T and \nnew line"}}) ==
          Json::array({"split on ", " and ", "new line"}));
    CHECK(run("States.StringSplit('a✓b✓', '✓')") == Json::array({"a", "b"}));
    CHECK(run("States.StringSplit('é', '\xC3\xA8')") == Json::array({"é"}));  // è shares é's first byte
    CHECK(run("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), 0)") == "order");
    CHECK(invalid("States.StringSplit(1, ',')"));
    CHECK(invalid("States.StringSplit('a', States.Array())"));
}

TEST_CASE("States.UUID gives a version 4 UUID") {
    const std::string a = run("States.UUID()").get<std::string>();
    // 8-4-4-4-12 lower-case hex, version 4, RFC 4122 variant.
    auto is_v4 = [](const std::string& u) {
        if (u.size() != 36) return false;
        for (std::size_t i = 0; i < u.size(); ++i) {
            const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? u[i] != '-' : std::string_view("0123456789abcdef").find(u[i]) == std::string_view::npos)
                return false;
        }
        return u[14] == '4' && std::string_view("89ab").find(u[19]) != std::string_view::npos;
    };
    CHECK(is_v4(a));
    CHECK(a != run("States.UUID()").get<std::string>());
}

TEST_CASE("SHA-1, SHA-384 and SHA-512 match the FIPS 180 vectors") {
    using namespace sluice::core;
    const std::string m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    CHECK(sha1_hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
    CHECK(sha1_hex("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    CHECK(sha1_hex(m448) == "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    CHECK(sha384_hex("abc") ==
          "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
    CHECK(sha384_hex("") ==
          "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b");
    CHECK(sha384_hex(m448) ==
          "3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05abfe8f450de5f36bc6b0455a8520bc4e6f5fe95b1fe3c8452b");
    CHECK(sha512_hex("abc") ==
          "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643c"
          "e80e2a9ac94fa54ca49f");
    CHECK(sha512_hex("") ==
          "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd4741"
          "7a81a538327af927da3e");
    CHECK(sha512_hex(m448) ==
          "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71d"
          "d70354ec631238ca3445");
    const std::string million(1000000, 'a');
    CHECK(sha1_hex(million) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    CHECK(sha512_hex(million) ==
          "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49"
          "aa2e4eadb217ad8cc09b");
    // The existing digests are unchanged.
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(md5_hex("abc") == "900150983cd24fb0d6963f7d28e17f72");
}
