import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import type { ViewOf } from '../cards/render';
import type { FindingItem } from '../cards/views';
import { groupFindings, pageOfFindings, subtitle } from './findingItems';

/** "Are we over?" and "Which apps are misclassified?": the findings of those kinds, environment by environment. */
export function findingsCard(tenant: AnalyzedTenant, filter: 'misclassified' | 'over', environmentId: string | null, page = 0): ViewOf<'findings'> {
  const envs = tenant.report.environments.filter((e) => !environmentId || e.id === environmentId);
  const codes = filter === 'misclassified' ? ['STANDARD_APP_BOOKED_AS_PASS', 'PREMIUM_FLAG_MISMATCH'] : ['OVERAGE', 'LAUNCHES_AT_ZERO_ALLOCATION', 'UNCOVERED_PREMIUM_USE', 'PAYG_IGNORES_PASSES'];
  const items = envs.flatMap((e) =>
    groupFindings(e.findings.filter((f) => codes.includes(f.code)), e).map((item) => ({ ...item, title: `${e.name}: ${item.title}` })),
  );
  const title = filter === 'misclassified' ? 'Apps booked against their classification' : 'Are we over?';
  const scope = environmentId ? envs[0]?.name : 'all environments';
  const build = (pageItems: readonly FindingItem[], pageIndex: number, pageCount: number): ViewOf<'findings'> => ({
    card: 'findings',
    data: {
      title,
      subtitle: `${scope} · ${subtitle(tenant)}`,
      empty:
        filter === 'misclassified'
          ? 'No app is booked against its classification: every AppPass booking is for a premium app, and the report agrees with the inventory.'
          : 'No. Every environment is within its allocation and all premium use is licensed.',
      findings: pageItems,
      more: pageCount > 1 ? `Page ${pageIndex + 1} of ${pageCount}` : '',
      pageActions: [
        ...(pageIndex > 0 ? [{ title: 'Previous', filter, environmentId: environmentId ?? '', page: pageIndex - 1 }] : []),
        ...(pageIndex < pageCount - 1 ? [{ title: 'More', filter, environmentId: environmentId ?? '', page: pageIndex + 1 }] : []),
      ],
    },
  });
  return pageOfFindings(items, page, build);
}
