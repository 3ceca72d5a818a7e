// A node's param schema → the inspector's fields: which widget, its range, step and unit, its
// options, whether it shows now (visibleWhen), and what is wrong with a value.
import type { z } from 'zod';
import type { AnyNodeDefinition, ParamUiHints } from '../../graph-nodes';
import { findUiHints } from '../../graph-nodes/core/param-hints';

export type FieldWidget = NonNullable<ParamUiHints['widget']> | 'toggle';

export interface ParamField {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly widget: FieldWidget;
  readonly integer: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly step?: number;
  readonly sliderMin?: number;
  readonly sliderMax?: number;
  readonly scale?: 'linear' | 'log';
  readonly unit?: string;
  readonly options?: readonly string[];
  readonly extensions?: readonly string[];
  readonly visibleWhen?: ParamUiHints['visibleWhen'];
  readonly defaultValue: unknown;
  readonly schema: z.ZodType;
}

interface ZodInternals {
  _zod: { def: { type: string; innerType?: ZodInternals; in?: ZodInternals } };
  minValue?: number | null;
  maxValue?: number | null;
  isInt?: boolean;
  options?: readonly unknown[];
}

/** The schema under `.default()`, `.optional()` and pipes: the one that says number, enum, … */
function baseSchema(schema: ZodInternals): ZodInternals {
  let current = schema;
  for (let depth = 0; depth < 16; depth++) {
    const inner = current._zod.def.innerType ?? current._zod.def.in;
    if (!inner) break;
    current = inner;
  }
  return current;
}

function finite(value: number | null | undefined): number | undefined {
  return value !== null && value !== undefined && Math.abs(value) < Number.MAX_SAFE_INTEGER
    ? value
    : undefined;
}

function widgetFor(base: ZodInternals, hinted: ParamUiHints['widget']): FieldWidget {
  if (hinted) return hinted;
  switch (base._zod.def.type) {
    case 'number':
      return 'number';
    case 'enum':
      return 'select';
    case 'boolean':
      return 'toggle';
    case 'string':
      return 'text';
    default:
      return 'json';
  }
}

export function describeParams(definition: AnyNodeDefinition): ParamField[] {
  return Object.entries(definition.params.shape).map(([name, schema]) => {
    const zodSchema = schema as unknown as z.ZodType;
    const hints = findUiHints(zodSchema) ?? {};
    const base = baseSchema(schema as unknown as ZodInternals);
    const parsedDefault = zodSchema.safeParse(undefined);
    const options = base._zod.def.type === 'enum' ? base.options?.map(String) : undefined;
    return {
      name,
      title: hints.title ?? name,
      description: hints.description ?? '',
      widget: widgetFor(base, hints.widget),
      integer: base.isInt === true,
      min: finite(base.minValue),
      max: finite(base.maxValue),
      step: hints.step ?? (base.isInt ? 1 : undefined),
      sliderMin: hints.sliderMin,
      sliderMax: hints.sliderMax,
      scale: hints.scale,
      unit: hints.unit,
      options,
      extensions: hints.extensions,
      visibleWhen: hints.visibleWhen,
      defaultValue: parsedDefault.success ? parsedDefault.data : undefined,
      schema: zodSchema,
    };
  });
}

/** The value a param has: what the document says, else its default. */
export function paramValue(field: ParamField, params: Readonly<Record<string, unknown>>): unknown {
  return field.name in params ? params[field.name] : field.defaultValue;
}

/** visibleWhen holds when every named param currently has one of the listed values. */
export function isFieldVisible(
  field: ParamField,
  fields: readonly ParamField[],
  params: Readonly<Record<string, unknown>>,
): boolean {
  if (!field.visibleWhen) return true;
  return Object.entries(field.visibleWhen).every(([other, allowed]) => {
    const otherField = fields.find((candidate) => candidate.name === other);
    const value = otherField ? paramValue(otherField, params) : params[other];
    return (allowed as readonly unknown[]).includes(value);
  });
}

/** The schema's complaint about a value, or null when it is valid. */
export function paramError(field: ParamField, value: unknown): string | null {
  const result = field.schema.safeParse(value);
  if (result.success) return null;
  return result.error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ` : '') + issue.message)
    .join('; ');
}

/**
 * The slider's range: the param's slider hints, else the schema's bounds, else one around the
 * default. Never the current value: a range that grew with the value ran away under a slow drag
 * (the thumb chasing a maximum twice the value). A value typed beyond it pins the thumb at the end.
 */
export function sliderRange(field: ParamField): { min: number; max: number } {
  const reference = Math.max(Math.abs(Number(field.defaultValue) || 0), 1);
  const min = field.sliderMin ?? field.min ?? Math.min(0, -reference);
  const max = field.sliderMax ?? field.max ?? min + 2 * reference;
  return { min, max };
}

/**
 * A log-scale slider's position (log10 of the value, clamped to the range) and the value at a
 * position, rounded to three significant digits so that dragging gives readable values.
 */
export const logSlider = {
  position: (value: number, range: { min: number; max: number }): number =>
    Math.log10(Math.min(range.max, Math.max(range.min, value))),
  value: (position: number, integer = false): number =>
    integer ? Math.round(10 ** position) : Number((10 ** position).toPrecision(3)),
};
