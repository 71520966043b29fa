#pragma once
// A JSONata expression (https://docs.jsonata.org), parsed once and evaluated many times. The one
// door to the vendored engine (third_party/jsonata-cpp): callers see nlohmann::json values, an
// optional result (JSONata's `undefined` is "no value", distinct from JSON null) and one error
// type carrying JSONata's error code (S0201, T2001, D3001, U1001 ...).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace sluice::jsonata {

using Json = nlohmann::json;

// Bounds that keep a hostile expression from hanging or crashing the process. JSONata's own
// evaluator counts nested evaluations (depth) and wall time; the parser is recursive descent, so
// an expression's text and bracket nesting are bounded before it is parsed.
struct Limits {
    std::chrono::milliseconds time{std::chrono::milliseconds(1000)};
    std::int64_t depth = 500;
};
inline constexpr std::size_t kMaxExpressionBytes = 64 * 1024;
inline constexpr std::size_t kMaxExpressionNesting = 200;

class Error : public std::runtime_error {
public:
    Error(std::string code, const std::string& message) : std::runtime_error(message), code_(std::move(code)) {}
    // JSONata's error code ("T1003"), or "" for a failure that has none.
    const std::string& code() const { return code_; }

private:
    std::string code_;
};

// A function added to the language, e.g. Step Functions' $uuid. Arguments are JSON values (an
// undefined argument is absent: args.size() is how many the call had that were defined); the
// result is a value or nullopt (undefined). Throw Error to fail the evaluation.
using Function = std::function<std::optional<Json>(const std::vector<std::optional<Json>>& args)>;
struct NamedFunction {
    std::string name;       // without the '$'
    std::string signature;  // JSONata signature, e.g. "<n-n?:a>"; "" for none
    Function body;
};

class Expression {
public:
    // Throws Error (S0xxx codes) when `text` is not a JSONata expression.
    static Expression parse(std::string_view text, const std::vector<NamedFunction>& functions = {});

    // Evaluates against `input` (nullopt: no input, JSONata's undefined) with `bindings` (an object:
    // name without '$' -> value). Throws Error.
    std::optional<Json> evaluate(const std::optional<Json>& input, const Json& bindings = Json::object(),
                                 const Limits& limits = {}) const;

    Expression(Expression&&) noexcept;
    Expression& operator=(Expression&&) noexcept;
    ~Expression();

private:
    struct Engine;
    explicit Expression(std::unique_ptr<Engine> engine);
    std::unique_ptr<Engine> engine_;
};

}  // namespace sluice::jsonata
