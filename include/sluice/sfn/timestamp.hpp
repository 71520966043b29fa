#pragma once
// RFC 3339 timestamps as ASL writes them (Wait's Timestamp, Choice's Timestamp* rules, the
// context object): "2016-03-14T01:59:00Z", with optional fractional seconds and an offset.
#include <optional>
#include <string>
#include <string_view>

#include "sluice/core/clock.hpp"

namespace sluice::sfn {

// The instant, to the millisecond; nullopt when `text` is not an RFC 3339 date-time.
std::optional<core::TimePoint> parse_timestamp(std::string_view text);
// "2024-01-02T03:04:05.678Z", as the context object and history show times.
std::string format_timestamp(core::TimePoint t);

}  // namespace sluice::sfn
