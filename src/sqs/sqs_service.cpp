#include "sluice/sqs/sqs_service.hpp"

#include <spdlog/spdlog.h>

#include "sluice/core/arn.hpp"
#include "sluice/protocol/internal_operations.hpp"
#include "sluice/sqs/errors.hpp"
#include "params.hpp"

namespace sluice::sqs {

SqsService::SqsService(core::Scheduler& scheduler) : scheduler_(scheduler), clock_(scheduler.clock()) {
    lock_.before_release([this] { wake_deferred(); });
}

SqsService::~SqsService() = default;

const protocol::Model& SqsService::model() const { return sqs::model(); }

// Every operation of the SQS model, once, and the internal one the Pipes poller uses.
// ReceiveMessage may answer later. The sends take the lock themselves: checking and hashing a
// message needs no queue state, so they hold it only to look the queue up and to enqueue, and
// two threads sending to one queue rarely wait for each other.
const protocol::OperationTable<SqsService>& SqsService::operations() {
    using Table = protocol::OperationTable<SqsService>;
    static const Table table = {
        {"AddPermission", &SqsService::add_permission},
        {"CancelMessageMoveTask", &SqsService::cancel_message_move_task},
        {"ChangeMessageVisibility", &SqsService::change_message_visibility},
        {"ChangeMessageVisibilityBatch", &SqsService::change_message_visibility_batch},
        {"CreateQueue", &SqsService::create_queue},
        {"DeleteMessage", &SqsService::delete_message},
        {"DeleteMessageBatch", &SqsService::delete_message_batch},
        {"DeleteQueue", &SqsService::delete_queue},
        {"GetQueueAttributes", &SqsService::get_queue_attributes},
        {"GetQueueUrl", &SqsService::get_queue_url},
        {"ListDeadLetterSourceQueues", &SqsService::list_dead_letter_source_queues},
        {"ListMessageMoveTasks", &SqsService::list_message_move_tasks},
        {"ListQueueTags", &SqsService::list_queue_tags},
        {"ListQueues", &SqsService::list_queues},
        {"PurgeQueue", &SqsService::purge_queue},
        {"ReceiveMessage", &SqsService::receive_message},
        {"RemovePermission", &SqsService::remove_permission},
        {"SendMessage", &SqsService::send_message, Table::Locking::Own},
        {"SendMessageBatch", &SqsService::send_message_batch, Table::Locking::Own},
        {"SetQueueAttributes", &SqsService::set_queue_attributes},
        {"StartMessageMoveTask", &SqsService::start_message_move_task},
        {"TagQueue", &SqsService::tag_queue},
        {"UntagQueue", &SqsService::untag_queue},
        {protocol::internal::kReleaseReceives, &SqsService::release_owned},
    };
    return table;
}

// SQS checks its input by hand, in the words both of its protocols use (AWS.SimpleQueueService
// codes); a member of the wrong type is an invalid value.
const protocol::InvokeRules& SqsService::invoke_rules() {
    static const protocol::InvokeRules rules = {
        .check_constraints = false,
        .type_error = [](const std::string& what) {
            return protocol::common_errors::invalid_parameter_value("Invalid parameter: " + what);
        },
    };
    return rules;
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
        // Not woken here: we are inside another queue's receive. wake_deferred() does it after.
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
    lock_.run([&] {
        stopping_ = true;
        std::vector<std::uint64_t> uids;
        for (const auto& [uid, list] : waiters_) uids.push_back(uid);
        for (auto uid : uids) release_waiters(uid);
        for (auto& task : move_tasks_)
            if (task->timer) scheduler_.cancel(*std::exchange(task->timer, std::nullopt));
    });
}

Json SqsService::introspect() const {
    return lock_.run([&] {
    Json queues = Json::array();
    for (const auto& [scope, set] : queues_)
        for (const auto& [name, q] : set)
            queues.push_back({{"name", name}, {"account", scope.account}, {"region", scope.region}, {"arn", q->arn()}});
    std::size_t parked = 0;
    for (const auto& [uid, list] : waiters_) parked += list.size();
    return Json{{"queues", queues}, {"long_polls", parked}, {"move_tasks", move_tasks_.size()}};
    });
}

}  // namespace sluice::sqs
