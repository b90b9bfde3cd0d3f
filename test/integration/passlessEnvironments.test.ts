import assert from 'node:assert/strict';
import { botHarness, cardText, lastCard } from '../support/botHarness';

/**
 * Environments that cannot take per-app passes (developer: R16; pay-as-you-go: R10) are
 * never short of passes in the bot's answers; each gets one line on what it needs instead.
 */
describe('answers about environments that cannot take passes (real bot)', () => {
  it('"do we need to buy before February?" counts no developer environment as short, and says what it needs', async () => {
    const text = cardText(lastCard(await botHarness().say('do we need to buy before February?')));
    assert.doesNotMatch(text, /passes short|Field Service \(Dev\) 4/);
    assert.match(text, /Passes needed beyond the allocation\n0/);
    assert.equal(text.match(/Field Service \(Dev\) is a developer environment: passes cannot be allocated there; its makers need the free Developer Plan/g)?.length, 1);
  });

  it('asked about the developer or the pay-as-you-go environment itself, the answer is no buying, with the reason', async () => {
    const dev = cardText(lastCard(await botHarness().say('do we need to buy passes for field service before February?')));
    assert.match(dev, /No, not before February: Field Service \(Dev\) is a developer environment/);
    const payg = cardText(lastCard(await botHarness().say('do we need to buy passes for finance before February?')));
    assert.match(payg, /No, not before February: Finance \(Pay-as-you-go\) is pay-as-you-go: it ignores passes/);
  });
});
