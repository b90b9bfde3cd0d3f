import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = join(__dirname, '..', '..');
const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];

/** Relative link targets of a markdown page: `[text](target)` and `![alt](target)`, without the #anchor. */
function relativeLinks(text: string): string[] {
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/i.test(t) && !t.startsWith('#')).map((t) => t.split('#')[0]);
}

describe('the README is one screen, the docs hold the rest', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');

  it('is under 150 lines and shows both commands', () => {
    assert.ok(readme.split('\n').length < 150, `README has ${readme.split('\n').length} lines`);
    assert.ok(readme.includes('npm ci && npm start'));
    assert.ok(readme.includes('npm ci && npm test'));
  });

  it('keeps "What you can ask" as a table of quoted examples', () => {
    const section = /## What you can ask\n([\s\S]*?)\n## /.exec(readme);
    assert.ok(section, 'README has the section');
    const rows = section[1].split('\n').filter((l) => l.startsWith('| "'));
    assert.ok(rows.length >= 10, `${rows.length} example rows`);
  });

  for (const page of pages) {
    it(`${page}: every relative link resolves to a file in the repository`, () => {
      const text = readFileSync(join(root, page), 'utf8');
      for (const target of relativeLinks(text)) {
        assert.ok(existsSync(resolve(root, dirname(page), target)), `${page} links to ${target}, which does not exist`);
      }
    });
  }
});
