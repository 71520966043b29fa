// Choice rules, as the Choice state's documentation describes them:
// https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html (Choice Rules, JSONPath)
#include <catch2/catch.hpp>

#include "sluice/sfn/choice.hpp"

using namespace sluice::sfn;
using Json = nlohmann::json;

namespace {

const std::string kAt = "/States/Pick/Choices/0";

ChoiceRule parse_ok(const Json& body, bool top_level = false) {
    Diagnostics out;
    auto rule = parse_choice_rule(body, top_level, kAt, out);
    for (const auto& d : out) UNSCOPED_INFO(d.code << ": " << d.message << " at " << d.location);
    REQUIRE(out.empty());
    REQUIRE(rule.has_value());
    return *rule;
}

Diagnostics problems(const Json& body, bool top_level = true) {
    Diagnostics out;
    auto rule = parse_choice_rule(body, top_level, kAt, out);
    CHECK_FALSE(rule.has_value());
    return out;
}

bool has(const Diagnostics& out, const std::string& code, const std::string& location, const std::string& text = "") {
    for (const auto& d : out)
        if (d.code == code && d.location == location && d.message.find(text) != std::string::npos) return true;
    for (const auto& d : out) UNSCOPED_INFO(d.code << ": " << d.message << " at " << d.location);
    return false;
}

bool holds(const Json& body, const Json& input, const Json& variables = Json::object(),
           const Json& context = Json::object()) {
    return evaluate(parse_ok(body), EvalScope{input, context, &variables});
}

// {"Variable": "$.v", op: operand} against {"v": value}; the `...Path` form reads the operand from $.w.
bool compare(const std::string& op, const Json& value, const Json& operand) {
    return holds({{"Variable", "$.v"}, {op, operand}}, {{"v", value}});
}
bool compare_path(const std::string& op, const Json& value, const Json& operand) {
    return holds({{"Variable", "$.v"}, {op + "Path", "$.w"}}, {{"v", value}, {"w", operand}});
}

struct Case {
    const char* op;
    Json value;
    Json operand;
    bool expected;
};

}  // namespace

TEST_CASE("every comparison operator, literal and Path forms, true and false") {
    const std::vector<Case> cases = {
        {"StringEquals", "abc", "abc", true},
        {"StringEquals", "abc", "abd", false},
        {"StringEquals", "", "", true},
        {"StringLessThan", "abc", "abd", true},
        {"StringLessThan", "abc", "abc", false},
        {"StringLessThan", "B", "a", true},  // byte-wise: 'B' (0x42) < 'a' (0x61)
        {"StringGreaterThan", "b", "a", true},
        {"StringGreaterThan", "a", "ab", false},
        {"StringLessThanEquals", "abc", "abc", true},
        {"StringLessThanEquals", "abd", "abc", false},
        {"StringGreaterThanEquals", "abc", "abc", true},
        {"StringGreaterThanEquals", "ab", "abc", false},
        {"NumericEquals", 3, 3, true},
        {"NumericEquals", 3, 3.0, true},
        {"NumericEquals", 3, 3.5, false},
        {"NumericLessThan", 2, 2.5, true},
        {"NumericLessThan", 3, 3, false},
        {"NumericGreaterThan", 3.5, 3, true},
        {"NumericGreaterThan", -1, 0, false},
        {"NumericLessThanEquals", 3, 3.0, true},
        {"NumericLessThanEquals", 4, 3, false},
        {"NumericGreaterThanEquals", 3.0, 3, true},
        {"NumericGreaterThanEquals", 2.999, 3, false},
        {"BooleanEquals", true, true, true},
        {"BooleanEquals", false, true, false},
        {"TimestampEquals", "2016-03-14T01:59:00Z", "2016-03-14T01:59:00Z", true},
        {"TimestampEquals", "2016-03-14T02:59:00+01:00", "2016-03-14T01:59:00Z", true},  // the same instant
        {"TimestampEquals", "2016-03-14T01:59:00.000Z", "2016-03-14T01:59:00Z", true},
        {"TimestampEquals", "2016-03-14T01:59:00Z", "2016-03-14T01:59:01Z", false},
        {"TimestampLessThan", "2016-03-14T01:59:00Z", "2016-03-14T01:59:00.5Z", true},
        {"TimestampLessThan", "2016-03-14T01:59:00Z", "2016-03-14T01:59:00Z", false},
        {"TimestampGreaterThan", "2016-03-14T01:59:00-01:00", "2016-03-14T02:00:00Z", true},
        {"TimestampGreaterThan", "2016-03-14T01:59:00Z", "2016-03-14T01:59:00Z", false},
        {"TimestampLessThanEquals", "2016-03-14T01:59:00Z", "2016-03-14T01:59:00Z", true},
        {"TimestampLessThanEquals", "2017-01-01T00:00:00Z", "2016-03-14T01:59:00Z", false},
        {"TimestampGreaterThanEquals", "2016-03-14T01:59:00Z", "2016-03-14T01:59:00Z", true},
        {"TimestampGreaterThanEquals", "2015-03-14T01:59:00Z", "2016-03-14T01:59:00Z", false},
    };
    for (const auto& c : cases) {
        INFO(c.op << " " << c.value.dump() << " " << c.operand.dump());
        CHECK(compare(c.op, c.value, c.operand) == c.expected);
        CHECK(compare_path(c.op, c.value, c.operand) == c.expected);
    }
}

TEST_CASE("numbers compare across integer and float, exactly for large integers") {
    CHECK(compare("NumericEquals", 9007199254740993LL, 9007199254740993LL));
    CHECK_FALSE(compare("NumericEquals", 9007199254740993LL, 9007199254740992LL));
    CHECK(compare("NumericGreaterThan", 18446744073709551615ULL, 1));
    CHECK(compare("NumericLessThan", -5, 0.1));
    CHECK(compare("NumericEquals", 0, -0.0));
}

TEST_CASE("a Variable of the wrong type makes the comparison false, not an error") {
    const Json others[] = {nullptr, 1, 1.5, "1", true, Json::array({1}), Json::object({{"a", 1}})};
    for (const auto& value : others) {
        INFO(value.dump());
        if (!value.is_string()) {
            CHECK_FALSE(compare("StringEquals", value, "1"));
            CHECK_FALSE(compare("StringMatches", value, "*"));
            CHECK_FALSE(compare("TimestampEquals", value, "2016-03-14T01:59:00Z"));
        }
        if (!value.is_number()) CHECK_FALSE(compare("NumericEquals", value, 1));
        if (!value.is_boolean()) CHECK_FALSE(compare("BooleanEquals", value, true));
    }
    CHECK_FALSE(compare("TimestampEquals", "2016-03-14", "2016-03-14T01:59:00Z"));
    CHECK_FALSE(compare("TimestampEquals", "2016-03-14 01:59:00Z", "2016-03-14T01:59:00Z"));
    CHECK_FALSE(compare("TimestampEquals", "2016-03-14T01:59:00", "2016-03-14T01:59:00Z"));  // no offset
}

TEST_CASE("a Path operand of the wrong type makes the comparison false") {
    CHECK_FALSE(compare_path("StringEquals", "1", 1));
    CHECK_FALSE(compare_path("NumericEquals", 1, "1"));
    CHECK_FALSE(compare_path("BooleanEquals", true, "true"));
    CHECK_FALSE(compare_path("TimestampEquals", "2016-03-14T01:59:00Z", "yesterday"));
}

TEST_CASE("StringMatches: '*' is the only wildcard; \\* and \\\\ are literal") {
    CHECK(compare("StringMatches", "log-2024.txt", "log-*.txt"));
    CHECK(compare("StringMatches", "log-.txt", "log-*.txt"));
    CHECK_FALSE(compare("StringMatches", "log-2024.txt.gz", "log-*.txt"));
    CHECK(compare("StringMatches", "zebra.log", "*.log"));
    CHECK(compare("StringMatches", "foobar.zebra", "foo*.*"));
    CHECK(compare("StringMatches", "anything", "*"));
    CHECK(compare("StringMatches", "", "*"));
    CHECK(compare("StringMatches", "abcabd", "*ab*d"));
    CHECK(compare("StringMatches", "aXbXc", "a*b*c"));
    CHECK_FALSE(compare("StringMatches", "ac", "a*b*c"));
    CHECK_FALSE(compare("StringMatches", "aba", "ab*ba"));  // prefix and suffix may not overlap
    CHECK(compare("StringMatches", "a.b", "a.b"));          // '.', '?' and '[' have no special meaning
    CHECK_FALSE(compare("StringMatches", "axb", "a.b"));
    CHECK_FALSE(compare("StringMatches", "ab", "a?"));
    CHECK(compare("StringMatches", "a?", "a?"));
    CHECK(compare("StringMatches", "5*3", R"(5\*3)"));
    CHECK_FALSE(compare("StringMatches", "5x3", R"(5\*3)"));
    CHECK(compare("StringMatches", R"(dir\file)", R"(dir\\*)"));
    CHECK_FALSE(compare("StringMatches", R"(dir\*)", R"(dir\\\*x)"));
    CHECK(compare("StringMatches", R"(dir\*x)", R"(dir\\\*x)"));
}

TEST_CASE("Is* operators compare the type test with their boolean operand") {
    const Json input = {{"null", nullptr}, {"n", 1.5}, {"s", "x"}, {"b", false}, {"t", "2016-03-14T01:59:00Z"}};
    auto test = [&](const char* op, const char* path, bool expected_answer) {
        return holds({{"Variable", path}, {op, expected_answer}}, input);
    };
    CHECK(test("IsNull", "$.null", true));
    CHECK_FALSE(test("IsNull", "$.n", true));
    CHECK(test("IsNull", "$.n", false));
    CHECK(test("IsNumeric", "$.n", true));
    CHECK_FALSE(test("IsNumeric", "$.s", true));
    CHECK(test("IsNumeric", "$.s", false));
    CHECK(test("IsString", "$.s", true));
    CHECK_FALSE(test("IsString", "$.b", true));
    CHECK(test("IsBoolean", "$.b", true));
    CHECK_FALSE(test("IsBoolean", "$.null", true));
    CHECK(test("IsBoolean", "$.null", false));
    CHECK(test("IsTimestamp", "$.t", true));
    CHECK_FALSE(test("IsTimestamp", "$.s", true));
    CHECK(test("IsTimestamp", "$.s", false));
    CHECK(test("IsPresent", "$.null", true));  // present, with the value null
    CHECK_FALSE(test("IsPresent", "$.null", false));
}

TEST_CASE("IsPresent is false for a missing path; other operators fail with States.Runtime") {
    const Json input = {{"a", 1}};
    CHECK_FALSE(holds({{"Variable", "$.missing"}, {"IsPresent", true}}, input));
    CHECK(holds({{"Variable", "$.missing"}, {"IsPresent", false}}, input));
    CHECK_FALSE(holds({{"Variable", "$.a.b.c"}, {"IsPresent", true}}, input));

    try {
        holds({{"Variable", "$.x"}, {"StringEquals", "a"}}, input);
        FAIL("expected States.Runtime");
    } catch (const StatesError& e) {
        CHECK(e.error == "States.Runtime");
        CHECK(e.cause == "Invalid path '$.x': The choice state's condition path references an invalid value.");
    }
    CHECK_THROWS_AS(holds({{"Variable", "$.x"}, {"IsNull", true}}, input), StatesError);
    CHECK_THROWS_AS(holds({{"Variable", "$.x"}, {"IsString", false}}, input), StatesError);
    // A missing `...Path` operand is an error too, even when the Variable exists.
    try {
        holds({{"Variable", "$.a"}, {"NumericEqualsPath", "$.limit"}}, input);
        FAIL("expected States.Runtime");
    } catch (const StatesError& e) {
        CHECK(e.error == "States.Runtime");
        CHECK(e.cause == "Invalid path '$.limit': The choice state's condition path references an invalid value.");
    }
}

TEST_CASE("And, Or and Not nest, and short-circuit left to right") {
    const Json input = {{"n", 5}, {"s", "go"}};
    const Json between = {
        {"And",
         {{{"Variable", "$.n"}, {"NumericGreaterThanEquals", 1}}, {{"Variable", "$.n"}, {"NumericLessThan", 10}}}}};
    CHECK(holds(between, input));
    CHECK_FALSE(holds(between, {{"n", 10}}));
    const Json either = {
        {"Or",
         {{{"Variable", "$.s"}, {"StringEquals", "stop"}}, {{"Not", {{"Variable", "$.n"}, {"NumericEquals", 4}}}}}}};
    CHECK(holds(either, input));
    CHECK_FALSE(holds(either, {{"s", "x"}, {"n", 4}}));
    CHECK(holds({{"Not", {{"Not", {{"Variable", "$.s"}, {"StringEquals", "go"}}}}}}, input));
    CHECK(holds({{"Or", {between, {{"Variable", "$.s"}, {"IsString", false}}}}}, input));

    // The documented guard: the comparison is evaluated only when the key exists.
    const Json guarded = {
        {"And", {{{"Variable", "$.maybe"}, {"IsPresent", true}}, {{"Variable", "$.maybe"}, {"StringEquals", "foo"}}}}};
    CHECK_FALSE(holds(guarded, input));
    CHECK(holds(guarded, {{"maybe", "foo"}}));
    const Json either_guard = {
        {"Or", {{{"Variable", "$.n"}, {"IsPresent", true}}, {{"Variable", "$.nothing"}, {"StringEquals", "x"}}}}};
    CHECK(holds(either_guard, input));
}

TEST_CASE("Variable reads the input, Assign variables and the context object") {
    const Json input = {{"items", {{{"id", "a"}}, {{"id", "b"}}}}, {"odd key", 1}};
    const Json variables = {{"threshold", 10}, {"user", {{"name", "ana"}, {"tags", {"x", "y"}}}}};
    const Json context = {{"Execution", {{"Id", "arn:aws:states:us-east-1:000000000000:execution:m:e1"}}}};

    CHECK(holds({{"Variable", "$.items[1].id"}, {"StringEquals", "b"}}, input));
    CHECK(holds({{"Variable", "$.items[-1].id"}, {"StringEquals", "b"}}, input));
    CHECK(holds({{"Variable", "$['odd key']"}, {"NumericEquals", 1}}, input));
    CHECK(holds({{"Variable", "$"}, {"IsPresent", true}}, input));
    CHECK(holds({{"Variable", "$threshold"}, {"NumericGreaterThan", 9}}, input, variables));
    CHECK(holds({{"Variable", "$user.name"}, {"StringEquals", "ana"}}, input, variables));
    CHECK(holds({{"Variable", "$user.tags[1]"}, {"StringEquals", "y"}}, input, variables));
    CHECK(holds({{"Variable", "$$.Execution.Id"}, {"StringMatches", "*:execution:m:*"}}, input, variables, context));
    CHECK(holds({{"Variable", "$.items[0].id"}, {"StringLessThanPath", "$user.name"}}, input, variables));
    CHECK(holds({{"Variable", "$threshold"}, {"NumericEqualsPath", "$threshold"}}, input, variables));
    CHECK_FALSE(holds({{"Variable", "$unknown"}, {"IsPresent", true}}, input, variables));
    CHECK_THROWS_AS(holds({{"Variable", "$unknown"}, {"NumericEquals", 1}}, input, variables), StatesError);
    CHECK_THROWS_AS(holds({{"Variable", "$$.Execution.Name"}, {"StringEquals", "e1"}}, input, variables, context),
                    StatesError);
}

TEST_CASE("a top-level rule keeps its Next and Assign") {
    const auto rule = parse_ok({{"Variable", "$.n"},
                                {"NumericEquals", 1},
                                {"Next", "One"},
                                {"Assign", {{"seen.$", "$.n"}}},
                                {"Comment", "n is one"}},
                               /*top_level=*/true);
    CHECK(choice_next(rule) == "One");
    REQUIRE(choice_assign(rule).has_value());
    CHECK(*choice_assign(rule) == Json({{"seen.$", "$.n"}}));
    CHECK(rule.comparison.name == "NumericEquals");

    const auto plain = parse_ok({{"And", {{{"Variable", "$.n"}, {"IsNumeric", true}}}}, {"Next", "Two"}}, true);
    CHECK(choice_next(plain) == "Two");
    CHECK_FALSE(choice_assign(plain).has_value());
    CHECK(plain.kind == ChoiceRule::Kind::And);
    CHECK(plain.operands.size() == 1);
}

TEST_CASE("Next is required on a top-level rule and refused on a nested one") {
    auto out = problems({{"Variable", "$.n"}, {"NumericEquals", 1}});
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt, "These fields are required: [Next]"));

    out = problems({{"Not", {{"Variable", "$.n"}, {"NumericEquals", 1}, {"Next", "X"}}}, {"Next", "Y"}});
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt + "/Not", "Field 'Next' is not supported"));
    out = problems({{"And",
                     {{{"Variable", "$.n"}, {"IsNull", true}},
                      {{"Variable", "$.n"}, {"IsNull", true}, {"Assign", Json::object()}}}},
                    {"Next", "Y"}});
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt + "/And/1", "Field 'Assign' is not supported"));
    CHECK(out.size() == 1);

    out = problems({{"Variable", "$.n"}, {"NumericEquals", 1}, {"Next", 3}});
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt + "/Next", "must be a STRING"));
    out = problems({{"Variable", "$.n"}, {"NumericEquals", 1}, {"Next", "A"}, {"Assign", "x"}});
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt + "/Assign", "must be an OBJECT"));
}

TEST_CASE("a rule needs exactly one known operator") {
    auto out = problems({{"Variable", "$.n"}, {"NumericEqual", 1}, {"Next", "X"}});
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt, "Field 'NumericEqual' is not supported"));
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt, "found none"));

    out = problems({{"Variable", "$.n"}, {"StringEquals", "1"}, {"NumericEquals", 1}, {"Next", "X"}});
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt, "found [NumericEquals, StringEquals]"));

    out = problems({{"Variable", "$.n"}, {"And", {{{"Variable", "$.n"}, {"IsNull", true}}}}, {"Next", "X"}});
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt, "Field 'Variable' is not supported"));

    out = problems({{"StringEquals", "a"}, {"Next", "X"}});
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt, "These fields are required: [Variable]"));

    out = problems({{"Condition", "{% true %}"}, {"Next", "X"}});
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt, "field 'Condition' is only supported for the 'JSONata'"));

    out = problems(Json::array(), /*top_level=*/false);
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt, "must be an OBJECT"));
}

TEST_CASE("operands must have the operator's type") {
    auto out = problems({{"Variable", "$.n"}, {"StringEquals", 1}, {"Next", "X"}});
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt + "/StringEquals",
              "The value for the field 'StringEquals' must be a STRING"));
    out = problems({{"Variable", "$.n"}, {"NumericLessThan", "1"}, {"Next", "X"}});
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt + "/NumericLessThan", "must be a NUMBER"));
    out = problems({{"Variable", "$.n"}, {"BooleanEquals", "true"}, {"Next", "X"}});
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt + "/BooleanEquals", "must be a BOOLEAN"));
    out = problems({{"Variable", "$.n"}, {"IsPresent", 1}, {"Next", "X"}});
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt + "/IsPresent", "must be a BOOLEAN"));
    out = problems({{"Variable", "$.n"}, {"StringEqualsPath", 3}, {"Next", "X"}});
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt + "/StringEqualsPath", "must be a STRING"));

    for (const char* bad :
         {"2016-03-14", "2016-03-14T01:59:00", "2016-13-14T01:59:00Z", "2016-03-14t01:59:00z", "now"}) {
        INFO(bad);
        out = problems({{"Variable", "$.t"}, {"TimestampLessThan", bad}, {"Next", "X"}});
        CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt + "/TimestampLessThan",
                  "String does not match RFC3339 timestamp"));
    }
    parse_ok({{"Variable", "$.t"}, {"TimestampLessThan", "2016-03-14T01:59:00.123456+05:30"}});
}

TEST_CASE("Variable and Path operands must be reference paths") {
    auto out = problems({{"Variable", "n"}, {"IsNull", true}, {"Next", "X"}});
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt + "/Variable", "Reference path didn't start with '$'"));
    out = problems({{"Variable", "$.a["}, {"IsNull", true}, {"Next", "X"}});
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt + "/Variable", "Value is not a Reference Path"));
    out = problems({{"Variable", "$.a[*].b"}, {"IsNull", true}, {"Next", "X"}});
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt + "/Variable",
              "Value is not a Reference Path: '$.a[*].b' can select more"));
    out = problems({{"Variable", "$..b"}, {"IsNull", true}, {"Next", "X"}});
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt + "/Variable", "Value is not a Reference Path"));
    out = problems({{"Variable", 7}, {"IsNull", true}, {"Next", "X"}});
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt + "/Variable", "must be a STRING"));
    out = problems({{"Variable", "$.n"}, {"NumericEqualsPath", "$.m[?(@ > 1)]"}, {"Next", "X"}});
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt + "/NumericEqualsPath", "Value is not a Reference Path"));
    out = problems({{"Variable", "$.n"}, {"NumericEqualsPath", "limit"}, {"Next", "X"}});
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt + "/NumericEqualsPath", "didn't start with '$'"));
}

TEST_CASE("And, Or and Not take rules; every problem below is reported with its place") {
    auto out = problems({{"And", Json::array()}, {"Next", "X"}});
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt + "/And", "must be a non-empty ARRAY"));
    out = problems({{"Or", {{"Variable", "$.a"}}}, {"Next", "X"}});
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt + "/Or", "must be a non-empty ARRAY"));
    out = problems({{"Not", Json::array()}, {"Next", "X"}});
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt + "/Not", "must be an OBJECT"));

    // Two flaws deep inside one rule: both found, each at its own location.
    out = problems(
        {{"Or",
          {{{"Variable", "$.a"}, {"StringEquals", 1}}, {{"Not", {{"And", {{{"Variable", "a"}, {"IsNull", true}}}}}}}}},
         {"Next", "X"}});
    CHECK(out.size() == 2);
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt + "/Or/0/StringEquals"));
    CHECK(has(out, "SCHEMA_VALIDATION_FAILED", kAt + "/Or/1/Not/And/0/Variable"));

    // A missing Next and a bad operand in one rule: both reported.
    out = problems({{"Variable", "$.a"}, {"NumericEquals", "x"}});
    CHECK(out.size() == 2);
}

TEST_CASE("absurdly deep nesting is refused instead of exhausting the stack") {
    Json rule = {{"Variable", "$.a"}, {"IsNull", true}};
    for (int i = 0; i < 5000; ++i) rule = Json{{"Not", std::move(rule)}};
    rule["Next"] = "X";
    auto out = problems(rule);
    REQUIRE(out.size() == 1);
    CHECK(out.front().message.find("nested") != std::string::npos);

    Json fine = {{"Variable", "$.a"}, {"IsNull", true}};
    for (int i = 0; i < 50; ++i) fine = Json{{"Not", std::move(fine)}};
    CHECK(holds(fine, {{"a", nullptr}}));  // an even number of Nots
}
