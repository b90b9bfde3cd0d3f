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


/** Booked against allocated: green up to the allocation, red beyond it. Only where both are known. */
export function gaugeOf(e: Pick<EnvironmentReport, 'allocatedPasses' | 'bookedAsAppPass'>): GaugeChart {
  const allocated = e.allocatedPasses;
  const booked = e.bookedAsAppPass as number | null;
  const facts = [
    { title: 'Allocated', value: show(allocated) },
    { title: 'Booked as AppPass', value: show(booked) },
  ];
  if (allocated === null || booked === null) return { show: false, value: 0, max: 0, subLabel: '', segments: [], facts };
  const max = Math.max(allocated, booked, 1);
  return {
    show: true,
    value: booked,
    max,
    subLabel: `${booked} of ${allocated} allocated passes booked`,
    segments: [
      { legend: 'Within the allocation', size: allocated, color: 'good' },
      ...(max > allocated ? [{ legend: 'Overage', size: max - allocated, color: 'attention' }] : []),
    ],
    facts,
  };
}

/** Per environment: needed, booked beyond the need, idle (allocated but not booked), for the top environments. */
export function consumptionBars(environments: readonly EnvironmentReport[], top = 8): StackedBars {
  const shown = [...environments].sort((a, b) => Math.max(b.allocatedPasses ?? 0, b.bookedAsAppPass ?? 0) - Math.max(a.allocatedPasses ?? 0, a.bookedAsAppPass ?? 0)).slice(0, top);
  const bars = shown.map((e) => {
    const booked = (e.bookedAsAppPass as number | null) ?? 0;
    const needed = e.requiredPasses;
    const idle = e.unusedPasses ?? 0;
    const data =
      needed === null
        ? [{ legend: 'Booked (need unknown)', value: booked, color: 'neutral' }]
        : [
            { legend: 'Needed', value: Math.min(needed, booked), color: 'categoricalBlue' },
            { legend: 'Booked beyond need', value: Math.max(0, booked - needed), color: 'warning' },
          ];
    return { title: e.name, data: [...data, { legend: 'Idle', value: idle, color: 'good' }].filter((d) => d.value > 0) };
  });
  return {
    show: bars.some((b) => b.data.length > 0),
    bars,
    facts: shown.map((e) => ({ title: e.name, value: `${show(e.allocatedPasses)} allocated · ${show(e.bookedAsAppPass as number | null)} booked · ${show(e.requiredPasses)} needed · ${show(e.unusedPasses)} idle` })),
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
