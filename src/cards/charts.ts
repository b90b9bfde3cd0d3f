import type { EnvironmentReport } from '../licensing/report';
import type { MonthFigures } from '../licensing/months';
import { show } from '../licensing/wording';

/**
 * The numbers behind the charts Teams draws in Adaptive Cards (Chart.Gauge,
 * Chart.HorizontalBar.Stacked, Chart.Line; shapes as documented in "Charts in Adaptive
 * Cards", https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/charts-in-adaptive-cards),
 * each with the facts of its fallback: a host without charts shows the same numbers as a FactSet.
 */

export interface Fact {
  title: string;
  value: string;
}

export interface GaugeChart {
  show: boolean;
  value: number;
  max: number;
  subLabel: string;
  segments: { legend: string; size: number; color: string }[];
  facts: Fact[];
}

export interface StackedBars {
  show: boolean;
  bars: { title: string; data: { legend: string; value: number; color: string }[] }[];
  facts: Fact[];
}

export interface LineChart {
  show: boolean;
  series: { legend: string; values: { x: string; y: number }[] }[];
  facts: Fact[];
}


/**
 * One meaning per colour on every card and chart (Teams chart colour names, "Charts in
 * Adaptive Cards" data schema): needed passes, passes booked beyond the need, overage
 * (booked beyond the allocation) and idle passes (allocated, not booked).
 */
export const SERIES = {
  needed: { legend: 'Needed', color: 'categoricalBlue', word: 'blue' },
  beyondNeed: { legend: 'Booked beyond need', color: 'categoricalPurple', word: 'purple' },
  overage: { legend: 'Overage', color: 'attention', word: 'red' },
  idle: { legend: 'Idle', color: 'neutral', word: 'grey' },
} as const;

/**
 * Booked against allocated, on a scale from 0 to the larger of the two: the needed part,
 * the part booked beyond need up to the allocation, and overage beyond it, so the
 * allocation is where the red begins and the sub-label names it. The chart draws the legend of these colours.
 */
export function gaugeOf(e: Pick<EnvironmentReport, 'allocatedPasses' | 'bookedAsAppPass' | 'requiredPasses'>): GaugeChart {
  const allocated = e.allocatedPasses;
  const booked = e.bookedAsAppPass as number | null;
  const facts = [
    { title: 'Allocated', value: show(allocated) },
    { title: 'Booked as AppPass', value: show(booked) },
  ];
  if (allocated === null || booked === null) return { show: false, value: 0, max: 0, subLabel: '', segments: [], facts };
  const max = Math.max(allocated, booked, 1);
  const within = Math.min(booked, allocated);
  const needed = Math.min(e.requiredPasses ?? 0, within);
  const segments = [
    { legend: SERIES.needed.legend, size: needed, color: SERIES.needed.color },
    { legend: SERIES.beyondNeed.legend, size: within - needed, color: SERIES.beyondNeed.color },
    { legend: SERIES.idle.legend, size: allocated - within, color: SERIES.idle.color },
    { legend: SERIES.overage.legend, size: max - allocated, color: SERIES.overage.color },
  ].filter((s) => s.size > 0);
  return { show: true, value: booked, max, subLabel: `${booked} booked · allocation ${allocated}${booked > allocated ? ` · ${booked - allocated} over` : ''}`, segments, facts };
}

/**
 * Per environment, one bar as long as the larger of allocated and booked (in a pay-as-you-go
 * environment, both: its passes are ignored): needed, booked beyond need (within the
 * allocation), overage and idle, in the shared colours. The top
 * five environments by size are named; the rest are summed as "Others".
 */
export function consumptionBars(environments: readonly EnvironmentReport[], top = 5): StackedBars {
  const known = environments.filter((e) => e.bookedAsAppPass !== null);
  const sorted = [...known].sort((a, b) => Math.max(b.allocatedPasses ?? 0, b.bookedAsAppPass ?? 0) - Math.max(a.allocatedPasses ?? 0, a.bookedAsAppPass ?? 0));
  const parts = (e: EnvironmentReport) => {
    const booked = e.bookedAsAppPass ?? 0;
    const needed = Math.min(e.requiredPasses ?? booked, booked);
    // Pay-as-you-go ignores passes (R10): every allocated pass is idle and no booking needs one.
    if (e.payAsYouGo) return { needed: 0, beyondNeed: booked, overage: 0, idle: e.allocatedPasses ?? 0 };
    // Unknown allocation: the bookings are drawn, but neither overage nor idle can be told.
    const allocated = e.allocatedPasses ?? booked;
    const within = Math.min(booked, allocated);
    return { needed: Math.min(needed, within), beyondNeed: within - Math.min(needed, within), overage: booked - within, idle: allocated - within };
  };
  const shown = sorted.slice(0, top).map((e) => ({ title: e.name, parts: parts(e) }));
  const rest = sorted.slice(top);
  if (rest.length) {
    const sum = { needed: 0, beyondNeed: 0, overage: 0, idle: 0 };
    for (const e of rest) for (const [k, v] of Object.entries(parts(e))) sum[k as keyof typeof sum] += v;
    shown.push({ title: `Others (${rest.length})`, parts: sum });
  }
  const bars = shown.filter((b) => Object.values(b.parts).some((n) => n > 0)).map((b) => ({
    title: b.title,
    data: (Object.keys(SERIES) as (keyof typeof SERIES)[]).map((k) => ({ legend: SERIES[k].legend, value: b.parts[k], color: SERIES[k].color })).filter((d) => d.value > 0),
  }));
  return {
    show: bars.some((b) => b.data.length > 0),
    bars,
    facts: sorted.map((e) => ({ title: e.name, value: `${show(e.allocatedPasses)} allocated · ${show(e.bookedAsAppPass as number | null)} booked · ${show(e.requiredPasses)} needed · ${show(e.unusedPasses)} idle` })),
  };
}

/** One environment's months as lines: booked, needed, allocated. Unknown figures are left out of a line, never drawn as 0. */
export function monthsLine(months: readonly MonthFigures[]): LineChart {
  const line = (legend: string, pick: (m: MonthFigures) => number | null) => ({
    legend,
    values: months.flatMap((m) => {
      const y = pick(m);
      return y === null ? [] : [{ x: m.month, y }];
    }),
  });
  const series = [line('Booked as AppPass', (m) => m.bookedAsAppPass), line('Needed', (m) => m.requiredPasses), line('Allocated', (m) => m.allocatedPasses)].filter((s) => s.values.length > 0);
  return {
    show: months.length > 1 && series.length > 0,
    series,
    facts: months.map((m) => ({ title: m.month, value: monthFacts(m) })),
  };
}

export function monthFacts(m: MonthFigures): string {
  return `booked ${show(m.bookedAsAppPass)} · needed ${show(m.requiredPasses)} · overage ${show(m.overage)} · idle ${show(m.unusedPasses)}`;
}
