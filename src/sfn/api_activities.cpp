// Activities: workers poll GetActivityTask (a long poll of up to 60 s that wakes the moment a
// Task state schedules work) and answer with the task token.
#include "api_support.hpp"

namespace sluice::sfn {

namespace {
constexpr core::Millis kActivityPoll{60'000};
}

Json SfnService::create_activity(const Call& call) {
    const auto name = api::str(call.params, "name");
    if (!api::valid_name(name)) throw error("InvalidName", "Invalid Name: '" + name + "'");
    const auto arn =
        "arn:aws:states:" + call.context.scope.region + ":" + call.context.scope.account + ":activity:" + name;
    if (auto it = activities_.find(arn); it != activities_.end())
        return {{"activityArn", arn}, {"creationDate", core::epoch_seconds_fraction(it->second->created)}};
    auto activity = std::make_shared<Activity>();
    activity->scope = call.context.scope;
    activity->arn = arn;
    activity->name = name;
    activity->created = clock_.now();
    for (const auto& tag : call.params.value("tags", Json::array()))
        activity->tags[tag.value("key", "")] = tag.value("value", "");
    activities_[arn] = activity;
    return {{"activityArn", arn}, {"creationDate", core::epoch_seconds_fraction(activity->created)}};
}

Json SfnService::describe_activity(const Call& call) {
    const auto arn = api::str(call.params, "activityArn");
    auto activity = activity_by_arn(arn);
    if (!activity) throw error("ActivityDoesNotExist", "Activity Does Not Exist: '" + arn + "'");
    return {{"activityArn", activity->arn},
            {"name", activity->name},
            {"creationDate", core::epoch_seconds_fraction(activity->created)},
            {"encryptionConfiguration", {{"type", "AWS_OWNED_KEY"}}}};
}

Json SfnService::delete_activity(const Call& call) {
    const auto arn = api::str(call.params, "activityArn");
    activity_by_arn(arn);  // checks the ARN
    activities_.erase(arn);
    return Json::object();
}

Json SfnService::list_activities(const Call& call) {
    std::vector<std::shared_ptr<Activity>> mine;
    for (const auto& [arn, a] : activities_)
        if (a->scope == call.context.scope) mine.push_back(a);
    auto pg = api::page(mine.size(), call.params);
    Json items = Json::array();
    for (std::size_t i = pg.begin; i < pg.end; ++i)
        items.push_back({{"activityArn", mine[i]->arn},
                         {"name", mine[i]->name},
                         {"creationDate", core::epoch_seconds_fraction(mine[i]->created)}});
    Json out = {{"activities", items}};
    if (pg.next_token) out["nextToken"] = *pg.next_token;
    return out;
}

void SfnService::get_activity_task(const Call& call, protocol::Reply reply) {
    lock_.run([&] { get_activity_task_locked(call, std::move(reply)); });
}

void SfnService::get_activity_task_locked(const Call& call, protocol::Reply reply) {
    const auto arn = api::str(call.params, "activityArn");
    auto activity = activity_by_arn(arn);
    if (!activity) throw error("ActivityDoesNotExist", "Activity Does Not Exist: '" + arn + "'");
    const auto worker = api::str(call.params, "workerName");
    if (!activity->pending.empty() && !stopping_) {
        auto task = std::move(activity->pending.front());
        activity->pending.pop_front();
        activity_of_token_.erase(task.token);
        interpreter_.activity_started(task.token, worker);
        return lock_.defer([reply, task] { reply(Json{{"taskToken", task.token}, {"input", task.input}}); });
    }
    // Park until a task is scheduled or a minute passes (then AWS answers with no token).
    auto waiter = std::make_shared<ActivityWaiter>();
    waiter->reply = std::move(reply);
    waiter->worker = worker;
    waiter->activity_arn = arn;
    activity_waiters_[arn].push_back(waiter);
    std::weak_ptr<ActivityWaiter> weak = waiter;
    waiter->timer = scheduler_.after(clock_.scaled(kActivityPoll), [this, weak, arn] {
        lock_.run([&] {
            auto w = weak.lock();
            if (!w || !w->reply) return;
            lock_.defer([r = api::take_waiter_reply(*w)] { r(Json::object()); });
            activity_waiters_[arn].remove(w);
        });
    });
}

void SfnService::schedule(const std::string& activity_arn, const std::string& token, const std::string& input) {
    // Called by the interpreter under the lock.
    auto waiters = activity_waiters_.find(activity_arn);
    if (waiters != activity_waiters_.end() && !waiters->second.empty()) {
        auto w = waiters->second.front();
        waiters->second.pop_front();
        if (w->timer) scheduler_.cancel(*w->timer);
        auto reply = api::take_waiter_reply(*w);
        interpreter_.activity_started(token, w->worker);
        lock_.defer([reply, token, input] { reply(Json{{"taskToken", token}, {"input", input}}); });
        return;
    }
    auto activity = activities_.find(activity_arn);
    if (activity == activities_.end()) {
        // The activity is gone: the task can never be taken. AWS leaves it to time out.
        return;
    }
    activity->second->pending.push_back({token, input});
    activity_of_token_[token] = activity_arn;
}

void SfnService::withdraw(const std::string& token) {
    auto it = activity_of_token_.find(token);
    if (it == activity_of_token_.end()) return;
    if (auto a = activities_.find(it->second); a != activities_.end()) {
        auto& pending = a->second->pending;
        for (auto p = pending.begin(); p != pending.end(); ++p)
            if (p->token == token) {
                pending.erase(p);
                break;
            }
    }
    activity_of_token_.erase(it);
}

}  // namespace sluice::sfn
