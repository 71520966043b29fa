#pragma once
// The intrinsic functions of the Amazon States Language in JSONPath mode: the value of a `.$`
// field (or Fail's ErrorPath/CausePath) written as a call, `States.Format('Hi {}', $.name)`.
// Arguments are string literals in single quotes (escapes `\'` `\{` `\}` `\\` only), numbers,
// `true`/`false`/`null`, paths (`$...`, `$$...`, `$var...`) and nested calls.
//
// Parsed once with the definition: a malformed call, an unknown function or a bad escape is a
// definition error. Evaluated each time the state runs: a wrong argument count, a wrong type or
// a path that matches nothing fails with StatesError `States.Runtime` (not IntrinsicFailure;
// that is what AWS raises, so a Catch on States.ALL does not catch it), its cause in AWS's
// words: "The function 'States.ArrayGetItem($.a, 9)' had the following error: Invalid arguments
// in States.ArrayGetItem".
#include <memory>
#include <stdexcept>
#include <string_view>

#include "sluice/sfn/data_path.hpp"
#include "sluice/sfn/errors.hpp"

namespace sluice::sfn::intrinsics {

// A value that is not one valid intrinsic call. The message says where and why.
struct SyntaxError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// AWS: "You can nest up to 10 intrinsic functions within a field".
inline constexpr int kMaxNesting = 10;

struct Expression;  // one parsed call and its arguments

// Whether a `.$` value is meant as an intrinsic call rather than a path: it starts with
// `States.` (after any leading whitespace).
bool looks_like_intrinsic(std::string_view text);

// Throws SyntaxError.
std::shared_ptr<const Expression> parse(std::string_view text);

// The call's value in this scope. Throws StatesError.
Json evaluate(const Expression& expression, const EvalScope& scope);

}  // namespace sluice::sfn::intrinsics
