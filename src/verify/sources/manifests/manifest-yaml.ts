// A manifest file read as YAML the way Kubernetes and Compose read it (YAML 1.1, as go-yaml does),
// or refused. Everything another reader could take differently fails closed here, naming the file
// and line: a document that does not parse or draws a warning, a %YAML directive, a tag beyond the
// plain scalar, sequence and mapping types (!!binary would hide a string), and the line breaks of
// YAML 1.1 that YAML 1.2 reads as text (NEL, LS, PS). A lone CR is a line break to both: it is made
// an LF (same offsets) because the parser here would otherwise read the file as one line.

import { isNode, LineCounter, parseAllDocuments, visit, type Document, type Node } from 'yaml';
import { ProvenanceError } from '../../../common/errors.ts';

/** The YAML tags whose values any reader takes the same way; anything else is refused. */
const PLAIN_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'seq', 'map'].map((t) => `tag:yaml.org,2002:${t}`));

/** Line breaks in YAML 1.1 (go-yaml's reader) that are ordinary characters in YAML 1.2. */
const YAML11_ONLY_BREAKS = /[\u0085\u2028\u2029]/;

const FIX =
  'Give verify mode the rendered manifests as plain YAML or JSON (e.g. the output of kubectl kustomize, helm template or docker compose config)';

export interface ManifestYaml {
  file: string;
  documents: Document.Parsed[];
  /** The 1-based line where a node starts. */
  lineOf(node: Node): number;
  /** A refusal naming this file and line: what was found, and why it cannot be verified. */
  refuse(line: number, what: string, hint?: string): ProvenanceError;
}

export function readManifestYaml(text: string, file: string): ManifestYaml {
  const source = text.replace(/\r(?!\n)/g, '\n');
  const lines = new LineCounter();
  const lineAt = (offset: number): number => Math.max(1, lines.linePos(offset).line);
  const refuse = (line: number, what: string, hint = FIX): ProvenanceError =>
    new ProvenanceError('INPUT_INVALID', `manifests: ${file}:${line}: ${what}`, hint);

  const breakAt = source.search(YAML11_ONLY_BREAKS);
  if (breakAt !== -1) {
    const line = source.slice(0, breakAt).split('\n').length;
    const char = (source.codePointAt(breakAt) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    throw refuse(
      line,
      `a U+${char} character, a line break to Kubernetes' YAML 1.1 reader but text to YAML 1.2`,
      'Use LF (or CRLF) line breaks only',
    );
  }
  const documents = parseAllDocuments(source, { lineCounter: lines, version: '1.1', prettyErrors: false });
  if (!Array.isArray(documents)) return { file, documents: [], lineOf: () => 1, refuse };

  for (const doc of documents) {
    const problem = doc.errors[0] ?? doc.warnings[0];
    if (problem)
      throw refuse(
        lineAt(problem.pos[0]),
        `not YAML that every reader takes the same way (${problemText(problem.message)})`,
      );
    if (doc.directives.yaml.explicit === true && doc.directives.yaml.version !== '1.1') {
      throw refuse(
        lineAt(doc.range[0]),
        `a %YAML ${doc.directives.yaml.version} directive: Kubernetes reads YAML 1.1`,
        'Remove the %YAML directive',
      );
    }
    visit(doc, (_key, node) => {
      if (!isNode(node) || node.tag === undefined || PLAIN_TAGS.has(node.tag)) return;
      throw refuse(
        lineAt(node.range?.[0] ?? 0),
        `the tag ${node.tag}, which readers resolve differently (!!binary, for one, is a string to Kubernetes)`,
        'Write the value without a tag (!!str is accepted)',
      );
    });
  }
  return { file, documents, lineOf: (node) => lineAt(node.range?.[0] ?? 0), refuse };
}

/** The parser's message without its own position (the refusal names the line). */
function problemText(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
}
