import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import { compareText } from '../licensing/names';
import { plural, show } from '../licensing/wording';
import { environmentStatus } from '../licensing/figures';
import type { ViewOf } from '../cards/render';
import { consumptionBars } from '../cards/charts';
import { DROP_REPORT, subtitle } from './findingItems';

/** "Overview": every environment's allocation, bookings and need, the worst first in the buttons. */
export function overviewCard(tenant: AnalyzedTenant): ViewOf<'overview'> {
  const { report } = tenant;
  const scale = Math.max(1, ...report.environments.map((e) => Math.max(e.allocatedPasses ?? 0, e.bookedAsAppPass ?? 0)));
  const over = report.environments.filter((e) => (e.overage ?? 0) > 0);
  const headline = report.usageUnknown !== null
    ? `Launches are unknown (${report.usageUnknown}), so booked, needed, overage and idle passes cannot be told. ${DROP_REPORT}`
    : over.length
      ? `Over in ${plural(over.length, 'environment')}: ${over.map((e) => `${e.name} by ${e.overage}`).join(', ')}. Tolerated, not blocked (R5), but worth fixing.`
      : 'No environment is over its allocation.';
  const sourceNotes = report.sources.flatMap((s) => [
    ...(s.badRows?.count ? [`${s.badRows.count} row(s) of ${s.description} could not be read: ${s.badRows.samples.slice(0, 5).map((b) => `line ${b.line} (${b.reason})`).join(', ')}.`] : []),
    ...(s.warnings ?? []),
  ]);
  return {
    card: 'overview',
    data: {
      title: 'Per-app passes, environment by environment',
      subtitle: subtitle(tenant),
      headline,
      headlineColor: report.usageUnknown !== null ? 'Warning' : over.length ? 'Attention' : 'Good',
      totals: {
        allocated: show(report.totals.allocatedPasses),
        booked: show(report.totals.bookedAsAppPass),
        required: show(report.totals.requiredPasses),
        overage: show(report.totals.overage),
        unused: show(report.totals.unusedPasses),
      },
      sourceNotes,
      // Adaptive Cards allow 5 actions in a set: the environments most in need; every row also opens its own.
      environmentActions: [...report.environments]
        .sort((a, b) => (b.overage ?? 0) - (a.overage ?? 0) || b.findings.length - a.findings.length || compareText(a.name, b.name))
        .slice(0, 5)
        .map((e) => ({ id: e.id, name: e.name })),
      chart: consumptionBars(report.environments),
      environments: report.environments.map((e) => {
        const booked = e.bookedAsAppPass;
        const status = environmentStatus(e);
        return {
          id: e.id,
          name: e.name,
          status: status.label,
          statusColor: status.color,
          figures: `${show(e.allocatedPasses)} allocated · ${show(booked)} booked · ${show(e.requiredPasses)} needed · ${plural(e.findings.length, 'finding')}`,
          bar: allocationBar(e.allocatedPasses, booked, scale, Boolean(e.payAsYouGo)),
        };
      }),
    },
  };
}

/**
 * Allocated vs booked as one bar, in column widths out of 100: booked within the
 * allocation, booked beyond it, allocated but idle, and the rest of the common scale.
 * Pay-as-you-go passes are all idle (R10).
 */
export function allocationBar(allocated: number | null, booked: number | null, scale: number, payAsYouGo: boolean): { used: number; over: number; idle: number; rest: number } {
  // Unknown launches: neither use nor idle can be drawn.
  if (booked === null) return { used: 0, over: 0, idle: 0, rest: 100 };
  // Unknown allocation: the booking is drawn, but neither overage nor idle can be told.
  const a = allocated ?? booked;
  const within = payAsYouGo ? 0 : Math.min(booked, a);
  const parts = { used: within, over: payAsYouGo ? booked : Math.max(0, booked - a), idle: payAsYouGo ? a : Math.max(0, a - booked) };
  const width = (n: number) => (n > 0 ? Math.max(1, Math.round((n / scale) * 100)) : 0);
  const used = width(parts.used);
  const over = width(parts.over);
  const idle = width(parts.idle);
  return { used, over, idle, rest: Math.max(0, 100 - used - over - idle) };
}
