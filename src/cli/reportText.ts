import type { EnvironmentReport, Finding, LicensingReport } from '../licensing/report';
import { RULES } from '../licensing/rules';

/** Terminal and Markdown renderings of a report: the same facts as the cards, in the same order. */

const show = (n: number | null): string => (n === null ? 'unknown' : String(n));

function headline(e: EnvironmentReport): string {
  if (e.payAsYouGo) return 'pay-as-you-go: passes are ignored here';
  if (e.overage === null) return 'allocation unknown';
  if (e.overage > 0) return `OVER by ${e.overage}`;
  if (e.unusedPasses) return `${e.unusedPasses} idle`;
  return 'within allocation';
}

function flags(e: EnvironmentReport): string {
  const managed = e.managed === null ? 'managed: unknown' : e.managed ? 'managed' : 'not managed';
  const payg = e.payAsYouGo === null ? 'PAYG: unknown' : e.payAsYouGo ? 'pay-as-you-go' : 'no PAYG';
  return `${managed}, ${payg}`;
}

function findingTitle(f: Finding): string {
  const subject = f.appName ?? f.userPrincipalName;
  return `${f.code}${subject ? ` — ${subject}` : ''}${f.count !== undefined ? ` (${f.count})` : ''}`;
}

export function renderText(report: LicensingReport): string {
  const out: string[] = [];
  out.push(`PassLens report for ${report.month ?? 'the whole period'}  (generated ${report.generatedAt})`);
  out.push(`Sources: ${report.sources.map((s) => s.description).join('; ')}`);
  for (const s of report.sources) {
    if (s.badRows?.count) {
      out.push(`  ${s.badRows.count} bad row(s) skipped: ${s.badRows.samples.slice(0, 5).map((b) => `line ${b.line}: ${b.reason}`).join('; ')}`);
    }
    for (const w of s.warnings ?? []) out.push(`  note: ${w}`);
  }
  out.push('');
  for (const e of report.environments) {
    out.push(`== ${e.name}  [${flags(e)}]  ${headline(e)}`);
    out.push(`   allocated ${show(e.allocatedPasses)} | booked as AppPass ${e.bookedAsAppPass} | required ${show(e.requiredPasses)} | overage ${show(e.overage)} | unused ${show(e.unusedPasses)}`);
    for (const u of e.unknowns) out.push(`   ? ${u}`);
    for (const f of e.findings) {
      out.push(`   - ${findingTitle(f)}  [${f.rule}, ${f.confidence}]`);
      out.push(`     ${f.explanation}`);
      out.push(`     Fix: ${f.fix}`);
    }
    out.push('');
  }
  if (report.advice.actions.length) {
    out.push('What saves the most:');
    for (const a of report.advice.actions.slice(0, 5)) out.push(`  * ${a.title} (${a.rule}, ~$${a.monthlySaving}/month): ${a.detail}`);
  }
  for (const n of report.advice.notes) out.push(`  note: ${n}`);
  return out.join('\n') + '\n';
}

export function renderMarkdown(report: LicensingReport): string {
  const out: string[] = [];
  out.push(`# PassLens report, ${report.month ?? 'whole period'}`, '');
  out.push(`Sources: ${report.sources.map((s) => s.description).join('; ')}`, '');
  out.push('| Environment | Allocated | Booked as AppPass | Required | Overage | Unused |', '|---|---:|---:|---:|---:|---:|');
  for (const e of report.environments) {
    out.push(`| ${e.name} | ${show(e.allocatedPasses)} | ${e.bookedAsAppPass} | ${show(e.requiredPasses)} | ${show(e.overage)} | ${show(e.unusedPasses)} |`);
  }
  for (const e of report.environments) {
    if (!e.findings.length && !e.unknowns.length) continue;
    out.push('', `## ${e.name}`, '', `${flags(e)}; ${headline(e)}.`, '');
    for (const u of e.unknowns) out.push(`> ${u}`, '');
    for (const f of e.findings) {
      out.push(`- **${findingTitle(f)}** (${f.rule}: ${RULES[f.rule].title}; ${f.confidence})  `);
      out.push(`  ${f.explanation}  `);
      out.push(`  *Fix:* ${f.fix}`);
    }
  }
  if (report.advice.actions.length) {
    out.push('', '## What saves the most', '');
    for (const a of report.advice.actions.slice(0, 5)) out.push(`1. ${a.title} (${a.rule}, about $${a.monthlySaving} a month): ${a.detail}`);
  }
  return out.join('\n') + '\n';
}

/** The CLI's JSON: the documented shape, plus month, unknowns and evidence. */
export function toJson(report: LicensingReport, withApps: boolean): unknown {
  return {
    generatedAt: report.generatedAt,
    month: report.month,
    sources: report.sources,
    totals: report.totals,
    environments: report.environments.map(({ apps, findings, ...e }) => ({
      ...e,
      findings: findings.map(({ environmentId: _env, severity: _s, ...f }) => f),
      ...(withApps ? { apps } : {}),
    })),
    advice: report.advice,
  };
}
