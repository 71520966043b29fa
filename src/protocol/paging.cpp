#include "sluice/protocol/paging.hpp"

#include <algorithm>

#include "sluice/core/encoding.hpp"

namespace sluice::protocol {

std::optional<Page> page_of(std::size_t count, std::string_view token, std::size_t page_size) {
    Page page;
    if (!token.empty()) {
        auto offset = core::page_offset(token);
        if (!offset || *offset > count) return std::nullopt;
        page.begin = *offset;
    }
    page.end = page.begin + std::min(page_size, count - page.begin);
    if (page.end < count) page.next_token = core::page_token(page.end);
    return page;
}

}  // namespace sluice::protocol
