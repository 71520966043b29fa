#include "sluice/sfn/timestamp.hpp"

#include <cctype>
#include <chrono>
#include <cstdio>

namespace sluice::sfn {

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

}  // namespace

std::optional<core::TimePoint> parse_timestamp(std::string_view s) {
    // YYYY-MM-DDTHH:MM:SS[.fff...](Z|+HH:MM|-HH:MM)
    int year, month, day, hour, minute, second;
    if (!digits(s, 0, 4, year) || s.size() < 20 || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-' ||
        !digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't') || !digits(s, 11, 2, hour) || s[13] != ':' ||
        !digits(s, 14, 2, minute) || s[16] != ':' || !digits(s, 17, 2, second))
        return std::nullopt;
    std::size_t pos = 19;
    long long millis = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        int scale = 100, count = 0;
        while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
            millis += (s[pos] - '0') * scale;
            scale /= 10;
            ++pos;
            ++count;
        }
        if (count == 0) return std::nullopt;
    }
    int offset_minutes = 0;
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
        ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        int oh, om;
        if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !digits(s, pos + 4, 2, om))
            return std::nullopt;
        offset_minutes = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != s.size()) return std::nullopt;
    if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
    using namespace std::chrono;
    year_month_day ymd{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                       std::chrono::day(static_cast<unsigned>(day))};
    if (!ymd.ok()) return std::nullopt;
    auto t = sys_days(ymd).time_since_epoch() + hours(hour) + minutes(minute) + seconds(second) + milliseconds(millis) -
             minutes(offset_minutes);
    return core::TimePoint(duration_cast<milliseconds>(t));
}

std::string format_timestamp(core::TimePoint t) {
    using namespace std::chrono;
    auto ms = t.time_since_epoch().count();
    auto days = floor<std::chrono::days>(t.time_since_epoch());
    year_month_day ymd{sys_days(days)};
    long long rest = ms - duration_cast<milliseconds>(days).count();
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), rest / 3600000,
                  rest / 60000 % 60, rest / 1000 % 60, rest % 1000);
    return buf;
}

}  // namespace sluice::sfn
