#include "sluice/jsonata/expression.hpp"

#include <mutex>

#include <jsonata/JException.h>
#include <jsonata/Jsonata.h>

#include "sluice/core/encoding.hpp"

namespace sluice::jsonata {

// The engine keeps per-evaluation state in its instance and in thread-locals, so one Expression
// evaluates one call at a time (the lock), and every call gets its own bindings frame and bounds.
struct Expression::Engine {
    std::mutex lock;
    ::jsonata::Jsonata compiled;
    explicit Engine(const std::string& text) : compiled(text) {}
};

namespace {

Error engine_error(const ::jsonata::JException& error) {
    const std::string& code = error.getError();
    // U1001 is JSONata's "stack overflow or timeout"; the engine gives it no message of its own.
    if (code == "U1001") {
        return Error(code,
                     "Stack overflow error or evaluation time limit exceeded: check for "
                     "non-terminating recursive function or consider rewriting as tail-recursive.");
    }
    return Error(code, error.what());
}

// The parser is recursive descent: a deep bracket nesting would exhaust the thread's stack before
// any depth check of the engine runs, so it is refused first.
void check_shape(std::string_view text) {
    // The engine walks strings with utfcpp's unchecked reader, which runs past the end of a
    // truncated sequence (fuzz_jsonata found it): only well-formed UTF-8 goes in.
    if (!core::is_valid_utf8(text)) throw Error("S0100", "The expression is not valid UTF-8");
    if (text.size() > kMaxExpressionBytes) {
        throw Error("S0100", "The expression is longer than " + std::to_string(kMaxExpressionBytes) + " bytes");
    }
    std::size_t depth = 0;
    std::size_t deepest = 0;
    for (char c : text) {
        if (c == '(' || c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
        } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    if (deepest > kMaxExpressionNesting) {
        throw Error("S0100",
                    "The expression nests brackets deeper than " + std::to_string(kMaxExpressionNesting) + " levels");
    }
}

::jsonata::JFunction bind_function(const NamedFunction& function) {
    ::jsonata::JFunction bound;
    bound.implementation = [body = function.body](const ::jsonata::Utils::JList& args, const std::any&,
                                                  std::shared_ptr<::jsonata::Frame>) -> std::any {
        std::vector<std::optional<Json>> values;
        values.reserve(args.size());
        for (const auto& arg : args) {
            if (arg.has_value()) {
                values.emplace_back(::jsonata::Jsonata::anyToJson(::jsonata::Utils::convertNulls(arg)));
            } else {
                values.emplace_back(std::nullopt);
            }
        }
        std::optional<Json> result = body(values);
        if (!result) {
            return {};
        }
        return ::jsonata::Jsonata::jsonToAny(*result);
    };
    return bound;
}

}  // namespace

Expression::Expression(std::unique_ptr<Engine> engine) : engine_(std::move(engine)) {}
Expression::Expression(Expression&&) noexcept = default;
Expression& Expression::operator=(Expression&&) noexcept = default;
Expression::~Expression() = default;

Expression Expression::parse(std::string_view text, const std::vector<NamedFunction>& functions) {
    check_shape(text);
    try {
        auto engine = std::make_unique<Engine>(std::string(text));
        for (const auto& function : functions) {
            engine->compiled.registerFunction(function.name, bind_function(function));
        }
        return Expression(std::move(engine));
    } catch (const ::jsonata::JException& error) {
        throw engine_error(error);
    } catch (const std::exception& error) {
        // The engine's tokenizer reads some malformed numbers with std::stod, which throws its own
        // exception: still a syntax error of the expression.
        throw Error("S0102", std::string("The expression is not valid JSONata: ") + error.what());
    }
}

std::optional<Json> Expression::evaluate(const std::optional<Json>& input, const Json& bindings,
                                         const Limits& limits) const {
    std::lock_guard guard(engine_->lock);
    try {
        auto frame = engine_->compiled.createFrame();
        for (const auto& [name, value] : bindings.items()) {
            frame->bind(name, ::jsonata::Jsonata::jsonToAny(value));
        }
        frame->setRuntimeBounds(limits.time.count(), limits.depth);
        return engine_->compiled.evaluateOptional(input ? &*input : nullptr, frame);
    } catch (const ::jsonata::JException& error) {
        throw engine_error(error);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& error) {
        // The engine signals some failures with standard exceptions (a bad_any_cast on a value of
        // an unexpected type): they fail the evaluation, never the caller.
        throw Error("", error.what());
    }
}

}  // namespace sluice::jsonata
