#include "sluice/sfn/mock_file.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <spdlog/spdlog.h>

namespace sluice::sfn {

namespace {

std::optional<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return std::move(text).str();
}

}  // namespace

MockConfigFile::MockConfigFile(std::string path, core::Scheduler& scheduler, OnLoad on_load)
    : path_(std::move(path)), scheduler_(scheduler), on_load_(std::move(on_load)) {}

std::shared_ptr<MockConfigFile> MockConfigFile::watch(std::string path, core::Scheduler& scheduler, OnLoad on_load) {
    auto file = std::make_shared<MockConfigFile>(std::move(path), scheduler, std::move(on_load));
    auto text = read_file(file->path_);
    if (!text) throw MockConfigError("mock configuration: cannot read " + file->path_);
    auto config = std::make_shared<const MockConfig>(MockConfig::parse(*text));
    std::error_code ec;
    file->last_stamp_ = {std::filesystem::last_write_time(file->path_, ec),
                         std::filesystem::file_size(file->path_, ec)};
    file->last_text_ = std::move(*text);
    file->on_load_(std::move(config));
    file->schedule();
    return file;
}

bool MockConfigFile::look() {
    // Once a second on the io thread: a stat, which does not wait on the disk the way a read can;
    // the file is read only when its time or size moved. Cheaper than a watch on the directory,
    // and the same on every file system (a bind mount into a container too).
    std::error_code ec;
    const auto stamp =
        std::make_pair(std::filesystem::last_write_time(path_, ec), std::filesystem::file_size(path_, ec));
    if (ec || stamp == last_stamp_) return false;
    last_stamp_ = stamp;
    auto text = read_file(path_);
    if (!text || *text == last_text_) return false;
    last_text_ = *text;
    try {
        on_load_(std::make_shared<const MockConfig>(MockConfig::parse(*text)));
    } catch (const MockConfigError& e) {
        spdlog::warn("{} (in {}): keeping the previous version", e.what(), path_);
        return false;
    }
    spdlog::info("sfn: mock configuration {} loaded again", path_);
    return true;
}

void MockConfigFile::schedule() {
    if (stopped_) return;
    timer_ = scheduler_.after(core::Millis(1000), [weak = weak_from_this()] {
        if (auto self = weak.lock()) {
            self->timer_.reset();
            self->look();
            self->schedule();
        }
    });
}

void MockConfigFile::stop() {
    stopped_ = true;
    if (timer_) scheduler_.cancel(*timer_);
    timer_.reset();
}

}  // namespace sluice::sfn
