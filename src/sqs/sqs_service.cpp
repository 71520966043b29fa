#include "sluice/sqs/sqs_service.hpp"

#include <spdlog/spdlog.h>

#include "sluice/core/arn.hpp"
#include "sluice/sqs/errors.hpp"
#include "params.hpp"

namespace sluice::sqs {

SqsService::SqsService(boost::asio::io_context& io, const core::Clock& clock) : io_(io), clock_(clock) {}

SqsService::~SqsService() = default;

const protocol::Model& SqsService::model() const { return sqs::model(); }

// Every operation of the SQS model, once. ReceiveMessage is the one that may answer later.
const std::map<std::string, SqsService::Operation, std::less<>>& SqsService::operations() {
    static const std::map<std::string, Operation, std::less<>> table = {
        {"AddPermission", {&SqsService::add_permission}},
        {kReleaseReceives, {&SqsService::release_owned}},
        {"CancelMessageMoveTask", {&SqsService::cancel_message_move_task}},
        {"ChangeMessageVisibility", {&SqsService::change_message_visibility}},
        {"ChangeMessageVisibilityBatch", {&SqsService::change_message_visibility_batch}},
        {"CreateQueue", {&SqsService::create_queue}},
        {"DeleteMessage", {&SqsService::delete_message}},
        {"DeleteMessageBatch", {&SqsService::delete_message_batch}},
        {"DeleteQueue", {&SqsService::delete_queue}},
        {"GetQueueAttributes", {&SqsService::get_queue_attributes}},
        {"GetQueueUrl", {&SqsService::get_queue_url}},
        {"ListDeadLetterSourceQueues", {&SqsService::list_dead_letter_source_queues}},
        {"ListMessageMoveTasks", {&SqsService::list_message_move_tasks}},
        {"ListQueueTags", {&SqsService::list_queue_tags}},
        {"ListQueues", {&SqsService::list_queues}},
        {"PurgeQueue", {&SqsService::purge_queue}},
        {"RemovePermission", {&SqsService::remove_permission}},
        {"SendMessage", {&SqsService::send_message, /*takes_lock=*/true}},
        {"SendMessageBatch", {&SqsService::send_message_batch, /*takes_lock=*/true}},
        {"SetQueueAttributes", {&SqsService::set_queue_attributes}},
        {"StartMessageMoveTask", {&SqsService::start_message_move_task}},
        {"TagQueue", {&SqsService::tag_queue}},
        {"UntagQueue", {&SqsService::untag_queue}},
    };
    return table;
}

void SqsService::invoke(Call call, protocol::Reply reply) {
    if (call.operation == "ReceiveMessage") return receive_message(call, std::move(reply));
    auto it = operations().find(call.operation);
    if (it == operations().end()) return reply(protocol::common_errors::invalid_action(call.operation));
    const Operation& op = it->second;
    if (op.takes_lock) return reply((this->*op.handler)(call));
    reply(locked([&] { return (this->*op.handler)(call); }));
}

SqsService::QueueAddress SqsService::address_of(const Call& call) {
    const Json* given = call.params.is_object() ? params::find(call.params, "QueueUrl") : nullptr;
    std::string_view url = given && given->is_string() ? std::string_view(given->get_ref<const std::string&>())
                                                       : std::string_view(call.context.path);  // the query protocol may post to the queue's URL
    if (url.empty()) throw protocol::common_errors::missing_parameter("QueueUrl");
    // Any host will do (http://localhost:4566/000000000000/name, https://sqs.us-east-1.amazonaws.com/...):
    // the queue is named by the path's last two segments, account and name.
    std::string_view path = url;
    if (auto scheme = url.find("://"); scheme != std::string_view::npos) {
        auto slash = url.find('/', scheme + 3);
        path = slash == std::string_view::npos ? std::string_view() : url.substr(slash);
    }
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    auto slash = path.rfind('/');
    if (slash == std::string_view::npos || slash == 0) throw queue_does_not_exist();
    const auto before = path.substr(0, slash);
    return {core::Scope{std::string(before.substr(before.rfind('/') + 1)), call.context.scope.region},
            std::string(path.substr(slash + 1))};
}

std::shared_ptr<Queue> SqsService::queue_at(const QueueAddress& address) const {
    auto set = queues_.find(address.scope);
    if (set == queues_.end()) throw queue_does_not_exist();
    auto q = set->second.find(address.name);
    if (q == set->second.end()) throw queue_does_not_exist();
    return q->second;
}

std::shared_ptr<Queue> SqsService::queue_by_arn(const std::string& arn_text) const {
    auto arn = core::Arn::parse(arn_text);
    if (!arn || arn->service != "sqs") return nullptr;
    auto set = queues_.find(core::Scope{arn->account, arn->region});
    if (set == queues_.end()) return nullptr;
    auto q = set->second.find(arn->resource);
    return q == set->second.end() ? nullptr : q->second;
}

std::string SqsService::queue_url(const Call& call, const Queue& queue) const {
    const std::string host = call.context.host.empty() ? "localhost:4566" : call.context.host;
    return "http://" + host + "/" + queue.scope().account + "/" + queue.name();
}

std::uint32_t SqsService::sender_of(const Call& call) {
    const std::string& id = call.context.scope.account;
    auto [it, inserted] = sender_index_.try_emplace(id, static_cast<std::uint32_t>(senders_.size()));
    if (inserted) senders_.push_back(id);
    return it->second;
}

DeadLetterSink SqsService::dead_letter_sink(const Queue& source) {
    if (!source.config().redrive) return {};
    auto dlq = queue_by_arn(source.config().redrive->dead_letter_target_arn);
    if (!dlq) return {};
    return [this, dlq](Message&& m) {
        dlq->accept(std::move(m), clock_.now());
        // Not woken here: we are inside another queue's receive. take_woken() does it after.
        deferred_wakes_.push_back(dlq);
        return true;
    };
}

void SqsService::check_redrive_target(const Queue* self, const QueueConfig& config) const {
    if (!config.redrive) return;
    auto invalid = [&](const std::string& reason) {
        return invalid_parameter_value("Value " + *config.redrive_policy +
                                       " for parameter RedrivePolicy is invalid. Reason: " + reason);
    };
    auto dlq = queue_by_arn(config.redrive->dead_letter_target_arn);
    if (!dlq) throw invalid("Dead letter target does not exist.");
    if (self && dlq.get() == self) throw invalid("Dead letter target can't be the queue itself.");
    if (dlq->fifo() != config.fifo) throw invalid("Dead-letter queue must be same type of queue as the source.");
}

void SqsService::shutdown() {
    std::vector<Completion> done;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        std::vector<std::uint64_t> uids;
        for (const auto& [uid, list] : waiters_) uids.push_back(uid);
        for (auto uid : uids) release_waiters(uid);
        for (auto& task : move_tasks_)
            if (task->timer) task->timer->cancel();
        done = take_woken();
    }
    for (auto& c : done) c.reply(std::move(c.result));
}

Json SqsService::introspect() const {
    std::lock_guard lock(mutex_);
    Json queues = Json::array();
    for (const auto& [scope, set] : queues_)
        for (const auto& [name, q] : set)
            queues.push_back({{"name", name}, {"account", scope.account}, {"region", scope.region}, {"arn", q->arn()}});
    std::size_t parked = 0;
    for (const auto& [uid, list] : waiters_) parked += list.size();
    return {{"queues", queues}, {"long_polls", parked}, {"move_tasks", move_tasks_.size()}};
}

}  // namespace sluice::sqs
