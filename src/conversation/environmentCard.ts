import type { EnvironmentReport, ExpectedBookings } from '../licensing/report';
import { expectedBookingsLine } from '../licensing/expectedBookings';
import { auditLogLine } from '../launches/auditCaveats';
import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import { bound, plural, show } from '../licensing/wording';
import { passesFreedBySettingOff } from '../licensing/findings';
import { environmentStatus, neededUnknownWhy, unlicensedUsers, type EnvironmentState } from '../licensing/figures';
import type { ViewOf } from '../cards/render';
import { gaugeOf, monthsLine } from '../cards/charts';
import { DROP_REPORT, findingsShown, groupFindings, sourceEvidence, subtitle, textColor, TOP_FINDINGS } from './findingItems';

/** The environment card's answer: the status (environmentStatus) said in a sentence. */
function environmentAnswer(e: EnvironmentReport): { text: string; color: string } {
  const status = environmentStatus(e);
  const { color } = status;
  if (e.expected && !['payg', 'blocked-at-zero'].includes(status.state)) return { text: auditLogAnswer(e, e.expected, status.state), color };
  const misbooked = passesFreedBySettingOff(e.findings).passes;
  if (status.state === 'payg') return { text: `Pay-as-you-go: the ${plural(e.allocatedPasses ?? 0, 'pass', 'passes')} allocated here are ignored; usage is billed per user per app.`, color };
  if (status.state === 'launches-unknown') return { text: `${show(e.allocatedPasses)} passes allocated; how many are booked or needed is unknown, because no usage source answered. ${DROP_REPORT}`, color };
  if (status.state === 'allocation-unknown') return { text: `${e.bookedAsAppPass} launches booked as AppPass; the allocation is unknown, so overage cannot be told.`, color };
  if (status.state === 'blocked-at-zero') return { text: `No passes are allocated here, so Microsoft blocks launches that need one (R5): ${plural(e.launchesAtZeroAllocation ?? 0, 'launch', 'launches')} that did run are not overage but a sign of trials, license lag or a report from another month.`, color };
  if (status.state === 'over') {
    const tail =
      misbooked > 0
        ? ` ${misbooked} of them are standard apps booked because their "Per-app licensing" setting is on; ${e.requiredPasses === null ? `how many launches need a pass is not known yet (${neededUnknownWhy(e)})` : `only ${e.requiredPasses} ${e.requiredPasses === 1 ? 'launch needs' : 'launches need'} a pass`}.`
        : e.managed
          ? ` In a Managed Environment these bookings are correct.`
          : '';
    return { text: `Yes, over by ${e.overage}: ${e.bookedAsAppPass} launches booked as AppPass against ${e.allocatedPasses} passes. Launches still work (passes are not a hard cap).${tail}`, color };
  }
  const used = `${e.bookedAsAppPass} of ${e.allocatedPasses} passes used${e.unusedPasses ? `, ${e.unusedPasses} idle` : ''}`;
  if (status.state === 'unlicensed') return { text: `Within allocation (${used}), but ${plural(unlicensedUsers(e), 'user')} ran premium apps with no pass, per-user license or pay-as-you-go.`, color };
  if (status.state === 'idle') return { text: `Within allocation: ${used}.`, color };
  return { text: `Exactly at allocation: ${used}.`, color };
}

/** From the audit log: need is definite, Microsoft's booking is not known, what it is expected to book is said as expected (R9). */
function auditLogAnswer(e: EnvironmentReport, x: ExpectedBookings, state: EnvironmentState): string {
  // The need not known (managed status or classification): said so with the fix, never "at least 0" or "at least unknown".
  if (e.requiredPasses === null) {
    const allocated = e.allocatedPasses === null ? 'the allocation is unknown too' : `${plural(e.allocatedPasses, 'pass is', 'passes are')} allocated`;
    return `Not known yet: how many passes are needed (${neededUnknownWhy(e)})${e.launchesComplete === false ? ', and part of the month is not read' : ''}; ${allocated}. Launches from the audit log.`;
  }
  // Part of the month read: the need counted is the days read, "at least" (auditCaveats.partRead).
  const need = `the audit log shows ${bound(e.requiredPasses, 'at least', e, (n) => plural(n, 'launch', 'launches'))} that ${e.requiredPasses === 1 ? 'needs' : 'need'} a pass`;
  const perApp = x.byPerAppLicensing ? `, and standard apps with "Per-app licensing" on are expected to take ${x.byPerAppLicensing} more (R9, field reports)` : '';
  if (state === 'allocation-unknown') return `The allocation is unknown, so overage cannot be told: ${need}${perApp}.`;
  if (state === 'part-read') return `Not known yet: part of the month's launches is not read, and so far ${need} against ${e.allocatedPasses} passes${perApp}, so at most ${show(e.unusedPasses)} sit idle.`;
  if (state === 'over') return `Yes, over by ${bound(e.overage, 'at least', e)} by need: ${need} against ${e.allocatedPasses} passes${perApp}. Launches still work (passes are not a hard cap).`;
  if (state === 'expected-over') return `Expected over by ${bound(x.overage, 'at least', e)}${e.overage === null ? '' : ', not by need'}: ${need} against ${e.allocatedPasses} passes${perApp}. Expected, not booked: the Active users report says what Microsoft booked.`;
  return `Within allocation: ${need} against ${e.allocatedPasses} passes${perApp}; ${show(x.passes)} expected to be booked${e.unusedPasses ? `, ${e.unusedPasses} idle` : ''}.`;
}

function flagsLine(e: EnvironmentReport): string {
  const managed = e.managed === null ? 'Managed Environment: unknown' : e.managed ? 'Managed Environment' : 'not a Managed Environment';
  const payg = e.payAsYouGo === null ? 'pay-as-you-go: unknown' : e.payAsYouGo ? 'pay-as-you-go' : 'no pay-as-you-go';
  return `${managed} · ${payg} · ${e.activeUsers === null ? 'launches unknown' : `${e.activeUsers} active users · ${e.launches} user-app launches this month`}`;
}

export function environmentCard(tenant: AnalyzedTenant, e: EnvironmentReport, page?: number): ViewOf<'environment'> {
  const items = groupFindings(e.findings, e);
  const answer = environmentAnswer(e);
  const topApp = e.findings.find((f) => f.appId && (f.code === 'UNCOVERED_PREMIUM_USE' || f.code === 'PREMIUM_FLAG_MISMATCH'))
    ?? (() => {
      const premium = e.apps.filter((a) => a.premium && (a.bookedAsAppPass ?? 0) > 0).sort((a, b) => (b.bookedAsAppPass ?? 0) - (a.bookedAsAppPass ?? 0))[0];
      return premium ? { appId: premium.appId, appName: premium.appName } : undefined;
    })();
  const over = (e.overage ?? 0) > 0;
  return findingsShown(items, page, (shown, steps, note): ViewOf<'environment'> => ({
    card: 'environment',
    data: {
      id: e.id,
      name: e.name,
      subtitle: subtitle(tenant),
      answer: answer.text,
      answerColor: textColor(answer.color),
      // Three figures: what is paid for, what was booked, and the gap between them.
      figures: {
        allocated: show(e.allocatedPasses),
        booked: show(e.bookedAsAppPass),
        required: bound(e.requiredPasses, 'at least', e),
        // Part of the month read: the bound in the label, so the big figure stays a number that fits.
        gapLabel: over ? `Overage${e.launchesComplete === false ? ', at least' : ''}` : `Idle${e.launchesComplete === false && e.unusedPasses ? ', at most' : ''}`,
        gap: over ? String(e.overage) : show(e.unusedPasses),
        gapColor: over ? 'Attention' : 'Default',
      },
      flags: `${flagsLine(e)} · ${e.requiredPasses === null ? 'launches needing a pass by the rules: not known yet' : `${bound(e.requiredPasses, 'at least', e)} ${e.requiredPasses === 1 ? 'launch needs' : 'launches need'} a pass by the rules`}`,
      gauge: gaugeOf(e),
      months: monthsLine(tenant.monthly.environments.find((m) => m.id === e.id)?.months ?? []),
      unknowns: e.unknowns,
      // From the audit log: what is expected is said as expected; what the log cannot see in one line, in full behind "Why we think so" (issue 22).
      caveats: e.expected ? [expectedBookingsLine(e.expected, e)] : [],
      caveat: auditLogLine(tenant.report.sources),
      sources: sourceEvidence(tenant.report.sources.filter((s) => s.kind === 'auditLog')),
      // Nothing found where the need is not known is not "nothing to fix": the unknowns above say what to settle first.
      findingsTitle: items.length ? (page === undefined && items.length > TOP_FINDINGS ? `What to do: the top ${TOP_FINDINGS} of ${items.length}` : 'What to do') : e.requiredPasses === null && e.payAsYouGo !== true ? 'Nothing to fix found so far: the passes needed are not known yet (above).' : 'Nothing to fix here.',
      findings: shown,
      whyIds: ['whyEnvironment', ...shown.map((f) => f.whyId)],
      more: note,
      pageActions: steps.map((s) => ({ ...s, environmentId: e.id })),
      appActions: topApp?.appId ? [{ title: `Explain ${topApp.appName}`, environmentId: e.id, appId: topApp.appId }] : [],
    },
  }));
}
