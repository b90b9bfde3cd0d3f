import type { EnvironmentReport } from '../licensing/report';
import { change, monthName, unknownMonth, type EnvironmentMonths, type MonthFigures } from '../licensing/months';
import { lineChart, monthsLine, topFiveAndOthers } from '../cards/charts';
import type { ViewOf } from '../cards/render';
import { show, signed } from '../licensing/wording';
import type { AnalyzedTenant } from '../tenant/analyzedTenant';

/**
 * The trend when the launches come from the unified audit log (the launch store, months
 * collected over time): the log does not say what Microsoft booked (bookedAsAppPass is
 * null every month), so months are compared by the passes the rules say are needed, and
 * said to be from the audit log. A month between the first and the last that was not
 * collected, or whose log held no launch, is unknown (null), never 0.
 */

type TrendBase = Omit<ViewOf<'trend'>['data'], 'answer' | 'answerColor' | 'chart'>;

/** Launches from the log and no booking from a report: the trend of need. */
export function trendFromLog(tenant: Pick<AnalyzedTenant, 'report'>): boolean {
  return Boolean(tenant.report.bookingsUnknown) && tenant.report.sources.some((s) => s.kind === 'auditLog');
}

/** Every month from the first to the last, those missing included ("2026-09", "2026-10", "2026-11"). */
export function monthSpan(months: readonly string[]): string[] {
  const sorted = [...months].sort();
  if (!sorted.length) return [];
  const out: string[] = [];
  let [y, m] = sorted[0].split('-').map(Number);
  for (let month = sorted[0]; month <= sorted[sorted.length - 1]; month = `${y}-${String(m).padStart(2, '0')}`) {
    out.push(month);
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
  return out;
}

export function logTrendCard(base: TrendBase, envs: readonly EnvironmentMonths[], months: readonly string[], env: EnvironmentReport | null, focus?: 'autoAssign'): ViewOf<'trend'> {
  const first = months[0];
  const last = months.at(-1)!;
  const read = new Set(envs.flatMap((e) => e.months.map((m) => m.month)));
  const unread = months.filter((m) => !read.has(m));
  const pick = (e: EnvironmentMonths, m: string): MonthFigures => e.months.find((f) => f.month === m) ?? unknownMonth(m);
  const needed = (list: readonly EnvironmentMonths[], m: string): number | null =>
    list.reduce<number | null>((n, e) => {
      const x = pick(e, m).requiredPasses;
      return n === null || x === null ? null : n + x;
    }, 0);
  const missing = unread.length
    ? [`Unknown in ${unread.map(monthName).join(', ')}: not collected from the audit log, or the log held no launch then. To collect a month: passlens analyze --live --month ${unread[0]} (Graph reads back as far as audit retention, the Office 365 feed 7 days), or drop that month's Active users report.`]
    : [];
  const label = 'passes needed by the rules';
  if (focus === 'autoAssign') {
    return {
      card: 'trend',
      data: {
        ...base,
        answer: "I cannot tell from the audit log: it says who launched which app, not what Microsoft booked, so standard-app bookings are unknown. The Active users reports of the months before and after the switch say: drop them into this chat together.",
        answerColor: 'Default',
        chart: lineChart([], [], false),
      },
    };
  }
  const chosen = env ? envs.filter((e) => e.id === env.id) : envs;
  const from = needed(chosen, first);
  const to = needed(chosen, last);
  const byNeed = chosen.filter((e) => e.months.some((m) => (m.requiredPasses ?? 0) > 0)).sort((a, b) => (pick(b, last).requiredPasses ?? 0) - (pick(a, last).requiredPasses ?? 0));
  const series = (e: EnvironmentMonths) => ({ legend: e.name, values: months.flatMap((m) => (pick(e, m).requiredPasses === null ? [] : [{ x: m, y: pick(e, m).requiredPasses as number }])) });
  return {
    card: 'trend',
    data: {
      ...base,
      answer: `${env ? `${env.name} since` : 'Since'} ${monthName(first)}, from the audit log: ${label} ${show(from)} → ${show(to)} (${signed(change(from, to))}). What Microsoft booked is not in the log.`,
      answerColor: 'Default',
      details: [...missing, ...(env ? [] : byNeed.slice(0, 5)).map((e) => `${e.name}: ${months.map((m) => `${m} needed ${show(pick(e, m).requiredPasses)}`).join('; ')}`)],
      chartTitle: env ? 'Needed (from the audit log) and allocated, per month' : 'Passes needed (from the audit log), per month and environment',
      chart: env
        ? monthsLine(months.map((m) => pick(chosen[0] ?? { id: '', name: '', months: [] }, m)))
        : lineChart(
            topFiveAndOthers(byNeed.map(series)),
            months.map((m) => ({ title: m, value: `needed ${show(needed(chosen, m))} (from the audit log)` })),
            true,
            months,
          ),
    },
  };
}
