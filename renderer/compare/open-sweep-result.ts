// Opens a sweep result written elsewhere — `principia sweep --json`, or `principia sweep merge DIR
// --json` over a cluster's shards — into the Sweep tab, checked like any untrusted file.
import { parseSweepResultText } from '../../graph-nodes';
import { errorMessage } from '../platform/error-message';
import { sweepStore } from './sweep-store';

export async function openSweepResult(file: File): Promise<void> {
  try {
    const result = parseSweepResultText(await file.text(), file.name);
    sweepStore.begin(result.axes);
    sweepStore.finish(result);
  } catch (error) {
    sweepStore.fail(errorMessage(error));
  }
}
