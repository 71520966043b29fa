#pragma once
// A rule's ScheduleExpression: `rate(value unit)` or `cron(minutes hours day-of-month month
// day-of-week year)`, in UTC, as eb-scheduled-rule-pattern describes them. `next_after` says when
// a rule fires next; the service scales the wait to it (--time-scale) on the scheduler.
#include <array>
#include <bitset>
#include <optional>
#include <string>
#include <string_view>

#include "sluice/core/clock.hpp"

namespace sluice::eventbridge {

class ScheduleExpression {
public:
    // nullopt for an expression AWS refuses ("Parameter ScheduleExpression is not valid.").
    static std::optional<ScheduleExpression> parse(std::string_view text);

    // The first firing strictly after `t`: for a rate, `t` plus the period; for a cron, the next
    // minute that matches (nullopt when none does within the expression's years).
    std::optional<core::TimePoint> next_after(core::TimePoint t) const;

    bool is_rate() const { return rate_minutes_ > 0; }

private:
    long long rate_minutes_ = 0;
    std::bitset<60> minutes_;
    std::bitset<24> hours_;
    std::bitset<31> days_;                                     // bit d-1 for day d; unused when day-of-month is `?`
    std::bitset<12> months_;                                   // bit m-1 for month m
    std::bitset<7> weekdays_;                                  // bit 0 = SUN .. 6 = SAT; unused when day-of-week is `?`
    bool any_day_of_month_ = false, any_day_of_week_ = false;  // the field is `?`
    bool last_day_of_month_ = false;                           // `L`
    int nearest_weekday_to_ = 0;                               // `15W`
    int last_weekday_ = 0;                                     // `6L`: the last Friday
    int nth_weekday_ = 0, nth_ = 0;                            // `6#3`: the third Friday
    std::bitset<230> years_;                                   // year - 1970

    bool day_matches(int year, int month, int day, int weekday, int days_in_month) const;
};

}  // namespace sluice::eventbridge
