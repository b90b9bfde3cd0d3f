import assert from 'node:assert/strict';
import { RecentUploads } from '../../src/tenant/recentUploads';

describe('recent uploads (what the buttons of an upload answer from)', () => {
  it('keeps the last few, for a while, under ids that differ', () => {
    let now = 0;
    const uploads = new RecentUploads<string>({ keep: 2, ttlMs: 1000, now: () => now });
    const a = uploads.add('a');
    const b = uploads.add('b');
    assert.notEqual(a, b);
    assert.ok(a.length <= 12, 'short: the id rides on every button');
    assert.equal(uploads.get(a), 'a');
    const c = uploads.add('c');
    assert.equal(uploads.get(a), null, 'the oldest goes beyond two');
    assert.equal(uploads.get(b), 'b');
    now = 1001;
    assert.equal(uploads.get(c), null, 'gone after the time to keep');
    assert.equal(uploads.get('never-issued'), null);
  });
});
