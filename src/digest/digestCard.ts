import type { EnvironmentReport, Finding, LicensingReport } from '../licensing/report';
import { auditLogLine } from '../launches/auditCaveats';
import { bound, money, plural, signed, utcMinute } from '../licensing/wording';
import { ruleCitation } from '../licensing/rules';
import { environmentStatus, needFirst, overParts } from '../licensing/figures';
import { bestOfEach, combinedSaving } from '../licensing/advice';
import { groupFindings, overUnknownLine, sourceEvidence, TOP_FINDINGS } from '../conversation/findingItems';
import type { CardView } from '../cards/render';
import { monthFiguresOf, type MonthFigures } from '../licensing/months';
import { lineChart, type LineChart } from '../cards/charts';

/**
 * The weekly digest: per environment this week against the last post (booked, required,
 * overage, idle), new and resolved findings, the three actions that save the most, and
 * buttons to the environment explanations. A quiet week is one line.
 */
export interface DigestSummary {
  at: string;
  environments: Record<string, { name: string; booked: number | null; required: number | null; overage: number | null; idle: number | null }>;
  findings: Record<string, string>;
  /** Per environment id, the figures of its last months (at most MONTHS_KEPT): numbers only, never rows or user names. */
  months?: Record<string, KeptMonth[]>;
}

/** A month's figures as the digest's last post in that month left them, and when that post was (absent in state kept before the date was). */
export type KeptMonth = MonthFigures & { postedAt?: string };

/** Months of figures kept per environment in the digest's state. */
export const MONTHS_KEPT = 6;

export function summarize(report: LicensingReport, at: Date, previous: DigestSummary | null = null): DigestSummary {
  const environments: DigestSummary['environments'] = {};
  const findings: Record<string, string> = {};
  const months: Record<string, KeptMonth[]> = {};
  for (const e of report.environments) {
    environments[e.id] = { name: e.name, booked: e.bookedAsAppPass, required: e.requiredPasses, overage: e.overage, idle: e.unusedPasses };
    for (const f of e.findings) findings[findingKey(f)] = `${e.name}: ${describe(f)}`;
    // This month's figures replace the month's earlier ones; older months stay as they were posted.
    const kept = (previous?.months?.[e.id] ?? []).filter((m) => m.month !== report.month);
    months[e.id] = report.month ? [...kept, { ...monthFiguresOf(e, report.month), postedAt: at.toISOString() }].sort((a, b) => a.month.localeCompare(b.month)).slice(-MONTHS_KEPT) : kept;
  }
  return { at: at.toISOString(), environments, findings, months };
}

export function findingKey(f: Finding): string {
  return [f.code, f.environmentId, f.appId ?? '', f.userPrincipalName ?? ''].join('|');
}

function describe(f: Finding): string {
  const subject = f.appName ?? f.userPrincipalName;
  return `${f.code.toLowerCase().replace(/_/g, ' ')}${subject ? ` (${subject})` : ''}${f.count !== undefined ? `, ${f.count}` : ''} [${ruleCitation(f.rule)}]`;
}

function delta(now: number | null, before: number | null | undefined): string {
  if (now === null) return 'unknown';
  if (before === undefined || before === null || before === now) return String(now);
  return `${now} (${signed(now - before)})`;
}

/** Environments shown before "Show all N environments". */
const ROWS_SHOWN = 5;

export function digestCard(report: LicensingReport, previous: DigestSummary | null, now: Date): { view: CardView; summary: DigestSummary; quiet: boolean } {
  const summary = summarize(report, now, previous);
  const newKeys = Object.keys(summary.findings).filter((k) => !previous || !(k in previous.findings));
  const resolvedKeys = previous ? Object.keys(previous.findings).filter((k) => !(k in summary.findings)) : [];
  const changedEnvs = report.environments.filter((e) => {
    const p = previous?.environments[e.id];
    return !p || p.booked !== e.bookedAsAppPass || p.required !== e.requiredPasses || p.overage !== e.overage || p.idle !== e.unusedPasses;
  });
  const quiet = Boolean(previous) && newKeys.length === 0 && resolvedKeys.length === 0 && changedEnvs.length === 0;
  const since = previous ? `since ${previous.at.slice(0, 10)}` : 'first digest';
  const prices = report.advice.prices;
  const buttons = [...report.environments]
    .sort(needFirst)
    .slice(0, 3)
    .map((e) => ({ title: e.name, environmentId: e.id }));
  // New findings in plain words, grouped as on the environment card, the most urgent first; their rules are evidence.
  const fresh = new Set(newKeys);
  const newItems = report.environments.flatMap((e) => groupFindings(e.findings.filter((f) => fresh.has(findingKey(f))), e).map((item) => ({ ...item, title: `${e.name}: ${item.title}` })));
  newItems.sort((a, b) => Number(b.color === 'Attention') - Number(a.color === 'Attention'));
  const resolved = resolvedKeys.map((k) => previous!.findings[k].replace(/ \[[^\]]*\]$/, ''));
  const best = bestOfEach(report.advice.actions).slice(0, 3);
  // From the audit log, over by expected bookings only: the headline says so, as expected, never as booked (R9). Unknown is never "not over".
  const { over, expectedOver, atZero, unknown } = overParts(report.environments);
  const logLine = auditLogLine(report.sources);
  const rows = [...report.environments].sort(needFirst);
  return {
    summary,
    quiet,
    view: {
      card: 'digest',
      data: {
        title: 'Weekly per-app pass digest',
        subtitle: `${report.month ?? ''} · ${since} · ${utcMinute(now)}${logLine ? ` · ${logLine}` : ''}`,
        quiet,
        quietLine: `Quiet week: nothing changed ${since}.`,
        answer: `${overHeadline(report, over, expectedOver, atZero, unknown)}; ${plural(newItems.length, previous ? 'new finding' : 'finding')}${previous ? `, ${resolvedKeys.length} resolved` : ''}.`,
        answerColor: over.length ? 'Attention' : 'Default',
        environments: rows.map((e, i) => {
          const p = previous?.environments[e.id];
          const status = environmentStatus(e);
          return {
            rowId: `digestEnv${i}`,
            visible: i < ROWS_SHOWN,
            name: e.name,
            figures: `${status.label} · ${e.expected ? `${plural(e.launches ?? 0, 'launch', 'launches')}, expected ${bound(e.expected.passes, 'at least', e)}` : `booked ${delta(e.bookedAsAppPass, p?.booked)}`} · needed ${bound(e.requiredPasses, 'at least', e, (n) => delta(n, p?.required))} · overage ${e.overage ? bound(e.overage, 'at least', e, (n) => delta(n, p?.overage)) : delta(e.overage, p?.overage)} · idle ${e.unusedPasses ? bound(e.unusedPasses, 'at most', e, (n) => delta(n, p?.idle)) : delta(e.unusedPasses, p?.idle)}`,
            months: monthsLine(summary.months?.[e.id] ?? [], Boolean(e.expected)),
            color: status.color === 'Attention' ? 'Attention' : 'Default',
          };
        }),
        moreRows: rows.length > ROWS_SHOWN ? `Show all ${rows.length} environments` : '',
        moreRowIds: rows.slice(ROWS_SHOWN).map((_, i) => `digestEnv${ROWS_SHOWN + i}`),
        trend: digestTrend(report, summary),
        newFindings: newItems.slice(0, TOP_FINDINGS).map((f) => f.title).concat(newItems.length > TOP_FINDINGS ? [`and ${newItems.length - TOP_FINDINGS} more: open an environment below`] : []),
        resolvedFindings: resolved.slice(0, TOP_FINDINGS).concat(resolved.length > TOP_FINDINGS ? [`and ${resolved.length - TOP_FINDINGS} more`] : []),
        newTitle: previous ? `New this week (${newItems.length})` : `Findings (${newItems.length})`,
        resolvedTitle: `Resolved (${resolvedKeys.length})`,
        actionsTitle: best.length ? `Saves up to ~${money(combinedSaving(best), prices)}/month${best.length > 1 ? `, all ${['', '', 'two', 'three'][best.length]} together` : ''}` : '',
        actions: best.map((a) => `${a.title}: ~${money(a.monthlySaving, prices)}/month`),
        // Behind "Why we think so": each line's rule with its label.
        why: [...(logLine ? sourceEvidence(report.sources) : []), ...newItems.slice(0, TOP_FINDINGS).map((f) => `${f.title}: ${f.ruleLine}`), ...best.map((a) => `${a.title} [${ruleCitation(a.rule)}]`)],
        buttons,
      },
    },
  };
}

/**
 * The headline's first half: over (by booking; from the audit log by need), else unknown
 * with why and the fix, else not over; launches needing a pass at 0 allocated (R5: blocked,
 * not overage) and the expected overage (R9: expected, not booked) named beside it.
 */
function overHeadline(report: LicensingReport, over: readonly EnvironmentReport[], expectedOver: readonly EnvironmentReport[], atZero: readonly EnvironmentReport[], unknown: readonly EnvironmentReport[]): string {
  const fromLog = report.environments.some((e) => e.expected);
  const unknownLine = overUnknownLine(report, unknown).replace(/\.$/, '');
  const first = over.length
    ? `Over${fromLog ? ' by need' : ''} in ${over.map((e) => `${e.name} by ${e.overage}`).join(', ')}${unknownLine ? `. ${unknownLine}` : ''}`
    : unknownLine || (fromLog ? 'No environment is over by need' : 'No environment is over its allocation');
  const zero = atZero.map((e) => `${e.name} has 0 allocated, yet ${plural(e.launchesAtZeroAllocation ?? 0, 'launch', 'launches')} there ${e.launchesAtZeroAllocation === 1 ? 'needs' : 'need'} a pass (R5: Microsoft blocks those)`);
  const expected = expectedOver.length ? [`${expectedOver.map((e) => `${e.name} is expected over by ${e.expected!.overage}`).join(', ')} — expected, not booked`] : [];
  return [first, ...zero, ...expected].join('; ');
}

/** The trend of the environments with the most booked, from the months kept: a line each. */
function digestTrend(report: LicensingReport, summary: DigestSummary): LineChart {
  const top = [...report.environments].sort((a, b) => (b.bookedAsAppPass ?? 0) - (a.bookedAsAppPass ?? 0)).slice(0, 4);
  const series = top
    .map((e) => ({ legend: e.name, values: (summary.months?.[e.id] ?? []).flatMap((m) => (m.bookedAsAppPass === null ? [] : [{ x: m.month, y: m.bookedAsAppPass }])) }))
    .filter((s) => s.values.length > 1);
  const months = [...new Set(series.flatMap((s) => s.values.map((v) => v.x)))].sort();
  return lineChart(
    series,
    months.map((m) => ({ title: m, value: series.map((s) => `${s.legend} ${s.values.find((v) => v.x === m)?.y ?? 'unknown'}`).join(' · ') })),
  );
}

/** The months kept, in a line: booked, or (from the audit log, where bookings are unknown) needed. */
function monthsLine(months: readonly KeptMonth[], fromAuditLog: boolean): string {
  if (months.length < 2) return '';
  const figure = (m: KeptMonth) => (fromAuditLog ? m.requiredPasses : m.bookedAsAppPass) ?? 'unknown';
  return `Last months, ${fromAuditLog ? 'needed' : 'booked'}: ${months.map((m) => `${m.month} ${figure(m)}`).join(' · ')}`;
}
