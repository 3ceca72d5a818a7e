// A sweep's result as a file: the JSON that `principia sweep --json` and `principia sweep merge
// DIR --json` print, read back into the SweepResult the app's Sweep tab shows, so a sweep run on
// a cluster can be opened where the sweeps run in the app are drawn. The file is untrusted: its
// size, nesting and keys are bounded, its shape checked, and a problem names the file.
import { z } from 'zod';
import { SweepAxisSchema } from '../core/document';
import { GraphError } from '../core/errors';
import { untrustedJsonProblems } from '../core/graph-limits';
import { RESERVED_NAMES } from '../core/own';
import { fitSeries, type SweepResult } from './sweep';

/** A sweep of a million points is ~300 MiB of JSON; no real one comes near. */
export const MAX_SWEEP_RESULT_CHARS = 256 * 1024 * 1024;

const name = z
  .string()
  .min(1)
  .max(400)
  .refine((text) => !RESERVED_NAMES.has(text), 'a reserved name');

/** JSON writes NaN and ±Infinity as null. */
const metric = z.number().nullable();

/** The trainings a sweep point did (SweepPoint.training), as a file holds them. */
export function trainingRecordsSchema(
  nodeName: z.ZodType<string>,
  value: z.ZodType<number | null>,
) {
  return z
    .array(
      z.strictObject({
        node: nodeName,
        steps: z.number().int().min(0),
        finalLoss: value,
        ms: z.number().min(0),
      }),
    )
    .max(1000)
    .optional();
}

const SweepResultFileSchema = z.object({
  ok: z.boolean().optional(),
  cancelled: z.boolean(),
  measure: name,
  solver: name,
  errorMetric: name,
  axes: z.array(SweepAxisSchema).min(1).max(64),
  points: z
    .array(
      z.strictObject({
        settings: z.record(name, z.unknown()),
        ok: z.boolean(),
        error: z.string().max(100_000).optional(),
        nfe: z.number().optional(),
        ms: z.number().optional(),
        metrics: z.record(name, metric),
        training: trainingRecordsSchema(name, metric),
      }),
    )
    .max(10_000_000),
  series: z.array(z.unknown()).optional(),
});

/**
 * Reads a sweep result file (`principia sweep --json`). The chart's series are fitted again from
 * the points, as the sweep fitted them, rather than taken from the file.
 */
export function parseSweepResultText(text: string, file = 'the sweep file'): SweepResult {
  const fail = (message: string) =>
    new GraphError([{ code: 'bad-sweep', message: `${file}: ${message}` }]);
  if (text.length > MAX_SWEEP_RESULT_CHARS) {
    throw fail(`${text.length} characters; a sweep result is at most ${MAX_SWEEP_RESULT_CHARS}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw fail(`not valid JSON (${(error as Error).message})`);
  }
  const unsafe = untrustedJsonProblems(parsed);
  if (unsafe.length) {
    throw fail(`${unsafe[0]!.message} at ${unsafe[0]!.path.join('.') || 'the top level'}`);
  }
  const result = SweepResultFileSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw fail(
      `not a sweep result (principia sweep --json): ${issue.path.join('.') || 'the top level'}: ${issue.message}`,
    );
  }
  const data = result.data;
  const points = data.points.map(({ training, ...point }) => ({
    ...point,
    metrics: Object.fromEntries(
      Object.entries(point.metrics).map(([key, value]) => [key, value ?? NaN]),
    ),
    ...(training
      ? { training: training.map((each) => ({ ...each, finalLoss: each.finalLoss ?? NaN })) }
      : {}),
  }));
  return {
    axes: data.axes,
    measureNode: data.measure,
    solverNode: data.solver,
    errorMetric: data.errorMetric,
    points,
    series: fitSeries(data.axes, points, data.errorMetric),
    cancelled: data.cancelled,
  };
}
