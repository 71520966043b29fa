#pragma once
// One page of a list that is already in order, for every List* operation that pages by an
// opaque token: the token (core::page_token) is the offset where the next page begins.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::protocol {

struct Page {
    std::size_t begin = 0, end = 0;         // the items of this page: [begin, end)
    std::optional<std::string> next_token;  // when more follow
};

// nullopt: `token` is not one Sluice handed out for this list (or points past its end); each
// service answers that with its own error. An empty token is the first page.
std::optional<Page> page_of(std::size_t count, std::string_view token, std::size_t page_size);

}  // namespace sluice::protocol
