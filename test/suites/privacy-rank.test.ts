// The rank test behind the timing side-channel check, against figures from
// scipy.stats.mannwhitneyu(alternative='two-sided', method='asymptotic', use_continuity=True).
import { describe, expect, it } from 'vitest';
import { erfc, mannWhitneyU, median } from '../../src/checks/rank-test.js';

describe('mannWhitneyU', () => {
  it.each([
    { first: [1, 2, 3, 4, 5], second: [6, 7, 8, 9, 10], u: 0, p: 0.012185780355344813 },
    { first: [3.1, 2.2, 5.5, 1.0, 4.4, 2.2], second: [2.2, 6.0, 7.5, 3.1, 8.8], u: 6.5, p: 0.13954714372531585 },
    { first: [1, 1, 1, 2], second: [1, 2, 2, 2, 3], u: 4, p: 0.1399962843155412 },
    { first: Array.from({ length: 40 }, (_, i) => i), second: Array.from({ length: 40 }, (_, i) => i + 25), u: 112.5, p: 3.81109476001981e-11 },
  ])('U $u, p $p as scipy computes them', ({ first, second, u, p }) => {
    const result = mannWhitneyU(first, second);
    expect(result.u).toBe(u);
    expect(result.p).toBeCloseTo(p, 6);
    expect(Math.abs(result.p - p) / p).toBeLessThan(1e-5);
  });

  it('is symmetric: swapping the samples mirrors U and z and keeps p', () => {
    const a = [5.2, 3.3, 8.1, 4.4, 6.0];
    const b = [1.1, 2.9, 3.3, 0.7];
    const ab = mannWhitneyU(a, b);
    const ba = mannWhitneyU(b, a);
    expect(ab.u + ba.u).toBe(a.length * b.length);
    expect(ab.z).toBeCloseTo(-ba.z, 12);
    expect(ab.p).toBeCloseTo(ba.p, 12);
  });

  it('gives p = 1 and z = 0 when every value ties', () => {
    const result = mannWhitneyU([2, 2, 2], [2, 2]);
    expect(result).toMatchObject({ u: 3, z: 0, p: 1 });
  });

  it('separates a 25 ms delay from 2–4 ms timings with a tiny p', () => {
    const fast = Array.from({ length: 40 }, (_, i) => 2 + (i % 7) * 0.3);
    const slow = fast.map((ms) => ms + 25);
    const result = mannWhitneyU(slow, fast);
    expect(result.u).toBe(1600);
    expect(result.p).toBeLessThan(1e-12);
    expect(result.median1 - result.median2).toBeCloseTo(25, 9);
  });

  it('refuses an empty sample', () => {
    expect(() => mannWhitneyU([], [1])).toThrow(/at least one value/);
  });
});

describe('median and erfc', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('matches known erfc values', () => {
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(1)).toBeCloseTo(0.157299207050285, 7);
    expect(erfc(-1)).toBeCloseTo(1.842700792949715, 7);
    expect(erfc(3) / 2.209049699858544e-5).toBeCloseTo(1, 5);
  });
});
