import type { EnvironmentReport } from '../licensing/report';
import type { MonthFigures } from '../licensing/months';
import { show } from '../licensing/wording';
import { monthName } from '../licensing/months';

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
  series: { legend: string; color: string; values: { x: string; y: number }[] }[];
  /**
   * The top of the y axis, a multiple of 4 so the renderer's five ticks (0, 1/4, ... 4/4)
   * are whole counts. Chart.Line's yMin/yMax are in the Adaptive Cards charts object model
   * the Agents Playground renders with (@microsoft/m365agentsplayground 0.2.28,
   * LineChart yMin/yMax, five y ticks by default), though Learn's chart page does not list
   * them; a host that ignores it scales to the data as before.
   */
  yMax: number;
  /** "Month", and the months no line has a point for, said to be unknown. */
  xAxisTitle: string;
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

/** Colours for lines that are not one of the four meanings (SERIES): environments, booked, allocated. */
const OTHER_COLOURS = ['categoricalTeal', 'categoricalMarigold', 'categoricalLime', 'categoricalLavender', 'categoricalGreen', 'categoricalLightBlue'] as const;

/**
 * A line chart with whole-count ticks and every line named and coloured: lines without a
 * colour of their own take the next of OTHER_COLOURS, never one of the four meanings.
 * Given the months of the axis, a line is cut where a month has no figure: Chart.Line
 * joins a series' points in order ("Charts in Adaptive Cards" documents no gap or null
 * point; the Agents Playground 0.2.28 renderer draws each series as one path through
 * its points and a null y at 0), so each run of known months is its own series in the
 * line's colour, and only the first run carries the name, so the legend names it once.
 */
export function lineChart(series: readonly { legend: string; color?: string; values: { x: string; y: number }[] }[], facts: Fact[], show = true, axis?: readonly string[]): LineChart {
  let next = 0;
  const coloured = series.map((s) => ({ ...s, color: s.color ?? OTHER_COLOURS[next++ % OTHER_COLOURS.length] }));
  const top = Math.max(0, ...coloured.flatMap((s) => s.values.map((v) => v.y)));
  const unknown = axis ? axis.filter((m) => !coloured.some((s) => s.values.some((v) => v.x === m))) : [];
  return {
    show: show && coloured.length > 0,
    series: axis ? runsOf(coloured, axis) : coloured,
    facts,
    yMax: Math.max(4, Math.ceil(top / 4) * 4),
    xAxisTitle: unknown.length ? `Month (unknown, no point: ${unknown.map(monthName).join(', ')})` : 'Month',
  };
}

/**
 * Each line's runs of consecutive known months on the axis, as series ordered by their
 * first month: the renderer lays out the x labels in the order series first name them,
 * so this order keeps the months in order.
 */
function runsOf(series: readonly LineChart['series'][number][], axis: readonly string[]): LineChart['series'] {
  const at = new Map(axis.map((m, i) => [m, i]));
  const runs = series.flatMap((s) => {
    const out: { start: number; run: LineChart['series'][number] }[] = [];
    let last = -2;
    for (const v of [...s.values].sort((a, b) => (at.get(a.x) ?? 0) - (at.get(b.x) ?? 0))) {
      const i = at.get(v.x) ?? -1;
      if (i !== last + 1 || !out.length) out.push({ start: i, run: { legend: out.length ? '' : s.legend, color: s.color, values: [] } });
      out[out.length - 1].run.values.push(v);
      last = i;
    }
    return out;
  });
  return runs.sort((a, b) => a.start - b.start).map((r) => r.run);
}

/**
 * The five lines with the largest last value, and the rest summed as one "Others (N)" line,
 * so every line has a name the legend can show.
 */
export function topFiveAndOthers(series: readonly { legend: string; values: { x: string; y: number }[] }[]): { legend: string; values: { x: string; y: number }[] }[] {
  const last = (s: { values: { y: number }[] }) => s.values[s.values.length - 1]?.y ?? 0;
  const sorted = [...series].sort((a, b) => last(b) - last(a));
  const rest = sorted.slice(5);
  if (!rest.length) return sorted;
  const xs = [...new Set(rest.flatMap((s) => s.values.map((v) => v.x)))].sort();
  return [...sorted.slice(0, 5), { legend: `Others (${rest.length})`, values: xs.map((x) => ({ x, y: rest.reduce((n, s) => n + (s.values.find((v) => v.x === x)?.y ?? 0), 0) })) }];
}

/** One environment's months as lines: booked, needed (in the shared colour of needed), allocated. Unknown figures are left out of a line, never drawn as 0 nor bridged. */
export function monthsLine(months: readonly MonthFigures[], axis: readonly string[] = months.map((m) => m.month)): LineChart {
  const line = (legend: string, pick: (m: MonthFigures) => number | null, color?: string) => ({
    legend,
    ...(color ? { color } : {}),
    values: months.flatMap((m) => {
      const y = pick(m);
      return y === null ? [] : [{ x: m.month, y }];
    }),
  });
  const series = [line('Booked as AppPass', (m) => m.bookedAsAppPass), line(SERIES.needed.legend, (m) => m.requiredPasses, SERIES.needed.color), line('Allocated', (m) => m.allocatedPasses)].filter((s) => s.values.length > 0);
  return lineChart(
    series,
    months.map((m) => ({ title: m.month, value: monthFacts(m) })),
    axis.length > 1,
    axis,
  );
}

export function monthFacts(m: MonthFigures): string {
  return `booked ${show(m.bookedAsAppPass)} · needed ${show(m.requiredPasses)} · overage ${show(m.overage)} · idle ${show(m.unusedPasses)}`;
}
