#include "sluice/sqs/sqs_service.hpp"

#include <map>

#include <spdlog/spdlog.h>

#include "params.hpp"
#include "sluice/core/arn.hpp"
#include "sluice/core/encoding.hpp"
#include "sluice/protocol/internal_operations.hpp"
#include "sluice/sqs/errors.hpp"

namespace sluice::sqs {

SqsService::SqsService(core::Scheduler& scheduler) : scheduler_(scheduler), clock_(scheduler.clock()) {
    lock_.before_release([this] { wake_deferred(); });
}

SqsService::~SqsService() = default;

const protocol::Model& SqsService::model() const {
    return sqs::model();
}

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
        .type_error =
            [](const std::string& what) {
                return protocol::common_errors::invalid_parameter_value("Invalid parameter: " + what);
            },
    };
    return rules;
}

SqsService::QueueAddress SqsService::address_of(const Call& call) {
    const Json* given = call.params.is_object() ? params::find(call.params, "QueueUrl") : nullptr;
    std::string_view url = given && given->is_string()
                               ? std::string_view(given->get_ref<const std::string&>())
                               : std::string_view(call.context.path);  // the query protocol may post to the queue's URL
    if (url.empty()) throw protocol::common_errors::missing_parameter("QueueUrl");
    // A bare queue name names that queue in the caller's own account and region: AWS accepts
    // QueueUrl "my-queue" in both protocols (LocalStack test_sqs.py test_posting_to_queue_via_queue_name
    // and test_marker_serialization_json_protocol, recorded on AWS).
    if (url.find('/') == std::string_view::npos) return {call.context.scope, std::string(url)};
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

void SqsService::reset() {
    lock_.run([&] {
        std::vector<std::uint64_t> uids;
        for (const auto& [uid, list] : waiters_) uids.push_back(uid);
        for (auto uid : uids) release_waiters(uid);  // answered, empty, once the lock is released
        for (auto& task : move_tasks_)
            if (task->timer) scheduler_.cancel(*std::exchange(task->timer, std::nullopt));
        move_tasks_.clear();
        deferred_wakes_.clear();
        queues_.clear();
        recently_deleted_.clear();
    });
}

std::optional<Json> SqsService::introspect_path(std::string_view path) const {
    // queues/<account>/<region>/<name>/messages, or queues/<name>/messages: the first queue of that
    // name in (account, region) order (the answer says which).
    std::vector<std::string> parts;
    for (std::size_t start = 0;;) {
        auto slash = path.find('/', start);
        parts.emplace_back(
            path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    if (parts.size() != 3 && parts.size() != 5) return std::nullopt;
    if (parts.front() != "queues" || parts.back() != "messages") return std::nullopt;
    const std::string& name = parts[parts.size() - 2];
    return lock_.run([&]() -> std::optional<Json> {
        std::shared_ptr<Queue> queue;
        for (const auto& [scope, set] : queues_) {
            if (parts.size() == 5 && (scope.account != parts[1] || scope.region != parts[2])) continue;
            if (auto it = set.find(name); it != set.end()) {
                queue = it->second;
                break;
            }
        }
        if (!queue) return std::nullopt;
        const auto now = clock_.now();
        Json messages = Json::array();
        static const char* const states[] = {"delayed", "visible", "inflight"};
        for (const auto& [m, state] : queue->peek(now)) {
            Json j = {{"messageId", core::to_string(m->id)},    {"body", m->body},
                      {"md5OfBody", core::to_hex(m->body_md5)}, {"state", states[static_cast<int>(state)]},
                      {"receiveCount", m->receive_count},       {"sentTimestamp", core::epoch_millis(m->sent)},
                      {"senderId", sender_name(m->sender)}};
            if (m->receive_count > 0) j["firstReceiveTimestamp"] = core::epoch_millis(m->first_received);
            // When a delayed or in-flight message becomes visible again (the clock's time).
            if (state != Message::State::Visible) j["visibleAt"] = core::epoch_millis(m->visible_at);
            if (m->extras) {
                const auto& x = *m->extras;
                Json attributes = Json::object();
                for (const auto& [n, v] : x.attributes)
                    attributes[n] = v.is_binary()
                                        ? Json{{"DataType", v.data_type}, {"BinaryValue", core::base64_encode(v.value)}}
                                        : Json{{"DataType", v.data_type}, {"StringValue", v.value}};
                if (!attributes.empty()) j["messageAttributes"] = std::move(attributes);
                if (!x.group_id.empty()) j["messageGroupId"] = x.group_id;
                if (!x.deduplication_id.empty()) j["messageDeduplicationId"] = x.deduplication_id;
                if (x.sequence_number) j["sequenceNumber"] = std::to_string(x.sequence_number);
                if (!x.dead_letter_source_arn.empty()) j["deadLetterQueueSourceArn"] = x.dead_letter_source_arn;
                if (auto t = x.system_attributes.find("AWSTraceHeader"); t != x.system_attributes.end())
                    j["awsTraceHeader"] = t->second.value;
            }
            messages.push_back(std::move(j));
        }
        const auto counts = [&] {
            QueueCounts c;
            for (const auto& m : messages) {
                const auto s = m["state"].get_ref<const std::string&>();
                (s == "visible" ? c.visible : s == "inflight" ? c.in_flight : c.delayed)++;
            }
            return c;
        }();
        return Json{{"queue", queue->name()},    {"account", queue->scope().account}, {"region", queue->scope().region},
                    {"arn", queue->arn()},       {"visible", counts.visible},         {"inFlight", counts.in_flight},
                    {"delayed", counts.delayed}, {"messages", std::move(messages)}};
    });
}

Json SqsService::introspect() const {
    return lock_.run([&] {
        const auto now = clock_.now();
        Json queues = Json::array();
        std::map<std::string, Json> sources;  // dead-letter queue ARN -> the queues that send to it
        for (const auto& [scope, set] : queues_)
            for (const auto& [name, q] : set) {
                const auto counts = q->counts(now);
                Json j = {{"name", name},
                          {"account", scope.account},
                          {"region", scope.region},
                          {"arn", q->arn()},
                          {"fifo", q->fifo()},
                          {"visible", counts.visible},
                          {"inFlight", counts.in_flight},
                          {"delayed", counts.delayed},
                          {"visibilityTimeout", q->config().visibility_timeout}};
                if (const auto& r = q->config().redrive) {
                    j["deadLetterTargetArn"] = r->dead_letter_target_arn;
                    j["maxReceiveCount"] = r->max_receive_count;
                    sources[r->dead_letter_target_arn].push_back(q->arn());
                }
                queues.push_back(std::move(j));
            }
        for (auto& q : queues)
            if (auto it = sources.find(q["arn"].get<std::string>()); it != sources.end())
                q["deadLetterSourceArns"] = it->second;
        Json tasks = Json::array();
        for (const auto& t : move_tasks_) {
            Json j = {{"taskHandle", t->handle}, {"sourceArn", t->source_arn},
                      {"status", t->status},     {"moved", t->moved},
                      {"toMove", t->to_move},    {"started", core::epoch_millis(t->started)}};
            if (t->destination_arn) j["destinationArn"] = *t->destination_arn;
            if (!t->failure_reason.empty()) j["failureReason"] = t->failure_reason;
            tasks.push_back(std::move(j));
        }
        std::size_t parked = 0;
        for (const auto& [uid, list] : waiters_) parked += list.size();
        return Json{{"queues", queues},
                    {"long_polls", parked},
                    {"move_tasks", move_tasks_.size()},
                    {"moveTasks", std::move(tasks)}};
    });
}

}  // namespace sluice::sqs
