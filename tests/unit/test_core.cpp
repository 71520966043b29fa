#include <catch2/catch.hpp>

#include "sluice/core/arn.hpp"
#include "sluice/core/clock.hpp"
#include "sluice/core/config.hpp"
#include "sluice/core/digest.hpp"
#include "sluice/core/encoding.hpp"
#include "sluice/core/ids.hpp"

using namespace sluice::core;

TEST_CASE("base64 round-trips and rejects malformed text") {
    for (const std::string& s :
         std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\x00\xff\x10", 3)}) {
        auto enc = base64_encode(s);
        REQUIRE(base64_decode(enc) == s);
    }
    CHECK(base64_encode("hello") == "aGVsbG8=");
    CHECK_FALSE(base64_decode("aGVsbG8").has_value());   // bad length
    CHECK_FALSE(base64_decode("aGV=bG8=").has_value());  // padding in the middle
    CHECK_FALSE(base64_decode("aGVsbG8*").has_value());  // outside the alphabet
    CHECK_FALSE(base64_decode("a===").has_value());
}

TEST_CASE("url decoding handles plus, percent escapes and stray percent signs") {
    CHECK(url_decode("a+b%20c%2Bd") == "a b c+d");
    CHECK(url_decode("100%") == "100%");
    CHECK(url_decode("%zz") == "%zz");
    CHECK(url_decode("%4") == "%4");
    CHECK(url_decode("%%41+%+2") == "%A % 2");
    CHECK(url_decode("a+b%2b", /*plus_is_space=*/false) == "a+b+");
    CHECK(url_decode("") == "");
    CHECK(url_decode("no escapes at all") == "no escapes at all");
    CHECK(url_encode("a b/c~") == "a%20b%2Fc~");
}

TEST_CASE("utf-8 validation") {
    CHECK(is_valid_utf8("plain"));
    CHECK(is_valid_utf8("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"));
    CHECK_FALSE(is_valid_utf8("\xc3"));          // truncated
    CHECK_FALSE(is_valid_utf8("\xc0\xaf"));      // overlong
    CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));  // surrogate
    CHECK_FALSE(is_valid_utf8("\xff"));
    // One sequence at a time: its length, or 0 when the text does not start with a whole one.
    CHECK(utf8_sequence_length("a\xc3") == 1);
    CHECK(utf8_sequence_length("\xc3\xa9x") == 2);
    CHECK(utf8_sequence_length("\xe2\x82\xac") == 3);
    CHECK(utf8_sequence_length("\xf4\x8f\xbf\xbf") == 4);
    CHECK(utf8_sequence_length("\xf4\x90\x80\x80") == 0);  // above U+10FFFF
    CHECK(utf8_sequence_length("\xe2\x82") == 0);          // truncated
    CHECK(utf8_sequence_length("\xed\xa0\x80") == 0);      // surrogate
    CHECK(utf8_sequence_length("") == 0);
}

TEST_CASE("digests match the RFC 1321 and FIPS 180-4 test vectors") {
    CHECK(md5_hex("") == "d41d8cd98f00b204e9800998ecf8427e");
    CHECK(md5_hex("abc") == "900150983cd24fb0d6963f7d28e17f72");
    CHECK(md5_hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890") ==
          "57edf4a22be3c955ac49da2e2107b67a");
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    // Lengths around the 55/56/64-byte padding boundaries, against an incremental build.
    for (std::size_t n : {55, 56, 63, 64, 65, 119, 120, 1000}) {
        std::string s(n, 'x');
        Md5Builder b;
        b.add(s.substr(0, n / 3)).add(s.substr(n / 3));
        CHECK(to_hex(b.finish()) == md5_hex(s));
    }
    CHECK(md5_hex(std::string(1'000'000, 'a')) == "7707d6ae4e027c70eea2a935c2296f21");
    CHECK(sha256_hex(std::string(1'000'000, 'a')) ==
          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    CHECK(md5_hex("msg") == "6e2baaf3b97dbeef01c0043275f9a0e7");
    CHECK(md5_hex("test") == "098f6bcd4621d373cade4e832627b4f6");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("uuids are version 4 and distinct") {
    auto a = random_uuid_string(), b = random_uuid_string();
    CHECK(a != b);
    REQUIRE(a.size() == 36);
    CHECK(a[14] == '4');
    CHECK(std::string("89ab").find(a[19]) != std::string::npos);
}

TEST_CASE("ARNs keep colons inside the resource") {
    auto arn = Arn::parse("arn:aws:states:us-east-1:123456789012:execution:machine:run-1");
    REQUIRE(arn);
    CHECK(arn->service == "states");
    CHECK(arn->account == "123456789012");
    CHECK(arn->resource == "execution:machine:run-1");
    CHECK(arn->str() == "arn:aws:states:us-east-1:123456789012:execution:machine:run-1");
    CHECK_FALSE(Arn::parse("arn:aws:sqs"));
    CHECK_FALSE(Arn::parse("urn:aws:sqs:r:a:q"));
}

TEST_CASE("a time scale shortens durations but keeps timestamps on the wall clock") {
    SystemClock fast(0.01);
    CHECK(fast.scaled(Millis(30'000)) == Millis(300));
    auto wall = std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
    CHECK(std::chrono::abs(fast.now() - wall) < Millis(1000));
    ManualClock manual;
    auto t0 = manual.now();
    manual.advance(Millis(1500));
    CHECK(manual.now() - t0 == Millis(1500));
}

TEST_CASE("command-line flags") {
    auto ok = parse_args({"--port", "0", "--host", "0.0.0.0", "--time-scale", "0.05", "--log-level", "warn"});
    REQUIRE_FALSE(ok.error);
    CHECK(ok.config.port == 0);
    CHECK(ok.config.host == "0.0.0.0");
    CHECK(ok.config.time_scale == Approx(0.05));
    CHECK(parse_args({"--port", "70000"}).error);
    CHECK(parse_args({"--time-scale", "0"}).error);
    CHECK(parse_args({"--log-level", "loud"}).error);
    CHECK(parse_args({"--bogus", "1"}).error);
    CHECK(parse_args({"--port"}).error);
    CHECK(parse_args({"--help"}).help);
    // AWS's Step Functions history limit by default; raised for benchmarks.
    CHECK(parse_args({}).config.max_history_events == 25'000);
    CHECK(parse_args({"--max-history-events", "1000000"}).config.max_history_events == 1'000'000);
    CHECK(parse_args({"--max-history-events", "10"}).error);
    CHECK(parse_args({"--max-history-events", "many"}).error);
    CHECK(parse_args({"--ecs-keep-containers"}).config.ecs_keep_containers);
}

TEST_CASE("every flag has a SLUICE_* variable; a flag wins; a typo or a bad value is an error naming it") {
    auto from_env = parse_args({}, {{"SLUICE_PORT", "4600"},
                                    {"SLUICE_TIME_SCALE", "0.01"},
                                    {"SLUICE_ECS_KEEP_CONTAINERS", "true"},
                                    {"PATH", "/bin"},
                                    {"HOME", "/root"},
                                    {"SLUICE_BIN", "build/asan/sluice"},
                                    {"SLUICE_STATIC_BIN", "build/static/sluice"},
                                    {"SLUICE_IMAGE", "sluice:latest"}});
    REQUIRE_FALSE(from_env.error);
    CHECK(from_env.config.port == 4600);
    CHECK(from_env.config.time_scale == Approx(0.01));
    CHECK(from_env.config.ecs_keep_containers);
    CHECK(parse_args({"--port", "4700"}, {{"SLUICE_PORT", "4600"}}).config.port == 4700);
    auto typo = parse_args({}, {{"SLUICE_PROT", "4600"}});
    REQUIRE(typo.error);
    CHECK(typo.error->find("SLUICE_PROT") != std::string::npos);
    auto bad = parse_args({}, {{"SLUICE_LOG_LEVEL", "loud"}});
    REQUIRE(bad.error);
    CHECK(bad.error->find("SLUICE_LOG_LEVEL=loud") != std::string::npos);
    CHECK(parse_args({}, {{"SLUICE_ECS_KEEP_CONTAINERS", "maybe"}}).error);
    CHECK(parse_args({}, {{"SLUICE_ECS_ENDPOINT_URL", "http://sluice:4566"}}).config.ecs_endpoint_url ==
          "http://sluice:4566");
    CHECK(parse_args({}, {{"SLUICE_ECS_ENDPOINT_URL", "sluice:4566"}}).error);  // no scheme
    CHECK(parse_args({"--ecs-endpoint-url", "http://"}).error);
    // The mock file: Sluice's variable, or SFN_MOCK_CONFIG (what users set for other emulators);
    // Sluice's own wins, and the flag over both.
    CHECK(parse_args({}, {{"SFN_MOCK_CONFIG", "a.json"}}).config.sfn_mock_config == "a.json");
    CHECK(
        parse_args({}, {{"SFN_MOCK_CONFIG", "a.json"}, {"SLUICE_SFN_MOCK_CONFIG", "b.json"}}).config.sfn_mock_config ==
        "b.json");
    CHECK(parse_args({"--mock-config", "c.json"}, {{"SFN_MOCK_CONFIG", "a.json"}}).config.sfn_mock_config == "c.json");
    // --help lists every variable.
    for (const char* v : {"SLUICE_HOST", "SLUICE_PORT", "SLUICE_LOG_LEVEL", "SLUICE_TIME_SCALE", "SLUICE_IO_THREADS",
                          "SLUICE_MAX_HISTORY_EVENTS", "SLUICE_ECS_NETWORK", "SLUICE_ECS_KEEP_CONTAINERS",
                          "SLUICE_ECS_ENDPOINT_URL", "SLUICE_SFN_MOCK_CONFIG"})
        CHECK(usage().find(v) != std::string::npos);
}
