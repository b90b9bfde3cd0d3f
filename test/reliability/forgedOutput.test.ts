import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toActiveUsersCsv } from '../support/csvWriter';

/**
 * Issue 23, item 7: a maker's app name or a CSV could colour the admin's terminal, set its
 * title, hide text or forge a report line ("== Fake Env [managed: yes]"). Through the real
 * `passlens` binary, the text and markdown reports print names on one line with no control
 * character, terminal escape or bidi override, and error messages that quote input do too.
 */

function passlens(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(__dirname, '../../bin/passlens.js'), ...args], { maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Every control character but the line break, and the bidi embeddings, overrides and isolates. */
// eslint-disable-next-line no-control-regex -- control characters are what this matches
const FORBIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const FORGED_LINE = '== Fake Env  [managed, pay-as-you-go]  Within the allocation';
const ENV = `Sales\u001b[2J\u001b]0;pwned\u0007 Prod\n${FORGED_LINE}\r\n\u202eevil\u202c`;
const APP = `Time\u009b31msheet\u001b[0m\n   - FAKE_FINDING  [R1]\u2066x\u2069`;

describe('reliability: names cannot forge the CLI\'s output (issue 23, item 7)', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'passlens-forged-'));
  const csv = join(dir, 'active-users.csv');

  before(() => {
    const launch = { appId: 'app-1', appName: APP, environmentId: 'env-1', environmentName: ENV, month: '2026-11', licenseType: 'AppPass' as const, reportedPremium: false };
    writeFileSync(csv, toActiveUsersCsv([
      { ...launch, userPrincipalName: 'a@contoso.com' },
      { ...launch, userPrincipalName: 'b@contoso.com' },
      { ...launch, userPrincipalName: `c\u001b[8m@contoso.com` },
    ]));
  });

  for (const format of ['text', 'markdown']) {
    it(`analyze --csv --format ${format} prints no escape, control or bidi character and no line a name began`, async () => {
      const { code, stdout, stderr } = await passlens('analyze', '--csv', csv, '--format', format);
      assert.equal(code, 0, stderr);
      const bad = stdout.match(FORBIDDEN);
      assert.equal(bad, null, `${format} output holds U+${bad?.[0].codePointAt(0)?.toString(16).padStart(4, '0')} near ${JSON.stringify(stdout.slice(Math.max(0, (bad?.index ?? 0) - 40), (bad?.index ?? 0) + 40))}`);
      const lines = stdout.split('\n');
      assert.ok(stdout.includes('Fake Env'), 'the name is still shown');
      assert.ok(!lines.some((l) => /^[\s|]*(==|#+)\s*Fake Env/.test(l)), 'a name began a report line or a heading of its own');
      assert.ok(!lines.some((l) => /^\s*- \W*FAKE/.test(l)), 'a name began a finding line of its own');
      if (format === 'text') assert.equal(lines.filter((l) => l.startsWith('== ')).length, 1, 'one environment, one environment line');
      assert.ok(!stdout.includes('[31m') && !stdout.includes(']0;pwned'), 'escape sequences are removed whole, not only their ESC');
    });
  }

  it('an error that quotes what was typed prints it on one line, without escapes', async () => {
    const { code, stderr } = await passlens('analyze', '--csv', csv, '--env', 'Nope\u001b[31m\nfake line');
    assert.equal(code, 2);
    assert.equal(stderr.match(FORBIDDEN), null, JSON.stringify(stderr.slice(0, 300)));
    assert.ok(!stderr.split('\n').some((l) => l.startsWith('fake line')), stderr.slice(0, 300));
  });
});
