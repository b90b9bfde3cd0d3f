import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import type { EnvironmentReport } from '../licensing/report';
import type { ViewOf } from '../cards/render';
import { bound, plural } from '../licensing/wording';
import { findingsShown, groupFindings, numbered, overUnknownLine, sourceEvidence, subtitle } from './findingItems';
import { launchesUnknown, overParts, takesPasses } from '../licensing/figures';
import { auditLogLine } from '../launches/auditCaveats';

/** "Are we over?" and "Which apps are misclassified?": the answer in a sentence, then the findings of those kinds. */
export function findingsCard(tenant: AnalyzedTenant, filter: 'misclassified' | 'over', environmentId: string | null, page?: number): ViewOf<'findings'> {
  const envs = tenant.report.environments.filter((e) => !environmentId || e.id === environmentId);
  // From the audit log no booking is known: the standard apps expected as AppPass (R9) are the reason to show.
  const codes = filter === 'misclassified' ? ['STANDARD_APP_BOOKED_AS_PASS', 'STANDARD_APP_EXPECTED_AS_PASS', 'PREMIUM_FLAG_MISMATCH'] : ['OVERAGE', 'LAUNCHES_AT_ZERO_ALLOCATION', 'UNCOVERED_PREMIUM_USE', 'STANDARD_APP_EXPECTED_AS_PASS', 'PAYG_IGNORES_PASSES'];
  const items = numbered(
    envs
      .flatMap((e) => groupFindings(e.findings.filter((f) => codes.includes(f.code)), e).map((item) => ({ ...item, title: `${e.name}: ${item.title}` })))
      // Red (what costs money or breaks compliance) first, across environments; stable within.
      .sort((a, b) => Number(b.color === 'Attention') - Number(a.color === 'Attention')),
  );
  const title = filter === 'misclassified' ? 'Apps booked against their classification' : 'Are we over?';
  const scope = environmentId ? envs[0]?.name : 'all environments';
  // From the audit log: over by need is definite; over by expected bookings is said as expected (R9). Unknown is never "not over".
  const { over, expectedOver, unknown } = overParts(envs);
  const unknownLine = overUnknownLine(tenant.report, unknown);
  const expectedLine = expectedOver.length ? ` Expected over (from the audit log, not booked) in ${expectedOver.map((e) => `${e.name} by ${e.expected!.overage}`).join(', ')}: standard apps with "Per-app licensing" on are expected to take passes.` : '';
  // Misclassified bookings need launches too: with none read, "no app is booked against its classification" would be unknown said as no.
  const misclassifiedUnknown =
    filter === 'misclassified' ? overUnknownLine(tenant.report, envs.filter((e) => takesPasses(e) && launchesUnknown(e)), 'has apps booked against their classification') : '';
  const answer =
    filter === 'over'
      ? over.length
        ? `Yes: over in ${over.map((e) => `${e.name} by ${bound(e.overage, 'at least', e)}${e.expected ? ' by need' : ''}`).join(', ')}. Launches still work (passes are not a hard cap), but Microsoft expects the allocation to be adjusted.${expectedLine}${unknownLine ? ` ${unknownLine}` : ''}`
        : unknownLine
          ? `${unknownLine}${expectedLine}`
          : expectedOver.length
          ? `Not over by need.${expectedLine}`
          : items.length
          ? `No environment is over its allocation, but ${plural(items.length, 'finding')} below ${items.length === 1 ? 'needs' : 'need'} a look.`
          : ''
      : items.length
        ? `${plural(items.length, 'finding')} about bookings in ${plural(new Set(items.map((i) => i.environmentId)).size, 'environment')}, what costs passes first.${misclassifiedUnknown ? ` ${misclassifiedUnknown}` : ''}`
        : misclassifiedUnknown;
  // "Which apps are premium in Sales Prod", "which apps are premium?": the answer names the premium apps too, of the environment or of the tenant.
  const inventoryRead = tenant.inventory.apps !== null;
  const classified = filter !== 'misclassified' ? '' : environmentId ? (envs[0] ? ` ${classificationLine(envs[0].apps, `in ${envs[0].name}`, inventoryRead)}` : '') : ` ${classificationLine(envs.flatMap((e) => e.apps), 'across the tenant', inventoryRead)}`;
  const caveat = auditLogLine(tenant.report.sources);
  // From the audit log: the sources in full and every caveat, behind "Why we think so".
  const sources = caveat ? sourceEvidence(tenant.report.sources) : [];
  return findingsShown(items, page, (shown, steps, note): ViewOf<'findings'> => ({
    card: 'findings',
    data: {
      title,
      subtitle: `${scope} · ${subtitle(tenant)}`,
      answer: `${answer}${classified}`.trim(),
      answerColor: over.length && filter === 'over' ? 'Attention' : 'Default',
      caveat,
      sources,
      empty:
        filter === 'misclassified'
          ? misclassifiedUnknown
            ? ''
            : 'No app is booked against its classification: every AppPass booking is for a premium app, and the report agrees with the inventory.'
          : unknownLine
            ? ''
            : 'No. Every environment is within its allocation and all premium use is licensed.',
      findings: shown,
      whyIds: [...shown.map((f) => f.whyId), ...(sources.length ? ['whySources'] : [])],
      more: note,
      pageActions: steps.map((s) => ({ ...s, filter, environmentId: environmentId ?? '' })),
    },
  }));
}

/**
 * Apps by classification, of an environment ("in Contoso Sales (Prod)") or the tenant
 * ("across the tenant"): the premium ones named (three, then how many more), the standard
 * and unknown counted. Without the app inventory only the apps launched are known, so the
 * line says so, and never "no premium app" of apps it has not seen.
 */
function classificationLine(apps: EnvironmentReport['apps'], where: string, inventoryRead: boolean): string {
  if (!inventoryRead && !apps.length) return `Which apps are premium ${where} is not known: the app inventory was not read (read live, PassLens classifies every app).`;
  // An app of the same name in several environments is named once.
  const premium = [...new Set(apps.filter((a) => a.premium === true).map((a) => a.appName))].sort();
  const standard = apps.filter((a) => a.premium === false).length;
  const unknown = apps.filter((a) => a.premium === null).length;
  const named = premium.length > 3 ? `${premium.slice(0, 3).join(', ')} and ${premium.length - 3} more` : premium.join(', ');
  const rest = [standard ? plural(standard, 'standard app') : '', unknown ? `${plural(unknown, 'app')} not classified` : ''].filter(Boolean).join(', ');
  const among = inventoryRead ? where : `${where}, among the apps launched`;
  const line = premium.length ? `Premium ${among}: ${named}${rest ? `; ${rest}` : ''}.` : `No premium app ${among}${rest ? `: ${rest}` : ''}.`;
  return inventoryRead ? line : `${line} The others are not known: the app inventory was not read.`;
}
