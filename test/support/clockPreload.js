'use strict';
// Preloaded (node --require) into a process a test starts, from clockEnv() in simulatorDay.ts:
// its JavaScript clock set to PASSLENS_TEST_CLOCK, as setClock does in the test's own process.
const FakeTimers = require('@sinonjs/fake-timers');

const now = Date.parse(process.env.PASSLENS_TEST_CLOCK ?? '');
if (Number.isNaN(now)) throw new Error(`clockPreload.js: PASSLENS_TEST_CLOCK is not a date: "${process.env.PASSLENS_TEST_CLOCK}"`);
const clock = FakeTimers.install({ now, toFake: ['Date'], shouldAdvanceTime: true });
// The interval that advances the clock must not keep the process alive after its work.
clock.attachedInterval?.unref?.();
