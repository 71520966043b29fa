// The intrinsic functions. Behaviour follows AWS as observed, not only as documented: AWS runs on
// Java, so integer arguments lose their fraction (except MathAdd's, which round), text forms of
// values look like Java's toString, and a seeded MathRandom is java.util.Random.
#include "sluice/sfn/intrinsics.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <unordered_set>
#include <vector>

#include "sluice/core/digest.hpp"
#include "sluice/core/encoding.hpp"
#include "sluice/core/ids.hpp"
#include "sluice/protocol/json_text.hpp"

namespace sluice::sfn::intrinsics {

struct Call;
using Function = Json (*)(const Call&);

// One row of the function table: the name, how many arguments it takes, what it does.
struct Spec {
    std::string_view name;
    std::size_t min_arguments;
    std::size_t max_arguments;
    Function run;
};

struct Argument {
    enum class Kind { Literal, Path, Call };
    Kind kind = Kind::Literal;
    Json literal;
    // A string literal as written between its quotes, escapes kept: States.Format must tell a
    // template's `\{` (a brace) from `{` (half a placeholder).
    std::optional<std::string> raw;
    std::optional<DataPath> path;
    std::shared_ptr<const Expression> call;
};

struct Expression {
    const Spec* spec = nullptr;
    std::string text;  // the call as written, for error causes
    std::vector<Argument> arguments;
};

namespace {

constexpr std::size_t kMaxArguments = 256;      // in one call
constexpr std::size_t kMaxNodes = 1024;         // calls and arguments in one expression
constexpr std::size_t kMaxInputLength = 10000;  // Base64Encode/Decode and Hash, in characters
constexpr int kMaxJsonDepth = 512;              // what StringToJson may build
constexpr std::int64_t kMaxRangeItems = 1000;

// ---- failures ------------------------------------------------------------------------------

[[noreturn]] void fail(const Expression& call, const std::string& detail) {
    throw StatesError(errors::kRuntime, "The function '" + call.text + "' had the following error: " + detail);
}

[[noreturn]] void invalid(const Expression& call, const std::string& why = "") {
    fail(call, "Invalid arguments in " + std::string(call.spec->name) + why);
}

// ---- values --------------------------------------------------------------------------------

std::string dump(const Json& value) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// A value as text the way AWS prints it into States.Format: strings bare, objects as
// `{key=value, ...}` and arrays as `[a, b]` (Java's toString), other scalars as JSON.
void append_text(std::string& out, const Json& value) {
    if (value.is_string()) {
        out += value.get_ref<const std::string&>();
    } else if (value.is_array()) {
        out += '[';
        for (std::size_t i = 0; i < value.size(); ++i) {
            if (i) out += ", ";
            append_text(out, value[i]);
        }
        out += ']';
    } else if (value.is_object()) {
        out += '{';
        bool first = true;
        for (const auto& [key, member] : value.items()) {
            if (!first) out += ", ";
            first = false;
            out += key;
            out += '=';
            append_text(out, member);
        }
        out += '}';
    } else {
        out += dump(value);
    }
}

std::string text_of(const Json& value) {
    std::string out;
    append_text(out, value);
    return out;
}

// A number argument read as Java reads an int from a double: the fraction cut off. nullopt for
// a non-number or a value outside 32 bits.
std::optional<std::int64_t> truncated_int(const Json& value) {
    constexpr std::int64_t lo = std::numeric_limits<std::int32_t>::min();
    constexpr std::int64_t hi = std::numeric_limits<std::int32_t>::max();
    if (value.is_number_unsigned()) {
        const auto v = value.get<std::uint64_t>();
        if (v > static_cast<std::uint64_t>(hi)) return std::nullopt;
        return static_cast<std::int64_t>(v);
    }
    if (value.is_number_integer()) {
        const auto v = value.get<std::int64_t>();
        if (v < lo || v > hi) return std::nullopt;
        return v;
    }
    if (value.is_number_float()) {
        const double v = std::trunc(value.get<double>());
        if (!(v >= static_cast<double>(lo) && v <= static_cast<double>(hi))) return std::nullopt;
        return static_cast<std::int64_t>(v);
    }
    return std::nullopt;
}

// Like truncated_int, but rounded half up as Java's Math.round does (MathAdd: 1.5 -> 2, -1.5 -> -1).
std::optional<std::int64_t> rounded_int(const Json& value) {
    if (!value.is_number_float()) return truncated_int(value);
    const double v = value.get<double>();
    if (!std::isfinite(v)) return std::nullopt;
    double r = std::floor(v);
    if (v - r >= 0.5) r += 1;
    return truncated_int(Json(r));
}

// Length in UTF-16 code units, as Java counts a string's characters (AWS's 10,000 limits).
std::size_t java_length(std::string_view utf8) {
    std::size_t n = 0;
    for (unsigned char c : utf8) {
        if ((c & 0xC0) != 0x80) ++n;  // a character starts here
        if (c >= 0xF0) ++n;           // outside the BMP: a surrogate pair
    }
    return n;
}

// The bytes of the character `text` starts with: its UTF-8 sequence, or one byte when it is not one.
std::size_t character_length(std::string_view text) {
    return std::max<std::size_t>(1, core::utf8_sequence_length(text));
}

// Bytes as text, as Java's `new String(bytes, UTF_8)` reads them: a malformed sequence becomes
// U+FFFD. Keeps every string we hand back printable as JSON.
std::string utf8_text(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    std::size_t i = 0;
    while (i < bytes.size()) {
        if (const std::size_t n = core::utf8_sequence_length(bytes.substr(i)); n != 0) {
            out += bytes.substr(i, n);
            i += n;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
    return out;
}

// java.util.Random, so that a seeded States.MathRandom picks the numbers AWS picks (seed 42 over
// [-5, 5) gives -5 there).
class JavaRandom {
public:
    explicit JavaRandom(std::int64_t seed) : seed_((static_cast<std::uint64_t>(seed) ^ kMultiplier) & kMask) {}

    // A uniform int in [0, bound), for 0 < bound.
    std::int32_t next_int(std::int32_t bound) {
        std::int32_t r = next(31);
        const std::int32_t m = bound - 1;
        if ((bound & m) == 0) return static_cast<std::int32_t>((static_cast<std::int64_t>(bound) * r) >> 31);
        // Java's rejection loop, whose `u - r + m < 0` is an int overflow test.
        for (std::int32_t u = r;
             static_cast<std::int64_t>(u) - (r = u % bound) + m > std::numeric_limits<std::int32_t>::max();
             u = next(31)) {
        }
        return r;
    }

private:
    static constexpr std::uint64_t kMultiplier = 0x5DEECE66DULL;
    static constexpr std::uint64_t kMask = (1ULL << 48) - 1;

    std::int32_t next(int bits) {
        seed_ = (seed_ * kMultiplier + 0xBULL) & kMask;
        return static_cast<std::int32_t>(static_cast<std::uint32_t>(seed_ >> (48 - bits)));
    }

    std::uint64_t seed_;
};

}  // namespace

// The evaluated arguments of one call, handed to its function.
struct Call {
    const Expression& expression;
    std::vector<Json> values;

    [[noreturn]] void invalid(const std::string& why = "") const { intrinsics::invalid(expression, why); }
    const std::string& string(std::size_t i) const {
        if (!values[i].is_string()) invalid();
        return values[i].get_ref<const std::string&>();
    }
    const Json& array(std::size_t i) const {
        if (!values[i].is_array()) invalid();
        return values[i];
    }
    const Json& object(std::size_t i) const {
        if (!values[i].is_object()) invalid();
        return values[i];
    }
    std::int64_t integer(std::size_t i) const {
        auto v = truncated_int(values[i]);
        if (!v) invalid();
        return *v;
    }
};

namespace {

// ---- generic and JSON ----------------------------------------------------------------------

// States.Format's template split at its `{}` placeholders. A backslash makes the next character
// plain text (`\{` is a brace); any other lone brace is an error, as on AWS.
std::vector<std::string> template_pieces(const Call& call, std::string_view text) {
    std::vector<std::string> pieces(1);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\\' && i + 1 < text.size()) {
            pieces.back() += text[++i];
        } else if (c == '{') {
            if (i + 1 >= text.size() || text[i + 1] != '}')
                fail(call.expression, "Invalid template in States.Format: matching '}' not found for '{'.");
            ++i;
            pieces.emplace_back();
        } else if (c == '}') {
            fail(call.expression, "Invalid template in States.Format: matching '{' not found for '}'.");
        } else {
            pieces.back() += c;
        }
    }
    return pieces;
}

Json format(const Call& call) {
    const auto& first = call.expression.arguments[0];
    const std::string& text = first.raw ? *first.raw : call.string(0);
    const auto pieces = template_pieces(call, text);
    if (pieces.size() != call.values.size()) call.invalid(": number of arguments do not match the occurrences of {}.");
    std::string out = pieces[0];
    for (std::size_t i = 1; i < pieces.size(); ++i) {
        append_text(out, call.values[i]);
        out += pieces[i];
    }
    return out;
}

Json string_to_json(const Call& call) {
    const std::string& text = call.string(0);
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) return nullptr;  // AWS: blank is null
    // Read as every user document is, nesting capped so that printing or comparing the result
    // cannot run out of stack.
    auto parsed = protocol::read_user_json(text, nullptr, kMaxJsonDepth);
    if (!parsed) call.invalid();
    return std::move(*parsed);
}

Json json_to_string(const Call& call) {
    return dump(call.values[0]);
}

Json json_merge(const Call& call) {
    Json merged = call.object(0);
    const Json& second = call.object(1);
    // AWS supports only the shallow merge: the third argument must be false.
    if (!call.values[2].is_boolean() || call.values[2].get<bool>()) call.invalid();
    merged.update(second);
    return merged;
}

// ---- arrays --------------------------------------------------------------------------------

Json array(const Call& call) {
    return Json(call.values);
}

Json array_partition(const Call& call) {
    const Json& items = call.array(0);
    const std::int64_t size = call.integer(1);
    if (size < 1) call.invalid();
    Json out = Json::array();
    for (std::size_t i = 0; i < items.size(); i += static_cast<std::size_t>(size)) {
        const auto end = std::min(items.size(), i + static_cast<std::size_t>(size));
        out.push_back(
            Json(items.begin() + static_cast<std::ptrdiff_t>(i), items.begin() + static_cast<std::ptrdiff_t>(end)));
    }
    return out;
}

// AWS compares by text form: `true` is found in ["true"] and `1` in ["1"] (observed).
Json array_contains(const Call& call) {
    const Json& items = call.array(0);
    const std::string wanted = text_of(call.values[1]);
    for (const auto& item : items)
        if (text_of(item) == wanted) return true;
    return false;
}

Json array_range(const Call& call) {
    const std::int64_t start = call.integer(0), end = call.integer(1), step = call.integer(2);
    if (step == 0) call.invalid();
    const std::int64_t count =
        step > 0 ? (end >= start ? (end - start) / step + 1 : 0) : (start >= end ? (start - end) / -step + 1 : 0);
    if (count > kMaxRangeItems) call.invalid();
    Json out = Json::array();
    for (std::int64_t i = 0; i < count; ++i) out.push_back(start + i * step);
    return out;
}

Json array_get_item(const Call& call) {
    const Json& items = call.array(0);
    const std::int64_t index = call.integer(1);
    if (items.empty()) return nullptr;  // AWS answers null here rather than failing (observed)
    if (index < 0 || static_cast<std::size_t>(index) >= items.size()) call.invalid();
    return items[static_cast<std::size_t>(index)];
}

Json array_length(const Call& call) {
    return call.array(0).size();
}

Json array_unique(const Call& call) {
    Json out = Json::array();
    std::unordered_set<std::string> seen;
    for (const auto& item : call.array(0))
        if (seen.insert(dump(item)).second) out.push_back(item);
    return out;
}

// ---- encoding and hashing ------------------------------------------------------------------

const std::string& limited_string(const Call& call, std::size_t i) {
    const std::string& text = call.string(i);
    if (java_length(text) > kMaxInputLength) call.invalid();
    return text;
}

Json base64_encode(const Call& call) {
    return core::base64_encode(limited_string(call, 0));
}

// Lenient, as AWS is (it decodes "abc", "ab==cd" and "!!!invalid!!!"): characters outside the
// alphabet are skipped, the URL-safe alphabet is accepted, decoding stops at padding and a
// dangling last character is dropped.
Json base64_decode(const Call& call) {
    std::string symbols;
    for (char c : limited_string(call, 0)) {
        if (c == '=') break;
        if (c == '-') c = '+';
        if (c == '_') c = '/';
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/') symbols += c;
    }
    if (symbols.size() % 4 == 1) symbols.pop_back();
    while (symbols.size() % 4 != 0) symbols += '=';
    auto bytes = core::base64_decode(symbols);
    if (!bytes) call.invalid();
    return utf8_text(*bytes);
}

Json hash(const Call& call) {
    // AWS hashes a non-string by its text (observed), and takes only these exact names.
    const std::string data = call.values[0].is_string() ? call.string(0) : text_of(call.values[0]);
    if (java_length(data) > kMaxInputLength) call.invalid();
    const std::string& algorithm = call.string(1);
    if (algorithm == "MD5") return core::md5_hex(data);
    if (algorithm == "SHA-1") return core::sha1_hex(data);
    if (algorithm == "SHA-256") return core::sha256_hex(data);
    if (algorithm == "SHA-384") return core::sha384_hex(data);
    if (algorithm == "SHA-512") return core::sha512_hex(data);
    call.invalid();
}

// ---- math, strings, ids --------------------------------------------------------------------

Json math_random(const Call& call) {
    const std::int64_t start = call.integer(0), end = call.integer(1);
    if (start >= end || end - start > std::numeric_limits<std::int32_t>::max()) call.invalid();
    std::int64_t seed = 0;
    if (call.values.size() == 3) {
        const Json& v = call.values[2];
        if (v.is_number_integer()) {
            seed = v.get<std::int64_t>();  // an unsigned beyond int64 wraps, as Java's long would
        } else if (v.is_number_float() && std::isfinite(v.get<double>()) && std::fabs(v.get<double>()) < 9.2e18) {
            seed = static_cast<std::int64_t>(v.get<double>());
        } else {
            call.invalid();
        }
    } else {
        seed = static_cast<std::int64_t>(core::random_u64());
    }
    JavaRandom random(seed);
    return start + random.next_int(static_cast<std::int32_t>(end - start));
}

Json math_add(const Call& call) {
    const auto a = rounded_int(call.values[0]), b = rounded_int(call.values[1]);
    if (!a || !b) call.invalid();
    return *a + *b;
}

// Splits at any of the delimiter's characters (not at the delimiter as a whole) and drops
// empty pieces: "a,,b" with "," is ["a", "b"].
Json string_split(const Call& call) {
    const std::string& text = call.string(0);
    const std::string& delimiters = call.string(1);
    std::unordered_set<std::string_view> separators;
    for (std::size_t i = 0; i < delimiters.size();) {
        const std::size_t n = character_length(std::string_view(delimiters).substr(i));
        separators.insert(std::string_view(delimiters).substr(i, n));
        i += n;
    }
    Json out = Json::array();
    std::string piece;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = character_length(std::string_view(text).substr(i));
        const auto character = std::string_view(text).substr(i, n);
        if (separators.count(character)) {
            if (!piece.empty()) out.push_back(std::move(piece));
            piece.clear();
        } else {
            piece += character;
        }
        i += n;
    }
    if (!piece.empty()) out.push_back(std::move(piece));
    return out;
}

Json uuid(const Call&) {
    return core::random_uuid_string();
}

// Every function, with the argument counts it accepts.
const std::array<Spec, 18> kFunctions = {{
    {"States.Format", 1, kMaxArguments, format},
    {"States.StringToJson", 1, 1, string_to_json},
    {"States.JsonToString", 1, 1, json_to_string},
    {"States.Array", 0, kMaxArguments, array},
    {"States.ArrayPartition", 2, 2, array_partition},
    {"States.ArrayContains", 2, 2, array_contains},
    {"States.ArrayRange", 3, 3, array_range},
    {"States.ArrayGetItem", 2, 2, array_get_item},
    {"States.ArrayLength", 1, 1, array_length},
    {"States.ArrayUnique", 1, 1, array_unique},
    {"States.Base64Encode", 1, 1, base64_encode},
    {"States.Base64Decode", 1, 1, base64_decode},
    {"States.Hash", 2, 2, hash},
    {"States.JsonMerge", 3, 3, json_merge},
    {"States.MathRandom", 2, 3, math_random},
    {"States.MathAdd", 2, 2, math_add},
    {"States.StringSplit", 2, 2, string_split},
    {"States.UUID", 0, 0, uuid},
}};

const Spec* find_function(std::string_view name) {
    for (const auto& spec : kFunctions)
        if (spec.name == name) return &spec;
    return nullptr;
}

// ---- parsing -------------------------------------------------------------------------------

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_word(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
}

class Parser {
public:
    explicit Parser(std::string_view text) : s_(text) {}

    std::shared_ptr<const Expression> top() {
        if (!core::is_valid_utf8(s_)) fail("not valid UTF-8");
        skip_spaces();
        auto call = this->call(1);
        skip_spaces();
        if (!done()) fail("unexpected text after the call");
        return call;
    }

private:
    [[noreturn]] void fail(const std::string& why) const {
        const std::string shown = s_.size() > 120 ? std::string(s_.substr(0, 120)) + "..." : std::string(s_);
        // Cleaned, because the message may quote a cut UTF-8 sequence and end up in a JSON answer.
        throw SyntaxError(utf8_text("Invalid intrinsic function call '" + shown + "' at position " +
                                    std::to_string(pos_) + ": " + why));
    }
    bool done() const { return pos_ >= s_.size(); }
    char peek() const { return done() ? '\0' : s_[pos_]; }
    void skip_spaces() {
        while (!done() && is_space(peek())) ++pos_;
    }
    void count_node() {
        if (++nodes_ > kMaxNodes) fail("more than " + std::to_string(kMaxNodes) + " calls and arguments");
    }

    std::string_view word() {
        const std::size_t start = pos_;
        while (!done() && is_word(peek())) ++pos_;
        return s_.substr(start, pos_ - start);
    }

    // `States.Name(arg, ...)`
    std::shared_ptr<const Expression> call(int depth) {
        if (depth > kMaxNesting) fail("intrinsic functions nested more than " + std::to_string(kMaxNesting) + " deep");
        count_node();
        auto out = std::make_shared<Expression>();
        const std::size_t start = pos_;
        const auto name = word();
        out->spec = find_function(name);
        if (!out->spec) fail("unknown function '" + std::string(name) + "'");
        skip_spaces();
        if (peek() != '(') fail("expected '(' after " + std::string(name));
        ++pos_;
        skip_spaces();
        if (peek() == ')') {
            ++pos_;
        } else {
            while (true) {
                if (out->arguments.size() == kMaxArguments)
                    fail("more than " + std::to_string(kMaxArguments) + " arguments");
                out->arguments.push_back(argument(depth));
                skip_spaces();
                if (peek() == ')') {
                    ++pos_;
                    break;
                }
                if (peek() != ',') fail("expected ',' or ')'");
                ++pos_;
                skip_spaces();
            }
        }
        out->text = std::string(s_.substr(start, pos_ - start));
        return out;
    }

    Argument argument(int depth) {
        const char c = peek();
        if (c == '\'') return string_literal();
        if (c == '$') return path();
        if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) return number();
        const std::size_t start = pos_;
        const auto name = word();
        Argument out;
        if (name == "true" || name == "false" || name == "null") {
            count_node();
            out.literal = name == "null" ? Json(nullptr) : Json(name == "true");
        } else if (name.starts_with("States.")) {
            pos_ = start;
            out.kind = Argument::Kind::Call;
            out.call = call(depth + 1);
        } else {
            fail(done() ? "expected an argument"
                        : "unexpected '" + std::string(name.empty() ? s_.substr(pos_, 1) : name) + "'");
        }
        return out;
    }

    // 'text' with the four escapes AWS defines; any other backslash is an error (AWS rejects
    // `\"` and `\n` when the definition is created).
    Argument string_literal() {
        count_node();
        const std::size_t start = ++pos_;
        std::string value;
        while (true) {
            if (done()) fail("unterminated string");
            const char c = s_[pos_++];
            if (c == '\'') break;
            if (c == '\\') {
                const char next = peek();
                if (next != '\'' && next != '{' && next != '}' && next != '\\') fail("invalid escape sequence");
                ++pos_;
                value += next;
            } else {
                value += c;
            }
        }
        Argument out;
        out.literal = std::move(value);
        out.raw = std::string(s_.substr(start, pos_ - 1 - start));
        return out;
    }

    // A JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
    Argument number() {
        count_node();
        const std::size_t start = pos_;
        auto digits = [this] {
            const std::size_t from = pos_;
            while (std::isdigit(static_cast<unsigned char>(peek()))) ++pos_;
            return pos_ - from;
        };
        if (peek() == '-') ++pos_;
        const std::size_t first = pos_;
        if (digits() == 0 || (s_[first] == '0' && pos_ - first > 1)) fail("invalid number");
        if (peek() == '.') {
            ++pos_;
            if (digits() == 0) fail("invalid number");
        }
        if (peek() == 'e' || peek() == 'E') {
            ++pos_;
            if (peek() == '+' || peek() == '-') ++pos_;
            if (digits() == 0) fail("invalid number");
        }
        Argument out;
        auto number = protocol::read_user_json(s_.substr(start, pos_ - start));
        if (!number) fail("number out of range");
        out.literal = std::move(*number);
        return out;
    }

    // A path runs to the next ',' or ')' (or space) outside brackets and quotes, so that
    // `$['a,b']` and filters `$[?(@.x > 1)]` stay whole; DataPath checks the rest.
    Argument path() {
        count_node();
        const std::size_t start = pos_;
        int brackets = 0;
        char quote = '\0';
        while (!done()) {
            const char c = peek();
            if (quote) {
                if (c == '\\')
                    ++pos_;
                else if (c == quote)
                    quote = '\0';
            } else if (c == '\'' || c == '"') {
                if (brackets > 0) quote = c;
            } else if (c == '[') {
                ++brackets;
            } else if (c == ']') {
                if (brackets == 0) fail("unexpected ']'");
                --brackets;
            } else if (brackets == 0 && (c == ',' || c == ')' || is_space(c))) {
                break;
            }
            ++pos_;
        }
        if (brackets > 0 || quote) fail("unterminated path");
        pos_ = std::min(pos_, s_.size());
        Argument out;
        out.kind = Argument::Kind::Path;
        try {
            out.path = DataPath::parse(s_.substr(start, pos_ - start));
        } catch (const jsonpath::PathError& e) {
            fail(e.what());
        }
        return out;
    }

    std::string_view s_;
    std::size_t pos_ = 0;
    std::size_t nodes_ = 0;
};

Json value_of(const Argument& argument, const Expression& owner, const EvalScope& scope) {
    switch (argument.kind) {
        case Argument::Kind::Literal:
            return argument.literal;
        case Argument::Kind::Call:
            return evaluate(*argument.call, scope);
        case Argument::Kind::Path: {
            auto value = argument.path->select(scope);
            if (!value) {
                const Json& from = argument.path->root() == DataPath::Root::Context ? scope.context : scope.input;
                fail(owner, "The JsonPath argument for the field '" + argument.path->text() +
                                "' could not be found in the input '" + dump(from) + "'");
            }
            return std::move(*value);
        }
    }
    return nullptr;
}

}  // namespace

bool looks_like_intrinsic(std::string_view text) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    return text.starts_with("States.");
}

std::shared_ptr<const Expression> parse(std::string_view text) {
    return Parser(text).top();
}

Json evaluate(const Expression& expression, const EvalScope& scope) {
    const Spec& spec = *expression.spec;
    // AWS accepts a wrong argument count in the definition and fails the call when it runs.
    if (expression.arguments.size() < spec.min_arguments || expression.arguments.size() > spec.max_arguments)
        invalid(expression);
    Call call{expression, {}};
    call.values.reserve(expression.arguments.size());
    for (const auto& argument : expression.arguments) call.values.push_back(value_of(argument, expression, scope));
    return spec.run(call);
}

}  // namespace sluice::sfn::intrinsics
