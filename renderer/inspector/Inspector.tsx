// The inspector: the selected node's params as widgets built from its schema, with its
// description and monograph section; with nothing selected, the graph itself.
import { useMemo, useState } from 'react';
import { trainerFor } from '../../graph-nodes/neural/trainers';
import { TrainPanel } from '../training/TrainPanel';
import { catalogue, type NodeInstance } from '../../graph-nodes';
import { NODE_KIND_COLOURS } from '../canvas/palette';
import { useEditorStore } from '../editor/editor-store';
import { setParam } from '../graph/document-edits';
import { serializeDocument, useGraphStore } from '../graph/graph-store';
import { describeParams, isFieldVisible, paramValue } from './param-fields';
import { paramProblems } from '../graph/param-problems';
import { FieldProblem, ParamInput } from './ParamInput';

function NodeInspector({ node }: { node: NodeInstance }) {
  const definition = catalogue.get(node.type);
  const fields = useMemo(() => (definition ? describeParams(definition) : []), [definition]);
  const problems = useMemo(() => paramProblems(definition, node.params), [definition, node.params]);
  const { edit, endGesture } = useGraphStore.getState();
  if (!definition) {
    return (
      <div className="inspector-body">
        <h2>{node.id}</h2>
        <p className="field-error">
          Missing node: type "{node.type}" is not in this catalogue. Its params and wires are kept
          as they are.
        </p>
        <pre className="json-view">{JSON.stringify(node.params, null, 2)}</pre>
      </div>
    );
  }
  return (
    <div className="inspector-body" data-testid={`inspector-${node.id}`}>
      <h2>
        <span style={{ color: NODE_KIND_COLOURS[definition.kind] }}>{definition.kind}</span>{' '}
        {node.title ?? definition.title} <span className="muted">{node.id}</span>
      </h2>
      <p className="description">{definition.description}</p>
      <p className="section">Monograph {definition.section}</p>
      {definition.formula && <p className="formula">{definition.formula}</p>}
      {fields
        .filter((field) => isFieldVisible(field, fields, node.params))
        .map((field) => {
          const value = paramValue(field, node.params);
          return (
            <div className="field" key={field.name} data-testid={`param-${field.name}`}>
              <label title={field.description}>
                {field.title}
                {field.unit && <span className="muted"> ({field.unit})</span>}
              </label>
              <ParamInput
                field={field}
                value={value}
                commit={(next, gesture) =>
                  edit((draft) => setParam(draft, node.id, field.name, next), {
                    group: gesture ? `param:${node.id}.${field.name}` : undefined,
                  })
                }
                endGesture={endGesture}
              />
              <FieldProblem field={field} value={value} ruleProblem={problems.get(field.name)} />
              {field.description && <div className="hint">{field.description}</div>}
            </div>
          );
        })}
      {fields.length === 0 && <p className="muted">This node has no params.</p>}
      {trainerFor(node.type) && <TrainPanel nodeId={node.id} />}
    </div>
  );
}

function GraphInspector() {
  const document = useGraphStore((state) => state.document);
  const [showJson, setShowJson] = useState(false);
  return (
    <div className="inspector-body">
      <h2>{document.title ?? 'Untitled graph'}</h2>
      {document.description && <p className="description">{document.description}</p>}
      <p className="muted">
        {document.nodes.length} nodes · {document.edges.length} wires ·{' '}
        {document.notes?.length ?? 0} notes. Select a node to edit its params; press ? for
        shortcuts.
      </p>
      <details
        data-testid="document-json-toggle"
        onToggle={(event) => setShowJson(event.currentTarget.open)}
      >
        <summary>Graph JSON</summary>
        {showJson && (
          <pre className="json-view" data-testid="document-json">
            {serializeDocument(document)}
          </pre>
        )}
      </details>
    </div>
  );
}

export function Inspector() {
  const selection = useEditorStore((state) => state.selection);
  const nodeId = selection.nodes.length === 1 ? selection.nodes[0] : undefined;
  const node = useGraphStore((state) =>
    nodeId ? state.document.nodes.find((candidate) => candidate.id === nodeId) : undefined,
  );
  const count = selection.nodes.length + selection.notes.length + selection.edges.length;
  return (
    <section className="inspector" aria-label="Inspector" data-testid="inspector">
      {node ? (
        <NodeInspector key={node.id} node={node} />
      ) : count > 1 ? (
        <div className="inspector-body muted">
          {selection.nodes.length} nodes, {selection.notes.length} notes and{' '}
          {selection.edges.length} wires selected.
        </div>
      ) : (
        <GraphInspector />
      )}
    </section>
  );
}
