import type { EnvironmentReport } from '../licensing/report';
import { change, monthName, type EnvironmentMonths, type MonthFigures } from '../licensing/months';
import { monthFacts, monthsLine, type LineChart } from '../cards/charts';
import type { ViewOf } from '../cards/render';
import { subtitle } from './answers';
import { show, signed } from '../licensing/wording';
import type { AnalyzedTenant } from '../tenant/analyzedTenant';

/**
 * "trend", "how has Sales Prod changed since September", "did the auto-assign fix work":
 * months side by side, from the figures kept per month (licensing/months.ts).
 */

export interface TrendAsk {
  /** A month number (1-12) said after "since": the latest such month in the data. */
  since?: number;
  /** The question is whether switching auto-assign off brought standard-app bookings down (R9). */
  focus?: 'autoAssign';
}


function moved(label: string, from: number | null, to: number | null): string {
  return `${label} ${show(from)} → ${show(to)} (${signed(change(from, to))})`;
}

/** The months to compare: from the asked one (or the first) to the last. */
function window(months: readonly string[], since: number | undefined): string[] {
  if (since === undefined) return [...months];
  const start = [...months].reverse().find((m) => Number(m.slice(5)) === since);
  return start ? months.filter((m) => m >= start) : [...months];
}

export function trendCard(tenant: AnalyzedTenant, env: EnvironmentReport | null, ask: TrendAsk = {}): ViewOf<'trend'> {
  const { monthly } = tenant;
  const months = window(monthly.months, ask.since);
  const envs: EnvironmentMonths[] = monthly.environments.filter((e) => !env || e.id === env.id);
  const base = {
    title: ask.focus === 'autoAssign' ? 'Did switching auto-assign off work?' : `Trend${env ? `: ${env.name}` : ''}`,
    subtitle: subtitle(tenant),
    details: [] as string[],
    chartTitle: '',
    yAxisTitle: ask.focus === 'autoAssign' ? 'Launches' : 'Passes',
    hint: '',
    buttons: env ? [{ title: `Explain ${env.name}`, environmentId: env.id }] : [],
  };
  const empty: LineChart = { show: false, series: [], facts: [] };
  if (months.length < 2) {
    const only = monthly.months.at(-1) ?? tenant.report.month;
    return {
      card: 'trend',
      data: {
        ...base,
        answer: `There is one month in the data${only ? ` (${monthName(only)})` : ''}: nothing to compare yet.`,
        answerColor: 'Default',
        chart: empty,
        hint: 'Drop the Active users reports of two or more months together (admin center > Licensing > Power Apps > Download reports), or one report that spans months, and ask again.',
      },
    };
  }
  const first = months[0];
  const last = months.at(-1)!;
  const pick = (e: EnvironmentMonths, m: string): MonthFigures | undefined => e.months.find((f) => f.month === m);
  if (ask.focus === 'autoAssign') {
    const total = (m: string) => envs.reduce((n, e) => n + (pick(e, m)?.standardAppsBookedAsPass ?? 0), 0);
    const before = total(first);
    const after = total(last);
    const worked = after < before;
    return {
      card: 'trend',
      data: {
        ...base,
        answer:
          before === 0
            ? `No standard app was booked as AppPass in ${monthName(first)}: there was nothing for auto-assign to fix${env ? ` in ${env.name}` : ''}.`
            : worked
              ? `Yes: standard apps booked as AppPass went from ${before} launches in ${monthName(first)} to ${after} in ${monthName(last)} (${signed(after - before)}).`
              : `Not yet: standard apps booked as AppPass went from ${before} launches in ${monthName(first)} to ${after} in ${monthName(last)}.`,
        answerColor: worked || before === 0 ? 'Good' : 'Attention',
        details: [
          ...(after > 0 && worked ? [`The ${after} left can be launches before the switch: a pass is taken at the first launch in a month (R3) and released when the month ends (R4). Check again next month.`] : []),
          ...(!worked && before > 0 ? ['Check "Auto assign per app passes" on each standard app (Power Apps > the app > Settings > Pass assignment), and whether the environment is managed (R8), where bookings are correct.'] : []),
          ...envs.filter((e) => (pick(e, first)?.standardAppsBookedAsPass ?? 0) + (pick(e, last)?.standardAppsBookedAsPass ?? 0) > 0).map((e) => `${e.name}: ${pick(e, first)?.standardAppsBookedAsPass ?? 0} → ${pick(e, last)?.standardAppsBookedAsPass ?? 0} launches`),
        ],
        chartTitle: 'Standard apps booked as AppPass, per month',
        chart: {
          show: true,
          series: envs.filter((e) => e.months.some((m) => m.standardAppsBookedAsPass > 0)).map((e) => ({ legend: e.name, values: e.months.filter((m) => months.includes(m.month)).map((m) => ({ x: m.month, y: m.standardAppsBookedAsPass })) })),
          facts: months.map((m) => ({ title: m, value: `${total(m)} launches` })),
        },
      },
    };
  }
  if (env) {
    const e = envs[0];
    const from = e && pick(e, first);
    const to = e && pick(e, last);
    const line = monthsLine(e ? e.months.filter((m) => months.includes(m.month)) : []);
    const grew = (to?.overage ?? 0) > (from?.overage ?? 0);
    return {
      card: 'trend',
      data: {
        ...base,
        answer: `${env.name} since ${monthName(first)}: ${moved('booked as AppPass', from?.bookedAsAppPass ?? null, to?.bookedAsAppPass ?? null)}.`,
        answerColor: grew ? 'Attention' : 'Good',
        details: [moved('Overage', from?.overage ?? null, to?.overage ?? null), moved('Idle', from?.unusedPasses ?? null, to?.unusedPasses ?? null), moved('Needed by the rules', from?.requiredPasses ?? null, to?.requiredPasses ?? null)],
        chartTitle: 'Booked, needed and allocated, per month',
        chart: line,
      },
    };
  }
  const top = envs.filter((e) => e.months.some((m) => (m.bookedAsAppPass ?? 0) > 0)).sort((a, b) => (pick(b, last)?.bookedAsAppPass ?? 0) - (pick(a, last)?.bookedAsAppPass ?? 0)).slice(0, 5);
  const sum = (m: string, f: (x: MonthFigures) => number | null) => top.reduce((n, e) => n + (f(pick(e, m) ?? ({} as MonthFigures)) ?? 0), 0);
  return {
    card: 'trend',
    data: {
      ...base,
      answer: `Since ${monthName(first)}: ${moved('booked as AppPass', sum(first, (x) => x.bookedAsAppPass), sum(last, (x) => x.bookedAsAppPass))}, ${moved('overage', sum(first, (x) => x.overage), sum(last, (x) => x.overage))}.`,
      answerColor: sum(last, (x) => x.overage) > sum(first, (x) => x.overage) ? 'Attention' : 'Good',
      details: top.map((e) => `${e.name}: ${months.map((m) => `${m} ${monthFacts(pick(e, m) ?? emptyMonth(m))}`).join(' | ')}`),
      chartTitle: 'Booked as AppPass, per month and environment',
      chart: {
        show: true,
        series: top.map((e) => ({ legend: e.name, values: e.months.filter((m) => months.includes(m.month) && m.bookedAsAppPass !== null).map((m) => ({ x: m.month, y: m.bookedAsAppPass as number })) })),
        facts: months.map((m) => ({ title: m, value: top.map((e) => `${e.name} ${show(pick(e, m)?.bookedAsAppPass ?? null)}`).join(' · ') })),
      },
      buttons: top.slice(0, 3).map((e) => ({ title: e.name, environmentId: e.id })),
    },
  };
}

function emptyMonth(month: string): MonthFigures {
  return { month, allocatedPasses: null, bookedAsAppPass: null, requiredPasses: null, overage: null, unusedPasses: null, activeUsers: null, standardAppsBookedAsPass: 0 };
}
