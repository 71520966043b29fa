// What /_sluice/stepfunctions shows of the service's state (docs/console.md): every state
// machine of every account and region with its definition, and an execution with its whole
// history, read under the service's lock without changing anything.
#include "api_support.hpp"

namespace sluice::sfn {

Json SfnService::introspect() const {
    return lock_.run([&] {
        std::size_t running = 0, events = 0;
        for (const auto& [arn, e] : executions_) {
            if (e->running()) ++running;
            events += e->history.size();
        }
        return Json{{"state_machines", machines_.size()},
                    {"executions", executions_.size()},
                    {"running", running},
                    {"historyEvents", events},
                    {"activities", activities_.size()},
                    {"timers", scheduler_.pending_timers()}};
    });
}

namespace {

Json execution_summary(const Execution& e) {
    Json j = {{"executionArn", e.arn},
              {"name", e.name},
              {"status", e.status},
              {"startDate", core::epoch_seconds_fraction(e.start_date)},
              {"historyEvents", e.history.size()}};
    if (e.stop_date) j["stopDate"] = core::epoch_seconds_fraction(*e.stop_date);
    return j;
}

}  // namespace

std::optional<Json> SfnService::introspect_path(std::string_view path) const {
    return lock_.run([&]() -> std::optional<Json> {
        auto machine_json = [&](const StateMachine& m) {
            std::size_t count = 0, running = 0;
            if (auto it = executions_by_machine_.find(m.arn); it != executions_by_machine_.end())
                for (const auto& e : it->second) {
                    ++count;
                    if (e->running()) ++running;
                }
            return Json{{"stateMachineArn", m.arn},
                        {"name", m.name},
                        {"type", m.type},
                        {"account", m.scope.account},
                        {"region", m.scope.region},
                        {"creationDate", core::epoch_seconds_fraction(m.created)},
                        {"definition", m.latest->definition_text},
                        {"executions", count},
                        {"running", running}};
        };
        if (path == "state-machines") {
            Json list = Json::array();
            for (const auto& [arn, m] : machines_) list.push_back(machine_json(*m));
            return Json{{"stateMachines", std::move(list)}};
        }
        if (path.starts_with("state-machines/")) {
            auto it = machines_.find(std::string(path.substr(15)));
            if (it == machines_.end()) return std::nullopt;
            Json out = machine_json(*it->second);
            Json list = Json::array();
            if (auto ex = executions_by_machine_.find(it->first); ex != executions_by_machine_.end())
                for (auto e = ex->second.rbegin(); e != ex->second.rend(); ++e) list.push_back(execution_summary(**e));
            out["executionList"] = std::move(list);  // newest first
            return out;
        }
        if (path.starts_with("executions/")) {
            auto it = executions_.find(std::string(path.substr(11)));
            if (it == executions_.end()) return std::nullopt;
            const auto& e = *it->second;
            Json out = describe_execution_json(e, true);
            out["definition"] = e.machine->definition_text;
            Json events = Json::array();
            for (const auto& event : e.history) events.push_back(api::history_event_json(event, true));
            out["events"] = std::move(events);
            return out;
        }
        return std::nullopt;
    });
}

}  // namespace sluice::sfn
