// The params of an isotropic Gaussian mixture, shared by the mixture denoisers and classifier,
// with the rules that make them a mixture (the library's: denoisers/gmm.ts, denoisers/labelled.ts),
// so that a malformed mixture is a compile-time error naming the param and the entry.
import { z } from 'zod';
import { gmmProblems } from '../../denoisers/gmm';
import { ALL_CLASSES, labelledGmmProblems, missingClassProblem } from '../../denoisers/labelled';
import {
  classLabel,
  coordinate,
  positiveNumber,
  PARAM_LIMITS,
  standardDeviation,
  withParamRules,
  type ReportParamProblem,
} from '../param-rules';

const DEFAULT_COMPONENTS = 8;
const DEFAULT_RADIUS = 2.5;
const DEFAULT_STD = 0.25;

// Eight equal components on a circle: well separated modes, the classic 2-D demo.
const defaultMeans = (): number[][] =>
  Array.from({ length: DEFAULT_COMPONENTS }, (_, k) => {
    const angle = (2 * Math.PI * k) / DEFAULT_COMPONENTS;
    return [DEFAULT_RADIUS * Math.cos(angle), DEFAULT_RADIUS * Math.sin(angle)];
  });

const componentList = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .min(1, 'the mixture needs at least one component')
    .max(
      PARAM_LIMITS.components,
      `a mixture given in a graph has at most ${PARAM_LIMITS.components} components`,
    );

const mixtureParams = {
  weights: componentList(positiveNumber('a positive weight'))
    .default(() => Array.from({ length: DEFAULT_COMPONENTS }, () => 1))
    .meta({
      title: 'Weights π_k',
      widget: 'json',
      description: 'One positive weight per component (normalised).',
    }),
  means: componentList(
    z
      .array(coordinate())
      .min(1, 'each mean needs at least one coordinate')
      .max(
        PARAM_LIMITS.valuesPerPoint,
        `a mean has at most ${PARAM_LIMITS.valuesPerPoint} coordinates`,
      ),
  )
    .default(defaultMeans)
    .meta({
      title: 'Means μ_k',
      widget: 'json',
      description: 'One mean per component, all of the same dimension.',
    }),
  stds: componentList(standardDeviation())
    .default(() => Array.from({ length: DEFAULT_COMPONENTS }, () => DEFAULT_STD))
    .meta({
      title: 'Stds s_k',
      widget: 'json',
      description: 'Isotropic standard deviation per component (≥ 0).',
    }),
};

/** A labelled mixture: the default labels alternate 0 and 1, so each class is a ring of four modes. */
const labelledMixtureParams = {
  ...mixtureParams,
  labels: componentList(classLabel(0))
    .default(() => Array.from({ length: DEFAULT_COMPONENTS }, (_, k) => k % 2))
    .meta({
      title: 'Labels c_k',
      widget: 'json',
      description: 'One integer class label (≥ 0) per component.',
    }),
};

function reportAll(
  problems: readonly { path: readonly (string | number)[]; message: string }[],
  report: ReportParamProblem,
): void {
  for (const problem of problems) report(problem.path, problem.message);
}

/** A mixture's params object: lengths that agree and means of one dimension. */
export function mixtureSchema() {
  return withParamRules(z.object(mixtureParams), (params, report) =>
    reportAll(gmmProblems(params), report),
  );
}

/** A labelled mixture's params object: a mixture, and one label ≥ 0 per component. */
export function labelledMixtureSchema() {
  return withParamRules(z.object(labelledMixtureParams), (params, report) =>
    reportAll(labelledGmmProblems(params), report),
  );
}

/** A labelled mixture and the class to take from it: one of the labels, or ALL_CLASSES. */
export function mixtureClassSchema() {
  const schema = z.object({ ...labelledMixtureParams, class: classParam('classes') });
  return withParamRules(schema, (params, report) => {
    const problems = labelledGmmProblems(params);
    reportAll(problems, report);
    const missing = problems.length
      ? undefined
      : missingClassProblem(params.labels, params.class, 'component');
    if (missing) report(['class'], missing);
  });
}

/** The class param of the labelled models: a label, or ALL_CLASSES for the whole mixture. */
export function classParam(of: string) {
  return classLabel(ALL_CLASSES)
    .default(0)
    .meta({
      title: 'Class c',
      widget: 'number',
      description: `The label to condition on; ${ALL_CLASSES} means all ${of} (unconditional).`,
    });
}

/** A mixture's models take flat points of its means' dimension (the first mean's, as checked). */
export function mixtureShape(params: { readonly means: readonly (readonly number[])[] }): {
  shape?: readonly number[];
} {
  const dim = params.means[0]?.length;
  return dim ? { shape: [dim] } : {};
}
