import type { Advice, AdviceAction, EnvironmentReport, PassMove, Prices, UserCostComparison, UserUsage } from './report';
import { money } from './wording';
import { cheaperPerUser } from './passNeed';
import { ruleCitation } from './rules';
import { perAppSettingName } from './findings';

export interface PassBalance {
  id: string;
  name: string;
  overage: number;
  /** passes doing nothing: unused, or every pass of a pay-as-you-go environment (R10). */
  idle: number;
}

/**
 * R2: passes cover only their environment, so idle ones are moved to where launches
 * exceed the allocation. Largest overage first, taking from the largest idle pool, so
 * the plan needs as few moves as possible.
 */
export function planPassMoves(balances: readonly PassBalance[]): PassMove[] {
  const donors = balances.filter((b) => b.idle > 0).map((b) => ({ ...b })).sort((a, b) => b.idle - a.idle || a.name.localeCompare(b.name));
  const takers = balances.filter((b) => b.overage > 0).sort((a, b) => b.overage - a.overage || a.name.localeCompare(b.name));
  const moves: PassMove[] = [];
  for (const t of takers) {
    let need = t.overage;
    for (const d of donors) {
      if (need === 0) break;
      if (d.idle === 0 || d.id === t.id) continue;
      const passes = Math.min(need, d.idle);
      d.idle -= passes;
      need -= passes;
      moves.push({ fromEnvironmentId: d.id, fromEnvironmentName: d.name, toEnvironmentId: t.id, toEnvironmentName: t.name, passes, coversOverage: false });
    }
    if (need === 0) for (const m of moves) if (m.toEnvironmentId === t.id) m.coversOverage = true;
  }
  return moves;
}

export function compareUserCost(upn: string, passesNeeded: number, prices: Prices): UserCostComparison {
  const perAppCost = passesNeeded * prices.perAppPass;
  const perUserCost = prices.perUserPremium;
  return {
    userPrincipalName: upn,
    passesNeeded,
    perAppCost,
    perUserCost,
    cheaper: cheaperPerUser(passesNeeded, prices) ? 'per-user' : perAppCost < perUserCost ? 'per-app' : 'equal',
  };
}

/** What-if advice: which actions save the most at list prices, best first. */
export function planAdvice(environments: readonly EnvironmentReport[], users: readonly UserUsage[], moves: PassMove[], prices: Prices): Advice {
  const perUser = users.filter((u) => !u.coveredPerUser && u.passesNeeded > 0).map((u) => compareUserCost(u.userPrincipalName, u.passesNeeded, prices));
  const actions: AdviceAction[] = [];
  for (const c of perUser) {
    if (c.cheaper !== 'per-user') continue;
    actions.push({
      title: `License ${c.userPrincipalName} per user`,
      detail: `Needs ${c.passesNeeded} passes (${money(c.perAppCost, prices)}); Power Apps Premium costs ${money(c.perUserCost, prices)}.`,
      rule: 'R14',
      monthlySaving: c.perAppCost - c.perUserCost,
      userPrincipalName: c.userPrincipalName,
    });
  }
  for (const m of moves) {
    actions.push({
      title: `Move ${m.passes} passes from ${m.fromEnvironmentName} to ${m.toEnvironmentName}`,
      detail: `Idle in ${m.fromEnvironmentName}, short in ${m.toEnvironmentName}${m.coversOverage ? ': covers the overage' : ''}. Avoids buying ${m.passes} passes.`,
      rule: 'R2',
      monthlySaving: m.passes * prices.perAppPass,
      environmentId: m.toEnvironmentId,
    });
  }
  for (const env of environments) {
    const misbooked = env.findings.filter((f) => f.code === 'STANDARD_APP_BOOKED_AS_PASS' && f.rule === 'R9');
    const freed = misbooked.reduce((s, f) => s + (f.count ?? 0), 0);
    if (freed > 0) {
      actions.push({
        title: `Switch ${perAppSettingName(env)} off on ${misbooked.length} standard app${misbooked.length === 1 ? '' : 's'} in ${env.name}`,
        detail: `Frees ${freed} passes that Microsoft 365 rights already cover (R7).${env.managed === null ? ` First confirm ${env.name} is not a Managed Environment: there, never switch it off (R8).` : ''}`,
        rule: 'R9',
        monthlySaving: freed * prices.perAppPass,
        environmentId: env.id,
      });
    }
    const premiumUsers = env.findings.filter((f) => f.code === 'PREMIUM_USER_BOOKED_AS_PASS');
    const doubled = premiumUsers.reduce((s, f) => s + (f.count ?? 0), 0);
    if (doubled > 0) {
      actions.push({
        title: `Stop double licensing in ${env.name}`,
        detail: `${premiumUsers.length} per-user licensed ${premiumUsers.length === 1 ? 'user holds' : 'users hold'} ${doubled} ${doubled === 1 ? 'pass' : 'passes'}.`,
        rule: 'R6',
        monthlySaving: doubled * prices.perAppPass,
        environmentId: env.id,
      });
    }
  }
  actions.sort((a, b) => b.monthlySaving - a.monthlySaving || a.title.localeCompare(b.title));
  const notes = [
    `End of sale (${ruleCitation('R13')}): since 2 January 2026 the per-app pass is no longer sold to new customers through some channels; which channels still sell it (EA renewals and true-ups, MPSA until the agreement ends, CSP again since April 2026) is from field reports. Compare moving off passes before buying more: Power Apps Premium ${money(prices.perUserPremium, prices)} per user, pay-as-you-go ${money(prices.payAsYouGoPerAppUser, prices)} per user per app.`,
  ];
  return { prices, perUser, moves, actions, notes };
}
