import { QuestionReader } from '../../src/conversation/understanding';

/**
 * The real reading thread's module (src/conversation/readingWorker.ts) with three sentences
 * that misbehave on cue, as a runaway pattern or a crash would: "stall forever" never
 * returns, "end the thread" stops its thread, "throw secret=hunter2" throws.
 */
const read = QuestionReader.prototype.read;
QuestionReader.prototype.read = function (this: QuestionReader, raw, options) {
  if (raw === 'stall forever') for (;;);
  if (raw === 'end the thread') process.exit(3);
  if (raw === 'throw secret=hunter2') throw new Error('failed on secret=hunter2');
  return read.call(this, raw, options);
};
require('../../src/conversation/readingWorker');
