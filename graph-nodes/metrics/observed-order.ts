// The observed convergence order: the negated least-squares slope of log(error) against
// log(step count or NFE). The order tests and the sweep's legend both use it.
export function observedOrder(counts: readonly number[], errors: readonly number[]): number {
  const xs = counts.map(Math.log);
  const ys = errors.map(Math.log);
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const mx = mean(xs);
  const my = mean(ys);
  let covariance = 0;
  let variance = 0;
  xs.forEach((x, k) => {
    covariance += (x - mx) * (ys[k]! - my);
    variance += (x - mx) ** 2;
  });
  return -covariance / variance;
}
