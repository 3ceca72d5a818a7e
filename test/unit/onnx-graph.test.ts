// The ONNX writer (onnx-graph.ts on protobufjs's Writer): the exported two-moons MLP is the
// bundled preset model byte for byte (that file was written by the hand-made encoder this
// replaced), and what the builder declares reads back through model-info.ts.
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWeights } from '../../graph-nodes/neural/weights-file';
import { exportMlpDenoiserToOnnx } from '../../graph-nodes/onnx/export-mlp-denoiser';
import { readModelInfo } from '../../graph-nodes/onnx/model-info';
import { readFields } from '../../graph-nodes/onnx/protobuf';
import {
  OnnxGraphBuilder,
  elementTypeCode,
  floatAttribute,
  intAttribute,
} from '../../graph-nodes/onnx/onnx-graph';
import { nodeFileHost } from '../../graph-nodes/runtime/node-files';

const WEIGHTS = join(__dirname, '../../presets/weights');

describe('ONNX writer (protobufjs)', () => {
  it('exports the trained MLP as the bundled two-moons model, byte for byte', async () => {
    const manifest = join(WEIGHTS, 'train-a-denoiser.json');
    const model = await readWeights(nodeFileHost(dirname(manifest)), basename(manifest));
    const bundled = await readFile(join(WEIGHTS, 'two-moons-denoiser.onnx'));
    const exported = exportMlpDenoiserToOnnx(model);
    expect(exported).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(exported).equals(bundled)).toBe(true);
  });

  it('declares inputs, outputs, symbolic and fixed dims, scalars, element types and metadata', () => {
    const g = new OnnxGraphBuilder('probe');
    const w = g.constant('w', Float32Array.of(1, 2, 3, 4), [2, 2]);
    const shape = g.int64Constant('shape', [-1, 2]);
    const h = g.op('MatMul', [g.op('Reshape', ['x', shape]), w]);
    const e = g.op('Elu', [h], { alpha: floatAttribute(0.5) });
    g.op('Cast', [e], { to: intAttribute(elementTypeCode('float16')) }, 'y');
    const info = readModelInfo(
      g.toModel(
        [
          { name: 'x', shape: ['batch', 2] },
          { name: 'sigma', shape: [] },
          { name: 'free' },
          { name: 'ids', shape: [3, 'n'], elementType: 'int64' },
        ],
        [{ name: 'y', shape: ['batch', 2], elementType: 'float16' }],
        { 'principia.kind': 'probe', note: 'σ̃ → x̂₀' },
      ),
    );
    expect(info).toEqual({
      inputs: [
        { name: 'x', type: 'float32', shape: ['batch', 2] },
        { name: 'sigma', type: 'float32', shape: [] },
        { name: 'free', type: 'float32' },
        { name: 'ids', type: 'int64', shape: [3, 'n'] },
      ],
      outputs: [{ name: 'y', type: 'float16', shape: ['batch', 2] }],
      metadata: { 'principia.kind': 'probe', note: 'σ̃ → x̂₀' },
    });
  });

  it('reads fields with protobufjs and names what is malformed', () => {
    const fields = (bytes: number[]) => [...readFields(Uint8Array.from(bytes))];
    // A varint, fixed32 and fixed64 skipped, a length-delimited field as a view of the input.
    const input = Uint8Array.from([
      0x08,
      0x96,
      0x01,
      0x0d,
      1,
      2,
      3,
      4,
      0x11,
      ...Array(8).fill(0),
      0x1a,
      2,
      7,
      8,
    ]);
    const read = [...readFields(input)];
    expect(read.slice(0, 3)).toEqual([
      { field: 1, wire: 'varint', value: 150 },
      { field: 1, wire: 'fixed' },
      { field: 2, wire: 'fixed' },
    ]);
    const last = read[3]!;
    expect(last).toMatchObject({ field: 3, wire: 'bytes' });
    expect(last.wire === 'bytes' && last.bytes.buffer).toBe(input.buffer);
    expect(() => fields([0x0a, 0x20, 1, 2])).toThrow(
      /malformed protobuf: it ends early \(index out of range: 2 \+ 32 > 4\)/,
    );
    expect(() => fields([0x0d, 1])).toThrow(/malformed protobuf: it ends early/);
    expect(() => fields([0x80])).toThrow(/malformed protobuf: it ends early/);
    expect(() => fields([0x08, ...Array(11).fill(0xff)])).toThrow(
      /malformed protobuf: invalid varint encoding/,
    );
    expect(() => fields([0x0f])).toThrow(/malformed protobuf: wire type 7 \(field 1\)/);
    expect(() => fields([0x00])).toThrow(/malformed protobuf: field number 0/);
  });
});
