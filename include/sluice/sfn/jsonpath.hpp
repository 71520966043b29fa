#pragma once
// JSONPath as Amazon States Language uses it (the Jayway dialect): `$.a.b`, `$['a']`, `$.a[0]`,
// `$.a[-1]`, `$.a[*]`, `$.*`, `$.a[0,2]`, `$.a[1:3]`, `$..a`, filters `$.a[?(@.p > 1 && @.q)]`.
// A definite path (no wildcard, slice, union, deep scan or filter) selects one value; an
// indefinite one selects an array of every match. Reference paths (ResultPath) are the
// definite paths without negative indices; assigning through one creates missing objects.
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace sluice::sfn::jsonpath {

using Json = nlohmann::json;

// A path that does not parse. The message says where and why.
struct PathError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Filter;  // `?( ... )` expressions

struct Segment {
    enum class Kind { Field, Index, Wildcard, Slice, Union, DeepScan, Filter };
    Kind kind = Kind::Field;
    std::string field;                    // Field, and DeepScan's field ("" for `..*`)
    long long index = 0;                  // Index
    std::optional<long long> start, end;  // Slice
    long long step = 1;
    std::vector<Json> members;  // Union: field names (strings) or indices (numbers)
    std::shared_ptr<const Filter> filter;
};

class Path {
public:
    static Path parse(std::string_view text);  // throws PathError
    bool definite() const { return definite_; }
    bool is_reference() const;
    const std::string& text() const { return text_; }
    const std::vector<Segment>& segments() const { return segments_; }

private:
    std::string text_;
    std::vector<Segment> segments_;
    bool definite_ = true;
};

// What the path selects from `doc`. A definite path that does not match gives nullopt; an
// indefinite path gives an array, empty when nothing matches.
std::optional<Json> select(const Path& path, const Json& doc);

// Puts `value` at a reference path, creating objects on the way; false when the path runs into
// a value that is not an object (or an array index out of range).
bool assign(Json& doc, const Path& path, Json value);

}  // namespace sluice::sfn::jsonpath
