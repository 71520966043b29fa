#include <catch2/catch.hpp>

#include "daemon_harness.hpp"
#include "sluice/console/assets.hpp"
#include "sluice/core/config.hpp"
#include "sluice/server/access_policy.hpp"

using sluice::protocol::HttpRequest;
using sluice::protocol::HttpResponse;
using sluice::server::AccessOptions;
using sluice::server::AccessPolicy;

namespace {
HttpRequest request(std::string method, std::vector<std::pair<std::string, std::string>> headers) {
    HttpRequest r;
    r.method = std::move(method);
    r.target = "/";
    r.headers = std::move(headers);
    return r;
}

std::string header(const HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
        if (k == name) return v;
    return {};
}
}  // namespace

TEST_CASE("requests without Origin pass: the CLI, SDKs and curl send none", "[access]") {
    AccessPolicy policy;
    CHECK_FALSE(policy.refuse_change(request("POST", {{"Host", "127.0.0.1:4566"}})));
    // A user typing the URL: Sec-Fetch-Site none.
    CHECK_FALSE(policy.refuse_change(request("GET", {{"Host", "localhost:4566"}, {"Sec-Fetch-Site", "none"}})));
}

TEST_CASE("a page of another site may not change state, with or without Origin", "[access]") {
    AccessPolicy policy;
    CHECK(policy.refuse_change(request("POST", {{"Host", "127.0.0.1:4566"}, {"Origin", "http://evil.example"}})));
    CHECK(policy.refuse_change(request("POST", {{"Host", "127.0.0.1:4566"}, {"Origin", "null"}})));
    // An <img> GET carries no Origin but says where it comes from.
    CHECK(policy.refuse_change(request("GET", {{"Host", "127.0.0.1:4566"}, {"Sec-Fetch-Site", "cross-site"}})));
    CHECK(policy.refuse_change(request("GET", {{"Host", "127.0.0.1:4566"}, {"Sec-Fetch-Site", "same-site"}})));
    // Another port of localhost is another origin.
    CHECK(policy.refuse_change(request("POST", {{"Host", "localhost:4566"}, {"Origin", "http://localhost:3000"}})));
}

TEST_CASE("Sluice's own pages may change state, a rebound name may not", "[access]") {
    AccessPolicy policy;
    policy.add_own_host("192.168.1.5");
    CHECK_FALSE(
        policy.refuse_change(request("POST", {{"Host", "127.0.0.1:4566"}, {"Origin", "http://127.0.0.1:4566"}})));
    CHECK_FALSE(
        policy.refuse_change(request("POST", {{"Host", "LOCALHOST:4566"}, {"Origin", "http://localhost:4566"}})));
    CHECK_FALSE(policy.refuse_change(request("POST", {{"Host", "[::1]:4566"}, {"Origin", "http://[::1]:4566"}})));
    CHECK_FALSE(
        policy.refuse_change(request("POST", {{"Host", "192.168.1.5:4566"}, {"Origin", "http://192.168.1.5:4566"}})));
    // DNS rebinding: the page's origin and the Host agree, but the name is not Sluice's.
    CHECK(
        policy.refuse_change(request("POST", {{"Host", "evil.example:4566"}, {"Origin", "http://evil.example:4566"}})));
}

TEST_CASE("the console answers to loopback names, the listen address and names given by flag", "[access]") {
    AccessPolicy policy(AccessOptions{{}, {"sluice"}});
    policy.add_own_host("::1");
    for (const char* ok : {"localhost", "localhost:4566", "127.0.0.1:4566", "127.3.4.5", "[::1]:4566",
                           "app.localhost:4566", "sluice:4566", "SLUICE"})
        CHECK(policy.host_allowed(ok));
    for (const char* no : {"", "evil.example:4566", "127.0.0.1.evil.example", "localhost.evil.example", "sluice2:4566"})
        CHECK_FALSE(policy.host_allowed(no));
}

TEST_CASE("origins given by flag get CORS answers and their preflights pass", "[access]") {
    AccessPolicy policy(AccessOptions{{"http://localhost:3000"}, {}});
    auto allowed = request("POST", {{"Host", "localhost:4566"}, {"Origin", "http://localhost:3000"}});
    CHECK_FALSE(policy.refuse_change(allowed));
    HttpResponse r;
    policy.add_cors_headers("http://localhost:3000", r);
    CHECK(header(r, "Access-Control-Allow-Origin") == "http://localhost:3000");
    CHECK(header(r, "Access-Control-Expose-Headers").find("x-amzn-query-error") != std::string::npos);
    HttpResponse other;
    policy.add_cors_headers("http://evil.example", other);
    CHECK(other.headers.empty());

    auto pre = policy.preflight(request("OPTIONS", {{"Host", "localhost:4566"},
                                                    {"Origin", "http://localhost:3000"},
                                                    {"Access-Control-Request-Method", "POST"},
                                                    {"Access-Control-Request-Headers", "x-amz-target, content-type"}}));
    REQUIRE(pre);
    CHECK(pre->status == 204);
    CHECK(header(*pre, "Access-Control-Allow-Headers") == "x-amz-target, content-type");
    auto refused = policy.preflight(request(
        "OPTIONS",
        {{"Host", "localhost:4566"}, {"Origin", "http://evil.example"}, {"Access-Control-Request-Method", "POST"}}));
    REQUIRE(refused);
    CHECK(refused->status == 403);
    CHECK_FALSE(policy.preflight(request("OPTIONS", {{"Host", "localhost:4566"}})));

    AccessPolicy any(AccessOptions{{"*"}, {}});
    CHECK_FALSE(any.refuse_change(request("POST", {{"Host", "localhost:4566"}, {"Origin", "http://x.example"}})));
}

TEST_CASE("--allowed-origins and --allowed-hosts are comma-separated lists, also from the environment", "[access]") {
    auto parsed = sluice::core::parse_args({"--allowed-origins", "http://localhost:3000, https://app.example"},
                                           {{"SLUICE_ALLOWED_HOSTS", "sluice,sluice.internal"}});
    REQUIRE_FALSE(parsed.error);
    CHECK(parsed.config.allowed_origins == std::vector<std::string>{"http://localhost:3000", "https://app.example"});
    CHECK(parsed.config.allowed_hosts == std::vector<std::string>{"sluice", "sluice.internal"});
    CHECK(sluice::core::parse_args({"--allowed-origins", "localhost:3000"}).error);
    CHECK(sluice::core::parse_args({"--allowed-hosts", "a,,b"}).error);
}

TEST_CASE("the console's files are compiled in", "[access][console]") {
    auto index = sluice::console::asset("index.html");
    REQUIRE(index);
    CHECK(index->content_type == "text/html; charset=utf-8");
    auto dagre = sluice::console::asset("dagre.min.js");
    REQUIRE(dagre);
    CHECK(dagre->body.find("dagre") != std::string_view::npos);
    CHECK_FALSE(sluice::console::asset("../CMakeLists.txt"));
}

namespace {
struct Answers {
    std::vector<HttpResponse> got;
    sluice::server::Respond respond() {
        return [this](HttpResponse r) { got.push_back(std::move(r)); };
    }
};
HttpRequest get(std::string target) {
    HttpRequest r;
    r.method = "GET";
    r.target = std::move(target);
    r.headers = {{"Host", "127.0.0.1:4566"}};
    return r;
}
}  // namespace

TEST_CASE("a console's watch is parked until the state moves, or 25 s on the daemon's clock", "[access][console]") {
    sluice::testing::DaemonHarness h;
    Answers first;
    h.daemon.router().handle(get("/_sluice/watch?since="), first.respond());
    REQUIRE(first.got.size() == 1);
    const auto fingerprint = nlohmann::json::parse(first.got[0].body)["fingerprint"].get<std::string>();

    Answers parked;
    h.daemon.router().handle(get("/_sluice/watch?since=" + fingerprint), parked.respond());
    h.clock.advance(sluice::core::Millis(1000));
    h.run_ready();
    CHECK(parked.got.empty());  // nothing moved
    HttpRequest create;
    create.method = "POST";
    create.target = "/";
    create.headers = {{"Host", "127.0.0.1:4566"}, {"X-Amz-Target", "AmazonSQS.CreateQueue"}};
    create.body = R"({"QueueName":"watched"})";
    Answers created;
    h.daemon.router().handle(create, created.respond());
    h.run_ready();
    h.clock.advance(sluice::core::Millis(250));
    h.run_ready();
    REQUIRE(parked.got.size() == 1);
    CHECK(nlohmann::json::parse(parked.got[0].body)["fingerprint"] != fingerprint);

    Answers idle;
    const auto now = nlohmann::json::parse(parked.got[0].body)["fingerprint"].get<std::string>();
    h.daemon.router().handle(get("/_sluice/watch?since=" + now), idle.respond());
    h.clock.advance(sluice::core::Millis(24'000));
    h.run_ready();
    CHECK(idle.got.empty());
    for (int i = 0; i < 8 && idle.got.empty(); ++i) {
        h.clock.advance(sluice::core::Millis(250));
        h.run_ready();
    }
    REQUIRE(idle.got.size() == 1);
    CHECK(nlohmann::json::parse(idle.got[0].body)["fingerprint"] == now);
}

TEST_CASE("a /_sluice/ path that is not UTF-8 is answered, not thrown on", "[access]") {
    // fuzz_admin_request: an execution ARN in the path with a stray byte reached a JSON answer
    // that quoted it back, and nlohmann's dump threw.
    sluice::testing::DaemonHarness h;
    Answers answer;
    h.daemon.router().handle(get("/_sluice/stepfunctions/executions/ti\x94ns"), answer.respond());
    h.scheduler.run_ready();
    REQUIRE(answer.got.size() == 1);
    CHECK(answer.got[0].status >= 400);
    CHECK(nlohmann::json::accept(answer.got[0].body));
}
