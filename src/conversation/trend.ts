import type { EnvironmentReport } from '../licensing/report';
import { change, monthFiguresOf, monthName, unknownMonth, type EnvironmentMonths, type MonthFigures, type MonthlyFigures } from '../licensing/months';
import { lineChart, monthFacts, monthsLine, topFiveAndOthers } from '../cards/charts';
import type { ViewOf } from '../cards/render';
import { subtitle } from './findingItems';
import { show, signed } from '../licensing/wording';
import { PER_APP_SETTING, PER_APP_SETTING_IN_DEFAULT } from '../licensing/findings';
import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import type { DigestSummary } from '../digest/digestCard';
import { logTrendCard, monthSpan, trendFromLog } from './logTrend';

/**
 * "trend", "how has Sales Prod changed since September", "did the auto-assign fix work":
 * months side by side, from the figures kept per month (licensing/months.ts). The live
 * tenant reads one month; there, the months a weekly digest kept fill those before it.
 */

export interface TrendAsk {
  /** A month number (1-12) said after "since": the latest such month in the data. */
  since?: number;
  /** The question is whether switching auto-assign off brought standard-app bookings down (R9). */
  focus?: 'autoAssign';
}

/**
 * What the weekly digest kept, offered where the tenant's own months may be too few (the
 * live tenant, not an upload): `kept` is the subscription state that kept the most
 * months, null when no subscription kept any.
 */
export interface DigestMonths {
  kept: DigestSummary | null;
}

const DROP_MONTHS = 'Drop the Active users reports of two or more months together (admin center > Licensing > Power Apps > Download reports), or one report that spans months, and ask again.';
const DIGEST_KEEPS =
  'The weekly digest keeps each month\'s figures too: subscribe a channel ("subscribe every monday 8:00"), and once it has posted in two months, trend answers from them.';

/**
 * The tenant's months and, where it lacks them, the months the digest kept, as its last
 * post in each month left them; `added` names those months and when that post was. A
 * tenant that reads no launches now still has this month, with its launches unknown.
 */
export function withDigestMonths(tenant: Pick<AnalyzedTenant, 'monthly' | 'report' | 'fetchedAt'>, kept: DigestSummary): { monthly: MonthlyFigures; added: { month: string; postedAt: string | null }[] } {
  const keptMonths = new Set(Object.values(kept.months ?? {}).flatMap((ms) => ms.map((m) => m.month)));
  const thisMonth = tenant.fetchedAt.toISOString().slice(0, 7);
  const unreadNow = tenant.monthly.months.length === 0 && tenant.report.usageUnknown !== null && !keptMonths.has(thisMonth);
  const own = new Set(unreadNow ? [thisMonth] : tenant.monthly.months);
  const added = new Map<string, string | null>();
  // Every environment of the report: a tenant whose usage is unknown has no months of its own.
  const environments = tenant.report.environments.map((r): EnvironmentMonths => {
    const ownMonths = unreadNow ? [monthFiguresOf(r, thisMonth)] : (tenant.monthly.environments.find((e) => e.id === r.id)?.months ?? []);
    const extra = (kept.months?.[r.id] ?? []).filter((m) => !own.has(m.month));
    for (const { month, postedAt } of extra) {
      const latest = added.get(month);
      if (latest === undefined || (postedAt && (!latest || postedAt > latest))) added.set(month, postedAt ?? null);
    }
    const figures = extra.map(({ postedAt: _posted, ...m }) => m);
    return { id: r.id, name: r.name, months: [...figures, ...ownMonths].sort((a, b) => a.month.localeCompare(b.month)) };
  });
  const months = [...own, ...added.keys()].sort();
  return { monthly: { months, environments }, added: [...added].sort(([a], [b]) => a.localeCompare(b)).map(([month, postedAt]) => ({ month, postedAt })) };
}

/** Which months are the digest's figures and from when, and which are the tenant's own (or unread now, and why). */
function provenance(merged: MonthlyFigures, added: readonly { month: string; postedAt: string | null }[], shown: readonly string[], usageUnknown: string | null): string {
  const list = (xs: string[]) => (xs.length > 1 ? `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}` : xs[0]);
  const digest = added.filter((a) => shown.includes(a.month)).map((a) => `${monthName(a.month)} (${a.postedAt ? `posted ${a.postedAt.slice(0, 10)}` : 'date not kept'})`);
  const ours = merged.months.filter((m) => shown.includes(m) && !added.some((a) => a.month === m)).map(monthName);
  const now =
    usageUnknown === null
      ? ours.length ? `; ${list(ours)}: this tenant's data as read now` : ''
      : `; ${ours.length ? `${list(ours)}: launches not read now` : 'launches now are unknown'} (${usageUnknown})`;
  return `${list(digest)}: the weekly digest's figures, as its last post in ${digest.length > 1 ? 'each month' : 'that month'} left them${now}.`;
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

export function trendCard(tenant: AnalyzedTenant, env: EnvironmentReport | null, ask: TrendAsk = {}, digest?: DigestMonths): ViewOf<'trend'> {
  const merged = digest?.kept ? withDigestMonths(tenant, digest.kept) : null;
  const monthly = merged && merged.added.length ? merged.monthly : tenant.monthly;
  const months = window(monthly.months, ask.since);
  const envs: EnvironmentMonths[] = monthly.environments.filter((e) => !env || e.id === env.id);
  const base = {
    title: ask.focus === 'autoAssign' ? `Did switching ${PER_APP_SETTING} off work?` : `Trend${env ? `: ${env.name}` : ''}`,
    subtitle: subtitle(tenant),
    details: [] as string[],
    chartTitle: '',
    yAxisTitle: ask.focus === 'autoAssign' ? 'Launches' : 'Passes',
    hint: '',
    buttons: env ? [{ title: `Explain ${env.name}`, environmentId: env.id }] : [],
  };
  // From the audit log: need per month, every month from the first collected to the last, those not collected unknown.
  const fromLog = trendFromLog(tenant) ? window(monthSpan(tenant.monthly.months), ask.since) : [];
  if (fromLog.length >= 2) return logTrendCard(base, tenant.monthly.environments, fromLog, env, ask.focus);
  if (months.length < 2) {
    const only = monthly.months.at(-1) ?? tenant.report.month;
    return {
      card: 'trend',
      data: {
        ...base,
        answer: `There is one month in the data${only ? ` (${monthName(only)})` : ''}: nothing to compare yet.`,
        answerColor: 'Default',
        chart: lineChart([], [], false),
        hint: digest ? `${DROP_MONTHS} ${DIGEST_KEEPS}` : DROP_MONTHS,
      },
    };
  }
  const view = compare(base, envs, months, env, ask);
  if (merged?.added.some((a) => months.includes(a.month))) view.data.details = [provenance(merged.monthly, merged.added, months, tenant.report.usageUnknown), ...view.data.details];
  return view;
}

/** The months compared: tenant-wide, one environment, or standard-app bookings (R9). */
function compare(base: Omit<ViewOf<'trend'>['data'], 'answer' | 'answerColor' | 'chart'>, envs: EnvironmentMonths[], months: string[], env: EnvironmentReport | null, ask: TrendAsk): ViewOf<'trend'> {
  const first = months[0];
  const last = months.at(-1)!;
  const pick = (e: EnvironmentMonths, m: string): MonthFigures | undefined => e.months.find((f) => f.month === m);
  /** Standard-app bookings of a month whose launches were read; unknown (null) otherwise, never 0. */
  const standard = (e: EnvironmentMonths, m: string): number | null => {
    const f = pick(e, m);
    return f && f.bookedAsAppPass !== null ? f.standardAppsBookedAsPass : null;
  };
  /** A figure over environments: unknown when any of them does not know it. */
  const sum = (list: readonly EnvironmentMonths[], figure: (e: EnvironmentMonths) => number | null): number | null =>
    list.reduce<number | null>((n, e) => {
      const x = figure(e);
      return n === null || x === null ? null : n + x;
    }, 0);
  const rose = (from: number | null, to: number | null): string => (from === null || to === null ? 'Default' : to > from ? 'Attention' : 'Default');
  if (ask.focus === 'autoAssign') {
    const total = (m: string) => sum(envs, (e) => standard(e, m));
    const before = total(first);
    const after = total(last);
    const unknownIn = [before === null ? first : null, after === null ? last : null].filter((m): m is string => m !== null);
    const worked = before !== null && after !== null && after < before;
    return {
      card: 'trend',
      data: {
        ...base,
        answer:
          before === null || after === null
            ? `I cannot tell yet: standard-app bookings are unknown in ${unknownIn.map(monthName).join(' and ')}, because launches were not read there.`
            : before === 0
              ? `No standard app was booked as AppPass in ${monthName(first)}: there was nothing for switching ${PER_APP_SETTING} off to fix${env ? ` in ${env.name}` : ''}.`
              : worked
                ? `Yes: standard apps booked as AppPass went from ${before} launches in ${monthName(first)} to ${after} in ${monthName(last)} (${signed(after - before)}).`
                : `Not yet: standard apps booked as AppPass went from ${before} launches in ${monthName(first)} to ${after} in ${monthName(last)}.`,
        answerColor: before === null || after === null || worked || before === 0 ? 'Default' : 'Attention',
        details: [
          ...(after !== null && after > 0 && worked ? [`The ${after} left can be launches before the switch: a pass is taken at the first launch in a month (R3) and released when the month ends (R4). Check again next month.`] : []),
          ...(!worked && before !== null && before > 0 && after !== null ? [`Check ${PER_APP_SETTING} on each standard app (Power Apps > the app > Settings; ${PER_APP_SETTING_IN_DEFAULT}), and whether the environment is managed (R8), where bookings are correct.`] : []),
          ...envs.filter((e) => (standard(e, first) ?? 0) + (standard(e, last) ?? 0) > 0).map((e) => `${e.name}: ${show(standard(e, first))} → ${show(standard(e, last))} launches`),
        ],
        chartTitle: 'Standard apps booked as AppPass, per month',
        chart: lineChart(
          topFiveAndOthers(
            envs
              .filter((e) => e.months.some((m) => m.standardAppsBookedAsPass > 0))
              .map((e) => ({ legend: e.name, values: e.months.filter((m) => months.includes(m.month) && m.bookedAsAppPass !== null).map((m) => ({ x: m.month, y: m.standardAppsBookedAsPass })) })),
          ),
          months.map((m) => ({ title: m, value: `${show(total(m))} launches` })),
          true,
          months,
        ),
      },
    };
  }
  if (env) {
    const e = envs[0];
    const from = e && pick(e, first);
    const to = e && pick(e, last);
    const line = monthsLine(e ? e.months.filter((m) => months.includes(m.month)) : [], months);
    return {
      card: 'trend',
      data: {
        ...base,
        answer: `${env.name} since ${monthName(first)}: ${moved('booked as AppPass', from?.bookedAsAppPass ?? null, to?.bookedAsAppPass ?? null)}.`,
        answerColor: rose(from?.overage ?? null, to?.overage ?? null),
        details: [moved('Overage', from?.overage ?? null, to?.overage ?? null), moved('Idle', from?.unusedPasses ?? null, to?.unusedPasses ?? null), moved('Needed by the rules', from?.requiredPasses ?? null, to?.requiredPasses ?? null)],
        chartTitle: 'Booked, needed and allocated, per month',
        chart: line,
      },
    };
  }
  const booking = envs.filter((e) => e.months.some((m) => (m.bookedAsAppPass ?? 0) > 0)).sort((a, b) => (pick(b, last)?.bookedAsAppPass ?? 0) - (pick(a, last)?.bookedAsAppPass ?? 0));
  const top = booking.slice(0, 5);
  const across = (m: string, figure: (x: MonthFigures) => number | null) => sum(top, (e) => {
    const f = pick(e, m);
    return f ? figure(f) : null;
  });
  return {
    card: 'trend',
    data: {
      ...base,
      answer: `Since ${monthName(first)}: ${moved('booked as AppPass', across(first, (x) => x.bookedAsAppPass), across(last, (x) => x.bookedAsAppPass))}, ${moved('overage', across(first, (x) => x.overage), across(last, (x) => x.overage))}.`,
      answerColor: rose(across(first, (x) => x.overage), across(last, (x) => x.overage)),
      details: top.map((e) => `${e.name}: ${months.map((m) => `${m} ${monthFacts(pick(e, m) ?? unknownMonth(m))}`).join('; ')}`),
      chartTitle: 'Booked as AppPass, per month and environment',
      chart: lineChart(
        topFiveAndOthers(booking.map((e) => ({ legend: e.name, values: e.months.filter((m) => months.includes(m.month) && m.bookedAsAppPass !== null).map((m) => ({ x: m.month, y: m.bookedAsAppPass as number })) }))),
        months.map((m) => ({ title: m, value: top.map((e) => `${e.name} ${show(pick(e, m)?.bookedAsAppPass ?? null)}`).join(' · ') })),
        true,
        months,
      ),
      buttons: top.slice(0, 3).map((e) => ({ title: e.name, environmentId: e.id })),
    },
  };
}
