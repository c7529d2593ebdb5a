/** Geometric mean of positive ratios (how the suites summarise per-program overheads). */
export function geometricMean(ratios: number[]): number {
  return Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
}
