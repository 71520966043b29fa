#include "sluice/eventbridge/schedule_expression.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <vector>

namespace sluice::eventbridge {

namespace {

std::string upper(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (;;) {
        auto at = s.find(sep, start);
        out.push_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
        if (at == std::string_view::npos) return out;
        start = at + 1;
    }
}

std::optional<int> number(std::string_view s) {
    if (s.empty() || s.size() > 4) return std::nullopt;
    int v = 0;
    for (char c : s) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

// A value of a field: a number, or a month / weekday name.
std::optional<int> value_of(std::string_view s, const std::vector<std::string>& names, int first_name_value) {
    if (auto n = number(s)) return n;
    auto u = upper(s);
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == u) return first_name_value + static_cast<int>(i);
    return std::nullopt;
}

// `*`, `a`, `a-b`, `a/step`, `a-b/step`, `*/step`, comma-separated, into `set` over [lo, hi]
// (bit v - lo for value v).
template <std::size_t N>
bool parse_field(std::string_view text, int lo, int hi, std::bitset<N>& set, const std::vector<std::string>& names = {},
                 int first_name_value = 1) {
    if (text.empty()) return false;
    for (auto part : split(text, ',')) {
        int step = 1;
        if (auto slash = part.find('/'); slash != std::string_view::npos) {
            auto s = number(part.substr(slash + 1));
            if (!s || *s < 1) return false;
            step = *s;
            part = part.substr(0, slash);
        }
        int from = lo, to = hi;
        if (part != "*") {
            auto dash = part.find('-');
            auto a = value_of(part.substr(0, dash), names, first_name_value);
            if (!a) return false;
            from = *a;
            if (dash != std::string_view::npos) {
                auto b = value_of(part.substr(dash + 1), names, first_name_value);
                if (!b) return false;
                to = *b;
            } else if (step == 1) {
                to = from;
            }
        }
        if (from < lo || to > hi || from > to) return false;
        for (int v = from; v <= to; v += step) set.set(static_cast<std::size_t>(v - lo));
    }
    return true;
}

int days_in(int y, int m) {
    using namespace std::chrono;
    return static_cast<int>(static_cast<unsigned>((year{y} / month{static_cast<unsigned>(m)} / last).day()));
}

}  // namespace

std::optional<ScheduleExpression> ScheduleExpression::parse(std::string_view text) {
    ScheduleExpression e;
    if (text.size() > 256 || text.empty() || text.back() != ')') return std::nullopt;
    if (text.rfind("rate(", 0) == 0) {
        auto inner = text.substr(5, text.size() - 6);
        auto space = inner.find(' ');
        if (space == std::string_view::npos) return std::nullopt;
        auto value = number(inner.substr(0, space));
        auto unit = inner.substr(space + 1);
        if (!value || *value < 1) return std::nullopt;
        // A value of 1 takes the singular unit, any other the plural (eb-scheduled-rule-pattern).
        const bool one = *value == 1;
        long long per = 0;
        if (unit == (one ? "minute" : "minutes")) per = 1;
        if (unit == (one ? "hour" : "hours")) per = 60;
        if (unit == (one ? "day" : "days")) per = 1440;
        if (per == 0) return std::nullopt;
        e.rate_minutes_ = *value * per;
        return e;
    }
    if (text.rfind("cron(", 0) != 0) return std::nullopt;
    auto fields = split(text.substr(5, text.size() - 6), ' ');
    if (fields.size() != 6) return std::nullopt;
    static const std::vector<std::string> months = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                    "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    static const std::vector<std::string> weekdays = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
    if (!parse_field(fields[0], 0, 59, e.minutes_) || !parse_field(fields[1], 0, 23, e.hours_) ||
        !parse_field(fields[3], 1, 12, e.months_, months) || !parse_field(fields[5], 1970, 2199, e.years_))
        return std::nullopt;
    // Day-of-month and day-of-week: exactly one of them is `?`.
    const auto dom = fields[2], dow = fields[4];
    e.any_day_of_month_ = dom == "?";
    e.any_day_of_week_ = dow == "?";
    if (e.any_day_of_month_ == e.any_day_of_week_) return std::nullopt;
    if (!e.any_day_of_month_) {
        if (dom == "L") {
            e.last_day_of_month_ = true;
        } else if (dom.size() >= 2 && dom.back() == 'W') {
            auto d = number(dom.substr(0, dom.size() - 1));
            if (!d || *d < 1 || *d > 31) return std::nullopt;
            e.nearest_weekday_to_ = *d;
        } else if (!parse_field(dom, 1, 31, e.days_)) {
            return std::nullopt;
        }
    }
    if (!e.any_day_of_week_) {
        if (auto hash = dow.find('#'); hash != std::string_view::npos) {
            auto d = value_of(dow.substr(0, hash), weekdays, 1);
            auto n = number(dow.substr(hash + 1));
            if (!d || *d < 1 || *d > 7 || !n || *n < 1 || *n > 5) return std::nullopt;
            e.nth_weekday_ = *d;
            e.nth_ = *n;
        } else if (dow.size() >= 2 && dow.back() == 'L') {
            auto d = value_of(dow.substr(0, dow.size() - 1), weekdays, 1);
            if (!d || *d < 1 || *d > 7) return std::nullopt;
            e.last_weekday_ = *d;
        } else if (dow == "L") {
            e.weekdays_.set(6);  // `L` alone in day-of-week is Saturday, as in Quartz
        } else if (!parse_field(dow, 1, 7, e.weekdays_, weekdays)) {
            return std::nullopt;
        }
    }
    return e;
}

bool ScheduleExpression::day_matches(int year, int month, int day, int weekday, int days_in_month) const {
    if (!any_day_of_month_) {
        if (last_day_of_month_) return day == days_in_month;
        if (nearest_weekday_to_) {
            // The weekday nearest to the given day, within the month.
            int target = std::min(nearest_weekday_to_, days_in_month);
            int wd = (weekday + (target - day) % 7 + 7) % 7;  // 0 = Sunday
            if (wd == 6)
                target = target == 1 ? target + 2 : target - 1;
            else if (wd == 0)
                target = target == days_in_month ? target - 2 : target + 1;
            return day == target;
        }
        return days_[static_cast<std::size_t>(day - 1)];
    }
    const int wd = weekday + 1;  // 1 = SUN
    if (nth_) return wd == nth_weekday_ && (day - 1) / 7 + 1 == nth_;
    if (last_weekday_) return wd == last_weekday_ && day + 7 > days_in_month;
    return weekdays_[static_cast<std::size_t>(wd - 1)];
}

std::optional<core::TimePoint> ScheduleExpression::next_after(core::TimePoint t) const {
    using namespace std::chrono;
    if (rate_minutes_ > 0) return t + minutes(rate_minutes_);
    // From the next whole minute, day by day; within a matching day, the first matching minute.
    auto start = floor<minutes>(t) + minutes(1);
    auto day = floor<days>(start);
    for (int i = 0; i < 366 * 230; ++i, day += days(1)) {
        year_month_day ymd{day};
        const int y = static_cast<int>(ymd.year());
        if (y > 2199) return std::nullopt;
        if (!years_[static_cast<std::size_t>(y - 1970)]) continue;
        const int m = static_cast<int>(static_cast<unsigned>(ymd.month()));
        if (!months_[static_cast<std::size_t>(m - 1)]) continue;
        const int d = static_cast<int>(static_cast<unsigned>(ymd.day()));
        const int wd = static_cast<int>(weekday{day}.c_encoding());
        if (!day_matches(y, m, d, wd, days_in(y, m))) continue;
        for (int h = 0; h < 24; ++h) {
            if (!hours_[static_cast<std::size_t>(h)]) continue;
            for (int mi = 0; mi < 60; ++mi) {
                if (!minutes_[static_cast<std::size_t>(mi)]) continue;
                auto at = day + hours(h) + minutes(mi);
                if (at >= start) return core::TimePoint(duration_cast<core::Millis>(at.time_since_epoch()));
            }
        }
    }
    return std::nullopt;
}

}  // namespace sluice::eventbridge
