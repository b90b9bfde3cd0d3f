import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { confidenceLabel, RULES, type Rule } from '../../src/licensing/rules';
import { updatedWords, type RuleSource } from '../../src/licensing/ruleSources';
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

  it('links every rule\'s sources as rules.ts has them: Microsoft\'s pages, then field reports', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'docs', 'rules.md'), 'utf8');
    const block = /<!-- sources:start -->([\s\S]*?)<!-- sources:end -->/.exec(readme);
    assert.ok(block, 'docs/rules.md has the sources block');
    const lines = block[1].split('\n').filter((l) => l.startsWith('- '));
    assert.deepEqual(lines, Object.values(RULES).map(sourcesLine));
  });

  it('lists the known limits of limits.ts, which the help card shows too', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'docs', 'rules.md'), 'utf8');
    const block = /<!-- limits:start -->([\s\S]*?)<!-- limits:end -->/.exec(readme);
    assert.ok(block, 'docs/rules.md has the limits block');
    const lines = block[1].split('\n').filter((l) => l.startsWith('- '));
    assert.deepEqual(lines, KNOWN_LIMITS.map((l) => `- ${l.text} (${l.rule})`));
  });
});

/** "- **R1**: Microsoft: [title](url) (FAQ; updated May 2025). Field reports: [title](url) (what it is); words." */
function sourcesLine(rule: Rule): string {
  const item = (s: RuleSource) => {
    const after = [s.part, s.about, s.updated ? updatedWords(s.updated) : null].filter(Boolean).join('; ');
    return `${s.url ? `[${s.title}](${s.url})` : s.title}${after ? ` (${after})` : ''}`;
  };
  const microsoft = rule.sources.filter((s) => s.kind === 'microsoft').map(item);
  const field = rule.sources.filter((s) => s.kind === 'field').map(item);
  const parts = [microsoft.length ? `Microsoft: ${microsoft.join('; ')}.` : '', field.length ? `Field reports: ${field.join('; ')}.` : ''].filter(Boolean);
  return `- **${rule.id}**: ${parts.join(' ') || 'none: nobody has documented this.'}`;
}
