// Definition checks whose texts AWS's recordings pin (parse_definition, as CreateStateMachine
// reports them).
#include <catch2/catch.hpp>

#include "sluice/sfn/definition.hpp"

TEST_CASE("a Wait Timestamp that is not RFC 3339 is refused in AWS's words", "[sfn][definition]") {
    // LocalStack's recording test_wait_timestamp_invalid: NO_T, NO_Z, INVALID_DATE, INVALID_TIME, INVALID_ISO.
    for (const char* bad : {"2016-12-05 21:29:29Z", "2016-12-05T21:29:29", "2016-13-05T21:29:29Z",
                            "2016-12-05T25:29:29Z", "05-12-2016T21:29:29Z"}) {
        INFO(bad);
        const nlohmann::json definition = {
            {"StartAt", "WaitUntil"},
            {"States", {{"WaitUntil", {{"Type", "Wait"}, {"Timestamp", bad}, {"End", true}}}}}};
        auto parsed = sluice::sfn::parse_definition(definition.dump());
        REQUIRE_FALSE(parsed.definition);
        CHECK(sluice::sfn::invalid_definition_message(parsed.diagnostics) ==
              "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: String does not match RFC3339 timestamp at "
              "/States/WaitUntil/Timestamp'");
    }
}
