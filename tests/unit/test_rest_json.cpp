#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "sluice/protocol/rest_json.hpp"
#include "sluice/server/router.hpp"

using namespace sluice::protocol;

namespace {
std::shared_ptr<const Model> pipes_model() {
    static auto model = [] {
        std::ifstream in(SLUICE_SOURCE_DIR "/models/pipes.json");
        std::stringstream text;
        text << in.rdbuf();
        return Model::parse(text.str());
    }();
    return model;
}

HttpRequest request(std::string method, std::string target, std::string body = {}) {
    HttpRequest r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.body = std::move(body);
    return r;
}

// A service that answers with the call it received, to see what the router decoded.
class EchoService : public Service {
public:
    explicit EchoService(std::shared_ptr<const Model> m) : model_(std::move(m)) {}
    std::string_view name() const override { return model_->service(); }
    const Model& model() const override { return *model_; }
    void invoke(Call call, Reply reply) override {
        if (call.operation == "DeletePipe") return reply(model_->error("NotFoundException", "Pipe x does not exist."));
        reply(Json{{"Name", call.params.value("Name", "")}, {"Arn", call.operation}});
    }

private:
    std::shared_ptr<const Model> model_;
};
}  // namespace

TEST_CASE("REST-JSON routes by method and URI template") {
    const auto& m = *pipes_model();
    auto r = rest_json::match(m, "GET", "/v1/pipes/my-pipe");
    REQUIRE(r);
    CHECK(r->operation->name == "DescribePipe");
    CHECK(r->labels.at("Name") == "my-pipe");
    CHECK(rest_json::match(m, "POST", "/v1/pipes/p/start")->operation->name == "StartPipe");
    CHECK(rest_json::match(m, "GET", "/v1/pipes")->operation->name == "ListPipes");
    auto tags = rest_json::match(m, "GET", "/tags/arn%3Aaws%3Apipes%3Aus-east-1%3A000000000000%3Apipe%2Fp");
    REQUIRE(tags);
    CHECK(tags->labels.at("resourceArn") == "arn:aws:pipes:us-east-1:000000000000:pipe/p");
    CHECK_FALSE(rest_json::match(m, "PATCH", "/v1/pipes/p"));
    CHECK_FALSE(rest_json::match(m, "GET", "/v1/pipes/p/extra/parts"));
}

TEST_CASE("REST-JSON binds members from the URI, the query string and the body") {
    const auto& m = *pipes_model();
    auto req = request("GET", "/v1/pipes?NamePrefix=ab&Limit=5&DesiredState=RUNNING");
    auto in = rest_json::decode(req, *rest_json::match(m, "GET", req.path()));
    CHECK(in["NamePrefix"] == "ab");
    CHECK(in["Limit"] == 5);
    CHECK(in["DesiredState"] == "RUNNING");

    auto untag = request("DELETE", "/tags/arn?tagKeys=a&tagKeys=b");
    auto u = rest_json::decode(untag, *rest_json::match(m, "DELETE", untag.path()));
    CHECK(u["tagKeys"] == Json::array({"a", "b"}));

    auto create = request("POST", "/v1/pipes/p1", R"({"Source":"arn:s","Target":"arn:t","RoleArn":"arn:r"})");
    auto c = rest_json::decode(create, *rest_json::match(m, "POST", create.path()));
    CHECK(c["Name"] == "p1");
    CHECK(c["Source"] == "arn:s");

    auto bad = request("GET", "/v1/pipes?Limit=lots");
    CHECK_THROWS_AS(rest_json::decode(bad, *rest_json::match(m, "GET", bad.path())), AwsError);
}

TEST_CASE("the router hands REST-JSON calls to the service and renders its errors") {
    sluice::server::Router router("test");
    router.add(std::make_shared<EchoService>(pipes_model()));
    HttpResponse got;
    auto r = request("GET", "/v1/pipes/p9");
    r.headers = {
        {"Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/pipes/aws4_request, Signature=x"}};
    router.handle(r, [&](HttpResponse resp) { got = std::move(resp); });
    CHECK(got.status == 200);
    CHECK(Json::parse(got.body) == Json{{"Name", "p9"}, {"Arn", "DescribePipe"}});

    router.handle(request("DELETE", "/v1/pipes/p9"), [&](HttpResponse resp) { got = std::move(resp); });
    CHECK(got.status == 404);
    bool typed = false;
    for (auto& [k, v] : got.headers)
        if (k == "X-Amzn-ErrorType") typed = v == "NotFoundException";
    CHECK(typed);
    CHECK(Json::parse(got.body)["message"] == "Pipe x does not exist.");
}
