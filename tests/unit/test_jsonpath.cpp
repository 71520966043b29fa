#include <catch2/catch.hpp>

#include "sluice/sfn/jsonpath.hpp"

using namespace sluice::sfn::jsonpath;

namespace {
const Json& store() {
    static const Json doc = Json::parse(R"({
      "store": {
        "book": [
          {"category": "reference", "author": "Nigel Rees", "title": "Sayings", "price": 8.95},
          {"category": "fiction", "author": "Evelyn Waugh", "price": 12.99},
          {"category": "fiction", "author": "Herman Melville", "isbn": "0-553", "price": 8.99},
          {"category": "fiction", "author": "J. R. R. Tolkien", "isbn": "0-395", "price": 22.99}
        ],
        "bicycle": {"color": "red", "price": 19.95}
      },
      "odd key": 1
    })");
    return doc;
}

Json sel(const std::string& path) {
    auto v = select(Path::parse(path), store());
    REQUIRE(v.has_value());
    return *v;
}
}  // namespace

TEST_CASE("definite paths select one value") {
    CHECK(sel("$") == store());
    CHECK(sel("$.store.bicycle.color") == "red");
    CHECK(sel("$['store']['bicycle']['color']") == "red");
    CHECK(sel("$[\"odd key\"]") == 1);
    CHECK(sel("$.store.book[0].author") == "Nigel Rees");
    CHECK(sel("$.store.book[-1].author") == "J. R. R. Tolkien");
    CHECK_FALSE(select(Path::parse("$.store.missing"), store()).has_value());
    CHECK_FALSE(select(Path::parse("$.store.book[9]"), store()).has_value());
    CHECK_FALSE(select(Path::parse("$.store.bicycle.color.x"), store()).has_value());
    CHECK(Path::parse("$.store.book[0]").definite());
}

TEST_CASE("indefinite paths select an array of every match") {
    CHECK(sel("$.store.book[*].author") ==
          Json::array({"Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"}));
    CHECK(sel("$..author").size() == 4);
    CHECK(sel("$..price").size() == 5);
    CHECK(sel("$.store.*").size() == 2);
    CHECK(sel("$.store.book[0,2].price") == Json::array({8.95, 8.99}));
    CHECK(sel("$.store.book['x','y']") == Json::array());
    CHECK(sel("$.store.book[1:3]").size() == 2);
    CHECK(sel("$.store.book[:2].price") == Json::array({8.95, 12.99}));
    CHECK(sel("$.store.book[:2][*].price") == Json::array());  // [*] of a book is its member values
    CHECK(sel("$.store.book[-2:].price") == Json::array({8.99, 22.99}));
    CHECK(sel("$.store.book[0:4:2].price") == Json::array({8.95, 8.99}));
    CHECK(sel("$.nothing[*]") == Json::array());
    CHECK_FALSE(Path::parse("$..a").definite());
}

TEST_CASE("filters") {
    CHECK(sel("$.store.book[?(@.isbn)].author") == Json::array({"Herman Melville", "J. R. R. Tolkien"}));
    CHECK(sel("$.store.book[?(!@.isbn)].price") == Json::array({8.95, 12.99}));
    CHECK(sel("$.store.book[?(@.price < 10)].price") == Json::array({8.95, 8.99}));
    CHECK(sel("$.store.book[?(@.category == 'fiction' && @.price > 20)].author") == Json::array({"J. R. R. Tolkien"}));
    CHECK(sel("$.store.book[?(@.price < 9 || @.author == \"Evelyn Waugh\")]").size() == 3);
    CHECK(sel("$.store.book[?(@.price < $.store.bicycle.price)]").size() == 3);
    CHECK(sel("$.store.book[?(@.category != 'fiction')].author") == Json::array({"Nigel Rees"}));
    CHECK(sel("$.store.book[?((@.price >= 12.99) && !(@.price > 20))].price") == Json::array({12.99}));
    // Mixed types never order.
    CHECK(sel("$.store.book[?(@.author > 3)]") == Json::array());
}

TEST_CASE("malformed paths are rejected with the reason") {
    for (const char* bad : {"", "store", "$.", "$[", "$.a[?(@.b", "$.a[1:2:0]", "$.a]", "$[abc]", "$.a[?(1)]",
                            "$['unterminated]", "$.a[?(@.b == )]", "$..[*]"}) {
        INFO(bad);
        CHECK_THROWS_AS(Path::parse(bad), PathError);
    }
    // Deep nesting is refused, not recursed into until the stack runs out.
    std::string deep = "$[?(" + std::string(100'000, '(') + "@.a" + std::string(100'000, ')') + ")]";
    CHECK_THROWS_AS(Path::parse(deep), PathError);
    CHECK_NOTHROW(Path::parse("$[?(" + std::string(10, '(') + "@.a" + std::string(10, ')') + ")]"));
}

TEST_CASE("assigning through a reference path creates what is missing") {
    Json doc = {{"a", {{"keep", 1}}}, {"list", {1, 2}}, {"s", "text"}};
    CHECK(assign(doc, Path::parse("$.a.b.c"), 5));
    CHECK(doc["a"] == Json{{"keep", 1}, {"b", {{"c", 5}}}});
    CHECK(assign(doc, Path::parse("$.list[1]"), "x"));
    CHECK(doc["list"] == Json::array({1, "x"}));
    CHECK_FALSE(assign(doc, Path::parse("$.list[5]"), 0));
    CHECK_FALSE(assign(doc, Path::parse("$.s.x"), 0));
    CHECK_FALSE(assign(doc, Path::parse("$.list[*]"), 0));
    CHECK_FALSE(Path::parse("$.list[-1]").is_reference());
    CHECK(assign(doc, Path::parse("$"), "replaced"));
    CHECK(doc == "replaced");
}
