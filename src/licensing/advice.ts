import type { Advice, AdviceAction, EnvironmentReport, PassAlternative, PassMove, Prices, UserCostComparison, UserUsage } from './report';
import { money, plural } from './wording';
import { cheaperPerUser } from './passNeed';
import { ruleCitation } from './rules';
import { confirmNotManaged, passesFreedBySettingOff, PER_APP_SETTING, perAppSettingWhere } from './findings';

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
export function planAdvice(
  environments: readonly EnvironmentReport[],
  users: readonly UserUsage[],
  moves: PassMove[],
  prices: Prices,
  usersNeedingPasses: ReadonlyMap<string, number> = new Map(),
): Advice {
  const perUser = users.filter((u) => !u.coveredPerUser && u.passesNeeded > 0).map((u) => compareUserCost(u.userPrincipalName, u.passesNeeded, prices));
  const actions: AdviceAction[] = [];
  for (const c of perUser) {
    if (c.cheaper !== 'per-user') continue;
    actions.push({
      title: `License ${c.userPrincipalName} per user`,
      detail: `Needs ${c.passesNeeded} passes (${money(c.perAppCost, prices)}); Power Apps Premium costs ${money(c.perUserCost, prices)}.`,
      rule: 'R14',
      monthlySaving: c.perAppCost - c.perUserCost,
      costRemoved: c.perAppCost,
      alternativesOf: `user ${c.userPrincipalName}`,
      userPrincipalName: c.userPrincipalName,
    });
  }
  for (const m of moves) {
    actions.push({
      title: `Move ${m.passes} passes from ${m.fromEnvironmentName} to ${m.toEnvironmentName}`,
      detail: `Idle in ${m.fromEnvironmentName}, short in ${m.toEnvironmentName}${m.coversOverage ? ': covers the overage' : ''}. Avoids buying ${m.passes} passes.`,
      rule: 'R2',
      // An avoided purchase: the overage passes Microsoft expects to be bought.
      monthlySaving: m.passes * prices.perAppPass,
      costRemoved: m.passes * prices.perAppPass,
      alternativesOf: `environment ${m.toEnvironmentId}`,
      environmentId: m.toEnvironmentId,
    });
  }
  for (const env of environments) {
    const { apps, passes: freed } = passesFreedBySettingOff(env.findings);
    if (freed > 0) {
      // The allocation can fall to what is still booked, never below 0: the saving is the passes that go, at most all of them.
      const allocated = env.allocatedPasses ?? 0;
      const stillBooked = Math.max(0, (env.bookedAsAppPass ?? 0) - freed);
      const released = Math.max(0, allocated - stillBooked);
      const overage = env.overage ?? 0;
      actions.push({
        title: `Switch ${PER_APP_SETTING} off on ${apps} standard app${apps === 1 ? '' : 's'} in ${env.name}`,
        detail: `Frees ${freed} bookings that Microsoft 365 rights already cover (R7)${overage > 0 ? `, which ends the overage of ${overage}` : ''}; ${released === allocated ? `all ${allocated}` : `${released} of the ${allocated}`} allocated passes could then go.${perAppSettingWhere(env) ? ` Where: ${PER_APP_SETTING}${perAppSettingWhere(env)}.` : ''} ${confirmNotManaged(env)}`.trimEnd(),
        rule: 'R9',
        monthlySaving: released * prices.perAppPass,
        costRemoved: allocated * prices.perAppPass,
        alternativesOf: `environment ${env.id}`,
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
        monthlySaving: Math.min(doubled, env.allocatedPasses ?? 0) * prices.perAppPass,
        costRemoved: (env.allocatedPasses ?? 0) * prices.perAppPass,
        alternativesOf: `environment ${env.id}`,
        environmentId: env.id,
      });
    }
  }
  const alternatives = passAlternatives(environments, usersNeedingPasses, prices);
  for (const a of alternatives) {
    const saving = a.passesCost - a.payAsYouGoCost;
    if (a.payAsYouGoUpperBound || a.payAsYouGoLowerBound || saving <= 0) continue;
    actions.push({
      title: `Move ${a.environmentName} off passes to pay-as-you-go`,
      detail: `Its ${plural(a.allocatedPasses, 'pass', 'passes')} cost ${money(a.passesCost, prices)} a month; the pay-as-you-go meter would bill this month's launches that need a license ${money(a.payAsYouGoCost, prices)} (it ignores passes, R10, and Microsoft 365 users on standard apps are not metered).`,
      rule: 'R13',
      monthlySaving: saving,
      costRemoved: a.passesCost,
      alternativesOf: `environment ${a.environmentId}`,
      environmentId: a.environmentId,
    });
  }
  actions.sort((a, b) => b.monthlySaving - a.monthlySaving || a.title.localeCompare(b.title));
  return { prices, perUser, moves, alternatives, actions, notes: adviceNotes(prices) };
}

/**
 * The actions grouped by what they are alternatives for (AdviceAction.alternativesOf):
 * each set best option first, the sets best first. The cards, the digest and the CLI all
 * group with this, so they show the same choices and the same total.
 */
export function alternativeSets(actions: readonly AdviceAction[]): AdviceAction[][] {
  const bySaving = (x: AdviceAction, y: AdviceAction) => y.monthlySaving - x.monthlySaving || x.title.localeCompare(y.title);
  const sets = new Map<string, AdviceAction[]>();
  for (const a of actions) sets.set(a.alternativesOf, [...(sets.get(a.alternativesOf) ?? []), a]);
  return [...sets.values()].map((options) => options.sort(bySaving)).sort((x, y) => bySaving(x[0], y[0]));
}

/** The best of each set of alternatives, best first: actions that can all be taken, so their savings add up. */
export function bestOfEach(actions: readonly AdviceAction[]): AdviceAction[] {
  return alternativeSets(actions).map((options) => options[0]);
}

/** The saving of actions that can all be taken: the best of each set of alternatives, summed. */
export function combinedSaving(actions: readonly AdviceAction[]): number {
  return bestOfEach(actions).reduce((s, a) => s + a.monthlySaving, 0);
}

/** A set's titles as read: the one title alone, or "Either switch ...", "or move ...". */
export function optionTitles(options: readonly AdviceAction[]): string[] {
  if (options.length === 1) return [options[0].title];
  return options.map((o, j) => `${j === 0 ? 'Either' : 'or'} ${o.title.charAt(0).toLowerCase()}${o.title.slice(1)}`);
}

/**
 * The one total: "Save up to ~$220/month before buying anything, taking the best option in
 * each of 4 places (where there are alternatives, only one counts)."; '' with nothing to do.
 */
export function combinedSavingSentence(actions: readonly AdviceAction[], perMonth: (amount: number) => string): string {
  const sets = alternativeSets(actions);
  if (!sets.length) return '';
  return `Save up to ${perMonth(combinedSaving(actions))} before buying anything, taking the best option in each of ${plural(sets.length, 'place')}${sets.some((s) => s.length > 1) ? ' (where there are alternatives, only one counts)' : ''}.`;
}

/** R13: per environment with passes, what they cost against pay-as-you-go and Premium for the same needs. */
export function passAlternatives(environments: readonly EnvironmentReport[], usersNeedingPasses: ReadonlyMap<string, number>, prices: Prices): PassAlternative[] {
  return environments
    .filter((e) => !e.payAsYouGo && (e.allocatedPasses ?? 0) > 0 && e.requiredPasses !== null)
    .map((e) => {
      const users = usersNeedingPasses.get(e.id) ?? 0;
      return {
        environmentId: e.id,
        environmentName: e.name,
        allocatedPasses: e.allocatedPasses!,
        passesCost: e.allocatedPasses! * prices.perAppPass,
        payAsYouGoCost: e.requiredPasses! * prices.payAsYouGoPerAppUser,
        payAsYouGoUpperBound: e.managed !== false,
        // A month read in part: the need so far is a floor, so the meter's bill is too, and a saving on it would be overstated.
        ...(e.launchesComplete === false ? { payAsYouGoLowerBound: true as const } : {}),
        usersNeedingPasses: users,
        premiumCost: users * prices.perUserPremium,
        premiumVolumeCost: users * prices.perUserPremiumVolume,
      };
    });
}

/** One line per environment for cards and the CLI: the allocation against the two ways off passes. */
export function alternativeLine(a: PassAlternative, prices: Prices): string {
  // Both bounds at once (managed, and a month read in part) leave no figure worth saying.
  const payg = a.payAsYouGoLowerBound
    ? a.payAsYouGoUpperBound
      ? 'unknown until the month is read in full'
      : `at least ${money(a.payAsYouGoCost, prices)}`
    : `${a.payAsYouGoUpperBound ? 'at most ' : ''}${money(a.payAsYouGoCost, prices)}`;
  const premium = a.usersNeedingPasses
    ? `Premium for its ${plural(a.usersNeedingPasses, 'user')} needing passes ${money(a.premiumCost, prices)} (${money(a.premiumVolumeCost, prices)} at the volume tier)`
    : 'no user needs a pass there this month';
  return `${a.environmentName}: ${plural(a.allocatedPasses, 'pass', 'passes')} ${money(a.passesCost, prices)} · pay-as-you-go ${payg} · ${premium}`;
}

/** "more than 4 passes (equal at 4)" for a price ratio of exactly 4, "more than 2 passes" for 2.4. */
function breakEven(ratio: number): string {
  return Number.isInteger(ratio) ? `more than ${ratio} passes (equal at ${ratio})` : `more than ${Math.floor(ratio)} passes`;
}

/** R13 and R14 at the configured prices: end of sale, and where each license model breaks even. */
export function adviceNotes(prices: Prices): string[] {
  const perApp = money(prices.perAppPass, prices);
  const premium = money(prices.perUserPremium, prices);
  const volume = money(prices.perUserPremiumVolume, prices);
  const payg = money(prices.payAsYouGoPerAppUser, prices);
  return [
    `End of sale (${ruleCitation('R13')}): since 2 January 2026 the per-app pass is no longer sold to new customers through some channels; which channels still sell it (EA renewals and true-ups, MPSA until the agreement ends, CSP again since April 2026) is from field reports. Compare moving off passes (Premium, pay-as-you-go) before buying more.`,
    `Break-even (${ruleCitation('R14')}): Power Apps Premium at ${premium} is cheaper than ${perApp} passes for a user who needs ${breakEven(prices.perUserPremium / prices.perAppPass)}; at the volume tier (${volume}, 2,000+ new licenses) ${breakEven(prices.perUserPremiumVolume / prices.perAppPass)}. Pay-as-you-go at ${payg} per user per app and Premium break even at ${prices.perUserPremium / prices.payAsYouGoPerAppUser} apps per user: beyond that Premium is cheaper.`,
  ];
}
