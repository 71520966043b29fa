// Queue operations: lifecycle, attributes, tags, permissions, dead-letter sources.
#include <algorithm>
#include <cctype>

#include "params.hpp"
#include "sluice/core/encoding.hpp"
#include "sluice/sqs/errors.hpp"
#include "sluice/sqs/sqs_service.hpp"

namespace sluice::sqs {

namespace {

constexpr core::Millis kRecreateDelay = std::chrono::seconds(60);

bool valid_name_chars(std::string_view name) {
    return std::all_of(name.begin(), name.end(),
                       [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_'; });
}

// A page of a sorted list: `NextToken` is the base64 of the last item handed out.
template <typename Item, typename Key>
Json paginate(const std::vector<Item>& items, Key key, const Json& p, const char* list_member, auto to_json) {
    auto max = params::integer(p, "MaxResults");
    auto token = params::str(p, "NextToken");
    if (max && (*max < 1 || *max > 1000))
        throw invalid_parameter_value(
            "Value for parameter MaxResults is invalid. Reason: MaxResults must be an integer "
            "between 1 and 1000.");
    if (token && !max)
        throw invalid_parameter_value("MaxResults is a mandatory parameter when you provide a value for NextToken.");
    std::string after;
    if (token) {
        auto decoded = core::base64_decode(*token);
        if (!decoded) throw invalid_parameter_value("Invalid NextToken value.");
        after = *decoded;
    }
    Json list = Json::array();
    std::size_t limit = max ? static_cast<std::size_t>(*max) : 1000;
    std::string last;
    bool more = false;
    for (const auto& item : items) {
        if (token && key(item) <= after) continue;
        if (list.size() == limit) {
            more = true;
            break;
        }
        list.push_back(to_json(item));
        last = key(item);
    }
    Json out = Json::object();
    if (!list.empty()) out[list_member] = std::move(list);
    if (more && max) out["NextToken"] = core::base64_encode(last);
    return out;
}

// CreateQueue and ListQueues act on the account: sent to a queue's URL they are an invalid
// action for that endpoint (LocalStack test_sqs.py test_get_create_queue_fails and
// test_get_list_queues_fails, recorded on AWS).
void check_account_endpoint(const Call& call) {
    const auto& path = call.context.path;
    if (path.find_first_not_of('/') != std::string::npos) throw protocol::common_errors::invalid_action(call.operation);
}

}  // namespace

Json SqsService::create_queue(const Call& call) {
    check_account_endpoint(call);
    const auto& p = call.params;
    auto name = params::str(p, "QueueName").value_or("");
    if (name.empty())
        throw invalid_parameter_value("Value for parameter QueueName is invalid. Reason: Must specify a queue name.");
    auto attributes = params::str_map(p, "Attributes");
    const bool fifo_name = name.size() > 5 && name.compare(name.size() - 5, 5, ".fifo") == 0;
    const bool fifo = attributes.count("FifoQueue") && parse_boolean(attributes["FifoQueue"]).value_or(false);
    if (fifo || fifo_name) {
        if (!fifo || !fifo_name || name.size() > 80 ||
            !valid_name_chars(std::string_view(name).substr(0, name.size() - 5)))
            throw invalid_parameter_value(
                "The name of a FIFO queue can only include alphanumeric characters, hyphens, "
                "or underscores, must end with .fifo suffix and be 1 to 80 in length");
    } else if (name.size() > 80 || !valid_name_chars(name)) {
        throw invalid_parameter_value(
            "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
    }
    QueueConfig config;
    config.fifo = fifo;
    config.apply(attributes, /*creating=*/true);
    const auto& scope = call.context.scope;
    const auto now = clock_.now();

    auto& set = queues_[scope];
    if (auto existing = set.find(name); existing != set.end()) {
        // Creating an existing queue is idempotent only if every given attribute matches.
        auto current = existing->second->config().render();
        auto wanted = config.render();
        auto value_of = [](const auto& rendered, const std::string& key) -> std::optional<std::string> {
            for (const auto& [k, v] : rendered)
                if (k == key) return v;
            return std::nullopt;
        };
        for (const auto& [key, value] : attributes)
            if (value_of(current, key) != value_of(wanted, key))
                throw error("QueueNameExists",
                            "A queue already exists with the same name and a different value for attribute " + key);
        return {{"QueueUrl", queue_url(call, *existing->second)}};
    }
    if (auto deleted = recently_deleted_.find({scope, name});
        deleted != recently_deleted_.end() && now < deleted->second + clock_.scaled(kRecreateDelay))
        throw error(
            "QueueDeletedRecently",
            "You must wait 60 seconds after deleting a queue before you can create another with the same name.");
    check_redrive_target(nullptr, config);
    auto queue = std::make_shared<Queue>(name, scope, std::move(config), now, next_queue_uid_++, clock_.time_scale());
    for (const auto& [k, v] : params::str_map(p, "tags")) queue->tags()[k] = v;
    set.emplace(name, queue);
    return {{"QueueUrl", queue_url(call, *queue)}};
}

Json SqsService::delete_queue(const Call& call) {
    auto queue = queue_for(call);
    auto& set = queues_[queue->scope()];
    set.erase(queue->name());
    recently_deleted_[{queue->scope(), queue->name()}] = clock_.now();
    release_waiters(queue->uid());
    return Json::object();
}

Json SqsService::get_queue_url(const Call& call) {
    auto name = params::str(call.params, "QueueName").value_or("");
    if (name.empty())
        throw invalid_parameter_value("Value for parameter QueueName is invalid. Reason: Must specify a queue name.");
    core::Scope scope = call.context.scope;
    if (auto owner = params::str(call.params, "QueueOwnerAWSAccountId")) scope.account = *owner;
    auto set = queues_.find(scope);
    if (set == queues_.end() || !set->second.count(name)) throw queue_does_not_exist();
    return {{"QueueUrl", queue_url(call, *set->second.at(name))}};
}

Json SqsService::list_queues(const Call& call) {
    check_account_endpoint(call);
    auto prefix = params::str(call.params, "QueueNamePrefix").value_or("");
    std::vector<std::shared_ptr<Queue>> matching;
    if (auto set = queues_.find(call.context.scope); set != queues_.end())
        for (const auto& [name, q] : set->second)
            if (name.compare(0, prefix.size(), prefix) == 0) matching.push_back(q);
    return paginate(
        matching, [](const auto& q) { return q->name(); }, call.params, "QueueUrls",
        [&](const auto& q) { return queue_url(call, *q); });
}

Json SqsService::get_queue_attributes(const Call& call) {
    auto queue = queue_for(call);
    auto names = params::str_list(call.params, "AttributeNames");
    for (const auto& n : names)
        if (n != "All" && !is_known_attribute(n)) throw error("InvalidAttributeName", "Unknown Attribute " + n + ".");
    if (names.empty()) return Json::object();
    const bool all = std::find(names.begin(), names.end(), "All") != names.end();
    auto wanted = [&](const std::string& n) { return all || std::find(names.begin(), names.end(), n) != names.end(); };

    const auto counts = queue->counts(clock_.now());
    std::vector<std::pair<std::string, std::string>> values = {
        {"QueueArn", queue->arn()},
        {"ApproximateNumberOfMessages", std::to_string(counts.visible)},
        {"ApproximateNumberOfMessagesNotVisible", std::to_string(counts.in_flight)},
        {"ApproximateNumberOfMessagesDelayed", std::to_string(counts.delayed)},
        {"CreatedTimestamp", std::to_string(core::epoch_seconds(queue->created()))},
        {"LastModifiedTimestamp", std::to_string(core::epoch_seconds(queue->last_modified()))},
    };
    for (auto& kv : queue->config().render()) values.push_back(std::move(kv));
    Json attributes = Json::object();
    for (const auto& [k, v] : values)
        if (wanted(k)) attributes[k] = v;
    if (attributes.empty()) return Json::object();
    return {{"Attributes", attributes}};
}

Json SqsService::set_queue_attributes(const Call& call) {
    auto queue = queue_for(call);
    auto attributes = params::str_map(call.params, "Attributes");
    QueueConfig config = queue->config();
    config.apply(attributes, /*creating=*/false);
    check_redrive_target(queue.get(), config);
    queue->set_config(std::move(config), clock_.now());
    return Json::object();
}

Json SqsService::purge_queue(const Call& call) {
    auto queue = queue_for(call);
    queue->purge(clock_.now());
    return Json::object();
}

Json SqsService::list_dead_letter_source_queues(const Call& call) {
    auto dlq = queue_for(call);
    std::vector<std::shared_ptr<Queue>> sources;
    for (const auto& [scope, set] : queues_)
        for (const auto& [name, q] : set)
            if (q->config().redrive && q->config().redrive->dead_letter_target_arn == dlq->arn()) sources.push_back(q);
    std::sort(sources.begin(), sources.end(), [](const auto& a, const auto& b) { return a->arn() < b->arn(); });
    return paginate(
        sources, [](const auto& q) { return q->arn(); }, call.params, "queueUrls",
        [&](const auto& q) { return queue_url(call, *q); });
}

Json SqsService::tag_queue(const Call& call) {
    auto queue = queue_for(call);
    auto tags = params::str_map(call.params, "Tags");
    if (tags.empty()) throw protocol::common_errors::missing_parameter("Tags");
    for (const auto& [k, v] : tags) {
        if (k.empty() || k.size() > 128)
            throw invalid_parameter_value("Tag keys must be between 1 and 128 characters in length.");
        if (v.size() > 256) throw invalid_parameter_value("Tag values must be less than 256 characters in length.");
    }
    auto merged = queue->tags();
    for (const auto& [k, v] : tags) merged[k] = v;
    if (merged.size() > 50) throw invalid_parameter_value("Too many tags added for queue " + queue->name() + ".");
    queue->tags() = std::move(merged);
    return Json::object();
}

Json SqsService::untag_queue(const Call& call) {
    auto queue = queue_for(call);
    auto keys = params::str_list(call.params, "TagKeys");
    if (keys.empty()) throw protocol::common_errors::missing_parameter("TagKeys");
    for (const auto& k : keys) {
        if (k.empty() || k.size() > 128)
            throw invalid_parameter_value("Tag keys must be between 1 and 128 characters in length.");
        queue->tags().erase(k);
    }
    return Json::object();
}

Json SqsService::list_queue_tags(const Call& call) {
    auto queue = queue_for(call);
    if (queue->tags().empty()) return Json::object();
    return {{"Tags", queue->tags()}};
}

Json SqsService::add_permission(const Call& call) {
    auto queue = queue_for(call);
    const auto& p = call.params;
    auto label = params::required_str(p, "Label");
    auto accounts = params::str_list(p, "AWSAccountIds");
    auto actions = params::str_list(p, "Actions");
    if (accounts.empty()) throw protocol::common_errors::missing_parameter("AWSAccountIds");
    if (actions.empty()) throw protocol::common_errors::missing_parameter("Actions");
    if (label.empty() || label.size() > 80 || !valid_name_chars(label))
        throw invalid_parameter_value("Value " + label +
                                      " for parameter Label is invalid. Reason: Can only include "
                                      "alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
    static const std::vector<std::string> delegable = {"*",
                                                       "ChangeMessageVisibility",
                                                       "DeleteMessage",
                                                       "GetQueueAttributes",
                                                       "GetQueueUrl",
                                                       "ReceiveMessage",
                                                       "SendMessage",
                                                       "ListDeadLetterSourceQueues",
                                                       "ListQueueTags"};
    for (const auto& a : actions) {
        if (std::find(delegable.begin(), delegable.end(), a) != delegable.end()) continue;
        if (sqs::model().operation(a))
            throw invalid_parameter_value("Value SQS:" + a +
                                          " for parameter ActionName is invalid. Reason: Only the "
                                          "queue owner is allowed to invoke this action.");
        throw invalid_parameter_value("Value SQS:" + a +
                                      " for parameter ActionName is invalid. Reason: Please refer to "
                                      "the appropriate WSDL for a list of valid actions.");
    }
    if (actions.size() > 7)
        throw error("OverLimit", std::to_string(actions.size()) + " Actions were found, maximum allowed is 7.");

    Json policy = queue->config().policy ? Json::parse(*queue->config().policy, nullptr, false) : Json();
    if (!policy.is_object() || !policy.contains("Statement") || !policy["Statement"].is_array())
        policy = {{"Version", "2008-10-17"}, {"Id", queue->arn() + "/SQSDefaultPolicy"}, {"Statement", Json::array()}};
    for (const auto& s : policy["Statement"])
        if (s.is_object() && s.value("Sid", "") == label)
            throw invalid_parameter_value("Value " + label +
                                          " for parameter Label is invalid. Reason: Already exists.");
    if (policy["Statement"].size() >= 20)
        throw error("OverLimit", std::to_string(policy["Statement"].size() + 1) +
                                     " statements were found in the submitted policy, max allowed is 20");
    Json principals = Json::array();
    for (const auto& a : accounts) principals.push_back("arn:aws:iam::" + a + ":root");
    Json action_names = Json::array();
    for (const auto& a : actions) action_names.push_back("SQS:" + a);
    policy["Statement"].push_back({{"Sid", label},
                                   {"Effect", "Allow"},
                                   {"Principal", {{"AWS", principals.size() == 1 ? principals[0] : principals}}},
                                   {"Action", action_names.size() == 1 ? action_names[0] : action_names},
                                   {"Resource", queue->arn()}});
    QueueConfig config = queue->config();
    config.policy = policy.dump();
    queue->set_config(std::move(config), clock_.now());
    return Json::object();
}

Json SqsService::remove_permission(const Call& call) {
    auto queue = queue_for(call);
    auto label = params::required_str(call.params, "Label");
    Json policy = queue->config().policy ? Json::parse(*queue->config().policy, nullptr, false) : Json();
    bool found = false;
    if (policy.is_object() && policy.contains("Statement") && policy["Statement"].is_array()) {
        auto& statements = policy["Statement"];
        for (auto it = statements.begin(); it != statements.end(); ++it) {
            if (it->is_object() && it->value("Sid", "") == label) {
                statements.erase(it);
                found = true;
                break;
            }
        }
    }
    if (!found)
        throw invalid_parameter_value("Value " + label + " for parameter Label is invalid. Reason: can't find label.");
    QueueConfig config = queue->config();
    if (policy["Statement"].empty())
        config.policy.reset();
    else
        config.policy = policy.dump();
    queue->set_config(std::move(config), clock_.now());
    return Json::object();
}

}  // namespace sluice::sqs
