// Definition text -> typed states, with every flaw reported the way CreateStateMachine does.
#include <set>
#include <string_view>
#include <utility>

#include "sluice/protocol/json_text.hpp"
#include "sluice/sfn/choice.hpp"
#include "sluice/sfn/definition.hpp"
#include "sluice/sfn/timestamp.hpp"

namespace sluice::sfn {

namespace {

using Json = nlohmann::json;

// The fields each state type accepts (JSONPath mode). Anything else is "not supported".
const std::map<std::string_view, std::pair<State::Type, std::set<std::string_view>>>& state_types() {
    static const std::map<std::string_view, std::pair<State::Type, std::set<std::string_view>>> table = {
        {"Pass", {State::Type::Pass, {"Next", "End", "InputPath", "OutputPath", "Parameters", "Result", "ResultPath"}}},
        {"Task",
         {State::Type::Task,
          {"Next", "End", "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Resource",
           "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "Retry", "Catch",
           "Credentials"}}},
        {"Choice", {State::Type::Choice, {"InputPath", "OutputPath", "Choices", "Default"}}},
        {"Wait",
         {State::Type::Wait,
          {"Next", "End", "InputPath", "OutputPath", "Seconds", "Timestamp", "SecondsPath", "TimestampPath"}}},
        {"Succeed", {State::Type::Succeed, {"InputPath", "OutputPath"}}},
        {"Fail", {State::Type::Fail, {"Error", "Cause", "ErrorPath", "CausePath"}}},
        {"Parallel",
         {State::Type::Parallel,
          {"Next", "End", "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Branches", "Retry",
           "Catch"}}},
        {"Map",
         {State::Type::Map,
          {"Next",
           "End",
           "InputPath",
           "OutputPath",
           "Parameters",
           "ItemSelector",
           "ResultSelector",
           "ResultPath",
           "ItemsPath",
           "Items",
           "Iterator",
           "ItemProcessor",
           "MaxConcurrency",
           "MaxConcurrencyPath",
           "ToleratedFailurePercentage",
           "ToleratedFailurePercentagePath",
           "ToleratedFailureCount",
           "ToleratedFailureCountPath",
           "Retry",
           "Catch",
           "Label",
           "ItemReader",
           "ItemBatcher",
           "ResultWriter"}}},
    };
    return table;
}

class Parser {
public:
    explicit Parser(Diagnostics& out) : out_(out) {}

    void schema(const std::string& message, const std::string& location) {
        out_.push_back({"SCHEMA_VALIDATION_FAILED", message, location});
    }
    void wrong_type(const std::string& field, const char* expected, const Json& v, const std::string& location) {
        schema("The value for the field '" + field + "' must be " + expected + " but was " + asl_type_name(v),
               location);
    }

    std::optional<std::string> string_field(const Json& obj, const char* field, const std::string& at) {
        auto it = obj.find(field);
        if (it == obj.end()) return std::nullopt;
        if (!it->is_string()) {
            wrong_type(field, "a STRING", *it, at + "/" + field);
            return std::nullopt;
        }
        return it->get<std::string>();
    }

    std::optional<double> number_field(const Json& obj, const char* field, const std::string& at, bool integer,
                                       double min, double max) {
        auto it = obj.find(field);
        if (it == obj.end()) return std::nullopt;
        if (!it->is_number() || (integer && !it->is_number_integer())) {
            wrong_type(field, integer ? "an INTEGER" : "a NUMBER", *it, at + "/" + field);
            return std::nullopt;
        }
        double v = it->get<double>();
        if (v < min || v > max) {
            schema("The value for the field '" + std::string(field) + "' must be " +
                       (max < 1e18 ? "between " + number_text(min) + " and " + number_text(max)
                                   : "greater than or equal to " + number_text(min)),
                   at + "/" + field);
            return std::nullopt;
        }
        return v;
    }

    static std::string number_text(double v) {
        if (v == static_cast<long long>(v)) return std::to_string(static_cast<long long>(v));
        return std::to_string(v);
    }

    std::optional<DataPath> path_field(const Json& obj, const char* field, const std::string& at) {
        auto text = string_field(obj, field, at);
        if (!text) return std::nullopt;
        try {
            return DataPath::parse(*text);
        } catch (const std::exception&) {
            // AWS's text (a CloudFormation deployment quoted in cfn-lint #4078), the full stop included.
            out_.push_back({"SCHEMA_VALIDATION_FAILED", "Value must be a valid JSONPath.", at + "/" + field});
            return std::nullopt;
        }
    }

    OptionalPath optional_path(const Json& obj, const char* field, const std::string& at) {
        OptionalPath out;
        auto it = obj.find(field);
        if (it == obj.end()) return out;
        if (it->is_null()) {
            out.is_null = true;
            return out;
        }
        out.path = path_field(obj, field, at);
        return out;
    }

    ResultPathField result_path(const Json& obj, const std::string& at) {
        ResultPathField out;
        auto it = obj.find("ResultPath");
        if (it == obj.end()) return out;
        if (it->is_null()) {
            out.discard = true;
            return out;
        }
        if (!it->is_string()) {
            wrong_type("ResultPath", "a STRING", *it, at + "/ResultPath");
            return out;
        }
        const auto& text = it->get_ref<const std::string&>();
        try {
            auto path = jsonpath::Path::parse(text);
            if (!path.is_reference())
                throw jsonpath::PathError(
                    "'" + text + "' can select more than one value (wildcard, slice, union, deep scan or filter)");
            out.path = std::move(path);
        } catch (const std::exception& e) {
            // AWS's reference-path validator, as for a Choice's Variable (ts2asl#912).
            schema(text.starts_with('$')
                       ? std::string("Value is not a Reference Path: ") + e.what()
                       : std::string("Value is not a Reference Path: Reference path didn't start with '$'"),
                   at + "/ResultPath");
        }
        return out;
    }

    std::optional<Template> template_field(const Json& obj, const char* field, const std::string& at) {
        auto it = obj.find(field);
        if (it == obj.end()) return std::nullopt;
        if (!it->is_object()) {
            wrong_type(field, "an OBJECT", *it, at + "/" + field);
            return std::nullopt;
        }
        return Template::compile(*it, at + "/" + field, out_);
    }

    std::vector<std::string> error_equals(const Json& obj, const std::string& at) {
        std::vector<std::string> out;
        auto it = obj.find("ErrorEquals");
        if (it == obj.end()) {
            schema("These fields are required: [ErrorEquals]", at);
            return out;
        }
        if (!it->is_array() || it->empty()) {
            schema("The value for the field 'ErrorEquals' must be a non-empty ARRAY", at + "/ErrorEquals");
            return out;
        }
        for (std::size_t i = 0; i < it->size(); ++i) {
            if (!(*it)[i].is_string()) {
                wrong_type("ErrorEquals", "a STRING", (*it)[i], at + "/ErrorEquals[" + std::to_string(i) + "]");
                continue;
            }
            out.push_back((*it)[i].get<std::string>());
        }
        const auto all = std::find(out.begin(), out.end(), errors::kAll);
        if (all != out.end() && out.size() > 1)
            schema("Error 'States.ALL' must appear alone in the 'ErrorEquals' array", at + "/ErrorEquals");
        return out;
    }

    void check_fields(const Json& obj, const std::set<std::string_view>& allowed, const std::string& at) {
        for (const auto& [key, v] : obj.items()) {
            if (key == "Type" || key == "Comment" || key == "Assign" || key == "QueryLanguage") continue;
            if (!allowed.contains(key)) schema("Field '" + key + "' is not supported", at);
        }
    }

    std::vector<Retrier> retriers(const Json& obj, const std::string& at) {
        std::vector<Retrier> out;
        auto it = obj.find("Retry");
        if (it == obj.end()) return out;
        if (!it->is_array()) {
            wrong_type("Retry", "an ARRAY", *it, at + "/Retry");
            return out;
        }
        for (std::size_t i = 0; i < it->size(); ++i) {
            const std::string where = at + "/Retry[" + std::to_string(i) + "]";
            const Json& r = (*it)[i];
            if (!r.is_object()) {
                wrong_type("Retry", "an OBJECT", r, where);
                continue;
            }
            check_fields(
                r,
                {"ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy"},
                where);
            Retrier retrier;
            retrier.error_equals = error_equals(r, where);
            if (auto v = number_field(r, "IntervalSeconds", where, true, 1, 99999999)) retrier.interval_seconds = *v;
            if (auto v = number_field(r, "MaxAttempts", where, true, 0, 99999999))
                retrier.max_attempts = static_cast<int>(*v);
            if (auto v = number_field(r, "BackoffRate", where, false, 1, 1e19)) retrier.backoff_rate = *v;
            if (auto v = number_field(r, "MaxDelaySeconds", where, true, 1, 31622400)) retrier.max_delay_seconds = *v;
            if (auto s = string_field(r, "JitterStrategy", where)) {
                if (*s == "FULL")
                    retrier.jitter_full = true;
                else if (*s != "NONE")
                    schema("The value for the field 'JitterStrategy' must be one of [FULL, NONE]",
                           where + "/JitterStrategy");
            }
            if (std::find(retrier.error_equals.begin(), retrier.error_equals.end(), errors::kAll) !=
                    retrier.error_equals.end() &&
                i + 1 != it->size())
                schema("Retrier containing 'States.ALL' must be the last retrier in the array", where);
            out.push_back(std::move(retrier));
        }
        return out;
    }

    std::vector<Catcher> catchers(const Json& obj, const std::string& at) {
        // Set by jsonata_state for this one call; a Parallel's branches are read after it.
        const bool jsonata_catchers = std::exchange(jsonata_catchers_, false);
        std::vector<Catcher> out;
        auto it = obj.find("Catch");
        if (it == obj.end()) return out;
        if (!it->is_array()) {
            wrong_type("Catch", "an ARRAY", *it, at + "/Catch");
            return out;
        }
        for (std::size_t i = 0; i < it->size(); ++i) {
            const std::string where = at + "/Catch[" + std::to_string(i) + "]";
            const Json& c = (*it)[i];
            if (!c.is_object()) {
                wrong_type("Catch", "an OBJECT", c, where);
                continue;
            }
            check_fields(c, {"ErrorEquals", "Next", "ResultPath", "Output"}, where);
            Catcher catcher;
            if (jsonata_catchers) {
                if (c.contains("ResultPath"))
                    schema(
                        "The QueryLanguage is set to 'JSONata', but field 'ResultPath' is only supported for the "
                        "'JSONPath' QueryLanguage",
                        where);
                catcher.output = jsonata_field(c, "Output", where);
                catcher.jsonata_assign = jsonata_field(c, "Assign", where);
            } else if (c.contains("Output")) {
                schema(
                    "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the "
                    "'JSONata' QueryLanguage",
                    where);
            }
            catcher.error_equals = error_equals(c, where);
            if (auto next = string_field(c, "Next", where))
                catcher.next = *next;
            else if (!c.contains("Next"))
                schema("These fields are required: [Next]", where);
            if (!jsonata_catchers) {
                catcher.result_path = result_path(c, where);
                catcher.assign = template_field(c, "Assign", where);
            }
            if (std::find(catcher.error_equals.begin(), catcher.error_equals.end(), errors::kAll) !=
                    catcher.error_equals.end() &&
                i + 1 != it->size())
                schema("Catcher containing 'States.ALL' must be the last catcher in the array", where);
            out.push_back(std::move(catcher));
        }
        return out;
    }

    SecondsField seconds_field(const Json& obj, const char* field, const std::string& at) {
        SecondsField out;
        const std::string path_name = std::string(field) + "Path";
        out.seconds = number_field(obj, field, at, true, 1, 99999999);
        out.path = path_field(obj, path_name.c_str(), at);
        if (obj.contains(field) && obj.contains(path_name))
            schema("Exactly one of '" + std::string(field) + "' or '" + path_name + "' may be set", at);
        return out;
    }

    std::shared_ptr<StateBlock> block(const Json& obj, const std::string& at) {
        auto out = std::make_shared<StateBlock>();
        if (!obj.is_object()) {
            wrong_type(at.empty() ? "definition" : at.substr(at.rfind('/') + 1), "an OBJECT", obj,
                       at.empty() ? "/" : at);
            return out;
        }
        auto start = obj.find("StartAt");
        auto states = obj.find("States");
        if (start == obj.end() || states == obj.end()) {
            std::string missing = start == obj.end() && states == obj.end() ? "States, StartAt"
                                  : start == obj.end()                      ? "StartAt"
                                                                            : "States";
            schema("These fields are required: [" + missing + "]", at.empty() ? "/" : at);
            if (states == obj.end()) return out;
        }
        if (start != obj.end()) {
            if (start->is_string())
                out->start_at = start->get<std::string>();
            else
                wrong_type("StartAt", "a STRING", *start, at + "/StartAt");
            // An empty StartAt names no state: without this the execution would start nowhere.
            if (start->is_string() && out->start_at.empty())
                out_.push_back({"MISSING_TRANSITION_TARGET", "Missing 'Next' target: ", at + "/StartAt"});
        }
        if (!states->is_object()) {
            wrong_type("States", "an OBJECT", *states, at + "/States");
            return out;
        }
        if (states->empty()) schema("Value cannot be empty", at + "/States");
        for (const auto& [name, body] : states->items()) {
            auto state = this->state(name, body, at + "/States/" + name);
            if (!state) continue;
            out->by_name[state->name] = state.get();
            out->states.push_back(std::move(state));
        }
        check_transitions(*out, at);
        return out;
    }

    std::unique_ptr<State> state(const std::string& name, const Json& body, const std::string& at) {
        if (name.empty() || name.size() > 80) schema("State names must be between 1 and 80 characters long", at);
        if (!all_names_.insert(name).second)
            out_.push_back({"DUPLICATE_STATE_NAME", "Duplicate State name: " + name, at});
        // A state too broken to read still exists by name, so transitions to it don't add
        // errors AWS doesn't report.
        auto stub = [&] {
            auto s = std::make_unique<State>();
            s->name = name;
            s->type = State::Type::Succeed;
            return s;
        };
        if (!body.is_object()) {
            wrong_type(name, "an OBJECT", body, at);
            return stub();
        }
        auto type_it = body.find("Type");
        if (type_it == body.end()) {
            schema("These fields are required: [Type]", at);
            return stub();
        }
        auto known = type_it->is_string() ? state_types().find(type_it->get<std::string>()) : state_types().end();
        if (known == state_types().end()) {
            schema(
                "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, "
                "Map]",
                at + "/Type");
            return stub();
        }
        auto state = std::make_unique<State>();
        state->name = name;
        state->type = known->second.first;
        state->query_language = query_language(body, language_, at);
        const bool jsonata = state->query_language == QueryLanguageId::JSONata;
        if (jsonata)
            check_jsonata_fields(body, state->type, at);
        else
            check_fields(body, known->second.second, at);
        const std::string text = body.dump();
        state->uses_context = text.find("$$") != std::string::npos || text.find("$states.context") != std::string::npos;
        if (auto c = string_field(body, "Comment", at)) state->comment = *c;

        const bool terminal_type = state->type == State::Type::Choice || state->type == State::Type::Succeed ||
                                   state->type == State::Type::Fail;
        if (!terminal_type) {
            auto next = string_field(body, "Next", at);
            auto end = body.find("End");
            if (end != body.end() && !end->is_boolean()) wrong_type("End", "a BOOLEAN", *end, at + "/End");
            state->end = end != body.end() && end->is_boolean() && end->get<bool>();
            if (next) state->next = *next;
            if (next && state->end)
                schema("Exactly one of 'Next' or 'End' must be set", at);
            else if (!next && !state->end)
                schema("Exactly one of 'Next' or 'End' must be set", at);
        }
        if (jsonata) {
            jsonata_state(*state, body, at);
            return state;
        }
        if (state->type != State::Type::Fail) {
            state->input_path = optional_path(body, "InputPath", at);
            state->output_path = optional_path(body, "OutputPath", at);
            state->assign = template_field(body, "Assign", at);
        }
        switch (state->type) {
            case State::Type::Pass:
                state->parameters = template_field(body, "Parameters", at);
                if (auto r = body.find("Result"); r != body.end()) state->result = *r;
                state->result_path = result_path(body, at);
                break;
            case State::Type::Task:
                task(*state, body, at);
                break;
            case State::Type::Choice:
                choice(*state, body, at);
                break;
            case State::Type::Wait:
                wait(*state, body, at);
                break;
            case State::Type::Succeed:
                break;
            case State::Type::Fail:
                fail(*state, body, at);
                break;
            case State::Type::Parallel:
                parallel(*state, body, at);
                break;
            case State::Type::Map:
                map(*state, body, at);
                break;
        }
        return state;
    }

    // The fields each state type accepts in JSONata mode; the JSONPath-only ones are refused with
    // the mirror of AWS's message for a JSONata field in a JSONPath state (choice.cpp).
    void check_jsonata_fields(const Json& obj, State::Type type, const std::string& at) {
        static const std::map<State::Type, std::set<std::string_view>> allowed = {
            {State::Type::Pass, {"Next", "End", "Output"}},
            {State::Type::Task,
             {"Next", "End", "Resource", "Arguments", "Output", "TimeoutSeconds", "HeartbeatSeconds", "Retry", "Catch",
              "Credentials"}},
            {State::Type::Choice, {"Choices", "Default", "Output"}},
            {State::Type::Wait, {"Next", "End", "Seconds", "Timestamp", "Output"}},
            {State::Type::Succeed, {"Output"}},
            {State::Type::Fail, {"Error", "Cause"}},
            {State::Type::Parallel, {"Next", "End", "Arguments", "Output", "Branches", "Retry", "Catch"}},
            {State::Type::Map,
             {"Next", "End", "Items", "ItemSelector", "ItemProcessor", "Iterator", "MaxConcurrency",
              "ToleratedFailurePercentage", "ToleratedFailureCount", "Output", "Retry", "Catch", "Label", "ItemReader",
              "ItemBatcher", "ResultWriter"}},
        };
        static const std::set<std::string_view> jsonpath_only = {"InputPath",
                                                                 "OutputPath",
                                                                 "Parameters",
                                                                 "ResultSelector",
                                                                 "ResultPath",
                                                                 "Result",
                                                                 "ItemsPath",
                                                                 "SecondsPath",
                                                                 "TimestampPath",
                                                                 "TimeoutSecondsPath",
                                                                 "HeartbeatSecondsPath",
                                                                 "ErrorPath",
                                                                 "CausePath",
                                                                 "MaxConcurrencyPath",
                                                                 "ToleratedFailurePercentagePath",
                                                                 "ToleratedFailureCountPath"};
        const auto& fields = allowed.at(type);
        for (const auto& [key, v] : obj.items()) {
            if (key == "Type" || key == "Comment" || key == "Assign" || key == "QueryLanguage") continue;
            if (jsonpath_only.contains(key))
                schema("The QueryLanguage is set to 'JSONata', but field '" + key +
                           "' is only supported for the 'JSONPath' QueryLanguage",
                       at);
            else if (!fields.contains(key))
                schema("Field '" + key + "' is not supported", at);
        }
    }

    std::optional<JsonataField> jsonata_field(const Json& obj, const char* field, const std::string& at) {
        auto it = obj.find(field);
        if (it == obj.end()) return std::nullopt;
        return JsonataField::compile(*it, field, at + "/" + field, out_);
    }

    // A JSONata state: Arguments, Output and Assign instead of the five JSONPath fields.
    void jsonata_state(State& s, const Json& body, const std::string& at) {
        if (s.type != State::Type::Fail) {
            s.output = jsonata_field(body, "Output", at);
            if (auto a = body.find("Assign"); a != body.end() && !a->is_object())
                wrong_type("Assign", "an OBJECT", *a, at + "/Assign");
            else
                s.jsonata_assign = jsonata_field(body, "Assign", at);
        }
        switch (s.type) {
            case State::Type::Pass:
            case State::Type::Succeed:
                break;
            case State::Type::Task:
                jsonata_catchers_ = true;
                task(s, body, at);
                s.arguments = jsonata_field(body, "Arguments", at);
                break;
            case State::Type::Parallel:
                jsonata_catchers_ = true;
                parallel(s, body, at);
                s.arguments = jsonata_field(body, "Arguments", at);
                break;
            case State::Type::Wait:
                wait(s, body, at);
                break;
            case State::Type::Choice:
                jsonata_choice(s, body, at);
                break;
            case State::Type::Fail:
                for (const char* field : {"Error", "Cause"}) {
                    auto it = body.find(field);
                    if (it == body.end()) continue;
                    if (JsonataField::is_expression(*it)) {
                        (field[0] == 'E' ? s.error_expression : s.cause_expression) = jsonata_field(body, field, at);
                    } else if (auto text = string_field(body, field, at)) {
                        (field[0] == 'E' ? s.error : s.cause) = *text;
                    }
                }
                break;
            case State::Type::Map:
                // Items, ItemSelector and the Map's numbers as expressions are not read yet: a
                // Map in JSONata would run with the wrong data, so it is refused, not guessed.
                schema("A Map state in the JSONata QueryLanguage is not supported by Sluice yet", at);
                break;
        }
    }

    // JSONata Choice rules: {Condition, Next, Assign, Output, Comment}.
    // A Choice state's `Choices`, both query languages: present and a non-empty array, else null
    // with the diagnostic written.
    const Json* choices_of(const Json& body, const std::string& at) {
        auto it = body.find("Choices");
        if (it == body.end()) {
            schema("These fields are required: [Choices]", at);
        } else if (!it->is_array() || it->empty()) {
            schema("The value for the field 'Choices' must be a non-empty ARRAY", at + "/Choices");
        } else {
            return &*it;
        }
        return nullptr;
    }

    void jsonata_choice(State& s, const Json& body, const std::string& at) {
        if (const Json* it = choices_of(body, at)) {
            for (std::size_t i = 0; i < it->size(); ++i) {
                const std::string where = at + "/Choices[" + std::to_string(i) + "]";
                const Json& rule = (*it)[i];
                if (!rule.is_object()) {
                    wrong_type("Choices", "an OBJECT", rule, where);
                    continue;
                }
                for (const auto& [key, v] : rule.items())
                    if (key != "Condition" && key != "Next" && key != "Assign" && key != "Comment")
                        schema("Field '" + key + "' is not supported", where);
                ChoiceRule parsed;
                if (auto next = string_field(rule, "Next", where))
                    parsed.next = *next;
                else if (!rule.contains("Next"))
                    schema("These fields are required: [Next]", where);
                if (!rule.contains("Condition")) schema("These fields are required: [Condition]", where);
                s.conditions.push_back(jsonata_field(rule, "Condition", where));
                s.condition_assigns.push_back(jsonata_field(rule, "Assign", where));
                s.choices.push_back(std::make_shared<const ChoiceRule>(std::move(parsed)));
                s.choice_assigns.emplace_back();
            }
        }
        if (auto d = string_field(body, "Default", at)) s.default_next = *d;
    }

    void task(State& s, const Json& body, const std::string& at) {
        if (auto r = string_field(body, "Resource", at)) {
            s.resource = *r;
            if (!r->starts_with("arn:"))
                schema("The value for the field 'Resource' must be a valid ARN", at + "/Resource");
        } else if (!body.contains("Resource")) {
            schema("These fields are required: [Resource]", at);
        }
        s.parameters = template_field(body, "Parameters", at);
        s.result_selector = template_field(body, "ResultSelector", at);
        s.result_path = result_path(body, at);
        s.timeout = seconds_field(body, "TimeoutSeconds", at);
        s.heartbeat = seconds_field(body, "HeartbeatSeconds", at);
        if (s.timeout.seconds && s.heartbeat.seconds && *s.heartbeat.seconds >= *s.timeout.seconds)
            schema("The value of 'HeartbeatSeconds' must be less than the value of 'TimeoutSeconds'",
                   at + "/HeartbeatSeconds");
        if (auto c = body.find("Credentials"); c != body.end()) s.credentials = *c;
        s.retry = retriers(body, at);
        s.catch_ = catchers(body, at);
    }

    void choice(State& s, const Json& body, const std::string& at) {
        if (const Json* it = choices_of(body, at)) {
            for (std::size_t i = 0; i < it->size(); ++i) {
                const std::string where = at + "/Choices[" + std::to_string(i) + "]";
                auto rule = parse_choice_rule((*it)[i], /*top_level=*/true, where, out_);
                if (!rule) continue;
                std::optional<Template> assign;
                if (rule->assign) assign = Template::compile(*rule->assign, where + "/Assign", out_);
                s.choices.push_back(std::make_shared<const ChoiceRule>(std::move(*rule)));
                s.choice_assigns.push_back(std::move(assign));
            }
        }
        if (auto d = string_field(body, "Default", at)) s.default_next = *d;
    }

    void wait(State& s, const Json& body, const std::string& at) {
        int given = 0;
        if (body.contains("Seconds")) {
            ++given;
            s.wait_seconds = number_field(body, "Seconds", at, true, 0, 99999999);
        }
        if (body.contains("Timestamp")) {
            ++given;
            if (auto t = string_field(body, "Timestamp", at)) {
                if (!parse_timestamp(*t))
                    // AWS's text (LocalStack's recording test_wait_timestamp_invalid, every variant).
                    schema("String does not match RFC3339 timestamp", at + "/Timestamp");
                s.wait_timestamp = *t;
            }
        }
        if (body.contains("SecondsPath")) {
            ++given;
            s.wait_seconds_path = path_field(body, "SecondsPath", at);
        }
        if (body.contains("TimestampPath")) {
            ++given;
            s.wait_timestamp_path = path_field(body, "TimestampPath", at);
        }
        if (given != 1)
            schema("A Wait state must contain exactly one of 'Seconds', 'Timestamp', 'SecondsPath' or 'TimestampPath'",
                   at);
    }

    void fail(State& s, const Json& body, const std::string& at) {
        s.error = string_field(body, "Error", at);
        s.cause = string_field(body, "Cause", at);
        if (auto e = body.find("ErrorPath"); e != body.end())
            s.error_path = Template::compile_dynamic(*e, at + "/ErrorPath", out_);
        if (auto c = body.find("CausePath"); c != body.end())
            s.cause_path = Template::compile_dynamic(*c, at + "/CausePath", out_);
        if (body.contains("Error") && body.contains("ErrorPath"))
            schema("Only one of 'Error' or 'ErrorPath' may be set", at);
        if (body.contains("Cause") && body.contains("CausePath"))
            schema("Only one of 'Cause' or 'CausePath' may be set", at);
    }

    void parallel(State& s, const Json& body, const std::string& at) {
        s.parameters = template_field(body, "Parameters", at);
        s.result_selector = template_field(body, "ResultSelector", at);
        s.result_path = result_path(body, at);
        s.retry = retriers(body, at);
        s.catch_ = catchers(body, at);
        auto it = body.find("Branches");
        if (it == body.end()) {
            schema("These fields are required: [Branches]", at);
            return;
        }
        if (!it->is_array() || it->empty()) {
            schema(it->is_array() ? "Value cannot be empty" : "The value for the field 'Branches' must be an ARRAY",
                   at + "/Branches");
            return;
        }
        for (std::size_t i = 0; i < it->size(); ++i)
            s.branches.push_back(block((*it)[i], at + "/Branches[" + std::to_string(i) + "]"));
    }

    void map(State& s, const Json& body, const std::string& at) {
        if (body.contains("ItemSelector") && body.contains("Parameters"))
            schema("Only one of 'ItemSelector' or 'Parameters' may be set", at);
        s.parameters = body.contains("ItemSelector") ? template_field(body, "ItemSelector", at)
                                                     : template_field(body, "Parameters", at);
        s.result_selector = template_field(body, "ResultSelector", at);
        s.result_path = result_path(body, at);
        s.retry = retriers(body, at);
        s.catch_ = catchers(body, at);
        s.items_path = path_field(body, "ItemsPath", at);
        if (auto items = body.find("Items"); items != body.end()) s.items = *items;
        if (auto v = number_field(body, "MaxConcurrency", at, true, 0, 2147483647))
            s.max_concurrency = static_cast<int>(*v);
        s.max_concurrency_path = path_field(body, "MaxConcurrencyPath", at);
        if (auto v = number_field(body, "ToleratedFailurePercentage", at, false, 0, 100))
            s.tolerated_failure_percentage = *v;
        if (auto v = number_field(body, "ToleratedFailureCount", at, true, 0, 2147483647))
            s.tolerated_failure_count = static_cast<long long>(*v);
        s.tolerated_failure_percentage_path = path_field(body, "ToleratedFailurePercentagePath", at);
        s.tolerated_failure_count_path = path_field(body, "ToleratedFailureCountPath", at);
        string_field(body, "Label", at);  // checked; only distributed Maps use it
        if (body.contains("ItemReader") || body.contains("ResultWriter") || body.contains("ItemBatcher"))
            schema("ItemReader, ItemBatcher and ResultWriter (distributed Map) are not supported by Sluice", at);

        const bool has_processor = body.contains("ItemProcessor"), has_iterator = body.contains("Iterator");
        if (has_processor == has_iterator) {
            schema(has_processor ? "Only one of 'ItemProcessor' or 'Iterator' may be set"
                                 : "These fields are required: [ItemProcessor]",
                   at);
            return;
        }
        const char* field = has_processor ? "ItemProcessor" : "Iterator";
        const Json& processor = body[field];
        if (processor.is_object()) {
            if (auto config = processor.find("ProcessorConfig"); config != processor.end() && config->is_object()) {
                if (auto mode = config->find("Mode"); mode != config->end() && *mode == "DISTRIBUTED") {
                    schema("Distributed Map (ProcessorConfig.Mode DISTRIBUTED) is not supported by Sluice",
                           at + "/" + field);
                }
            }
            for (const auto& [key, v] : processor.items())
                if (key != "StartAt" && key != "States" && key != "Comment" && key != "ProcessorConfig")
                    schema("Field '" + key + "' is not supported", at + "/" + field);
        }
        s.iterator = block(processor, at + "/" + field);
    }

    // Next/Default/Catch targets exist in the same block, and every state is reachable.
    void check_transitions(const StateBlock& block, const std::string& at) {
        // AWS says 'Next' for every kind of transition (Default, Catch, StartAt too).
        auto target = [&](const std::string& name, const std::string& where, const char*) {
            if (name.empty()) return;
            if (!block.find(name))
                out_.push_back({"MISSING_TRANSITION_TARGET", "Missing 'Next' target: " + name, where});
        };
        if (!block.start_at.empty() && !block.find(block.start_at))
            out_.push_back({"MISSING_TRANSITION_TARGET", "Missing 'Next' target: " + block.start_at, at + "/StartAt"});
        bool has_terminal = false;
        for (const auto& s : block.states) {
            const std::string where = at + "/States/" + s->name;
            target(s->next, where + "/Next", "Next");
            target(s->default_next, where + "/Default", "Default");
            for (std::size_t i = 0; i < s->catch_.size(); ++i)
                target(s->catch_[i].next, where + "/Catch[" + std::to_string(i) + "]/Next", "Next");
            for (std::size_t i = 0; i < s->choices.size(); ++i)
                target(choice_next(*s->choices[i]), where + "/Choices[" + std::to_string(i) + "]/Next", "Next");
            if (s->end || s->type == State::Type::Succeed || s->type == State::Type::Fail) has_terminal = true;
        }
        if (!block.states.empty() && !has_terminal) {
            // AWS reports no location for this one, and then skips the reachability check.
            out_.push_back({"MISSING_END_STATE", "Workflow has no terminal state", ""});
            return;
        }

        // Reachability from StartAt.
        std::set<std::string> seen;
        std::vector<const State*> todo;
        if (auto* start = block.find(block.start_at)) todo.push_back(start);
        while (!todo.empty()) {
            const State* s = todo.back();
            todo.pop_back();
            if (!seen.insert(s->name).second) continue;
            auto go = [&](const std::string& name) {
                if (auto* n = block.find(name)) todo.push_back(n);
            };
            go(s->next);
            go(s->default_next);
            for (const auto& c : s->catch_) go(c.next);
            for (const auto& c : s->choices) go(choice_next(*c));
        }
        // With StartAt pointing nowhere every state is unreachable, and AWS says so for each.
        if (!block.start_at.empty())
            for (const auto& s : block.states)
                if (!seen.contains(s->name))
                    out_.push_back({"MISSING_TRANSITION_TARGET", "State \"" + s->name + "\" is not reachable.",
                                    at + "/States/" + s->name});
    }

    // A `QueryLanguage` field: its language, or `inherited` when there is none. A JSONata state
    // may sit in a JSONPath machine, not the reverse
    // (AWS's recording test_base_query_language / test_mixed_query_language).
    QueryLanguageId query_language(const Json& obj, QueryLanguageId inherited, const std::string& at) {
        auto it = obj.find("QueryLanguage");
        if (it == obj.end()) return inherited;
        if (*it == "JSONata") return QueryLanguageId::JSONata;
        if (*it != "JSONPath") {
            schema("The value for the field 'QueryLanguage' must be one of [JSONPath, JSONata]", at + "/QueryLanguage");
            return inherited;
        }
        if (inherited == QueryLanguageId::JSONata && !at.empty())
            schema("'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", at);
        return QueryLanguageId::JSONPath;
    }

    // The definition's language, which states without a `QueryLanguage` of their own use.
    QueryLanguageId language_ = QueryLanguageId::JSONPath;
    // Whether the Catch being read belongs to a JSONata state.
    bool jsonata_catchers_ = false;

private:
    Diagnostics& out_;
    std::set<std::string> all_names_;
};

}  // namespace

ParseResult parse_definition(const std::string& text) {
    ParseResult result;
    Json doc;
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
        result.diagnostics.push_back({"SCHEMA_VALIDATION_FAILED", "Definition must be a valid JSON object", ""});
        return result;
    }
    std::string why;
    if (auto read = protocol::read_user_json(text, &why)) {
        doc = std::move(*read);
    } else {
        result.diagnostics.push_back({"INVALID_JSON_DESCRIPTION", why, ""});
        return result;
    }
    auto def = std::make_shared<Definition>();
    Parser parser(result.diagnostics);
    if (doc.is_object()) {
        def->query_language = parser.language_ = parser.query_language(doc, QueryLanguageId::JSONPath, "");
        if (auto c = doc.find("Comment"); c != doc.end() && c->is_string()) def->comment = c->get<std::string>();
        def->timeout_seconds = parser.number_field(doc, "TimeoutSeconds", "", true, 1, 99999999);
        for (const auto& [key, v] : doc.items())
            if (key != "StartAt" && key != "States" && key != "Comment" && key != "Version" &&
                key != "TimeoutSeconds" && key != "QueryLanguage")
                parser.schema("Field '" + key + "' is not supported", "/");
    }
    def->root = parser.block(doc, "");
    def->variable_references = variable_references(doc);
    if (result.diagnostics.empty()) result.definition = std::move(def);
    return result;
}

std::string invalid_definition_message(const Diagnostics& diagnostics) {
    std::string out = "Invalid State Machine Definition: '";
    for (std::size_t i = 0; i < diagnostics.size(); ++i) {
        const auto& d = diagnostics[i];
        if (i) out += ", ";
        out += d.code + ": " + d.message;
        if (!d.location.empty())
            out += " at " + d.location;
        else if (d.code == "MISSING_END_STATE")
            out += " at null";
    }
    return out + "'";
}

}  // namespace sluice::sfn
