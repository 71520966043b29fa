// protocol::read_json builds the values nlohmann's parser builds and refuses what it refuses;
// dump_json writes what nlohmann's dump writes.
#include <string>

#include <catch2/catch.hpp>

#include "sluice/protocol/json_rpc.hpp"
#include "sluice/protocol/json_text.hpp"

using sluice::protocol::JsonRead;
using sluice::protocol::read_json;
using Json = nlohmann::json;

namespace {
JsonRead read(std::string_view text) {
    Json out;
    return read_json(text, out);
}
Json value(std::string_view text) {
    Json out;
    REQUIRE(read_json(text, out) == JsonRead::ok);
    return out;
}
std::string nested(int depth) {
    return std::string(depth, '[') + std::string(depth, ']');
}
}  // namespace

TEST_CASE("read_json: values and number types as nlohmann builds them") {
    const char* texts[] = {
        R"({"QueueUrl":"http://h/000000000000/q","MessageBody":"hello","DelaySeconds":5})",
        R"([0, -0, 1, -1, 18446744073709551615, 18446744073709551616, -9223372036854775808,
            -9223372036854775809, 0.5, -2.5e3, 1E-2, 1e+2, 1.5e-400, 123456789012345678901234567890])",
        R"( {"a" : [true, false, null, {}, [], ""] } )",
        R"(["\"\\\/\b\f\n\r\t", "\u0041\u00e9\u20ac\ud83d\ude00\u0000x", "café ✓ 😀"])",
        "\xEF\xBB\xBF{\"bom\":1}",
        "\"a string long enough to take the eight-byte path, twice over and then some\"",
    };
    for (const char* text : texts) {
        INFO(text);
        const Json ours = value(text);
        const Json theirs = Json::parse(text);
        CHECK(ours == theirs);
        CHECK(ours.dump() == theirs.dump());
    }
    // nlohmann's number types: non-negative integers unsigned, negative signed, too large double.
    const Json n =
        value("[0, -0, 18446744073709551615, 18446744073709551616, -9223372036854775808, -9223372036854775809, 1.0]");
    CHECK(n[0].is_number_unsigned());
    CHECK(n[1].is_number_integer());
    CHECK_FALSE(n[1].is_number_unsigned());
    CHECK(n[2].get<std::uint64_t>() == 18446744073709551615ULL);
    CHECK(n[3].is_number_float());
    CHECK(n[4].get<std::int64_t>() == INT64_MIN);
    CHECK(n[5].is_number_float());
    CHECK(n[6].is_number_float());
    CHECK(value(R"("\ud83d\ude00")").get<std::string>() == "\xF0\x9F\x98\x80");
    CHECK(value(R"("a\u0000b")").get<std::string>() == std::string("a\0b", 3));
}

TEST_CASE("read_json: a repeated key keeps its last value") {
    const Json j = value(R"({"a":1,"b":2,"a":{"c":[3]}})");
    CHECK(j.size() == 2);
    CHECK(j["a"] == Json::parse(R"({"c":[3]})"));
}

TEST_CASE("read_json refuses what nlohmann refuses") {
    const char* texts[] = {
        "",
        " ",
        "{",
        "}",
        "[1,]",
        "[,1]",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{a:1}",
        "{'a':1}",
        "[1 2]",
        "01",
        "-",
        "1.",
        ".5",
        "+1",
        "1e",
        "1e+",
        "0x10",
        "tru",
        "nul",
        "True",
        "NaN",
        "Infinity",
        "1e400",
        "-1e400",
        "\"abc",
        "\"\\x\"",
        "\"\\u12\"",
        "\"\\u12g4\"",
        "\"\\ud800\"",
        "\"\\ud800x\"",
        "\"\\ud800\\u0041\"",
        "\"\\udc00\"",
        "\"tab\there\"",
        "\"\x01\"",
        "\"\xC3\"",
        "\"\xC0\xAF\"",
        "\"\xED\xA0\x80\"",
        "\"\xF4\x90\x80\x80\"",
        "\"\xFF\"",
        "\xEF\xBB{}",
        "{} {}",
        "[]]",
        "\"a\"\"b\"",
    };
    for (const char* text : texts) {
        INFO(text);
        CHECK(read(text) == JsonRead::invalid);
        CHECK(Json::parse(text, nullptr, false).is_discarded());
    }
}

TEST_CASE("read_json refuses a NUL after the document, which nlohmann ignores") {
    const std::string text("{} \0 trailing", 13);
    CHECK(read(text) == JsonRead::invalid);
    CHECK_FALSE(Json::parse(text, nullptr, false).is_discarded());
}

TEST_CASE("read_json stops at the nesting limit; parse_json and decode_body answer as before") {
    CHECK(read(nested(1000)) == JsonRead::ok);
    CHECK(read(nested(1001)) == JsonRead::too_deep);
    CHECK(read("{\"a\":" + nested(1000) + "}") == JsonRead::too_deep);
    // parse_json hands deep documents to nlohmann, which does not recurse.
    CHECK(sluice::protocol::parse_json(nested(5000)).is_array());
    CHECK(sluice::protocol::parse_json(std::string(5000, '[')).is_discarded());
    // decode_body: a deep document that is not JSON is answered as not JSON, a deep one that is, with Jackson's limit.
    auto message = [](const std::string& body) {
        try {
            sluice::protocol::json_rpc::decode_body(body);
        } catch (const sluice::protocol::AwsError& e) {
            return e.message();
        }
        return std::string("accepted");
    };
    CHECK(message("{\"a\":" + std::string(2000, '[')) == "The request body is not valid JSON.");
    CHECK(message("{\"a\":" + nested(2000) + "}") == sluice::protocol::json_depth_message());
    CHECK(message(nested(2000)) == "The request body must be a JSON object.");
    CHECK(message("{\"a\":" + nested(999) + "}") == "accepted");
}

TEST_CASE("read_user_json: read_json decides, the refusal says why in the words users know") {
    using sluice::protocol::read_user_json;
    std::string why;
    auto doc = read_user_json(R"({"a":[1,2.5,"x"]})", &why);
    REQUIRE(doc);
    CHECK(*doc == Json::parse(R"({"a":[1,2.5,"x"]})"));
    CHECK(why.empty());
    // A syntax error: nlohmann's message, as definitions and inputs have always answered.
    CHECK_FALSE(read_user_json("{a:1}", &why));
    try {
        const Json taken = Json::parse("{a:1}");
        INFO(taken.dump());
        FAIL("nlohmann took it");
    } catch (const Json::exception& e) {
        CHECK(why == e.what());
    }
    CHECK_FALSE(read_user_json("1e400", &why));
    CHECK(why.find("number overflow") != std::string::npos);
    // Too deep: Jackson's message, whatever nlohmann would say.
    CHECK(read_user_json(nested(1000), &why));
    CHECK_FALSE(read_user_json(nested(1001), &why));
    CHECK(why == sluice::protocol::json_depth_message());
    CHECK_FALSE(read_user_json(nested(3), &why, 2));
    CHECK(why == sluice::protocol::json_depth_message(2));
    // What nlohmann takes and read_json refuses (a NUL after the document) is refused, with a reason.
    CHECK_FALSE(read_user_json(std::string("{} \0 x", 6), &why));
    CHECK(why.find("NUL") != std::string::npos);
    // Without `why`, no second reading.
    CHECK_FALSE(read_user_json("[", nullptr));
}

TEST_CASE("dump_json writes nlohmann's compact text, invalid UTF-8 replaced") {
    const Json values[] = {
        Json::parse(
            R"({"MessageId":"0b5a","MD5OfMessageBody":"9e107d9d372bb6826bd81d3542a419d6","n":[0,-1,18446744073709551615,
                        -9223372036854775808,0.5,1e300,1.0,-0.0,true,false,null],"empty":{},"none":[]})"),
        Json::parse(R"({"quote\"key":"tab\there \u0001 \u007f caf\u00e9 \ud83d\ude00 \\ \/ end"})"),
        Json("plain ASCII, long enough for the eight-byte path and then a tail"),
        Json(std::string("bad \xC3 utf-8 \xFF\xFE and a lone \xED\xA0\x80")),
        Json(std::string("nul \0 inside", 12)),
        Json(Json::value_t::discarded),
    };
    for (const auto& v : values) {
        const auto expected = v.dump(-1, ' ', false, Json::error_handler_t::replace);
        INFO(expected);
        CHECK(sluice::protocol::dump_json(v) == expected);
    }
    CHECK(sluice::protocol::dump_json(Json::parse(R"({"b":1,"a":[1,"x"]})")) == R"({"a":[1,"x"],"b":1})");
}

TEST_CASE("dump_json escapes strings byte for byte as nlohmann does") {
    auto same_as_nlohmann = [](const std::string& s) {
        const Json v = s;
        return sluice::protocol::dump_json(v) == v.dump(-1, ' ', false, Json::error_handler_t::replace);
    };
    // Every one- and two-byte string: each escape, each lead byte alone, each pair of them.
    int mismatches = 0;
    for (int a = 0; a < 256; ++a) {
        if (!same_as_nlohmann(std::string(1, static_cast<char>(a)))) ++mismatches;
        for (int b = 0; b < 256; ++b)
            if (!same_as_nlohmann({static_cast<char>(a), static_cast<char>(b)})) ++mismatches;
    }
    CHECK(mismatches == 0);
    // The edges of the three- and four-byte forms, whole, cut short, and inside longer text.
    const char* const edges[] = {"\xE0\xA0\x80",     "\xE0\x9F\xBF",     "\xED\x9F\xBF",     "\xED\xA0\x80",
                                 "\xEF\xBF\xBF",     "\xF0\x90\x80\x80", "\xF0\x8F\xBF\xBF", "\xF4\x8F\xBF\xBF",
                                 "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xE2\x82",         "\xF0\x9F\x98"};
    for (const char* edge : edges) {
        const std::string e = edge;
        INFO(e.size());
        CHECK(same_as_nlohmann(e));
        CHECK(same_as_nlohmann("eight by" + e + "tes and \"quoted\" \n text"));
        CHECK(same_as_nlohmann(e + "\x01\x1f\x7f\\/"));
    }
    CHECK(sluice::protocol::dump_json(Json(std::string("{\"n\": 1}\n\x01\xC3\xA9"))) ==
          "\"{\\\"n\\\": 1}\\n\\u0001\xC3\xA9\"");
    std::string appended = "[";
    sluice::protocol::dump_json_string(std::string_view("tab\there \xC3\xA9"), appended);
    CHECK(appended == "[\"tab\\there \xC3\xA9\"");
}

TEST_CASE("read_json into ordered_json keeps members in the order written") {
    nlohmann::ordered_json out;
    REQUIRE(read_json(R"({"b":1,"a":{"z":true,"y":null},"b":[2]})", out) == JsonRead::ok);
    CHECK(out.dump() == nlohmann::ordered_json::parse(R"({"b":1,"a":{"z":true,"y":null},"b":[2]})").dump());
    CHECK(out.dump() == R"({"b":[2],"a":{"z":true,"y":null}})");
}
