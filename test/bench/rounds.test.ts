import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { combineRounds, median, medianRatio, type RoundFigures } from '../../bench/rounds.js';

const run = (name: string, requestsPerSecond: number, extra: Partial<RoundFigures> = {}) => ({
  name,
  valid: true,
  requestsPerSecond,
  ...extra,
});

describe('bench rounds', () => {
  test('median of odd and even counts, undefined for none', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([]), undefined);
  });

  test('a machine that slows down between rounds does not move the within-round ratio', () => {
    // Round 2 ran on a machine half as fast; each round, ours is exactly twice theirs.
    const rounds = [
      [run('ours', 4000), run('theirs', 2000)],
      [run('ours', 2000), run('theirs', 1000)],
      [run('ours', 4200), run('theirs', 2100)],
    ];
    assert.equal(medianRatio(rounds, 'ours', 'theirs'), 2);
    const ours = combineRounds(rounds.map((r) => r[0]!));
    assert.equal(ours.requestsPerSecond, 4000);
    assert.deepEqual(ours.perRound, [4000, 2000, 4200]);
  });

  test('an invalid round makes the case invalid and is left out of ratios', () => {
    const rounds = [
      [run('ours', 3000, { non200: 0 }), run('theirs', 1000)],
      [
        {
          name: 'ours',
          valid: false,
          invalidReason: '5 non-200',
          requestsPerSecond: 9000,
          non200: 5,
        },
        run('theirs', 1000),
      ],
      [run('ours', 3300, { non200: 0 }), run('theirs', 1100)],
    ];
    const ours = combineRounds(rounds.map((r) => r[0]!));
    assert.equal(ours.valid, false);
    assert.equal(ours.invalidReason, '5 non-200');
    assert.equal(ours.non200, 5);
    assert.equal(medianRatio(rounds, 'ours', 'theirs'), 3);
  });

  test('a ratio of a cost figure can be taken the other way round', () => {
    const rounds = [
      [
        run('ours', 1, { serverCpuUsPerRequest: 200 }),
        run('theirs', 1, { serverCpuUsPerRequest: 500 }),
      ],
    ];
    assert.equal(
      medianRatio(rounds, 'theirs', 'ours', (r) => r.serverCpuUsPerRequest),
      2.5,
    );
  });
});
