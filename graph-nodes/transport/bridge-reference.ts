// The reference processes of a Schrödinger bridge (reference §9) and the Gaussian bridges they
// pin between two points. Both references are linear SDEs dX = f(t) X dt + g(t) dW, so every
// transition is Gaussian, X_u | X_s = x ~ N(α(s, u) x, σ²(s, u) I), with
//
//   Brownian  dX = √ε dW:                    α(s, u) = 1,          σ²(s, u) = ε (u − s);
//   VP (OU)   dX = −½β(t) X dt + √(εβ(t)) dW: α(s, u) = e^{−½B(s,u)}, σ²(s, u) = ε (1 − α(s, u)²),
//             B(s, u) = ∫_s^u β = (u − s)(β_min + ½(β_max − β_min)(s + u)),  β(t) linear on [0, 1].
//
// (For the OU process d Var = −β Var dt + εβ dt, so a variance that starts at 0 is ε(1 − α²).) Both
// scale the reference's noise by ε, so that ε is the one regulariser of the static problem whatever
// the reference (bridge-gibbs.ts), and ε = 1 makes the VP reference a diffusion model's forward
// process exactly.
//
// The bridge pinned at X_s = x and X_1 = y. (X_u, X_1) given X_s = x is jointly Gaussian with
// X_1 = α(u,1) X_u + σ(u,1) ξ', so conditioning on X_1 = y (precision 1/σ²(s,u) + α(u,1)²/σ²(u,1)):
//
//   X_u | x, y ~ N(a x + b y, c I),
//   a = α(s,u) σ²(u,1) / σ²(s,1),   b = α(u,1) σ²(s,u) / σ²(s,1),   c = σ²(s,u) σ²(u,1) / σ²(s,1),
//
// using σ²(u,1) + α(u,1)² σ²(s,u) = σ²(s,1) (variances of independent increments add). For the
// Brownian reference this is a = (1 − u)/(1 − s), b = (u − s)/(1 − s), c = ε(u − s)(1 − u)/(1 − s):
// from s = 0 the familiar N((1 − u) x + u y, ε u(1 − u) I). The bridge is Markov, so sampling u
// from s, then the next time from u, … gives one consistent path (sequential conditioning).
//
// Drift of the bridge to y (Doob's h-transform with h = r(y, 1 | x, t), the transition density):
//   f(t) x + g²(t) ∇_x log r(y, 1 | x, t) = f(t) x + g²(t) α(t,1) (y − α(t,1) x) / σ²(t,1),
// which for Brownian motion is (y − x)/(1 − t).
//
// The Brownian formulas are written with ε cancelled (g²/σ² = 1/(1 − t), …) so that ε = 0, an exact
// unregularised plan whose bridges are straight lines, needs no special case beyond c = 0.

import type { BridgeReference } from '../core/values';

/** The law at time u of the bridge pinned at (s, x) and (1, y): N(fromStart·x + toEnd·y, variance). */
export interface BridgeCoefficients {
  readonly fromStart: number;
  readonly toEnd: number;
  readonly variance: number;
}

/** The drift f(t) x + pull·(y − endDecay·x) of the reference bridge aimed at y (see above). */
export interface BridgeDriftCoefficients {
  /** f(t): 0 (Brownian) or −½β(t) (VP). */
  readonly linear: number;
  /** g²(t) α(t,1) / σ²(t,1). */
  readonly pull: number;
  /** α(t, 1). */
  readonly endDecay: number;
}

/** The transition X_u | X_s = x ~ N(decay·x, variance·I). */
export interface Transition {
  readonly decay: number;
  readonly variance: number;
}

export interface ReferenceProcess {
  readonly kind: BridgeReference['kind'];
  /** α(s, u) and σ²(s, u), s ≤ u (variance 0 for Brownian motion with ε = 0). */
  transition(s: number, u: number): Transition;
  /** Bridge from (s, x) to (1, y) at time u, s ≤ u ≤ 1 (s < 1). */
  bridge(s: number, u: number): BridgeCoefficients;
  /** Coefficients of the bridge drift at t < 1. */
  drift(t: number): BridgeDriftCoefficients;
  /**
   * ½ g²(t) / c(t), where c(t) is the variance of the bridge from time 0 at t (0 < t < 1): the factor
   * of the score term in the probability-flow ODE, ε-free for the Brownian reference.
   */
  scoreFactor(t: number): number;
  /**
   * √(c(u) / c(t)) for the bridge from time 0 (0 < t < 1, t ≤ u ≤ 1): how the PF-ODE of one bridge
   * scales the offset from the bridge's mean between t and u.
   */
  spreadRatio(t: number, u: number): number;
  /** ∫_s^u g²: the variance an Euler–Maruyama step from s to u adds. */
  noiseVariance(s: number, u: number): number;
}

/** The reference of a coupling; ε scales its noise (see above). */
export function referenceProcess(reference: BridgeReference, epsilon: number): ReferenceProcess {
  return reference.kind === 'brownian'
    ? brownianReference(epsilon)
    : vpReference(reference.betaMin, reference.betaMax, epsilon);
}

export function brownianReference(epsilon: number): ReferenceProcess {
  if (!(Number.isFinite(epsilon) && epsilon >= 0))
    throw new Error(`The Brownian reference needs a finite ε ≥ 0, got ${epsilon}`);
  return {
    kind: 'brownian',
    transition: (s, u) => ({ decay: 1, variance: epsilon * (u - s) }),
    bridge(s, u) {
      if (s >= 1) return { fromStart: 0, toEnd: 1, variance: 0 };
      const remaining = 1 - s;
      return {
        fromStart: (1 - u) / remaining,
        toEnd: (u - s) / remaining,
        variance: (epsilon * (u - s) * (1 - u)) / remaining,
      };
    },
    drift: (t) => ({ linear: 0, pull: 1 / (1 - t), endDecay: 1 }),
    scoreFactor: (t) => 1 / (2 * t * (1 - t)),
    spreadRatio: (t, u) => Math.sqrt((u * (1 - u)) / (t * (1 - t))),
    noiseVariance: (s, u) => epsilon * (u - s),
  };
}

export function vpReference(betaMin: number, betaMax: number, epsilon = 1): ReferenceProcess {
  if (!(Number.isFinite(epsilon) && epsilon > 0))
    throw new Error(`The VP reference needs a finite ε > 0, got ${epsilon}`);
  if (!(Number.isFinite(betaMin) && Number.isFinite(betaMax) && betaMin >= 0 && betaMax >= 0))
    throw new Error(`The VP reference needs finite β_min, β_max ≥ 0, got ${betaMin}, ${betaMax}`);
  if (betaMin + betaMax <= 0) throw new Error('The VP reference needs β_min + β_max > 0');
  const beta = (t: number): number => betaMin + t * (betaMax - betaMin);
  /** B(s, u) = ∫_s^u β. */
  const integral = (s: number, u: number): number =>
    (u - s) * (betaMin + 0.5 * (betaMax - betaMin) * (s + u));
  const decay = (s: number, u: number): number => Math.exp(-0.5 * integral(s, u));
  // 1 − e^{−B} through expm1, so short intervals keep their relative precision. The bridge's
  // coefficients, drift pull and score factor are ratios of these variances in which ε cancels.
  const variance = (s: number, u: number): number => -Math.expm1(-integral(s, u));
  return {
    kind: 'vp',
    transition: (s, u) => ({ decay: decay(s, u), variance: epsilon * variance(s, u) }),
    bridge(s, u) {
      if (s >= 1) return { fromStart: 0, toEnd: 1, variance: 0 };
      const total = variance(s, 1);
      const before = variance(s, u);
      const after = variance(u, 1);
      return {
        fromStart: (decay(s, u) * after) / total,
        toEnd: (decay(u, 1) * before) / total,
        variance: (epsilon * before * after) / total,
      };
    },
    drift(t) {
      const endDecay = decay(t, 1);
      return { linear: -0.5 * beta(t), pull: (beta(t) * endDecay) / variance(t, 1), endDecay };
    },
    scoreFactor: (t) => (beta(t) * variance(0, 1)) / (2 * variance(0, t) * variance(t, 1)),
    spreadRatio: (t, u) =>
      Math.sqrt((variance(0, u) * variance(u, 1)) / (variance(0, t) * variance(t, 1))),
    noiseVariance: (s, u) => epsilon * integral(s, u),
  };
}
