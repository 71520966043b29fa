#pragma once
// The SQS service: every operation of the SQS model, over queues kept per (account, region).
// Handlers read parameters and shape answers; the Queue does the work. ReceiveMessage may park
// as a long poll, woken by a send or a timer, never by a blocked thread.
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sluice/core/clock.hpp"
#include "sluice/core/scheduler.hpp"
#include "sluice/protocol/operation_table.hpp"
#include "sluice/sqs/move_task.hpp"
#include "sluice/sqs/queue.hpp"

namespace sluice::sqs {

using protocol::Call;
using protocol::Json;

class SqsService final : public protocol::TableService<SqsService>, public std::enable_shared_from_this<SqsService> {
public:
    // Long polls and move tasks are deadlines on `scheduler`, on its clock.
    explicit SqsService(core::Scheduler& scheduler);
    ~SqsService() override;

    std::string_view name() const override { return "sqs"; }
    const protocol::Model& model() const override;
    void shutdown() override;
    void reset() override;
    Json introspect() const override;
    // queues/<account>/<region>/<name>/messages (or queues/<name>/messages): the queue's
    // messages, visible, in flight and delayed, read without receiving them.
    std::optional<Json> introspect_path(std::string_view path) const override;

private:
    friend class protocol::TableService<SqsService>;
    static const protocol::OperationTable<SqsService>& operations();
    static const protocol::InvokeRules& invoke_rules();
    struct Waiter;
    struct ReceiveSpec;

    // Queues (api_queues.cpp)
    Json create_queue(const Call&);
    Json delete_queue(const Call&);
    Json get_queue_url(const Call&);
    Json list_queues(const Call&);
    Json get_queue_attributes(const Call&);
    Json set_queue_attributes(const Call&);
    Json purge_queue(const Call&);
    Json list_dead_letter_source_queues(const Call&);
    Json tag_queue(const Call&);
    Json untag_queue(const Call&);
    Json list_queue_tags(const Call&);
    Json add_permission(const Call&);
    Json remove_permission(const Call&);
    // Messages (api_messages.cpp)
    Json send_message(const Call&);
    Json send_message_batch(const Call&);
    Json delete_message(const Call&);
    Json delete_message_batch(const Call&);
    Json change_message_visibility(const Call&);
    Json change_message_visibility_batch(const Call&);
    // Message move tasks (api_move_tasks.cpp)
    Json start_message_move_task(const Call&);
    Json cancel_message_move_task(const Call&);
    Json list_message_move_tasks(const Call&);

    // ReceiveMessage and long polling (long_poll.cpp)
    void receive_message(const Call& call, protocol::Reply reply);
    ReceiveSpec parse_receive(const Call& call, Queue& queue) const;
    std::optional<Json> try_receive(Queue& queue, const ReceiveSpec& spec, bool final_attempt);
    // Lets parked receives on `queue` try again; those that get messages are answered once the
    // lock is released.
    void wake(const Queue& queue);
    void answer(const std::shared_ptr<Waiter>& waiter, Json result);
    void arm(const std::shared_ptr<Waiter>& waiter);
    void on_timer(const std::shared_ptr<Waiter>& waiter);
    // Answers every parked receive on a queue with no messages (queue deleted, daemon stopping).
    void release_waiters(std::uint64_t queue_uid);
    // Answers, empty, every parked receive tagged with `owner`.
    Json release_owned(const Call& call);
    // At the end of every locked section: wakes the receives parked on queues that dead-letter
    // moves or move tasks filled meanwhile.
    void wake_deferred();

    // Shared helpers (sqs_service.cpp)
    // The queue a call names, by its QueueUrl (or the path the query protocol posted to).
    struct QueueAddress {
        core::Scope scope;
        std::string name;
    };
    static QueueAddress address_of(const Call& call);  // needs no lock
    std::shared_ptr<Queue> queue_at(const QueueAddress& address) const;
    std::shared_ptr<Queue> queue_for(const Call& call) const { return queue_at(address_of(call)); }
    std::shared_ptr<Queue> queue_by_arn(const std::string& arn) const;
    std::string queue_url(const Call& call, const Queue& queue) const;
    std::uint32_t sender_of(const Call& call);
    const std::string& sender_name(std::uint32_t index) const { return senders_[index]; }
    DeadLetterSink dead_letter_sink(const Queue& source);
    Json message_json(const Queue& queue, const Message& m, const ReceiveSpec& spec) const;
    void check_redrive_target(const Queue* self, const QueueConfig& config) const;
    void run_move_task(const std::shared_ptr<MoveTask>& task);

    core::Scheduler& scheduler_;
    const core::Clock& clock_;
    std::map<core::Scope, std::map<std::string, std::shared_ptr<Queue>>> queues_;
    std::map<std::pair<core::Scope, std::string>, TimePoint> recently_deleted_;
    std::uint64_t next_queue_uid_ = 1;
    std::vector<std::string> senders_;
    std::unordered_map<std::string, std::uint32_t> sender_index_;
    std::unordered_map<std::uint64_t, std::list<std::shared_ptr<Waiter>>> waiters_;
    std::vector<std::shared_ptr<Queue>> deferred_wakes_;
    std::vector<std::shared_ptr<MoveTask>> move_tasks_;
    bool stopping_ = false;
};

}  // namespace sluice::sqs
