#pragma once
// JSON text in and out, for what users send and what they get back.
//
// Reading: nlohmann's parser lexes one character at a time into two
// buffers (the token, and its text for error messages): a 256-byte SendMessage spent a third of
// its CPU there. This reader builds the same nlohmann values from the same texts, several times
// faster, with one exception: nlohmann stops at a NUL byte after the document and ignores what
// follows; this reader refuses it, as AWS's JSON readers (Jackson) do.
//
// The grammar is RFC 8259, with a leading UTF-8 byte-order mark skipped. Strings must be
// well-formed UTF-8 with paired surrogate escapes. Duplicate keys: the last value wins.
// Non-negative integers become unsigned, negative ones signed, ones too large for 64 bits double.
// Doubles that overflow are refused.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sluice/protocol/json_depth.hpp"

namespace sluice::protocol {

enum class JsonRead { ok, invalid, too_deep };

// Reads `text` into `out` when it is one JSON document nested at most `max_depth` levels deep
// (a top-level object or array is level 1). `too_deep` says nothing of the rest of the text.
// Recursive: `max_depth` bounds the stack it takes.
JsonRead read_json(std::string_view text, nlohmann::json& out, int max_depth = kMaxJsonDepth);
// The same into an ordered_json, which keeps members in the order they were written.
JsonRead read_json(std::string_view text, nlohmann::ordered_json& out, int max_depth = kMaxJsonDepth);

// A JSON document a user sends: a state machine definition, an execution input, a task's output,
// TestState's state, variables and mock, an intrinsic's argument. read_json decides, so every
// one of them accepts the same texts. When it refuses `text`, `why` (if given) says what is
// wrong in the words users have been shown: nlohmann's message for a syntax error, Jackson's
// (json_depth_message) for a document nested deeper than `max_depth`.
std::optional<nlohmann::json> read_user_json(std::string_view text, std::string* why = nullptr,
                                             int max_depth = kMaxJsonDepth);

// `nlohmann::json::parse(text, nullptr, false)`, faster: the value, or a discarded value when
// `text` is not JSON. Documents nested deeper than kMaxJsonDepth go to nlohmann's iterative parser.
nlohmann::json parse_json(std::string_view text);

// Writing: `value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)`, the compact form
// with invalid UTF-8 replaced by U+FFFD, byte for byte. Strings (escaped as nlohmann escapes
// them) and integers are written here; floating-point numbers and strings that are not
// well-formed UTF-8 are written by nlohmann, so the text is always its own.
void dump_json(const nlohmann::json& value, std::string& out);
std::string dump_json(const nlohmann::json& value);
// `text` as the JSON string literal dump_json writes for it.
void dump_json_string(std::string_view text, std::string& out);

}  // namespace sluice::protocol
