// A policy file's YAML, read with the `yaml` parser (failsafe schema: every scalar is the string
// its author wrote, so `3600` stays "3600" and a 40-digit commit never becomes a float) and held to
// what a reviewer sees being what is enforced. Refused, each with its line: anything the parser
// refuses or warns about (duplicate keys among them), more than one document, anchors and aliases
// (a value defined in one place and used in another), tags, nested mappings, null or empty values,
// and the YAML 1.1 booleans (yes, no, on, off, y, n), which other readers take as true/false.

import {
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  visit,
  type Node,
  type Scalar,
} from 'yaml';

export interface PolicyEntry {
  key: string;
  values: string[];
  line: number;
}

/** A refusal: `line` is 1-based, `message` says what was found and what is accepted instead. */
export class PolicyYamlError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(message);
    this.name = 'PolicyYamlError';
    this.line = line;
  }
}

const YAML11_BOOLEANS = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
const BOOLEANS = /^(?:true|True|TRUE|false|False|FALSE)$/;
const NULLS = /^(?:|~|null|Null|NULL)$/;

export function parsePolicyYaml(text: string): PolicyEntry[] {
  const lines = new LineCounter();
  const lineOf = (node: Node | null | undefined): number => Math.max(1, lines.linePos(node?.range?.[0] ?? 0).line);
  const docs = parseAllDocuments(text, { schema: 'failsafe', lineCounter: lines, prettyErrors: false });
  if (!Array.isArray(docs)) return [];
  const [doc, second] = docs;
  if (second) throw new PolicyYamlError(lineOf(second.contents), 'a second document (---): one policy per file');
  if (doc === undefined) return [];
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem)
    throw new PolicyYamlError(
      lines.linePos(problem.pos[0]).line,
      (problem.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, ''),
    );
  visit(doc, (_key, node) => {
    if (isAlias(node))
      throw new PolicyYamlError(lineOf(node), `an alias (*${node.source}): write each value where it is used`);
    if (!isNode(node)) return;
    if ((isScalar(node) || isMap(node) || isSeq(node)) && node.anchor !== undefined)
      throw new PolicyYamlError(lineOf(node), `an anchor (&${node.anchor}): write each value where it is used`);
    if (node.tag !== undefined && node.tag !== 'tag:yaml.org,2002:str')
      throw new PolicyYamlError(lineOf(node), `a tag (${node.tag}): write the value without one`);
  });

  const root = doc.contents;
  if (root === null || (isScalar(root) && root.type === 'PLAIN' && root.source === '')) return [];
  if (!isMap(root))
    throw new PolicyYamlError(lineOf(root), 'not a mapping of rule names to values ("name: value" lines)');
  return root.items.map((pair) => {
    const key = pair.key;
    if (!isScalar(key) || typeof key.value !== 'string')
      throw new PolicyYamlError(lineOf(isNode(key) ? key : root), 'a key that is not a rule name');
    const name = key.value;
    const line = lineOf(key);
    const value = pair.value;
    if (isSeq(value)) {
      if (value.items.length === 0) throw new PolicyYamlError(line, `"${name}" has no value`);
      return {
        key: name,
        line,
        values: value.items.map((item) => listItem(item, name, lineOf(isNode(item) ? item : value))),
      };
    }
    if (isScalar(value)) return { key: name, line, values: [scalar(value, name, line)] };
    if (isMap(value))
      throw new PolicyYamlError(
        line,
        `"${name}" is a nested mapping: policy files are a flat mapping of rule names to values or lists`,
      );
    throw new PolicyYamlError(line, `"${name}" has no value`);
  });
}

function scalar(node: Scalar, name: string, line: number): string {
  const text = String(node.value);
  if (node.type !== 'PLAIN') return text;
  if (NULLS.test(text))
    throw new PolicyYamlError(
      line,
      text === '' ? `"${name}" has no value` : `a null value (${text}): give the rule a value or leave it out`,
    );
  if (YAML11_BOOLEANS.test(text))
    throw new PolicyYamlError(line, `"${text}", which YAML 1.1 reads as a boolean: write true/false, or quote it`);
  return BOOLEANS.test(text) ? text.toLowerCase() : text;
}

function listItem(item: unknown, name: string, line: number): string {
  if (!isScalar(item)) throw new PolicyYamlError(line, `a list item of "${name}" that is not a string`);
  const text = scalar(item, name, line);
  if (item.type === 'PLAIN' && BOOLEANS.test(text))
    throw new PolicyYamlError(line, `a list item that is not a string (${text}); quote it`);
  return text;
}
