// One param's widget: slider with number field, number, select, seed (with randomize), file,
// text, JSON. A value the schema rejects is kept and shown with the reason, never clamped.
import { useEffect, useRef, useState } from 'react';
import { pickLocalFile } from './pick-file';
import { logSlider, paramError, sliderRange, type ParamField } from './param-fields';

export interface ParamInputProps {
  readonly field: ParamField;
  readonly value: unknown;
  /** `gesture`: part of a continuous change (slider drag) that should be one undo step. */
  commit(value: unknown, gesture?: boolean): void;
  endGesture(): void;
}

const MAX_SEED = 2 ** 31 - 1;

/** A text box that edits on Enter or leaving the field, and says when the text cannot be read. */
function DraftInput({
  text,
  parse,
  onCommit,
  className,
  multiline,
  label,
}: {
  text: string;
  parse: (text: string) => { value: unknown } | { error: string };
  onCommit: (value: unknown) => void;
  className?: string;
  multiline?: boolean;
  label: string;
}) {
  const [draft, setDraft] = useState(text);
  const [error, setError] = useState<string | null>(null);
  // Only what the user typed is committed: a value changed elsewhere (the slider beside this
  // field, undo) replaces an untouched draft and must not be written back when focus leaves.
  const typed = useRef(false);
  useEffect(() => {
    typed.current = false;
    setDraft(text);
    setError(null);
  }, [text]);
  const commit = () => {
    if (!typed.current) return;
    if (draft === text) {
      typed.current = false;
      return setError(null);
    }
    const parsed = parse(draft);
    if ('error' in parsed) return setError(parsed.error);
    typed.current = false;
    setError(null);
    onCommit(parsed.value);
  };
  const props = {
    className: `${className ?? ''}${error ? ' invalid' : ''}`,
    value: draft,
    'aria-label': label,
    'aria-invalid': error ? true : undefined,
    onChange: (event: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      typed.current = true;
      setDraft(event.target.value);
    },
    onBlur: commit,
  };
  return (
    <>
      {multiline ? (
        <textarea {...props} rows={Math.min(10, draft.split('\n').length + 1)} spellCheck={false} />
      ) : (
        <input
          {...props}
          onKeyDown={(event) => {
            if (event.key === 'Enter') commit();
          }}
        />
      )}
      {error && <div className="field-error">{error}</div>}
    </>
  );
}

// An emptied field goes back to the param's default (undefined is "not set").
function parseNumber(text: string): { value: number | undefined } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { value: undefined };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { error: `"${text}" is not a number` };
  return { value };
}

function parseJson(text: string): { value: unknown } | { error: string } {
  if (text.trim() === '') return { value: undefined };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { error: `not valid JSON: ${(error as Error).message}` };
  }
}

function compactJson(value: unknown): string {
  // Rows of numbers on one line each: readable for means like [[2.5, 0], [1.77, 1.77], …].
  if (Array.isArray(value) && value.every(Array.isArray)) {
    return `[\n${value.map((row) => `  ${JSON.stringify(row)}`).join(',\n')}\n]`;
  }
  return value === undefined ? '' : JSON.stringify(value);
}

export function ParamInput({ field, value, commit, endGesture }: ParamInputProps) {
  const label = field.title;
  switch (field.widget) {
    case 'slider': {
      const numeric = typeof value === 'number' ? value : Number(field.defaultValue) || 0;
      const range = sliderRange(field);
      const { min, max } = range;
      const log = field.scale === 'log' && min > 0;
      return (
        <div className="slider-row">
          <input
            type="range"
            aria-label={`${label} slider`}
            min={log ? Math.log10(min) : min}
            max={log ? Math.log10(max) : max}
            step={log ? 0.01 : (field.step ?? (max - min) / 100)}
            value={log ? logSlider.position(numeric, range) : numeric}
            onChange={(event) => {
              const position = Number(event.target.value);
              commit(log ? logSlider.value(position, field.integer) : position, true);
            }}
            onPointerUp={endGesture}
            onKeyUp={endGesture}
            onBlur={endGesture}
          />
          <DraftInput
            className="number"
            label={label}
            text={String(value ?? '')}
            parse={parseNumber}
            onCommit={(next) => commit(next)}
          />
        </div>
      );
    }
    case 'number':
      return (
        <DraftInput
          className="number"
          label={label}
          text={String(value ?? '')}
          parse={parseNumber}
          onCommit={(next) => commit(next)}
        />
      );
    case 'seed':
      return (
        <div className="slider-row">
          <DraftInput
            className="number"
            label={label}
            text={String(value ?? '')}
            parse={parseNumber}
            onCommit={(next) => commit(next)}
          />
          <button
            type="button"
            title="A new random seed"
            onClick={() => commit(Math.floor(Math.random() * MAX_SEED))}
          >
            Randomize
          </button>
        </div>
      );
    case 'select':
      return (
        <select
          aria-label={label}
          value={String(value ?? '')}
          onChange={(event) => commit(event.target.value)}
        >
          {!field.options?.includes(String(value)) && (
            <option value={String(value)}>{String(value)}</option>
          )}
          {field.options?.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      );
    case 'toggle':
      return (
        <input
          type="checkbox"
          aria-label={label}
          checked={value === true}
          onChange={(event) => commit(event.target.checked)}
        />
      );
    case 'file':
      return (
        <div className="slider-row">
          <DraftInput
            label={label}
            text={String(value ?? '')}
            parse={(text) => ({ value: text })}
            onCommit={(next) => commit(next)}
          />
          <button
            type="button"
            title={`Choose a ${field.extensions?.join(' or ') ?? ''} file`}
            onClick={() =>
              void pickLocalFile(field.extensions?.join(',') ?? '').then((file) => {
                // A browser reveals only the name; the engine reads it relative to the page.
                if (file) commit(file.name);
              })
            }
          >
            Browse…
          </button>
        </div>
      );
    case 'json':
      return (
        <DraftInput
          multiline
          className="json"
          label={label}
          text={compactJson(value)}
          parse={parseJson}
          onCommit={(next) => commit(next)}
        />
      );
    default:
      return (
        <DraftInput
          label={label}
          text={String(value ?? '')}
          parse={(text) => ({ value: text })}
          onCommit={(next) => commit(next)}
        />
      );
  }
}

/**
 * What is wrong with a param: its own schema's complaint, else `ruleProblem`, what a rule across
 * params (σ_max above σ_min, …) says about it.
 */
export function FieldProblem({
  field,
  value,
  ruleProblem,
}: {
  field: ParamField;
  value: unknown;
  ruleProblem?: string;
}) {
  const problem = paramError(field, value) ?? ruleProblem;
  return problem ? (
    <div className="field-error" data-testid={`param-error-${field.name}`}>
      {problem}
    </div>
  ) : null;
}
