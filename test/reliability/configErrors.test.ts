import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';

/**
 * Issue 23, item 9: a malformed storage connection string, PORT=99999 or an invalid HOST
 * ended `npm start` in a stack trace and exit 1. Through the real bin/start.js: every
 * configuration error is one line on stderr that names the setting, exit 2, and a secret
 * in the setting is not repeated.
 */

function start(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [join(__dirname, '../../bin/start.js')], { env: { ...process.env, MicrosoftAppId: '', PASSLENS_ADMINS: '', PASSLENS_CLIENT_ID: '', PORT: '0', PASSLENS_PLAYGROUND_PORT: '0', PASSLENS_DIGEST_TIMER: 'off', ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: child.exitCode, stdout, stderr });
    });
  });
}

const SECRET = 'c2VjcmV0LWFjY291bnQta2V5LXRoYXQtbXVzdC1ub3QtbGVhaw==';

describe('reliability: configuration errors are one line and exit 2 (issue 23, item 9)', function () {
  this.timeout(120_000);
  let taken: Server;
  let takenPort = 0;

  before(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    takenPort = (taken.address() as { port: number }).port;
  });
  after(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  const cases: [string, () => Record<string, string>, RegExp][] = [
    ['PORT=99999', () => ({ PORT: '99999' }), /^PassLens: PORT must be a whole number from 0 to 65535$/],
    ['PORT=abc', () => ({ PORT: 'abc' }), /^PassLens: PORT must be/],
    ['PASSLENS_PLAYGROUND_PORT=70000', () => ({ PASSLENS_PLAYGROUND_PORT: '70000' }), /^PassLens: PASSLENS_PLAYGROUND_PORT must be a whole number/],
    ['a PORT in use', () => ({ PORT: String(takenPort) }), /^PassLens: PORT \d+ is already in use on 127\.0\.0\.1/],
    ['HOST=not..a..host', () => ({ HOST: 'not..a..host' }), /^PassLens: HOST must be an IP address/],
    ['HOST=192.0.2.1 (not this machine\'s)', () => ({ HOST: '192.0.2.1' }), /^PassLens: HOST "192\.0\.2\.1" is not an address of this machine/],
    ['a malformed storage connection string', () => ({ PASSLENS_STORAGE_CONNECTION_STRING: 'garbage' }), /^PassLens: PASSLENS_STORAGE_CONNECTION_STRING is not an Azure Storage connection string/],
    ['a storage connection string with a bad protocol', () => ({ PASSLENS_STORAGE_CONNECTION_STRING: `DefaultEndpointsProtocol=ftp;AccountName=x;AccountKey=${SECRET}` }), /^PassLens: PASSLENS_STORAGE_CONNECTION_STRING is not an Azure Storage connection string/],
  ];
  for (const [name, env, message] of cases) {
    it(`${name}: one line naming the setting, exit 2`, async () => {
      const { code, stdout, stderr } = await start(env());
      assert.equal(code, 2, `exit ${code}; stderr: ${stderr}`);
      const lines = stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, `more than one line:\n${stderr}`);
      assert.match(lines[0], message);
      assert.doesNotMatch(stderr + stdout, /\n\s+at |Error: |c2VjcmV0/, 'a stack trace or the secret');
    });
  }
});
