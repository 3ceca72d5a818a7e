// The sweep form's text ("solver.algorithm = euler, heun") ⇄ the document's sweep axes, read as
// the command line reads its lists.
import { parseParamValue, splitValueList, type SweepAxis } from '../../graph-nodes';

export function formatAxis(axis: SweepAxis): string {
  const values = axis.values.map((value) =>
    typeof value === 'string' ? value : JSON.stringify(value),
  );
  return `${axis.target} = ${values.join(', ')}`;
}

/** One axis per non-empty line; throws with the line's number when one is not NODE.PARAM = V, …. */
export function parseAxes(text: string): SweepAxis[] {
  const axes: SweepAxis[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const match = /^\s*([^\s.=]+\.[^\s.=]+)\s*=\s*(.+)$/u.exec(line);
    if (!match) {
      throw new Error(
        `line ${index + 1}: write NODE.PARAM = V1, V2, … (e.g. timesteps.steps = 5, 10)`,
      );
    }
    const texts = splitValueList(match[2]!);
    if (texts.some((text) => text === '')) {
      throw new Error(`line ${index + 1}: a value in the list is empty`);
    }
    axes.push({ target: match[1]!, values: texts.map(parseParamValue) });
  });
  if (axes.length === 0)
    throw new Error('give at least one axis, e.g. solver.algorithm = euler, heun');
  return axes;
}
