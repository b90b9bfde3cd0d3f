import { strict as assert } from 'node:assert';
import { monthsLine, SERIES } from '../../src/cards/charts';
import type { MonthFigures } from '../../src/licensing/months';

const month = (m: string, booked: number | null, needed: number | null): MonthFigures => ({
  month: m, allocatedPasses: 10, bookedAsAppPass: booked, requiredPasses: needed, overage: null, unusedPasses: null, activeUsers: null, standardAppsBookedAsPass: 0,
});

describe('a month without a figure on the trend chart (report trends: a booking null)', () => {
  it('has no point, and no line is drawn across it: each run of known months is its own series, in the line\'s colour, named once', () => {
    const chart = monthsLine([month('2026-08', 4, 3), month('2026-09', 5, 4), month('2026-10', null, 6), month('2026-11', 7, 6)]);
    const booked = chart.series.filter((s) => s.values.some((v) => v.x === '2026-08' || v.x === '2026-11') && s.color === chart.series[0].color);
    assert.deepEqual(booked.map((s) => s.values.map((v) => `${v.x} ${v.y}`)), [['2026-08 4', '2026-09 5'], ['2026-11 7']], 'booked: August-September, then November alone');
    assert.deepEqual(booked.map((s) => s.legend), ['Booked as AppPass', '']);
    assert.ok(!chart.series.some((s) => s.legend === 'Booked as AppPass' && s.values.some((v) => v.x === '2026-10')), 'no booked point in October');
    const needed = chart.series.filter((s) => s.color === SERIES.needed.color);
    assert.equal(needed.length, 1, 'a line known every month stays one line');
    assert.equal(chart.xAxisTitle, 'Month', 'every month has some figure: none said unknown');
    // The renderer lays out the x labels in the order series first name them.
    assert.deepEqual([...new Set(chart.series.flatMap((s) => s.values.map((v) => v.x)))], ['2026-08', '2026-09', '2026-10', '2026-11']);
  });

  it('a month no line knows is named on the axis as unknown, not bridged', () => {
    const chart = monthsLine([month('2026-09', 5, 4), { ...month('2026-10', null, null), allocatedPasses: null }, month('2026-11', 7, 6)]);
    assert.ok(chart.series.every((s) => s.values.every((v) => v.x !== '2026-10')));
    assert.ok(chart.series.every((s) => s.values.length === 1), 'single points: nothing joins September to November');
    assert.equal(chart.xAxisTitle, 'Month (unknown, no point: October 2026)');
    assert.equal(new Set(chart.series.filter((s) => s.legend).map((s) => s.legend)).size, 3, 'three lines, each named once');
  });
});
