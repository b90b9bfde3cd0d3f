/** The faulty reading thread (faultyReadingWorker.ts), 1.5 s slow to start, as on a machine that is: before its reader even trains. */
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1_500);
require('./faultyReadingWorker');
