// Plans and quotas (docs/enforcement.md §6): plan tracking, downgrades with grace, the billing
// cycle, and the quota queries of the public API.
#include "civildate.h"
#include "engineimpl.h"

namespace qc::enforcement {

using namespace detail;

void Engine::Impl::applyPlanChange(std::uint32_t user, int plan, TimeMs ts)
{
    UserHeader& state = *reinterpret_cast<UserHeader*>(users.at(user));
    if (plan < 0 || plan == state.plan)
        return;
    const int oldRank
        = state.plan >= 0 ? policy.plans[static_cast<std::size_t>(state.plan)].rank : INT32_MIN;
    const int newRank = policy.plans[static_cast<std::size_t>(plan)].rank;
    if (newRank >= oldRank) {
        if (state.flags & FlagGrace) {
            grace.erase(user);
            state.flags &= static_cast<std::uint16_t>(~FlagGrace);
        }
    } else {
        grace[user] = Grace { ts + policy.downgradeGraceMs, state.plan };
        state.flags |= FlagGrace;
    }
    state.plan = static_cast<std::int16_t>(plan);
}

void Engine::Impl::trackPlan(std::uint32_t user, std::uint32_t planId, TimeMs ts)
{
    UserHeader& state = userOf(user);
    if (state.lastPlanId == planId)
        return;
    const int known = planOf(planId);
    const int plan = known >= 0 ? known : defaultPlan;
    if (state.lastPlanId == 0)
        state.plan = static_cast<std::int16_t>(plan); // the first plan seen is the starting plan
    else
        applyPlanChange(user, plan, ts);
    state.lastPlanId = planId;
}

int Engine::Impl::gracePlan(std::uint32_t user, int plan, TimeMs ts) const
{
    const Grace* g = grace.find(user);
    return g != nullptr && ts < g->end && g->previousPlan >= 0 ? g->previousPlan : plan;
}

void Engine::Impl::computeCycle(TimeMs ts)
{
    cycleFrom = cycleStart(policy, ts);
    cycleTo = cycleEnd(policy, ts);
}

void Engine::changePlan(std::string_view userId, std::string_view plan, TimeMs ts)
{
    if (userId.empty())
        return;
    const std::uint32_t user = d->dictionary->intern(Field::User, userId);
    const std::uint32_t planId = d->dictionary->intern(Field::Plan, plan);
    d->userOf(user);
    const int known = d->planOf(planId);
    d->applyPlanChange(user, known >= 0 ? known : d->defaultPlan, ts);
    reinterpret_cast<UserHeader*>(d->users.at(user))->lastPlanId = planId;
}

std::pair<std::int64_t, std::int64_t> Engine::quotaUsage(
    std::string_view userId, std::string_view metric, TimeMs ts) const
{
    const auto it = std::find(d->metrics.begin(), d->metrics.end(), metric);
    const std::uint32_t user = d->dictionary->find(Field::User, userId);
    if (it == d->metrics.end() || user == UINT32_MAX || user == 0 || user >= d->users.size())
        return { 0, -1 };
    const auto& state = *reinterpret_cast<const UserHeader*>(d->users.at(user));
    if (!(state.flags & FlagSeen))
        return { 0, -1 };
    const int index = static_cast<int>(it - d->metrics.begin());
    const QuotaUsage& usage = d->userQuota(user)[index];
    const std::int64_t used = usage.cycle == cycleStart(d->policy, ts) ? usage.used : 0;
    return { used, d->effectiveLimit(user, index, ts) };
}

} // namespace qc::enforcement
