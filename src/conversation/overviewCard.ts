import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import { bound, plural, show } from '../licensing/wording';
import { environmentStatus, needFirst, overParts } from '../licensing/figures';
import type { ViewOf } from '../cards/render';
import { consumptionBars } from '../cards/charts';
import { DROP_REPORT, overUnknownLine, sourceEvidence, subtitle, textColor } from './findingItems';
import { auditLogLine } from '../launches/auditCaveats';
import type { EnvironmentReport } from '../licensing/report';

/** "Overview": every environment's allocation, bookings and need, the worst first in the buttons. */
const ROWS_SHOWN = 5;

export function overviewCard(tenant: AnalyzedTenant): ViewOf<'overview'> {
  const { report } = tenant;
  // From the audit log: over by need is definite, over by expected bookings is said as expected (R9); a part-read month's "not over yet" is unknown.
  const { over, expectedOver, unknown } = overParts(report.environments);
  const unknownLine = report.usageUnknown === null ? overUnknownLine(report, unknown) : '';
  const expected = expectedOver.length ? ` Expected over (from the audit log, not booked) in ${expectedOver.map((e) => `${e.name} by ${bound(e.expected!.overage, 'at least', e)}`).join(', ')}.` : '';
  const byNeed = report.bookingsUnknown ? ' by need' : '';
  const headline = report.usageUnknown !== null
    ? `Launches are unknown (${report.usageUnknown}), so booked, needed, overage and idle passes cannot be told. ${DROP_REPORT}`
    : over.length
      ? `Over${byNeed} in ${plural(over.length, 'environment')}: ${over.map((e) => `${e.name} by ${bound(e.overage, 'at least', e)}`).join(', ')}. Tolerated, not blocked (R5), but worth fixing.${expected}${unknownLine ? ` ${unknownLine}` : ''}`
      : unknownLine
        ? `${unknownLine}${expected}`
        : `No environment is over its allocation${byNeed}.${expected}`;
  // The audit log's caveats are one line on the card and in full behind "Why we think so" (issue 22); other sources' notes stay in sight.
  const fromLog = report.sources.filter((s) => s.kind === 'auditLog');
  const sourceNotes = report.sources.flatMap((s) => [
    ...(s.badRows?.count ? [`${s.badRows.count} row(s) of ${s.description} could not be read: ${s.badRows.samples.slice(0, 5).map((b) => `line ${b.line} (${b.reason})`).join(', ')}.`] : []),
    ...(s.kind === 'auditLog' ? [] : (s.warnings ?? [])),
  ]);
  return {
    card: 'overview',
    data: {
      title: 'Per-app passes, environment by environment',
      subtitle: subtitle(tenant),
      headline,
      headlineColor: report.usageUnknown === null && over.length ? 'Attention' : 'Default',
      totalsNote: totalsNote(report.environments, report.totals.allocatedPasses),
      totals: {
        allocated: show(report.totals.allocatedPasses),
        booked: show(report.totals.bookedAsAppPass),
        // Part of the month read: the total needed counts the days read only.
        required: report.launchesIncomplete && report.totals.requiredPasses !== null ? `at least ${report.totals.requiredPasses}` : show(report.totals.requiredPasses),
        overage: show(report.totals.overage),
        unused: show(report.totals.unusedPasses),
      },
      sourceNotes,
      caveat: auditLogLine(report.sources),
      why: sourceEvidence(fromLog),
      // Adaptive Cards allow 5 actions in a set: the environments most in need; every row also opens its own.
      environmentActions: [...report.environments]
        .sort(needFirst)
        .slice(0, 5)
        .map((e) => ({ id: e.id, name: e.name })),
      chart: consumptionBars(report.environments),
      moreRows: report.environments.length > ROWS_SHOWN ? `Show all ${report.environments.length} environments` : '',
      moreRowIds: report.environments.slice(ROWS_SHOWN).map((_, i) => `env${ROWS_SHOWN + i}`),
      // The first five environments, the ones most in need first; "Show all N" opens the rest on the card.
      environments: [...report.environments].sort(needFirst).map((e, i) => {
        const booked = e.bookedAsAppPass;
        const status = environmentStatus(e);
        return {
          id: e.id,
          rowId: `env${i}`,
          visible: i < ROWS_SHOWN,
          name: e.name,
          status: status.label,
          statusColor: textColor(status.color),
          figures: `${show(e.allocatedPasses)} allocated · ${e.expected ? lowerBound(e.expected.passes, 'expected', e) : `${show(booked)} booked`} · ${lowerBound(e.requiredPasses, 'needed', e)} · ${plural(e.findings.length, 'finding')}`,
        };
      }),
    },
  };
}

/**
 * What the allocated total leaves out, so that it and the rows add up: pay-as-you-go
 * environments ignore passes (R10), so their passes are not counted ("77 of 82: 5 are in
 * Finance (Pay-as-you-go), which ignores passes"). Empty when nothing is left out.
 */
export function totalsNote(environments: readonly EnvironmentReport[], allocatedTotal: number | null): string {
  if (allocatedTotal === null) return '';
  const rows = environments.reduce((s, e) => s + (e.allocatedPasses ?? 0), 0);
  const left = environments.filter((e) => e.payAsYouGo && (e.allocatedPasses ?? 0) > 0);
  if (rows === allocatedTotal || !left.length) return '';
  const where = left.map((e) => `${e.allocatedPasses} in ${e.name}`).join(', ');
  return `Allocated: ${allocatedTotal} of the ${rows} below. Left out: ${where}, ${left.length === 1 ? 'a pay-as-you-go environment, which ignores' : 'pay-as-you-go environments, which ignore'} passes.`;
}

/** "at least 3 needed", "12 needed", or "needed not known yet" rather than "unknown needed". */
function lowerBound(n: number | null, what: string, e: { launchesComplete?: false }): string {
  return n === null ? `${what} not known yet` : `${bound(n, 'at least', e)} ${what}`;
}
