#pragma once
// What the Step Functions op handlers share: ARNs of this service, names, dates, pages.
#include <optional>
#include <string>
#include <string_view>

#include "sluice/core/clock.hpp"
#include "sluice/core/ids.hpp"
#include "sluice/protocol/paging.hpp"
#include "sluice/sfn/sfn_service.hpp"

namespace sluice::sfn {

struct SfnService::ActivityWaiter {
    protocol::Reply reply;
    std::optional<Scheduler::TimerId> timer;
    std::string worker;
    std::string activity_arn;
};

namespace api {

inline protocol::Reply take_waiter_reply(SfnService::ActivityWaiter& w) {
    auto r = std::move(w.reply);
    w.reply = nullptr;
    return r;
}

// arn:aws:states:<region>:<account>:<type>:<name>[:<qualifier>]; executions carry the machine
// name then the execution name (and express ones a third part).
struct StatesArn {
    std::string partition, region, account, type, name, qualifier;
    std::string base() const {
        return "arn:" + partition + ":states:" + region + ":" + account + ":" + type + ":" + name;
    }
    static std::optional<StatesArn> parse(std::string_view text);
};

bool is_version_number(const std::string& s);
// InvalidArn as AWS words it: "Invalid ARN prefix: ..." for what is not an ARN of this
// service, "Resource type not valid in this context: <type>" for an ARN of the wrong kind.
protocol::AwsError invalid_arn(const std::string& text);
// AWS's rule for state machine, execution, activity and alias names.
bool valid_name(const std::string& name);

std::string str(const Json& params, const char* name, const std::string& fallback = {});

// One page of `count` items: maxResults 0 = 100 (at most 1000), InvalidToken for a bad nextToken.
using protocol::Page;
Page page(std::size_t count, const Json& params);

// One history event as GetExecutionHistory shows it (without input and output unless `with_data`).
Json history_event_json(const HistoryEvent& e, bool with_data);

}  // namespace api
}  // namespace sluice::sfn
