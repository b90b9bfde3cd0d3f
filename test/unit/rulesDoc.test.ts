import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { confidenceLabel, RULES } from '../../src/licensing/rules';
import { KNOWN_LIMITS } from '../../src/licensing/limits';

describe('the rule list of docs/rules.md', () => {
  it('lists exactly the rules of rules.ts, with their titles and confidence labels', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'docs', 'rules.md'), 'utf8');
    const block = /<!-- rules:start -->([\s\S]*?)<!-- rules:end -->/.exec(readme);
    assert.ok(block, 'docs/rules.md has the rules block');
    const rows = block[1]
      .split('\n')
      .map((line) => /^\|\s*(R\d+)\s*\|\s*(.+?)\s*\|\s*(.+?)\s*\|$/.exec(line.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2], m[3]]);
    assert.deepEqual(rows, Object.values(RULES).map((r) => [r.id, r.title, confidenceLabel(r.confidence)]));
  });

  it('lists the known limits of limits.ts, which the help card shows too', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'docs', 'rules.md'), 'utf8');
    const block = /<!-- limits:start -->([\s\S]*?)<!-- limits:end -->/.exec(readme);
    assert.ok(block, 'docs/rules.md has the limits block');
    const lines = block[1].split('\n').filter((l) => l.startsWith('- '));
    assert.deepEqual(lines, KNOWN_LIMITS.map((l) => `- ${l.text} (${l.rule})`));
  });
});
