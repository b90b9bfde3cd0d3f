import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import type { EnvironmentReport, Prices } from '../licensing/report';
import type { ViewOf } from '../cards/render';
import type { SpendData } from '../cards/views';
import { money, plural } from '../licensing/wording';
import { ruleCitation } from '../licensing/rules';
import { insteadOfPasses, launchesUnknown, neededUnknownWhy, takesPasses } from '../licensing/figures';
import { MONTHS_A_YEAR, passSpend, type EnvironmentSpend, type NotNeededReason } from '../licensing/spend';
import { PER_APP_SETTING } from '../licensing/findings';
import { whyNoLaunchesNote } from '../launches/liveLaunches';
import { DROP_REPORT, subtitle } from './findingItems';

/**
 * "What do our passes cost?": the passes allocated at the per-app price, per month and per
 * year, what this month's launches need by the rules and what the rest costs
 * (licensing/spend.ts), for the tenant or one environment. A figure not known says so with
 * how to find out, never $0.
 */

/** A figure not known: said so, never $0 (how to find out is among the unknowns). */
const NOT_KNOWN = 'not known yet';

export function spendCard(tenant: AnalyzedTenant, env: EnvironmentReport | null): ViewOf<'spend'> {
  const { report } = tenant;
  const { prices } = report.advice;
  const envs = env ? [env] : report.environments;
  const spend = passSpend(envs, prices);
  const $ = (n: number) => money(n, prices);
  const perMonth = (n: number | null) => (n === null ? NOT_KNOWN : `${$(n)}/month`);
  // Rows: every environment with passes, the largest cost first, an allocation not known last; those with none allocated in one line.
  const rows = spend.environments.filter((r) => r.allocated !== 0).sort((a, b) => (b.perMonth ?? -1) - (a.perMonth ?? -1) || a.environmentName.localeCompare(b.environmentName));
  const none = spend.environments.filter((r) => r.allocated === 0);
  const partRead = spend.partRead ? 'at most ' : '';
  const saving = spend.notNeededPerMonth;
  const unknowns = unknownLines(tenant, envs, spend.environments);
  const cost =
    spend.perMonth === null
      ? `What ${env ? 'its' : 'your'} passes cost is ${NOT_KNOWN}: the allocation of ${namesOf(spend.environments.filter((r) => r.allocated === null))} is not known.${othersCost(spend.environments, prices)}`
      : spend.allocated === 0
        ? `No passes are allocated${env ? ` to ${env.name}` : ''}: nothing is paid for passes.`
        : `${plural(spend.allocated ?? 0, 'pass', 'passes')} cost ${$(spend.perMonth)} a month, ${$(spend.perMonth * MONTHS_A_YEAR)} a year, ${priceWords(spend.listPrice)}.`;
  const rest =
    spend.perMonth === null || spend.allocated === 0
      ? ''
      : saving === null
        ? ` What this month's launches need is ${NOT_KNOWN}, so what could be saved is not either (below)${knownPart(spend.environments, prices)}.`
        : saving === 0
          ? ` This month's launches need every one of them by the rules.`
          : ` ${partRead ? 'At most ' : ''}${$(saving)} a month of it (${plural(spend.notNeeded ?? 0, 'pass', 'passes')}) pays for passes this month's launches do not need by the rules.`;
  const top = [...rows].filter((r) => (r.notNeededPerMonth ?? 0) > 0).sort((a, b) => (b.notNeededPerMonth ?? 0) - (a.notNeededPerMonth ?? 0))[0];
  const data: SpendData = {
    title: env ? `What the passes of ${env.name} cost` : 'What your passes cost',
    subtitle: subtitle(tenant),
    answer: `${cost}${rest}`,
    totals: {
      perMonth: spend.perMonth === null ? NOT_KNOWN : $(spend.perMonth),
      perYear: spend.perMonth === null ? NOT_KNOWN : $(spend.perMonth * MONTHS_A_YEAR),
      savingLabel: `Not needed by the rules, per month${partRead ? ', at most' : ''}`,
      saving: saving === null ? NOT_KNOWN : $(saving),
      // Attention: money paid for nothing (figures.ts: Attention costs money).
      savingColor: saving ? 'Attention' : 'Default',
    },
    facts: [
      { title: 'Passes allocated', value: spend.allocated === null ? NOT_KNOWN : String(spend.allocated) },
      { title: 'Needed by the rules', value: spend.needed === null ? NOT_KNOWN : `${spend.partRead ? 'at least ' : ''}${plural(spend.needed, 'pass', 'passes')} (${perMonth(spend.needed * prices.perAppPass)})` },
      {
        title: 'Not needed',
        // Of one environment, why too: what the rows say of each on the tenant's card.
        value: spend.notNeeded === null ? NOT_KNOWN : `${partRead}${plural(spend.notNeeded, 'pass', 'passes')} (${$((saving ?? 0) * MONTHS_A_YEAR)} a year)${env && spend.environments[0].reasons.length ? `: ${spend.environments[0].reasons.map(reasonWords).join('; ')}` : ''}`,
      },
    ],
    unknowns,
    rowsTitle: env ? '' : 'Per environment (select one to see why)',
    environments: env ? [] : rows.map((r) => ({ id: r.environmentId, name: r.environmentName, cost: perMonth(r.perMonth), figures: rowFigures(r, prices) })),
    noPasses: env || !none.length ? '' : `No passes allocated, so nothing paid for: ${namesOf(none)}.`,
    // One environment that cannot take passes: what its launches need instead (R10, R16), as "do we need to buy" says it.
    notes: [...(env && !takesPasses(env) && (env.requiredPasses ?? 0) > 0 ? [insteadOfPasses(env)] : []), ...shortLines(envs, prices, spend.listPrice), ...priceNotes(spend.listPrice, prices)],
    buttons: env
      ? [
          { title: 'What should we buy here?', verb: 'advice', environmentId: env.id, text: '' },
          { title: `Explain ${env.name}`, verb: 'environment', environmentId: env.id, text: '' },
          { title: "All environments' costs", verb: 'spend', environmentId: '', text: '' },
        ]
      : [
          { title: 'What should we buy?', verb: 'advice', environmentId: '', text: '' },
          { title: 'Which environment wastes the most passes?', verb: 'ask', environmentId: '', text: 'Which environment wastes the most passes?' },
          ...(top ? [{ title: `Explain ${top.environmentName}`, verb: 'environment', environmentId: top.environmentId, text: '' }] : []),
        ],
  };
  return { card: 'spend', data };
}

/** With an allocation not known, what the others cost: " The other 57 passes cost $285 a month."; '' when there are none. */
function othersCost(rows: readonly EnvironmentSpend[], prices: Prices): string {
  const known = rows.filter((r) => r.allocated);
  if (!known.length) return '';
  const passes = known.reduce((n, r) => n + (r.allocated ?? 0), 0);
  return ` The other ${plural(passes, 'pass', 'passes')} cost ${money(passes * prices.perAppPass, prices)} a month.`;
}

/** What is known not to be needed while the rest is not known: "; of what is known, $25 a month is not needed (Finance (Pay-as-you-go))". */
function knownPart(rows: readonly EnvironmentSpend[], prices: Prices): string {
  const known = rows.filter((r) => r.notNeededPerMonth);
  if (!known.length) return '';
  const sum = known.reduce((n, r) => n + (r.notNeededPerMonth ?? 0), 0);
  return `; of what is known, ${known.some((r) => r.partRead) ? 'at most ' : ''}${money(sum, prices)} a month is not needed (${namesOf(known)})`;
}

/** "at list price" unless PassLens was given another price. */
function priceWords(listPrice: boolean): string {
  return listPrice ? 'at list price' : 'at the price PassLens was given';
}

function namesOf(rows: readonly EnvironmentSpend[]): string {
  return rows.map((r) => r.environmentName).join(', ');
}

/** "25 passes · 1 needed · 24 not needed, $120/month: standard apps booked because ..." */
function rowFigures(r: EnvironmentSpend, prices: Prices): string {
  const allocated = r.allocated === null ? `allocation ${NOT_KNOWN}` : plural(r.allocated, 'pass', 'passes');
  if (r.allocated === null) return `${allocated} (admin center > Licensing > Power Apps > Manage capacity)`;
  if (r.needed === null || r.notNeeded === null) return `${allocated} · needed ${NOT_KNOWN}, so not needed ${NOT_KNOWN} either`;
  const needed = `${r.partRead ? 'at least ' : ''}${r.needed} needed`;
  if (!r.notNeeded) return `${allocated} · ${needed} · all needed`;
  const why = r.reasons.map(reasonWords).join('; ');
  return `${allocated} · ${needed} · ${r.partRead ? 'at most ' : ''}${r.notNeeded} not needed, ${money(r.notNeededPerMonth ?? 0, prices)}/month${why ? `: ${why}` : ''}`;
}

function reasonWords(reason: NotNeededReason): string {
  switch (reason.kind) {
    case 'payAsYouGo':
      return 'pay-as-you-go ignores passes (R10)';
    case 'idle':
      return `${reason.passes} idle`;
    case 'perAppSetting':
      return `standard apps booked because ${PER_APP_SETTING} is on (R9)`;
    case 'perUserLicensed':
      return 'users with a per-user license also booked (R6)';
  }
}

/**
 * What is not known yet, why, and how to find out: launches not read (the reason the
 * sources give, or the report to drop), the need of an environment (neededUnknownWhy), an
 * allocation not read. The part of a month read in part is said as "at most" on the figures.
 */
function unknownLines(tenant: AnalyzedTenant, envs: readonly EnvironmentReport[], rows: readonly EnvironmentSpend[]): string[] {
  const { report } = tenant;
  const of = (r: EnvironmentSpend) => envs.find((e) => e.id === r.environmentId)!;
  const noNeed = rows.filter((r) => r.allocated !== null && r.needed === null).map(of);
  const noLaunches = noNeed.filter(launchesUnknown);
  // Every environment with passes to need: "the launches", not a list of them all.
  const all = rows.filter((r) => r.allocated !== 0 && of(r).payAsYouGo !== true).every((r) => noLaunches.some((e) => e.id === r.environmentId));
  const lines: string[] = [];
  if (noLaunches.length) {
    const why = whyNoLaunchesNote(report.sources) ?? (report.usageUnknown !== null ? `Launches are unknown: ${report.usageUnknown}.` : '');
    lines.push(`Not known yet: what ${all ? 'the launches' : `the launches of ${noLaunches.map((e) => e.name).join(', ')}`} need, as they are not read.${why ? ` ${why}${why.endsWith('.') ? '' : '.'}` : ''} Or ${DROP_REPORT[0].toLowerCase()}${DROP_REPORT.slice(1)}`);
  }
  for (const e of noNeed.filter((x) => !noLaunches.includes(x))) lines.push(`Not known yet for ${e.name}: the passes needed (${neededUnknownWhy(e)}).`);
  const noAllocation = rows.filter((r) => r.allocated === null);
  if (noAllocation.length) lines.push(`Not known yet: the allocation of ${namesOf(noAllocation)} (admin center > Licensing > Power Apps > Manage capacity), so what its passes cost.`);
  if (report.launchesIncomplete && rows.some((r) => r.partRead)) lines.push(`${report.launchesIncomplete.split(':')[0]}: the passes needed are at least those shown, so what is not needed is at most.`);
  return lines;
}

/** Where launches need more passes than are allocated: what buying them costs, where the channel still sells them (R13), as the overage's fix says. */
function shortLines(envs: readonly EnvironmentReport[], prices: Prices, listPrice: boolean): string[] {
  return envs
    .filter((e) => takesPasses(e) && e.requiredPasses !== null && e.allocatedPasses !== null && e.requiredPasses > e.allocatedPasses)
    .map((e) => {
      const short = e.requiredPasses! - e.allocatedPasses!;
      return `${e.name} needs ${plural(short, 'pass', 'passes')} more than allocated: ${money(short * prices.perAppPass, prices)}/month ${priceWords(listPrice)}, where your channel still sells them (end of sale for new customers in some channels since January 2026, ${ruleCitation('R13')}).`;
    });
}

/** The price used and where it comes from, and the per-user alternative as the advice states it (R14). */
function priceNotes(listPrice: boolean, prices: Prices): string[] {
  const price = `${money(prices.perAppPass, prices)} per pass (one user, one app) per month`;
  return [
    listPrice
      ? `${price}: Microsoft's list price (${ruleCitation('R14')}), not your contract's; whoever runs PassLens sets your price with PASSLENS_PRICE_PER_APP.`
      : `${price}: the price PassLens was given (PASSLENS_PRICE_PER_APP), not Microsoft's list price.`,
    `Per-app passes are no longer sold to new customers through some channels since January 2026 (${ruleCitation('R13')}): before buying more, compare Power Apps Premium at ${money(prices.perUserPremium, prices)} per user and pay-as-you-go ("What should we buy?").`,
  ];
}
