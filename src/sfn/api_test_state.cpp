// TestState: one state run on an input, each step of its data flow shown (inspectionData), without
// an execution. The interpreter runs it (state_test.hpp); Task, Map and Parallel states are not
// called: what they return or throw comes from `mock`.
#include "api_support.hpp"
#include "mock/mocked_result_check.hpp"
#include "sluice/protocol/json_text.hpp"
#include "sluice/sfn/state_test.hpp"

namespace sluice::sfn {

namespace {

protocol::AwsError invalid_state(const std::string& message) {
    return error("InvalidDefinition", invalid_definition_message({{"INVALID_JSON_DESCRIPTION", message, ""}}));
}

// A one-state machine around the state under test, so the definition checks apply to it;
// the states it may go to are stand-ins.
std::shared_ptr<const Definition> wrap(const std::string& state_text, const std::string& name) {
    Json state;
    const auto read = protocol::read_json(state_text, state);
    if (read == protocol::JsonRead::too_deep) throw invalid_state(protocol::json_depth_message());
    if (read != protocol::JsonRead::ok || !state.is_object()) throw invalid_state("The state is not a JSON object");
    Json states = {{name, state}};
    auto add_target = [&](const Json& v) {
        if (v.is_string() && !states.contains(v.get<std::string>()))
            states[v.get<std::string>()] = {{"Type", "Succeed"}};
    };
    add_target(state.value("Next", Json()));
    add_target(state.value("Default", Json()));
    for (const auto& c : state.value("Catch", Json::array())) add_target(c.value("Next", Json()));
    for (const auto& rule : state.value("Choices", Json::array()))
        if (rule.is_object()) add_target(rule.value("Next", Json()));
    // The stand-ins are all reachable from the state, so every diagnostic is about the state.
    auto parsed = parse_definition(protocol::dump_json(Json{{"StartAt", name}, {"States", states}}));
    if (!parsed.definition) throw error("InvalidDefinition", invalid_definition_message(parsed.diagnostics));
    return parsed.definition;
}

// `stateName` given: the definition is a whole machine, checked as CreateStateMachine checks it.
std::shared_ptr<const Definition> whole_machine(const std::string& text) {
    auto parsed = parse_definition(text);
    if (!parsed.definition) throw error("InvalidDefinition", invalid_definition_message(parsed.diagnostics));
    return parsed.definition;
}

// What TestState accepts around a mock, in AWS's words (LocalStack test_state_mock_validation.py and
// test_test_state_scenarios.py, validated on AWS; docs/research/sfn-behaviour.md "TestState and mocks").
// Task, Map and Parallel states take a mock; Map and Parallel need one; a Task without one calls the
// real service, which needs a role.
void check_mock(const Json& p, const State& state) {
    auto mock = p.find("mock");
    const bool mocked = mock != p.end() && mock->is_object();
    const auto type = state.type;
    const bool takes_mock = type == StateType::Task || type == StateType::Map || type == StateType::Parallel;
    if (mocked) {
        if (mock->contains("result") && mock->contains("errorOutput"))
            throw error("ValidationException",
                        "A test mock should have only one of the following fields: [result, errorOutput].");
        if (auto reveal = p.find("revealSecrets"); reveal != p.end() && reveal->is_boolean() && reveal->get<bool>())
            throw error("ValidationException", "TestState does not support RevealSecrets when a mock is specified.");
        if (!takes_mock)
            throw error("ValidationException", std::string("State type '") + names_of(type).type +
                                                   "' is not supported when a mock is specified");
        return;
    }
    if (auto c = p.find("stateConfiguration");
        c != p.end() && c->is_object() && c->contains("mapIterationFailureCount"))
        throw error("ValidationException",
                    "TestState does not support MapIterationFailureCount when a mock is not specified.");
    if (type == StateType::Map || type == StateType::Parallel)
        throw error("InvalidDefinition",
                    "TestState API does not support Map or Parallel states. Supported state types include: "
                    "[Task, Wait, Pass, Succeed, Fail, Choice]");
    if (type == StateType::Task) {
        if (api::str(p, "roleArn").empty())
            throw error("ValidationException", "RoleArn must be specified when testing a Task state");
        throw error("ValidationException",
                    "Sluice's TestState does not call the service for a Task state yet: pass 'mock' with the result "
                    "or error it should return");
    }
}

// The mock's result, checked against what the state can receive: a Map's iterations and a
// Parallel's branches each give one element of an array.
Json mocked_result(const Json& mock, const State& state, const Json& p) {
    auto result = protocol::read_user_json(api::str(mock, "result", "null"));
    if (!result) throw error("ValidationException", "Mocked result must be valid JSON");
    if (state.type == StateType::Map || state.type == StateType::Parallel) {
        if (!result->is_array()) throw error("ValidationException", "Mocked result must be an array.");
        if (state.type == StateType::Parallel && result->size() != state.branches.size())
            throw error("ValidationException",
                        "Mocked result must contain the same number of items as number of Parallel branches.");
        if (auto c = p.find("stateConfiguration"); c != p.end() && c->is_object())
            if (auto n = c->find("mapIterationFailureCount");
                n != c->end() && n->is_number_integer() && n->get<long long>() > static_cast<long long>(result->size()))
                throw error("ValidationException",
                            "Map iteration failure count must be less than or equal to the number of Map iterations");
    }
    return std::move(*result);
}

FieldValidationMode validation_mode(const Json& mock) {
    const auto mode = api::str(mock, "fieldValidationMode", "STRICT");  // AWS's default (MockInput)
    if (mode == "PRESENT") return FieldValidationMode::Present;
    if (mode == "NONE") return FieldValidationMode::None;
    return FieldValidationMode::Strict;
}

const char* status_name(StateTestResult::Status status) {
    switch (status) {
        case StateTestResult::Status::Succeeded:
            return "SUCCEEDED";
        case StateTestResult::Status::Failed:
            return "FAILED";
        case StateTestResult::Status::Retriable:
            return "RETRIABLE";
        case StateTestResult::Status::CaughtError:
            return "CAUGHT_ERROR";
    }
    return "FAILED";
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
    StateTest test;
    const auto state_name = api::str(p, "stateName");
    if (state_name.empty()) {
        // AWS names the state it wraps "StateName": its $$.State.Name and the paths of definition
        // errors say so (LocalStack test_state_configuration / test_state_mock_validation, validated on AWS).
        const std::string name = "StateName";
        test.definition = wrap(api::str(p, "definition"), name);
        test.state = test.definition->root->find(name);
    } else {
        test.definition = whole_machine(api::str(p, "definition"));
        test.state = find_state(*test.definition, state_name);
        // AWS's words (LocalStack test_test_state_machine_scenarios.py, validated on AWS).
        if (!test.state) throw error("ValidationException", "State not found in definition");
    }

    std::string why;
    auto input = protocol::read_user_json(api::str(p, "input", "{}"), &why);
    if (!input) throw error("InvalidExecutionInput", "Invalid State Machine Execution Input: '" + why + "'");
    test.input = std::move(*input);
    // Variables that are not a JSON object are ignored, as they always were.
    if (auto v = p.find("variables"); v != p.end() && v->is_string())
        if (auto variables = protocol::read_user_json(v->get_ref<const std::string&>());
            variables && variables->is_object())
            test.variables = std::move(*variables);
    if (auto c = p.find("context"); c != p.end() && c->is_string()) {
        auto context = protocol::read_user_json(c->get_ref<const std::string&>());
        if (!context || !context->is_object()) throw error("ValidationException", "The context is not a JSON object");
        test.context = std::move(context);
    }

    check_mock(p, *test.state);
    if (auto mock = p.find("mock"); mock != p.end() && mock->is_object()) {
        if (auto e = mock->find("errorOutput"); e != mock->end() && e->is_object())
            test.mock_error = StatesError(api::str(*e, "error"), api::str(*e, "cause"));
        else
            test.mock_result = mocked_result(*mock, *test.state, p);
        if (test.mock_result && test.state->type == StateType::Task)
            if (auto resource = TaskResource::parse(test.state->resource))
                check_mocked_result(*resource, *test.mock_result, validation_mode(*mock));
    }
    if (auto c = p.find("stateConfiguration"); c != p.end() && c->is_object())
        if (auto n = c->find("retrierRetryCount"); n != c->end() && n->is_number_integer())
            test.retrier_retry_count = static_cast<int>(std::min<long long>(n->get<long long>(), 99999999));
    test.role_arn = api::str(p, "roleArn");
    test.scope = call.context.scope;

    auto result = run_state_test(test, clock_.now());

    Json out = {{"status", status_name(result.status)}};
    if (result.output) out["output"] = protocol::dump_json(*result.output);
    if (!result.next_state.empty()) out["nextState"] = result.next_state;
    if (result.error) {
        out["error"] = result.error->error;
        out["cause"] = result.error->cause;
    }
    Json inspection = Json::object();
    for (auto& [step, value] : result.inspection.items()) inspection[step] = protocol::dump_json(value);
    if (!result.variables.empty()) inspection["variables"] = protocol::dump_json(result.variables);
    out["inspectionData"] = std::move(inspection);
    return out;
}

}  // namespace sluice::sfn
