/**
 * The Mann–Whitney U test (Wilcoxon rank-sum), two-sided, with the normal
 * approximation corrected for ties and for continuity. Side-channel checks use
 * it to ask whether two sets of timings come from the same distribution: it
 * makes no assumption about their shape, and one slow outlier moves a rank by
 * one place only, so a noisy machine does not fake a difference.
 */
export interface RankTestResult {
  /** Sizes of the two samples. */
  readonly n1: number;
  readonly n2: number;
  /** U of the first sample: how many (first, second) pairs have the first value larger (ties count half). */
  readonly u: number;
  /** The standard score of U under the hypothesis of no difference (0 when every value ties). */
  readonly z: number;
  /** Two-sided p-value of that score. */
  readonly p: number;
  readonly median1: number;
  readonly median2: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The complementary error function, after W. J. Cody's rational Chebyshev
 * approximation as given in Numerical Recipes (erfcc): relative error below
 * 1.2e-7 everywhere, which keeps tiny p-values meaningful.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z - 1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(poly);
  return x >= 0 ? r : 2 - r;
}

/** Two-sided p-value of a standard normal score. */
export function twoSidedP(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

export function mannWhitneyU(first: readonly number[], second: readonly number[]): RankTestResult {
  const n1 = first.length;
  const n2 = second.length;
  if (n1 === 0 || n2 === 0) throw new Error('the rank test needs at least one value in each sample');
  const pooled = [...first.map((value) => ({ value, first: true })), ...second.map((value) => ({ value, first: false }))].sort((a, b) => a.value - b.value);

  // Mid-ranks for ties, and the tie term of the variance: sum of (t^3 - t) over tied groups.
  let rankSumFirst = 0;
  let tieTerm = 0;
  for (let start = 0; start < pooled.length; ) {
    let end = start;
    while (end + 1 < pooled.length && pooled[end + 1]!.value === pooled[start]!.value) end++;
    const size = end - start + 1;
    const midRank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) if (pooled[i]!.first) rankSumFirst += midRank;
    tieTerm += size ** 3 - size;
    start = end + 1;
  }

  const u = rankSumFirst - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const deviation = u - mean;
  // Continuity correction: move half a step towards the mean, never past it.
  const corrected = Math.sign(deviation) * Math.max(0, Math.abs(deviation) - 0.5);
  const z = variance > 0 ? corrected / Math.sqrt(variance) : 0;
  return { n1, n2, u, z, p: variance > 0 ? twoSidedP(z) : 1, median1: median(first), median2: median(second) };
}
