// Template tests: every tests/sfn_templates/*.json is a state machine with an input and what
// AWS would answer (status, output or error/cause, the history's event types). Each runs
// through the Step Functions service's ops on a manual clock, so Wait states, retry back-off
// and timeouts pass without sleeping.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include <catch2/catch.hpp>

#include "daemon_harness.hpp"
#include "expect_ok.hpp"

using sluice::protocol::Json;

namespace {

struct Harness : sluice::testing::DaemonHarness {
    Json ok(const std::string& op, Json params) {
        return sluice::testing::expect_ok(op, call(daemon.sfn(), op, std::move(params)));
    }
    Json sqs_ok(const std::string& op, Json params) {
        return sluice::testing::expect_ok(op, call(daemon.sqs(), op, std::move(params)));
    }
};

Json load(const std::filesystem::path& file) {
    std::ifstream in(file);
    return Json::parse(in);
}

std::vector<std::filesystem::path> template_files() {
    const std::filesystem::path dir = std::filesystem::path(SLUICE_SOURCE_DIR) / "tests" / "sfn_templates";
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.path().extension() == ".json") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 28);
    return files;
}

// Creates what the template needs (queues, the machines it starts) and its machine: the ARN.
std::string create_machine(Harness& h, const Json& t) {
    const Json queues = t.value("queues", Json::array());
    for (const auto& q : queues) h.sqs_ok("CreateQueue", {{"QueueName", q}});
    // Other machines the one under test starts (states:startExecution).
    const Json others = t.value("machines", Json::object());
    for (const auto& [name, definition] : others.items())
        h.ok("CreateStateMachine",
             {{"name", name}, {"definition", definition.dump()}, {"roleArn", "arn:aws:iam::000000000000:role/sfn"}});
    auto created = h.ok("CreateStateMachine", {{"name", t.value("machine_name", "Machine")},
                                               {"definition", t["definition"].dump()},
                                               {"roleArn", "arn:aws:iam::000000000000:role/sfn"}});
    return created["stateMachineArn"];
}

}  // namespace

TEST_CASE("state machine templates behave as AWS would", "[sfn][templates]") {
    for (const auto& file : template_files()) {
        DYNAMIC_SECTION(file.filename().string()) {
            const Json t = load(file);
            Harness h;
            const std::string machine_arn = create_machine(h, t);
            Json start = {{"stateMachineArn", machine_arn}, {"input", t["input"].dump()}};
            if (t.contains("execution_name")) start["name"] = t["execution_name"];
            const auto started_at = h.clock.now();
            auto exec = h.ok("StartExecution", start);
            h.scheduler.run_all();
            auto described = h.ok("DescribeExecution", {{"executionArn", exec["executionArn"]}});
            INFO(described.dump(2));
            CHECK(described["status"] == t["status"]);
            if (t.contains("output")) {
                REQUIRE(described.contains("output"));
                CHECK(Json::parse(described["output"].get<std::string>()) == t["output"]);
            }
            if (t.contains("error")) CHECK(described.value("error", "") == t["error"]);
            if (t.contains("cause")) CHECK(described.value("cause", "") == t["cause"]);
            if (t.contains("min_duration_ms"))
                CHECK((h.clock.now() - started_at).count() >= t["min_duration_ms"].get<long long>());
            auto history = h.ok("GetExecutionHistory", {{"executionArn", exec["executionArn"]}, {"maxResults", 1000}});
            std::vector<std::string> types, expected;
            std::vector<long long> previous;
            for (const auto& e : history["events"]) {
                types.push_back(e["type"]);
                previous.push_back(e["previousEventId"]);
            }
            if (t.contains("events")) {
                for (const auto& e : t["events"]) expected.push_back(e);
                CHECK(types == expected);
            }
            if (t.contains("previous_event_ids"))
                CHECK(previous == t["previous_event_ids"].get<std::vector<long long>>());
            // The most Map iterations in flight at once, from the history's order.
            if (t.contains("max_concurrent_iterations")) {
                long long running = 0, most = 0;
                for (const auto& type : types) {
                    if (type == "MapIterationStarted") most = std::max(most, ++running);
                    if (type == "MapIterationSucceeded" || type == "MapIterationFailed" ||
                        type == "MapIterationAborted")
                        --running;
                }
                CHECK(most == t["max_concurrent_iterations"].get<long long>());
            }
            // Whole events, by id: every member given must match.
            for (const auto& want : t.value("event_details", Json::array())) {
                const auto id = want["id"].get<std::size_t>();
                REQUIRE(id >= 1);
                REQUIRE(id <= history["events"].size());
                const Json& got = history["events"][id - 1];
                for (const auto& [key, value] : want.items()) {
                    INFO("event " << id << ", " << key);
                    CHECK(got.value(key, Json()) == value);
                }
            }
            const Json expected_messages = t.value("queue_messages", Json::object());
            for (const auto& [queue, bodies] : expected_messages.items()) {
                auto got = h.sqs_ok("ReceiveMessage", {{"QueueUrl", "http://localhost:4566/000000000000/" + queue},
                                                       {"MaxNumberOfMessages", 10}});
                std::vector<std::string> received;
                for (const auto& m : got.value("Messages", Json::array())) received.push_back(m["Body"]);
                CHECK(received == bodies.get<std::vector<std::string>>());
            }
        }
    }
}

// ---- TestState against executions: for every state an execution of a template entered, TestState
// on that state (stateName + the whole definition), with the input the history shows it entered
// with, the variables it had then and, for a Task, a mock of what the history shows the task
// returned or threw, must come to what the execution recorded: the output and the next state, or
// the error. TestState runs states through the interpreter; this keeps it that way.

namespace {

// The whole history, every page.
std::vector<Json> full_history(Harness& h, const std::string& execution_arn) {
    std::vector<Json> events;
    Json params = {{"executionArn", execution_arn}, {"maxResults", 1000}};
    while (true) {
        auto page = h.ok("GetExecutionHistory", params);
        for (auto& e : page["events"]) events.push_back(std::move(e));
        if (!page.contains("nextToken")) break;
        params["nextToken"] = page["nextToken"];
    }
    for (std::size_t i = 0; i < events.size(); ++i) REQUIRE(events[i]["id"] == i + 1);
    return events;
}

bool ends_with(const std::string& s, std::string_view suffix) {
    return s.ends_with(suffix);
}
bool ends_with(const Json& s, std::string_view suffix) {
    return s.is_string() && s.get_ref<const std::string&>().ends_with(suffix);
}

// The details member of an event, whatever its name.
Json details(const Json& event) {
    for (const auto& [key, value] : event.items())
        if (ends_with(key, "EventDetails")) return value;
    return Json::object();
}

// An error cause names the id of the event its state was entered at; TestState's history is not
// the execution's.
std::string comparable_cause(std::string cause) {
    constexpr std::string_view kAt = "entered at the event id #";
    for (auto at = cause.find(kAt); at != std::string::npos; at = cause.find(kAt, at + 1)) {
        const auto digits = at + kAt.size();
        const auto end = cause.find_first_not_of("0123456789", digits);
        cause.replace(digits, (end == std::string::npos ? cause.size() : end) - digits, "N");
    }
    return cause;
}

// A state's JSON wherever it is in the definition (branches and item processors included).
const Json* state_json(const Json& block, const std::string& name) {
    if (!block.is_object() || !block.contains("States")) return nullptr;
    const Json& states = block["States"];
    if (states.contains(name)) return &states[name];
    for (const auto& [key, s] : states.items()) {
        if (s.contains("Branches"))
            for (const auto& branch : s["Branches"])
                if (const Json* found = state_json(branch, name)) return found;
        for (const char* field : {"ItemProcessor", "Iterator"})
            if (s.contains(field))
                if (const Json* found = state_json(s[field], name)) return found;
    }
    return nullptr;
}

bool is_result(const std::string& type) {
    return type == "TaskSucceeded" || type == "TaskFailed" || type == "TaskTimedOut" || type == "ActivitySucceeded" ||
           type == "ActivityFailed" || type == "ActivityTimedOut";
}

// What a Task's attempt returned (its output) or threw, as TestState's mock.
Json mock_of(const Json& result_event) {
    const Json d = details(result_event);
    if (ends_with(result_event["type"], "Succeeded")) return {{"result", d.value("output", "null")}};
    return {{"errorOutput", {{"error", d.value("error", "")}, {"cause", d.value("cause", "")}}}};
}

struct Differential {
    Differential(Harness& harness, const Json& machine_definition, std::vector<Json> history, Json described)
        : h(harness), definition(machine_definition), events(std::move(history)), execution(std::move(described)) {}

    Harness& h;
    const Json& definition;
    std::vector<Json> events;
    Json execution;                                          // DescribeExecution
    std::map<long long, long long> exit_of;                  // Entered id -> Exited id
    std::map<long long, std::vector<long long>> results_of;  // Entered id -> the task's result events
    std::map<long long, Json> variables_after;               // Entered id -> variables after the state
    std::map<long long, Json> variables_at;                  // Entered id -> variables it entered with
    std::set<std::string> seen;                              // states checked with the same input and variables
    int checked = 0;

    const Json& at(long long id) const { return events.at(static_cast<std::size_t>(id - 1)); }
    static bool entered(const Json& e) { return ends_with(e["type"], "StateEntered"); }

    // Walks back along previousEventId to the state entry the event belongs to.
    static long long id_of(const Json& e) { return e["id"].get<long long>(); }
    static long long previous_of(const Json& e) { return e["previousEventId"].get<long long>(); }
    static std::string name_of(const Json& e) { return details(e).value("name", ""); }

    long long entry_of(long long id, const std::string& name = {}) const {
        for (id = previous_of(at(id)); id > 0; id = previous_of(at(id)))
            if (entered(at(id)) && (name.empty() || name_of(at(id)) == name)) return id;
        return 0;
    }

    void index() {
        for (const auto& e : events) {
            const std::string type = e["type"];
            if (ends_with(type, "StateExited")) exit_of[entry_of(id_of(e), name_of(e))] = id_of(e);
            if (is_result(type)) results_of[entry_of(id_of(e))].push_back(id_of(e));
        }
    }

    // The variables a state entered with: what the state before it in its run left, or what the
    // Map or Parallel around it had when it started its iterations or branches.
    std::optional<Json> entry_variables(const Json& e) const {
        const long long previous = previous_of(e);
        if (previous == 0 || at(previous)["type"] == "ExecutionStarted") return Json::object();
        const Json& p = at(previous);
        const std::string type = p["type"];
        auto found = [](const auto& map, long long id) -> std::optional<Json> {
            auto it = map.find(id);
            return it == map.end() ? std::nullopt : std::optional<Json>(it->second);
        };
        if (ends_with(type, "StateExited")) return found(variables_after, entry_of(previous, name_of(p)));
        const char* outer = type == "MapIterationStarted"    ? "MapStateEntered"
                            : type == "ParallelStateStarted" ? "ParallelStateEntered"
                                                             : nullptr;
        if (!outer) return std::nullopt;
        for (long long id = previous - 1; id > 0; --id)
            if (at(id)["type"] == outer && (type != "MapIterationStarted" || name_of(at(id)) == name_of(p)))
                return found(variables_at, id);
        return std::nullopt;
    }

    Json state_context(const std::string& name, int retried) const {
        Json state = {{"Name", name}};
        const Json* found = state_json(definition, name);
        const std::string type = found ? (*found)["Type"].get<std::string>() : "";
        if (type == "Task" || type == "Parallel" || type == "Map") state["RetryCount"] = retried;
        return state;
    }

    Json test_state(const std::string& name, const std::string& input, const Json& variables, const Json& mock,
                    int retried) {
        Json params = {
            {"definition", definition.dump()},
            {"stateName", name},
            {"input", input},
            {"variables", variables.dump()},
            {"roleArn", "arn:aws:iam::000000000000:role/sfn"},
            {"inspectionLevel", "DEBUG"},
            {"stateConfiguration", {{"retrierRetryCount", retried}}},
            {"context", Json{{"Execution",
                              {{"Id", execution["executionArn"]},
                               {"Name", execution["name"]},
                               {"Input", Json::parse(execution["input"].get<std::string>())},
                               {"RoleArn", "arn:aws:iam::000000000000:role/sfn"}}},
                             {"StateMachine",
                              {{"Id", execution["stateMachineArn"]},
                               {"Name", execution["stateMachineArn"].get<std::string>().substr(
                                            execution["stateMachineArn"].get<std::string>().rfind(':') + 1)}}},
                             // A given context is the whole of $$: the state's part too (RetryCount for
                             // the types that retry; EnteredTime differs anyway and is left out).
                             {"State", state_context(name, retried)}}
                            .dump()}};
        if (!mock.is_null()) params["mock"] = mock;
        return h.ok("TestState", params);
    }

    void check_entry(const Json& e) {
        const long long id = id_of(e);
        const Json d = details(e);
        const std::string name = d.value("name", ""), input = d.value("input", "");
        const Json* state = state_json(definition, name);
        REQUIRE(state);
        const std::string type = (*state)["Type"];
        const std::string text = state->dump();
        // What TestState cannot be given: the item of a Map iteration, and times.
        if ((type != "Map" && text.find("$$.Map") != std::string::npos) || text.find("Time") != std::string::npos)
            return;
        auto variables = entry_variables(e);
        if (!variables) return;  // the state before it was not checked
        variables_at[id] = *variables;

        const auto exit = exit_of.find(id);
        const bool exited = exit != exit_of.end();
        const auto& results = results_of[id];
        // The state's mock: the task's last attempt; for a Map or Parallel, what its iterations or
        // branches returned (only where the history shows it).
        Json mock;
        if (type == "Task") {
            if (!results.empty())
                mock = mock_of(at(results.back()));
            else if (exited)
                return;
            else
                mock = {{"result", "{}"}};  // failed before its call went out: the mock is never read
        } else if (type == "Map" || type == "Parallel") {
            if (!exited) return;
            auto result = fanout_result(id, exit->second, type, *state);
            if (!result) return;
            mock = {{"result", result->dump()}};
        }
        const std::string key =
            name + "\n" + input + "\n" + variables->dump() + "\n" + mock.dump() + std::to_string(results.size());
        if (!seen.insert(key).second) return;
        INFO("state " << name << " entered at event " << id << " with " << input << ", variables " << variables->dump()
                      << ", mock " << mock.dump());

        // Attempts the execution retried: TestState must call them retriable.
        for (std::size_t k = 0; k + 1 < results.size(); ++k) {
            if (ends_with(at(results[k])["type"], "Succeeded")) continue;
            auto r = test_state(name, input, *variables, mock_of(at(results[k])), static_cast<int>(k));
            INFO("attempt " << k << ": " << r.dump());
            CHECK(r["status"] == "RETRIABLE");
            CHECK(r.value("error", "") == details(at(results[k])).value("error", ""));
            ++checked;
        }
        const int retried = results.empty() ? 0 : static_cast<int>(results.size() - 1);
        auto r = test_state(name, input, *variables, mock, retried);
        INFO("TestState: " << r.dump());
        ++checked;
        if (exited) {
            const Json x = at(exit->second);
            std::string next;
            for (std::size_t i = static_cast<std::size_t>(exit->second); i < events.size(); ++i)
                if (previous_of(events[i]) == id_of(x) && entered(events[i])) next = name_of(events[i]);
            // A caught error's cause names an event id too.
            CHECK(comparable_cause(Json::parse(r.value("output", "null")).dump()) ==
                  comparable_cause(Json::parse(details(x)["output"].get<std::string>()).dump()));
            CHECK(r.value("nextState", "") == next);
            const bool task_failed = !results.empty() && !ends_with(at(results.back())["type"], "Succeeded");
            if (task_failed) {
                CHECK(r["status"] == "CAUGHT_ERROR");
                CHECK(r.value("error", "") == details(at(results.back())).value("error", ""));
                CHECK(r.value("cause", "") == details(at(results.back())).value("cause", ""));
            } else {
                CHECK((r["status"] == "SUCCEEDED" || r["status"] == "CAUGHT_ERROR"));
            }
            Json after = Json::object();
            if (r.contains("inspectionData") && r["inspectionData"].contains("variables"))
                after = Json::parse(r["inspectionData"]["variables"].get<std::string>());
            variables_after[id] = after;
            return;
        }
        // The state did not finish. The ones the execution recorded failing: a Task whose last
        // attempt failed, and the state an execution that failed was last in.
        const bool last =
            std::none_of(events.begin() + id, events.end(), [](const Json& later) { return entered(later); });
        const std::string cause = execution.value("cause", "");
        if (type == "Task" && !results.empty()) {
            CHECK((r["status"] == "FAILED" || r["status"] == "RETRIABLE"));
            CHECK(r.value("error", "") == details(at(results.back())).value("error", ""));
            CHECK(r.value("cause", "") == details(at(results.back())).value("cause", ""));
        } else if (last && execution["status"] == "FAILED" &&
                   cause.find("maximum number of history events") == std::string::npos) {
            CHECK((r["status"] == "FAILED" || r["status"] == "RETRIABLE"));
            // A state's own error is the execution's when nothing around it (a Map's tolerance) changed it.
            if (definition["States"].contains(name)) {
                CHECK(r.value("error", "") == execution.value("error", ""));
                CHECK(comparable_cause(r.value("cause", "")) == comparable_cause(cause));
            }
        } else {
            --checked;  // cut short (a timeout, an aborted sibling, the history limit): nothing to compare
        }
    }

    // A Map's or Parallel's result as its last attempt's iterations or branches returned it: each
    // iteration's (branch's) last output, in order.
    std::optional<Json> fanout_result(long long entry, long long exit, const std::string& type,
                                      const Json& state) const {
        long long started = 0;
        for (long long id = exit - 1; id > entry && !started; --id)
            if (at(id)["type"] == type + "StateStarted") started = id;
        if (!started) return std::nullopt;
        Json out = Json::array();
        if (type == "Map") {
            const std::size_t length = details(at(started)).value("length", 0);
            std::vector<std::optional<Json>> items(length);
            for (long long id = started + 1; id < exit; ++id) {
                const Json& e = at(id);
                if (e["type"] == "MapIterationFailed")
                    return std::nullopt;  // tolerated: its result is not in the history
                if (e["type"] != "MapIterationSucceeded" || name_of(e) != name_of(at(entry))) continue;
                const auto index = details(e)["index"].get<std::size_t>();
                items.at(index) = Json::parse(details(at(previous_of(e)))["output"].get<std::string>());
            }
            for (auto& item : items) {
                if (!item) return std::nullopt;
                out.push_back(std::move(*item));
            }
            return out;
        }
        // Parallel: a branch's result is the output of the last state of that branch to end its run.
        for (const auto& branch : state["Branches"]) {
            std::optional<Json> result;
            for (long long id = started + 1; id < exit; ++id) {
                const Json& e = at(id);
                if (!ends_with(e["type"], "StateExited")) continue;
                const std::string name = name_of(e);
                if (!branch["States"].contains(name)) continue;
                const Json& s = branch["States"][name];
                if (s.value("End", false) || s["Type"] == "Succeed")
                    result = Json::parse(details(e)["output"].get<std::string>());
            }
            if (!result) return std::nullopt;
            out.push_back(std::move(*result));
        }
        return out;
    }
};

}  // namespace

TEST_CASE("TestState comes to what executions of the templates recorded, state by state",
          "[sfn][templates][test_state]") {
    int checked = 0;
    for (const auto& file : template_files()) {
        {
            INFO("template " << file.filename().string());
            const Json t = load(file);
            Harness h;
            const std::string machine_arn = create_machine(h, t);
            Json start = {{"stateMachineArn", machine_arn}, {"input", t["input"].dump()}};
            if (t.contains("execution_name")) start["name"] = t["execution_name"];
            auto exec = h.ok("StartExecution", start);
            h.scheduler.run_all();
            Differential d{h, t["definition"], full_history(h, exec["executionArn"]),
                           h.ok("DescribeExecution", {{"executionArn", exec["executionArn"]}})};
            d.index();
            for (const auto& e : d.events)
                if (Differential::entered(e)) d.check_entry(e);
            checked += d.checked;
        }
    }
    // Most states of most templates are compared; a change that skipped them all would show here.
    CHECK(checked >= 60);
}
