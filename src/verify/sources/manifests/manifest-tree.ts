// Reading one parsed manifest document the way Kubernetes' decoder does: aliases followed, merge
// keys (<<) folded in (the mapping's own keys first, then each merged mapping in order, as go-yaml
// does), and field names matched exactly. A key that differs from a field name only in case, or by
// the Kelvin sign or long s (Image, ſpec), is refused: Go's encoding/json, which older API servers
// decode with, matches field names that way, so such a key may be the field. Alias expansion and
// nesting are bounded, so a billion-laughs file is refused rather than walked.

import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { ManifestYaml } from './manifest-yaml.ts';

/** Nodes visited per character of the file: aliases may repeat a node, but not without bound. */
const VISITS_PER_CHAR = 16;
const MIN_VISITS = 100_000;
const MAX_DEPTH = 200;

export interface Field {
  name: string;
  value: Node | null;
  line: number;
}

/** How Go's encoding/json compares field names: case-insensitively, with K (U+212A) and ſ (U+017F) folded too. */
const fold = (name: string): string => name.toLowerCase().replace(/\u017f/g, 's');

export class ManifestTree {
  readonly yaml: ManifestYaml;
  private readonly doc: Document.Parsed;
  private visits = 0;
  private readonly maxVisits: number;

  constructor(yaml: ManifestYaml, doc: Document.Parsed, textLength: number) {
    this.yaml = yaml;
    this.doc = doc;
    this.maxVisits = Math.max(MIN_VISITS, textLength * VISITS_PER_CHAR);
  }

  get root(): Node | null {
    return this.doc.contents;
  }

  lineOf(node: Node): number {
    return this.yaml.lineOf(node);
  }

  /** The node itself, or the one an alias stands for; every call counts against the visit bound. */
  resolve(node: Node | null, depth = 0): Node | null {
    if (++this.visits > this.maxVisits || depth > MAX_DEPTH) {
      throw this.yaml.refuse(
        node ? this.lineOf(node) : 1,
        `aliases or nesting that expand past ${this.maxVisits} nodes or ${MAX_DEPTH} levels`,
        'Write the manifests out without aliases (e.g. the output of kubectl kustomize or docker compose config)',
      );
    }
    if (!isAlias(node)) return node;
    const target = node.resolve(this.doc);
    return target === undefined ? null : this.resolve(target, depth + 1);
  }

  /** The fields of a mapping, merge keys folded in; null when the node is not a mapping. */
  fields(node: Node | null, depth = 0): Field[] | null {
    const map = this.resolve(node, depth);
    if (!isMap(map)) return null;
    const own: Field[] = [];
    const merged: Field[] = [];
    for (const pair of map.items) {
      const key = this.resolve(pair.key as Node | null, depth);
      const value = pair.value as Node | null;
      if (isScalar(key) && typeof key.value === 'symbol') {
        merged.push(...this.mergedFields(value, this.lineOf(key), depth + 1));
        continue;
      }
      if (!isScalar(key) || (key.value !== null && typeof key.value === 'object')) {
        throw this.yaml.refuse(
          key ? this.lineOf(key) : this.lineOf(map),
          'a mapping or sequence used as a key',
          'Use plain keys',
        );
      }
      own.push({ name: String(key.value), value, line: this.lineOf(key) });
    }
    const names = new Set(own.map((f) => f.name));
    return [...own, ...merged.filter((f) => !names.has(f.name) && names.add(f.name))];
  }

  private mergedFields(value: Node | null, line: number, depth: number): Field[] {
    const target = this.resolve(value, depth);
    const sources = isSeq(target) ? target.items.map((item) => item as Node | null) : [target];
    return sources.flatMap((source) => {
      const fields = this.fields(source, depth + 1);
      if (fields === null)
        throw this.yaml.refuse(
          line,
          'a merge key (<<) whose value is not a mapping or a list of mappings',
          'Merge only mappings, or write the keys out',
        );
      return fields;
    });
  }

  /** The field `name` of a mapping's fields, refusing a key Go would take for it without its exact spelling. */
  field(fields: readonly Field[], name: string): Field | undefined {
    const lookalike = fields.find((f) => f.name !== name && fold(f.name) === fold(name));
    if (lookalike) {
      throw this.yaml.refuse(
        lookalike.line,
        `the key "${lookalike.name}", which older Kubernetes API servers read as "${name}"`,
        `Spell the key "${name}"`,
      );
    }
    return fields.find((f) => f.name === name);
  }

  /** The items of a sequence (each resolved later by the caller); null when the node is not a sequence. */
  items(node: Node | null): (Node | null)[] | null {
    const seq = this.resolve(node);
    return isSeq(seq) ? seq.items.map((item) => item as Node | null) : null;
  }

  /** A string scalar's value with the node it is written in (an alias's target), or null. */
  text(node: Node | null): { value: string; node: Node } | null {
    const target = this.resolve(node);
    return isScalar(target) && typeof target.value === 'string' ? { value: target.value, node: target } : null;
  }

  /** True when the node is absent or a null scalar (`key:` with no value, ~, null). */
  isNull(node: Node | null): boolean {
    const target = this.resolve(node);
    return target === null || (isScalar(target) && target.value === null);
  }
}
