import assert from 'node:assert/strict';
import { goldenUpdateAsked } from '../support/goldenUpdate';

/** PASSLENS_UPDATE_GOLDEN rewrites the goldens only on the golden test's own command line (docs/development.md), never from an inherited environment. */
describe('PASSLENS_UPDATE_GOLDEN', () => {
  const golden = '/repo/test/integration/golden.test.ts';
  const node = ['/usr/bin/node', '/repo/node_modules/.bin/mocha'];
  const on = { PASSLENS_UPDATE_GOLDEN: '1' };

  it('is honoured on the documented command line: the golden test alone', () => {
    assert.equal(goldenUpdateAsked(on, [...node, '--no-config', '-r', 'tsx/cjs', 'test/integration/golden.test.ts'], golden), true);
  });

  it('is ignored when inherited by the whole suite (npm test names no file) or by a run of several files', () => {
    assert.equal(goldenUpdateAsked(on, [...node], golden), false);
    assert.equal(goldenUpdateAsked(on, [...node, '--grep', 'CSV'], golden), false);
    assert.equal(goldenUpdateAsked(on, [...node, 'test/integration/golden.test.ts', 'test/integration/cli.test.ts'], golden), false);
    assert.equal(goldenUpdateAsked(on, [...node, 'test/integration/cli.test.ts'], golden), false);
  });

  it('needs the value 1', () => {
    assert.equal(goldenUpdateAsked({}, [...node, 'test/integration/golden.test.ts'], golden), false);
    assert.equal(goldenUpdateAsked({ PASSLENS_UPDATE_GOLDEN: 'true' }, [...node, 'test/integration/golden.test.ts'], golden), false);
  });
});
