#include "sluice/protocol/json_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "sluice/core/encoding.hpp"

namespace sluice::protocol {

namespace {

using Json = nlohmann::json;

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;

// Whether one of the 8 bytes of `v` ends a plain run of string text: a quote, a backslash, a
// control character or a byte of a multi-byte UTF-8 sequence. (x - 1) & ~x & 0x80 marks a zero
// byte; (x - n) & ~x & 0x80 a byte below n; either may mark more, never less.
inline bool ends_plain_run(std::uint64_t v) {
    const std::uint64_t quote = v ^ (kOnes * '"');
    const std::uint64_t backslash = v ^ (kOnes * '\\');
    const std::uint64_t marks =
        ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) | ((v - kOnes * 0x20) & ~v) | v;
    return (marks & kHighs) != 0;
}

inline bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

template <typename Json>
class Reader {
public:
    Reader(std::string_view text, int max_depth)
        : p_(text.data()), end_(text.data() + text.size()), max_depth_(max_depth) {}

    JsonRead document(Json& out) {
        if (end_ - p_ >= 3 && std::memcmp(p_, "\xEF\xBB\xBF", 3) == 0) p_ += 3;
        skip_space();
        if (!value(out, 0)) return status_;
        skip_space();
        return p_ == end_ ? JsonRead::ok : JsonRead::invalid;
    }

private:
    bool fail() {
        status_ = JsonRead::invalid;
        return false;
    }

    void skip_space() {
        while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
    }

    bool value(Json& out, int depth) {
        if (p_ == end_) return fail();
        switch (*p_) {
            case '{':
                return object(out, depth + 1);
            case '[':
                return array(out, depth + 1);
            case '"': {
                std::string s;
                if (!string(s)) return false;
                out = std::move(s);
                return true;
            }
            case 't':
                return literal("true", 4, Json(true), out);
            case 'f':
                return literal("false", 5, Json(false), out);
            case 'n':
                return literal("null", 4, Json(nullptr), out);
            default:
                return number(out);
        }
    }

    bool literal(const char* word, std::size_t n, Json v, Json& out) {
        if (static_cast<std::size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0) return fail();
        p_ += n;
        out = std::move(v);
        return true;
    }

    bool enter(int depth) {
        if (depth <= max_depth_) return true;
        status_ = JsonRead::too_deep;
        return false;
    }

    bool object(Json& out, int depth) {
        if (!enter(depth)) return false;
        ++p_;
        out = Json::object();
        auto& members = *out.template get_ptr<typename Json::object_t*>();
        skip_space();
        if (p_ != end_ && *p_ == '}') {
            ++p_;
            return true;
        }
        std::string key;
        while (true) {
            if (p_ == end_ || *p_ != '"') return fail();
            key.clear();
            if (!string(key)) return false;
            skip_space();
            if (p_ == end_ || *p_ != ':') return fail();
            ++p_;
            skip_space();
            // A repeated key takes the later value, as nlohmann does.
            if (!value(members[key], depth)) return false;
            skip_space();
            if (p_ == end_) return fail();
            if (*p_ == '}') {
                ++p_;
                return true;
            }
            if (*p_ != ',') return fail();
            ++p_;
            skip_space();
        }
    }

    bool array(Json& out, int depth) {
        if (!enter(depth)) return false;
        ++p_;
        out = Json::array();
        auto& items = *out.template get_ptr<typename Json::array_t*>();
        skip_space();
        if (p_ != end_ && *p_ == ']') {
            ++p_;
            return true;
        }
        while (true) {
            // The reference stays good: only this element's own subtree changes while it is read.
            if (!value(items.emplace_back(), depth)) return false;
            skip_space();
            if (p_ == end_) return fail();
            if (*p_ == ']') {
                ++p_;
                return true;
            }
            if (*p_ != ',') return fail();
            ++p_;
            skip_space();
        }
    }

    // Appends the run [from, p_) of raw string text, checking it as UTF-8 when it has a high byte.
    bool take_run(std::string& out, const char* from, bool high) {
        if (high && !core::is_valid_utf8(std::string_view(from, static_cast<std::size_t>(p_ - from)))) return fail();
        out.append(from, p_);
        return true;
    }

    bool hex4(std::uint32_t& cp) {
        if (end_ - p_ < 4) return fail();
        cp = 0;
        for (int i = 0; i < 4; ++i) {
            const int h = core::hex_value(p_[i]);
            if (h < 0) return fail();
            cp = (cp << 4) | static_cast<std::uint32_t>(h);
        }
        p_ += 4;
        return true;
    }

    bool escape(std::string& out) {
        ++p_;  // the backslash
        if (p_ == end_) return fail();
        const char c = *p_++;
        switch (c) {
            case '"':
                out += '"';
                return true;
            case '\\':
                out += '\\';
                return true;
            case '/':
                out += '/';
                return true;
            case 'b':
                out += '\b';
                return true;
            case 'f':
                out += '\f';
                return true;
            case 'n':
                out += '\n';
                return true;
            case 'r':
                out += '\r';
                return true;
            case 't':
                out += '\t';
                return true;
            case 'u':
                break;
            default:
                return fail();
        }
        std::uint32_t cp;
        if (!hex4(cp)) return false;
        if (cp >= 0xDC00 && cp <= 0xDFFF) return fail();  // a low surrogate with no high one before it
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            std::uint32_t low;
            if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return fail();
            p_ += 2;
            if (!hex4(low)) return false;
            if (low < 0xDC00 || low > 0xDFFF) return fail();
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        append_utf8(out, cp);
        return true;
    }

    bool string(std::string& out) {
        ++p_;  // the opening quote
        const char* run = p_;
        bool high = false;
        while (true) {
            while (end_ - p_ >= 8) {
                std::uint64_t word;
                std::memcpy(&word, p_, 8);
                if (ends_plain_run(word)) break;
                p_ += 8;
            }
            if (p_ == end_) return fail();
            const auto c = static_cast<unsigned char>(*p_);
            if (c == '"') {
                if (!take_run(out, run, high)) return false;
                ++p_;
                return true;
            }
            if (c == '\\') {
                if (!take_run(out, run, high) || !escape(out)) return false;
                run = p_;
                high = false;
            } else if (c < 0x20) {
                return fail();
            } else {
                high |= c >= 0x80;
                ++p_;
            }
        }
    }

    bool number(Json& out) {
        const char* start = p_;
        const bool negative = *p_ == '-';
        if (negative) ++p_;
        if (p_ == end_ || !is_digit(*p_)) return fail();
        std::uint64_t magnitude = 0;
        bool overflow = false;
        if (*p_ == '0') {
            ++p_;
        } else {
            for (; p_ != end_ && is_digit(*p_); ++p_) {
                const auto d = static_cast<std::uint64_t>(*p_ - '0');
                if (magnitude > (UINT64_MAX - d) / 10)
                    overflow = true;
                else
                    magnitude = magnitude * 10 + d;
            }
        }
        bool integral = true;
        if (p_ != end_ && *p_ == '.') {
            ++p_;
            if (p_ == end_ || !is_digit(*p_)) return fail();
            while (p_ != end_ && is_digit(*p_)) ++p_;
            integral = false;
        }
        if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
            ++p_;
            if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
            if (p_ == end_ || !is_digit(*p_)) return fail();
            while (p_ != end_ && is_digit(*p_)) ++p_;
            integral = false;
        }
        if (integral && !overflow) {
            if (!negative) {
                out = magnitude;  // number_unsigned, as nlohmann types a non-negative integer
                return true;
            }
            if (magnitude <= static_cast<std::uint64_t>(INT64_MAX) + 1) {
                out = static_cast<std::int64_t>(0 - magnitude);
                return true;
            }
        }
        // Fractions, exponents and integers beyond 64 bits: strtod, as nlohmann reads them.
        const std::string text(start, p_);
        const double d = std::strtod(text.c_str(), nullptr);
        if (!std::isfinite(d)) return fail();
        out = d;
        return true;
    }

    const char* p_;
    const char* end_;
    int max_depth_;
    JsonRead status_ = JsonRead::ok;
};

void dump_nlohmann(const Json& value, std::string& out) {
    out += value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// A string literal as nlohmann writes it (ensure_ascii off): the seven short escapes, other
// control characters as \u00xx, everything else as it is. A string that is not well-formed
// UTF-8 is left to nlohmann, whose replacement rules are its own.
void dump_string(std::string_view s, std::string& out) {
    static constexpr char kHex[] = "0123456789abcdef";
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* const end = p + s.size();
    const std::size_t start = out.size();
    out += '"';
    while (p != end) {
        // Plain text in runs: 8 bytes at a time, then byte by byte up to what ends the run.
        const auto* run = p;
        for (std::uint64_t word; end - p >= 8; p += 8) {
            std::memcpy(&word, p, 8);
            if (ends_plain_run(word)) break;
        }
        while (p != end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\') ++p;
        out.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(p - run));
        if (p == end) break;
        const unsigned char c = *p;
        if (c >= 0x80) {
            const std::size_t n = core::utf8_sequence_length(
                std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(end - p)));
            if (n == 0) {
                out.resize(start);
                return dump_nlohmann(Json(std::string(s)), out);
            }
            out.append(reinterpret_cast<const char*>(p), n);
            p += n;
            continue;
        }
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                out += "\\u00";
                out += kHex[c >> 4];
                out += kHex[c & 0xF];
        }
        ++p;
    }
    out += '"';
}

template <typename Integer>
void dump_integer(Integer n, std::string& out) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
    out.append(digits, end);
}

}  // namespace

void dump_json(const Json& value, std::string& out) {
    switch (value.type()) {
        case Json::value_t::object: {
            out += '{';
            bool first = true;
            for (const auto& [key, member] : *value.get_ptr<const Json::object_t*>()) {
                if (!first) out += ',';
                first = false;
                dump_string(key, out);
                out += ':';
                dump_json(member, out);
            }
            out += '}';
            return;
        }
        case Json::value_t::array: {
            out += '[';
            bool first = true;
            for (const auto& item : *value.get_ptr<const Json::array_t*>()) {
                if (!first) out += ',';
                first = false;
                dump_json(item, out);
            }
            out += ']';
            return;
        }
        case Json::value_t::string:
            return dump_string(*value.get_ptr<const std::string*>(), out);
        case Json::value_t::number_unsigned:
            return dump_integer(value.get<std::uint64_t>(), out);
        case Json::value_t::number_integer:
            return dump_integer(value.get<std::int64_t>(), out);
        case Json::value_t::boolean:
            out += value.get<bool>() ? "true" : "false";
            return;
        case Json::value_t::null:
            out += "null";
            return;
        default:
            return dump_nlohmann(value, out);  // doubles, and values no request holds
    }
}

std::string dump_json(const Json& value) {
    std::string out;
    out.reserve(256);  // most answers fit: no regrowth while writing
    dump_json(value, out);
    return out;
}

void dump_json_string(std::string_view text, std::string& out) {
    dump_string(text, out);
}

JsonRead read_json(std::string_view text, Json& out, int max_depth) {
    return Reader<Json>(text, max_depth).document(out);
}

JsonRead read_json(std::string_view text, nlohmann::ordered_json& out, int max_depth) {
    return Reader<nlohmann::ordered_json>(text, max_depth).document(out);
}

std::optional<Json> read_user_json(std::string_view text, std::string* why, int max_depth) {
    Json out;
    const auto read = read_json(text, out, max_depth);
    if (read == JsonRead::ok) return out;
    if (!why) return std::nullopt;
    if (read == JsonRead::too_deep) {
        *why = json_depth_message(max_depth);
        return std::nullopt;
    }
    // Refused texts are rare: nlohmann reads them again for its words about what is wrong.
    try {
        const Json taken = Json::parse(text.begin(), text.end());
        static_cast<void>(taken);
        // The one text nlohmann takes and read_json does not: something after a NUL byte that
        // follows the document (nlohmann stops reading at the NUL).
        *why = "syntax error: unexpected NUL character after the JSON value";
    } catch (const Json::exception& e) {  // parse_error, or out_of_range for a number too large
        *why = e.what();
    }
    return std::nullopt;
}

Json parse_json(std::string_view text) {
    Json out;
    switch (read_json(text, out)) {
        case JsonRead::ok:
            return out;
        case JsonRead::invalid:
            return Json(Json::value_t::discarded);
        case JsonRead::too_deep:
            break;
    }
    return Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
}

}  // namespace sluice::protocol
