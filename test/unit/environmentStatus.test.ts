import assert from 'node:assert/strict';
import { environmentStatus } from '../../src/licensing/figures';
import type { EnvironmentReport, Finding } from '../../src/licensing/report';
import { analyzeTenant } from '../../src/tenant/analyzedTenant';
import { fromSnapshot } from '../../src/tenant/tenantData';
import { buildDemoTenant } from '../../src/tenant/demo/demoTenant';
import { renderText } from '../../src/cli/reportText';
import { overviewCard } from '../../src/conversation/overviewCard';

const base: EnvironmentReport = {
  id: 'e1', name: 'Sales', month: '2026-11', environmentType: null, managed: false, payAsYouGo: false, allocatedPasses: 10, bookedAsAppPass: 10,
  requiredPasses: 10, overage: 0, unusedPasses: 0, launchesAtZeroAllocation: null, activeUsers: 5, launches: 12, findings: [], unknowns: [], apps: [],
};
const uncovered = { code: 'UNCOVERED_PREMIUM_USE', rule: 'R7', confidence: [], severity: 'action', environmentId: 'e1', count: 2, detail: null } as unknown as Finding;

describe('environmentStatus: the one status label of an environment', () => {
  const cases: [string, Partial<EnvironmentReport>, string, string, string][] = [
    ['pay-as-you-go first (R10)', { payAsYouGo: true, overage: 3 }, 'payg', 'PAYG: passes ignored', 'Warning'],
    ['0 allocated: blocked, not overage (R5)', { allocatedPasses: 0, launchesAtZeroAllocation: 4 }, 'blocked-at-zero', '0 allocated: 4 should have been blocked', 'Warning'],
    ['allocation unknown', { allocatedPasses: null, overage: null, unusedPasses: null }, 'allocation-unknown', 'allocation unknown', 'Warning'],
    ['over (R5)', { bookedAsAppPass: 13, overage: 3 }, 'over', 'over by 3', 'Attention'],
    ['unlicensed premium use before idle passes', { unusedPasses: 2, findings: [uncovered] }, 'unlicensed', '2 users unlicensed', 'Attention'],
    ['idle passes (R2)', { bookedAsAppPass: 8, unusedPasses: 2 }, 'idle', '2 idle', 'Good'],
    ['at allocation', {}, 'at-allocation', 'at allocation', 'Good'],
  ];
  for (const [name, change, state, label, color] of cases) {
    it(name, () => assert.deepEqual(environmentStatus({ ...base, ...change }), { state, label, color }));
  }

  it('is the label the CLI and the overview card show, for every demo environment', () => {
    const tenant = analyzeTenant(fromSnapshot(buildDemoTenant()), { fetchedAt: new Date() });
    const { report } = tenant;
    const text = [...renderText(report)].join('');
    const card = overviewCard(tenant).data.environments;
    for (const e of report.environments) {
      const { label } = environmentStatus(e);
      assert.ok(text.includes(`== ${e.name}  [`) && text.split('\n').some((l) => l.startsWith(`== ${e.name}  [`) && l.endsWith(label)), e.name);
      assert.equal(card.find((c: { id: string }) => c.id === e.id)!.status, label);
    }
  });
});
