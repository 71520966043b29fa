// TestState: runs one state's data flow on an input and shows each step (inspectionData),
// without an execution. Task states are not called: their result comes from `mock`.
#include "api_support.hpp"
#include "sluice/protocol/json_depth.hpp"
#include "sluice/sfn/choice.hpp"
#include "sluice/sfn/query_language.hpp"

namespace sluice::sfn {

namespace {

// A one-state machine around the state under test, so the definition checks apply to it;
// the states it may go to are stand-ins.
std::shared_ptr<const Definition> wrap(const std::string& state_text, const std::string& name) {
    Json state = Json::parse(state_text, nullptr, false);
    if (!state.is_discarded() && protocol::json_deeper_than(state))
        throw error("InvalidDefinition", invalid_definition_message({{"INVALID_JSON_DESCRIPTION", protocol::json_depth_message(), ""}}));
    if (state.is_discarded() || !state.is_object())
        throw error("InvalidDefinition", invalid_definition_message({{"INVALID_JSON_DESCRIPTION", "The state is not a JSON object", ""}}));
    Json states = {{name, state}};
    auto add_target = [&](const Json& v) {
        if (v.is_string() && !states.contains(v.get<std::string>())) states[v.get<std::string>()] = {{"Type", "Succeed"}};
    };
    add_target(state.value("Next", Json()));
    add_target(state.value("Default", Json()));
    for (const auto& c : state.value("Catch", Json::array())) add_target(c.value("Next", Json()));
    for (const auto& rule : state.value("Choices", Json::array()))
        if (rule.is_object()) add_target(rule.value("Next", Json()));
    // The stand-ins are all reachable from the state, so every diagnostic is about the state.
    auto parsed = parse_definition(Json{{"StartAt", name}, {"States", states}}.dump());
    if (!parsed.definition) throw error("InvalidDefinition", invalid_definition_message(parsed.diagnostics));
    return parsed.definition;
}

}  // namespace

Json SfnService::test_state(const Call& call) {
    Json out = run_test_state(call);
    // At the default INFO level AWS shows no inspection data.
    const auto level = api::str(call.params, "inspectionLevel", "INFO");
    if (level == "INFO") out.erase("inspectionData");
    return out;
}

Json SfnService::run_test_state(const Call& call) {
    const auto& p = call.params;
    const std::string name = "TestState";
    const auto definition_text = api::str(p, "definition");
    auto def = wrap(definition_text, name);
    const State& s = *def->root->find(name);
    Json input;
    try {
        input = Json::parse(api::str(p, "input", "{}"));
    } catch (const Json::exception& e) {  // parse_error, or out_of_range for a number too large
        throw error("InvalidExecutionInput", "Invalid State Machine Execution Input: '" + std::string(e.what()) + "'");
    }
    if (protocol::json_deeper_than(input))
        throw error("InvalidExecutionInput", "Invalid State Machine Execution Input: '" + protocol::json_depth_message() + "'");
    Json variables = Json::object();
    if (auto v = p.find("variables"); v != p.end() && v->is_string()) variables = Json::parse(v->get<std::string>(), nullptr, false);
    if (!variables.is_object() || protocol::json_deeper_than(variables)) variables = Json::object();
    const Json whole_context = {{"Execution", {{"Id", "arn:aws:states:" + call.context.scope.region + ":" + call.context.scope.account + ":execution:TestStateMachine:test"},
                                         {"Input", input}, {"Name", "test"}, {"RoleArn", api::str(p, "roleArn")}}},
                          {"State", {{"Name", name}, {"RetryCount", 0}}},
                          {"StateMachine", {{"Id", "arn:aws:states:" + call.context.scope.region + ":" + call.context.scope.account + ":stateMachine:TestStateMachine"}, {"Name", "TestStateMachine"}}}};
    const ContextObject context{whole_context, nullptr};
    const auto& language = language_of(s);
    Json inspection = {{"input", input.dump()}};
    Json out;
    try {
        Json effective = language.state_input(s, input, context, variables);
        inspection["afterInputPath"] = effective.dump();
        Json result;
        std::string next = s.next;
        switch (s.type) {
            case State::Type::Fail: {
                out = {{"status", "FAILED"}, {"error", s.error.value_or("")}, {"cause", s.cause.value_or("")}, {"inspectionData", inspection}};
                return out;
            }
            case State::Type::Choice: {
                EvalScope scope = context.scope(effective, variables);
                next = s.default_next;
                for (const auto& rule : s.choices)
                    if (evaluate(*rule, scope)) {
                        next = choice_next(*rule);
                        break;
                    }
                if (next.empty()) throw StatesError(errors::kRuntime, errors::kNoChoiceMatchedCause);
                Json output = language.state_output(s, effective, effective, ResultPathField{}, context, variables);
                return {{"status", "SUCCEEDED"}, {"output", output.dump()}, {"nextState", next}, {"inspectionData", inspection}};
            }
            case State::Type::Succeed:
            case State::Type::Wait: {
                Json output = language.state_output(s, effective, effective, ResultPathField{}, context, variables);
                out = {{"status", "SUCCEEDED"}, {"output", output.dump()}, {"inspectionData", inspection}};
                if (!next.empty()) out["nextState"] = next;
                return out;
            }
            case State::Type::Pass:
                if (s.result) {
                    // A fixed Result: AWS shows it as the result, with no input processing steps.
                    result = *s.result;
                    inspection.erase("afterInputPath");
                    inspection["result"] = result.dump();
                } else {
                    result = language.arguments(s, effective, context, variables);
                    inspection["afterParameters"] = result.dump();
                }
                break;
            default: {
                Json args = language.arguments(s, effective, context, variables);
                inspection["afterParameters"] = args.dump();
                auto mock = p.find("mock");
                if (mock == p.end() || !mock->is_object())
                    throw error("ValidationException", "Sluice's TestState runs Task, Map and Parallel states with a mock result only: pass 'mock'");
                if (mock->contains("errorOutput")) {
                    const Json& e = (*mock)["errorOutput"];
                    throw StatesError(e.value("error", ""), e.value("cause", ""));
                }
                result = Json::parse(mock->value("result", "null"), nullptr, false);
                if (result.is_discarded() || protocol::json_deeper_than(result))
                    throw error("ValidationException", "The mock result is not valid JSON");
                inspection["result"] = result.dump();
                break;
            }
        }
        result = language.select_result(s, std::move(result), context, variables);
        inspection["afterResultSelector"] = result.dump();
        Json output = language.state_output(s, input, std::move(result), s.result_path, context, variables);
        inspection["afterResultPath"] = output.dump();
        out = {{"status", "SUCCEEDED"}, {"output", output.dump()}, {"inspectionData", inspection}};
        if (!next.empty()) out["nextState"] = next;
        return out;
    } catch (const StatesError& e) {
        for (const auto& c : s.catch_)
            for (const auto& name_ : c.error_equals)
                if (name_ == e.error || (name_ == errors::kAll && e.error != errors::kRuntime)) {
                    Json error_output = e.to_json<Json>();
                    Json output = language.state_output(s, input, error_output, c.result_path, context, variables);
                    return {{"status", "CAUGHT_ERROR"}, {"output", output.dump()}, {"error", e.error}, {"cause", e.cause},
                            {"nextState", c.next}, {"inspectionData", inspection}};
                }
        for (const auto& r : s.retry)
            for (const auto& name_ : r.error_equals)
                if ((name_ == e.error || (name_ == errors::kAll && e.error != errors::kRuntime)) && r.max_attempts > 0)
                    return {{"status", "RETRIABLE"}, {"error", e.error}, {"cause", e.cause}, {"inspectionData", inspection}};
        return {{"status", "FAILED"}, {"error", e.error}, {"cause", e.cause}, {"inspectionData", inspection}};
    }
}

}  // namespace sluice::sfn
