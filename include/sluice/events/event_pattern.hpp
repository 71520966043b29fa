#pragma once
// EventBridge event patterns: the content-filtering language of EventBridge rules, Pipes filters
// (FilterCriteria) and Lambda event-source filters. A pattern is a JSON object whose keys follow
// the event's structure and whose leaves are arrays of match values: strings, numbers, null,
// booleans, and the expressions prefix, suffix, equals-ignore-case, wildcard, anything-but,
// numeric, exists and cidr; `$or` joins alternatives. `parse` validates a pattern once, with
// the error texts of AWS's matcher (aws/event-ruler), into an immutable tree of matchers that
// copies share; `matches` then walks that tree over an event without re-reading the pattern.
// Behaviour notes and sources: docs/research/event-patterns.md.
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace sluice::events {

namespace detail {
struct CompiledPattern;
}

// Deepest nesting of objects and arrays in a pattern's text, and of steps (object keys, each
// dotted part of a key counting once) in its compiled tree. Deeper patterns are rejected.
inline constexpr int kMaxPatternDepth = 100;
// Longest pattern text accepted, in bytes: 4096 characters of UTF-8, the longest a Pipes filter
// pattern may be (EventBridge rule patterns stop at 2048).
inline constexpr std::size_t kMaxPatternBytes = 4 * 4096;

// An invalid pattern; what() is the reason AWS gives (event-ruler's text, listed in the research
// notes), without the "Event pattern is not valid. Reason: " that AWS puts before it.
struct PatternError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class EventPattern {
public:
    // Parses and validates a pattern given as JSON text. Throws PatternError.
    static EventPattern parse(std::string_view text);

    // Whether the event (any JSON value; normally an object) matches. Only an object can match,
    // except that the empty pattern `{}` matches every event.
    bool matches(const nlohmann::json& event) const;

    // Whether this is the empty pattern `{}`.
    bool matches_everything() const;

private:
    explicit EventPattern(std::shared_ptr<const detail::CompiledPattern> compiled);

    std::shared_ptr<const detail::CompiledPattern> compiled_;
};

}  // namespace sluice::events
