#pragma once
// A container engine in memory for unit tests: it records what it was asked, answers only when
// pumped (never inside a call, as the real one), and lets a test decide when containers exit.
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sluice/ecs/container_engine.hpp"

namespace sluice::ecs::testing {

class FakeEngine final : public ContainerEngine {
public:
    bool reachable = true;
    std::set<std::string> missing_images;             // create answers 404 and pull fails for these
    std::map<std::string, long long> exit_on_start;   // image → the code its containers exit with at once
    std::map<std::string, ContainerSpec> containers;  // id → what was created
    std::vector<std::string> calls;  // "create <name>", "start <id>", "stop <id> <t>", "remove <id>", "pull <image>"
    std::set<std::string> running;

    void connect(Done done) override {
        connected_ = reachable;
        later([this, done] {
            if (reachable)
                done(std::nullopt);
            else
                done(EngineError{
                    EngineError::Kind::Unreachable,
                    "no container engine answered; tried unix:///fake.sock: connect: No such file or directory"});
        });
    }
    nlohmann::json status() const override { return {{"state", connected_ ? "connected" : "unreachable"}}; }

    void create(const ContainerSpec& spec, std::function<void(EngineResult<std::string>)> done) override {
        calls.push_back("create " + spec.name);
        if (missing_images.count(spec.image))
            return later([done, image = spec.image] {
                done(EngineError{EngineError::Kind::NotFound, "no such image: " + image});
            });
        const std::string id = "c" + std::to_string(containers.size() + 1);
        containers[id] = spec;
        later([done, id] { done(id); });
    }
    void pull(const std::string& image, Done done) override {
        calls.push_back("pull " + image);
        later([done, image] {
            done(EngineError{EngineError::Kind::Failed, "initializing source docker://" + image + ": no such host"});
        });
    }
    void start(const std::string& id, Done done) override {
        calls.push_back("start " + id);
        running.insert(id);
        later([done] { done(std::nullopt); });
        if (auto it = exit_on_start.find(containers[id].image); it != exit_on_start.end()) exit(id, it->second);
    }
    void wait(const std::string& id, std::function<void(EngineResult<long long>)> done) override {
        waiters_[id] = std::move(done);
        deliver_exit(id);
    }
    void stop(const std::string& id, int timeout_seconds, Done done) override {
        calls.push_back("stop " + id + " " + std::to_string(timeout_seconds));
        later([done] { done(std::nullopt); });
        exit(id, 143);  // our containers honour SIGTERM
    }
    void logs(const std::string& id, std::function<void(EngineResult<std::string>)> done) override {
        later([done, id] { done("output of " + id + "\n"); });
    }
    void remove(const std::string& id, Done done) override {
        calls.push_back("remove " + id);
        running.erase(id);
        later([done] { done(std::nullopt); });
    }

    // The container exits with `code` (delivered to its waiter when pumped).
    void exit(const std::string& id, long long code) {
        if (!running.count(id) || exits_.count(id)) return;
        exits_[id] = code;
        deliver_exit(id);
    }
    // Delivers every queued answer, and those they cause; returns how many ran.
    std::size_t pump() {
        std::size_t n = 0;
        while (!queue_.empty()) {
            auto f = std::move(queue_.front());
            queue_.pop_front();
            f();
            ++n;
        }
        return n;
    }
    std::size_t count(const std::string& prefix) const {
        std::size_t n = 0;
        for (const auto& c : calls) n += c.rfind(prefix, 0) == 0;
        return n;
    }
    const ContainerSpec* spec_named(const std::string& container) const {
        for (const auto& [id, spec] : containers)
            if (spec.name.size() >= container.size() &&
                spec.name.compare(spec.name.size() - container.size(), container.size(), container) == 0)
                return &spec;
        return nullptr;
    }

private:
    void later(std::function<void()> f) { queue_.push_back(std::move(f)); }
    void deliver_exit(const std::string& id) {
        auto w = waiters_.find(id);
        auto e = exits_.find(id);
        if (w == waiters_.end() || e == exits_.end()) return;
        later([done = std::move(w->second), code = e->second] { done(code); });
        waiters_.erase(w);
    }
    bool connected_ = false;
    std::deque<std::function<void()>> queue_;
    std::map<std::string, std::function<void(EngineResult<long long>)>> waiters_;
    std::map<std::string, long long> exits_;
};

}  // namespace sluice::ecs::testing
