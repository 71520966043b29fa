#pragma once
// The compiled form of an event pattern, built by pattern_parse.cpp and walked by
// pattern_match.cpp, and the value helpers both need (IP literals, case folding, wildcards).
// Private to src/events.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace sluice::events::detail {

using Json = nlohmann::json;

// ---- values ------------------------------------------------------------------------------------

// An IPv4 (size 4) or IPv6 (size 16) address.
struct IpAddress {
    std::array<std::uint8_t, 16> bytes{};
    std::uint8_t size = 0;
    friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

// Whether `text` has the shape event-ruler tests before it parses an address: four groups of
// decimal digits joined by dots, or only hex digits and colons with at least one colon.
bool looks_like_ip(std::string_view text);

// The address written by `text`, accepting what event-ruler accepts (its shape check, then
// Java's InetAddress literal rules): dotted-quad IPv4 without leading zeros, and IPv6 in hex
// groups with at most one `::` (no embedded IPv4, no zone). An IPv4-mapped IPv6 address
// (`::ffff:a0b:c0d`) is the IPv4 address, as in Java.
std::optional<IpAddress> parse_ip(std::string_view text);

// An inclusive range of addresses of one family.
struct CidrRange {
    IpAddress low, high;
    bool contains(const IpAddress& address) const;
};

// A string's code points with simple case folding (ASCII, Latin-1, Latin Extended-A and
// Additional, Greek, Cyrillic, Armenian, full-width Latin); other code points stay as they are.
// Malformed UTF-8 bytes become code points above U+10FFFF that fold to themselves.
std::u32string fold_case(std::string_view utf8);

bool equals_ignore_case(std::string_view value, const std::u32string& folded);
bool starts_with_ignore_case(std::string_view value, const std::u32string& folded);
bool ends_with_ignore_case(std::string_view value, const std::u32string& folded);

// A wildcard pattern: literal pieces between unescaped `*`s (so `stars == pieces.size() - 1`).
// A star matches any run of bytes, including none. Matching takes time linear in the value: the
// pieces between stars are found with Knuth-Morris-Pratt, whose tables are made once here.
struct Wildcard {
    std::vector<std::string> pieces;
    std::vector<std::vector<std::uint32_t>> borders;  // per piece: longest proper border of each prefix
    bool matches(std::string_view value) const;
};

// Parses event-ruler's wildcard syntax (`\*` is a star, `\\` a backslash; `**` and any other
// escape are errors). Returns the error text, positioned as event-ruler counts (the value
// between quotes, so the first character is position 1), or nothing and fills `out`.
std::optional<std::string> parse_wildcard(std::string_view text, Wildcard& out);

// A numeric interval; unbounded sides are infinite.
struct NumericRange {
    double low = 0, high = 0;
    bool low_open = false, high_open = false;
    bool contains(double value) const {
        return (low_open ? value > low : value >= low) && (high_open ? value < high : value <= high);
    }
};

// ---- matchers ----------------------------------------------------------------------------------

struct Prefix {
    std::string text;
};
struct PrefixIgnoreCase {
    std::u32string folded;
};
struct Suffix {
    std::string text;
};
struct SuffixIgnoreCase {
    std::u32string folded;
};
struct EqualsIgnoreCase {
    std::u32string folded;
};
struct WildcardMatch {
    Wildcard wildcard;
};
struct Numeric {
    NumericRange range;
};
struct Cidr {
    CidrRange range;
};
// Matches every present leaf value (of any type) except the ones it lists. A string exclusion
// never excludes a number and the reverse, as in event-ruler's machine.
struct AnythingBut {
    enum class Kind { Strings, Numbers, Prefix, Suffix, EqualsIgnoreCase, Wildcard };
    Kind kind = Kind::Strings;
    std::vector<std::string> strings;    // Strings (sorted), Prefix, Suffix
    std::vector<double> numbers;         // Numbers
    std::vector<std::u32string> folded;  // EqualsIgnoreCase
    std::vector<Wildcard> wildcards;     // Wildcard
};

using Matcher = std::variant<Prefix, PrefixIgnoreCase, Suffix, SuffixIgnoreCase, EqualsIgnoreCase, WildcardMatch,
                             Numeric, Cidr, AnythingBut>;

// The match values of one leaf array: the leaf matches when any of them matches any leaf value
// at its path, or when `absent` is set and there is no leaf value there.
struct LeafPattern {
    std::vector<std::string> strings;  // exact strings, sorted
    std::vector<IpAddress> addresses;  // exact strings that are IP literals: any spelling of the address
    std::vector<Json> numbers;         // numeric equality
    bool null_value = false, true_value = false, false_value = false;
    bool exists = false;  // {"exists": true}
    bool absent = false;  // {"exists": false}
    std::vector<Matcher> matchers;

    // Whether only {"exists": false} is in the array.
    bool absence_only() const {
        return absent && !exists && strings.empty() && addresses.empty() && numbers.empty() && !null_value &&
               !true_value && !false_value && matchers.empty();
    }
};

struct ObjectPattern;

// One step of a pattern object: a key without dots (a dotted key is a chain of steps), with a
// leaf array, a nested object, or both (`{"a": [...], "a.b": [...]}`).
struct Field {
    std::string key;
    std::string key_dot;  // key + ".": the start of dotted event keys that begin with this step
    std::unique_ptr<LeafPattern> leaf;
    std::unique_ptr<ObjectPattern> object;
};

struct ObjectPattern {
    std::vector<Field> fields;                       // all must match
    std::vector<std::vector<ObjectPattern>> any_of;  // each `$or`: one alternative must match
    // No condition in this subtree can be met by a present value (only {"exists": false}
    // leaves). Such an object, applied to an array, must hold for every element.
    bool absence_only = false;
};

struct CompiledPattern {
    ObjectPattern root;
    bool match_all = false;  // the pattern `{}`
};

}  // namespace sluice::events::detail
