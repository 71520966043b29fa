#pragma once
// The mock configuration file on disk (--mock-config): read at start, where a bad file stops
// the daemon with the problem named, then looked at once a second and read again when it
// changed. A bad new version is logged and refused; the last good one stays in force.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "sluice/core/scheduler.hpp"
#include "sluice/sfn/mock_config.hpp"

namespace sluice::sfn {

class MockConfigFile : public std::enable_shared_from_this<MockConfigFile> {
public:
    using OnLoad = std::function<void(std::shared_ptr<const MockConfig>)>;
    // Throws MockConfigError when the file cannot be read or is not a mock configuration.
    static std::shared_ptr<MockConfigFile> watch(std::string path, core::Scheduler& scheduler, OnLoad on_load);
    // No more looking (the daemon stops).
    void stop();
    // Reads the file again if it changed since the last look; true when a new version was loaded.
    bool look();

    MockConfigFile(std::string path, core::Scheduler& scheduler, OnLoad on_load);

private:
    void schedule();
    std::string path_;
    core::Scheduler& scheduler_;
    OnLoad on_load_;
    std::string last_text_;  // the text last looked at, good or bad: a bad one is reported once
    // When and how large the file was at the last look: it is read again only when either moved.
    std::pair<std::filesystem::file_time_type, std::uintmax_t> last_stamp_;
    std::optional<core::Scheduler::TimerId> timer_;
    bool stopped_ = false;
};

}  // namespace sluice::sfn
