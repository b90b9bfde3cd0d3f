import assert from 'node:assert/strict';
import { matchName } from '../../src/licensing/names';
import { KeyTable } from '../../src/usage/keyTable';
import { departmentNames } from '../../src/conversation/departmentNames';

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

describe('key table', () => {
  it('folds case beyond ASCII the way toLowerCase does, and trims', () => {
    const t = new KeyTable();
    const a = t.intern('Émile@Contoso.com');
    assert.equal(t.intern('émile@contoso.com'), a);
    assert.equal(t.intern('  ÉMILE@CONTOSO.COM '), a);
    assert.equal(t.key(a), 'émile@contoso.com');
    assert.equal(t.intern('JANE@contoso.com'), t.intern(' jane@contoso.com'));
    assert.notEqual(t.intern('jane@contoso.co'), t.intern('jane@contoso.com'));
    assert.equal(t.size, 3);
  });

  it('gives a key the same number from text and from UTF-8 bytes, blanks and case aside', () => {
    const t = new KeyTable();
    const bytes = (s: string) => Buffer.from(`,${s},`, 'utf8');
    const fromBytes = (s: string) => {
      const b = bytes(s);
      return t.internBytes(b, 1, b.length - 1);
    };
    for (const key of ['jane@contoso.com', 'Émile@Contoso.com', 'ΣΊΣΥΦΟΣ@contoso.com', '3E9D0C2A-0000-4000-9000-000000000249']) {
      const n = t.intern(key);
      assert.equal(fromBytes(key), n, key);
      assert.equal(fromBytes(` ${key.toUpperCase()}\t`), n, `${key} upper case with blanks`);
    }
    const fresh = fromBytes('Zoë@Contoso.com');
    assert.equal(t.key(fresh), 'zoë@contoso.com');
    assert.equal(t.intern('zoë@contoso.com'), fresh);
  });

  it('keeps every key apart through growth', () => {
    const t = new KeyTable(4);
    const ids = Array.from({ length: 5000 }, (_, i) => t.intern(`user${i}@contoso.com`));
    assert.deepEqual(ids, Array.from({ length: 5000 }, (_, i) => i));
    assert.equal(t.intern('USER4999@contoso.com'), 4999);
  });
});

describe('department names across the languages read', () => {
  it('gives an environment named after a department its other names, and no department to a name that only looks like one', () => {
    const other = (words: string[]) => departmentNames(words).map((d) => d.words.join(' '));
    assert.deepEqual(other(['contoso', 'hr', 'managed']), ['human resources', 'rh', 'ressources humaines', 'personalabteilung', 'personalwesen', 'personal']);
    assert.ok(other(['vertrieb', 'emea']).includes('sales'));
    assert.deepEqual(other(['personal', 'productivity', 'default']), [], '"Personal" alone makes no name HR');
    assert.equal(departmentNames(['contoso', 'hr']).find((d) => d.words.join(' ') === 'personal')?.needsCapital, true);
  });
});
