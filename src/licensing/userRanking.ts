import type { Environment } from './snapshot';
import type { EnvironmentReport, Prices, UserUsage } from './report';
import { compareText } from './names';
import { cheaperPerUser } from './passNeed';
import type { UsageIndex } from '../usage/usageIndex';
import type { UserFacts, UserTallies } from './usageTally';
import * as F from './findings';

/**
 * Users ranked by the passes they need, most first, then by UPN; and R14: a user whose
 * passes cost more than a per-user license gets CHEAPER_PER_USER, listed under the
 * environment where they need the most passes (passes count in every environment).
 */
export function rankUsers(usage: UsageIndex, tallies: UserTallies, facts: UserFacts, environments: readonly Environment[], reports: ReadonlyMap<string, EnvironmentReport>, prices: Prices): UserUsage[] {
  const userCount = usage.userCount();
  const ranks = usage.userRanks();
  // One number per user, (most passes - passes, UPN rank): a plain numeric sort orders them without a compare function or any string.
  let mostPasses = 0;
  for (const u of tallies.active) mostPasses = Math.max(mostPasses, tallies.passes[u]);
  const inOrder = Float64Array.from(tallies.active, (u) => (mostPasses - tallies.passes[u]) * userCount + ranks[u]).sort();
  const users: UserUsage[] = [];
  for (const key of inOrder) {
    const user = usage.userAtRank(key % userCount);
    const upn = usage.user(user);
    const passes = tallies.passes[user];
    const known = facts.known[user];
    const byEnvironment = [...tallies.passesByEnvironment.of(user)];
    users.push({
      userPrincipalName: upn,
      displayName: known?.displayName,
      licenses: facts.licensesKnown ? (known?.licenses ?? []) : null,
      coveredPerUser: facts.covered[user] === 1,
      coverageBasis: facts.licensesKnown ? 'licenses' : 'report',
      passesNeeded: passes,
      passesByEnvironment: Object.fromEntries(byEnvironment.map(([ordinal, n]) => [environments[ordinal].id, n])),
      bookedAsAppPass: tallies.booked[user],
    });
    if (!cheaperPerUser(passes, prices)) continue;
    let top: Environment | null = null;
    let topPasses = 0;
    const names: string[] = [];
    for (const [ordinal, n] of byEnvironment) {
      const e = environments[ordinal];
      names.push(e.name);
      if (!top || n > topPasses || (n === topPasses && compareText(e.name, top.name) < 0)) [top, topPasses] = [e, n];
    }
    const report = reports.get(top!.id)!;
    report.findings.push(F.cheaperPerUser(report, upn, passes, names, prices));
  }
  return users;
}
