import assert from 'node:assert/strict';
import { matchName } from '../../src/licensing/names';

const envs = ['Contoso Sales (Prod)', 'Contoso HR (Managed)', 'Field Service (Dev)', 'Finance (Pay-as-you-go)', 'Operations'];
const match = (q: string) => matchName(q, envs, (e) => [e]);

describe('forgiving names', () => {
  it('matches by case, accents, word prefixes and typos', () => {
    for (const q of ['contoso sales (prod)', 'CONTÖSO SALES', 'sales prod', 'salse prod', 'Contoso Sales', 'sales']) {
      assert.deepEqual(match(q), { kind: 'match', item: 'Contoso Sales (Prod)' }, q);
    }
    assert.deepEqual(match('opertions'), { kind: 'match', item: 'Operations' });
    assert.deepEqual(match('fin'), { kind: 'match', item: 'Finance (Pay-as-you-go)' });
  });

  it('says when a name is ambiguous or unknown, with candidates', () => {
    assert.deepEqual(match('contoso'), { kind: 'ambiguous', candidates: ['Contoso Sales (Prod)', 'Contoso HR (Managed)'] });
    const none = match('marketing');
    assert.equal(none.kind, 'none');
    assert.ok(none.kind === 'none' && none.suggestions.length > 0 && none.suggestions.length <= 3);
  });
});
