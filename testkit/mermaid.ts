// Mermaid's own parser, run in Node, to prove that generated graph source is valid: the real
// mermaid package (what GitHub renders ```mermaid blocks with, in its own version), not a
// look-alike grammar.
//
// Parsing needs no browser but one thing: Mermaid sanitizes every label with DOMPurify, and
// DOMPurify, when imported where there is no `window`, exports a stub without its functions
// (mermaid.parse then fails with "DOMPurify.addHook is not a function"). So a jsdom window is
// made global before Mermaid (and with it DOMPurify) is first imported. Nothing else is needed:
// no `document`, no layout, no rendering. One Mermaid instance serves the whole process.

import type { Mermaid } from 'mermaid';

export type MermaidValidation = { ok: true; diagramType: string } | { ok: false; error: string };

let loading: Promise<Mermaid> | undefined;
const JSDOM_PACKAGE: string = 'jsdom';
const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

async function load(): Promise<Mermaid> {
  if (!('window' in globalThis)) {
    // Imported by a computed name: @types/jsdom would pull the DOM's lib into the whole project
    // (and its fetch types clash with Node's), so jsdom is used untyped, checked at run time.
    const jsdom: unknown = await import(JSDOM_PACKAGE);
    if (!isRecord(jsdom) || typeof jsdom.JSDOM !== 'function') throw new Error('jsdom has no JSDOM class');
    const JSDOM = jsdom.JSDOM as new (html: string) => { window: object };
    Object.defineProperty(globalThis, 'window', { value: new JSDOM('').window, configurable: true, writable: true });
  }
  const { default: mermaid } = await import('mermaid');
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
  return mermaid;
}

/** The shared Mermaid instance (imported once, on first use). */
export function mermaidInstance(): Promise<Mermaid> {
  loading ??= load();
  return loading;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

type Parsed = { ok: true; diagramType: string; config: Record<string, unknown> } | { ok: false; error: string };

async function parse(source: string): Promise<Parsed> {
  const mermaid = await mermaidInstance();
  try {
    const result = await mermaid.parse(source);
    return { ok: true, diagramType: result.diagramType, config: { ...result.config } };
  } catch (e) {
    return { ok: false, error: message(e) };
  }
}

/** Parses `source` with mermaid.parse, which throws on any syntax error. */
export async function validateMermaid(source: string): Promise<MermaidValidation> {
  const parsed = await parse(source);
  return parsed.ok ? { ok: true, diagramType: parsed.diagramType } : parsed;
}

export interface FlowchartNode {
  id: string;
  /** The label as Mermaid holds it after parsing and sanitizing, entity codes decoded. */
  text: string;
  classes: string[];
  /** Inline styles (style a0 fill:...), which generated graphs never set. */
  styles: string[];
}

export interface FlowchartEdge {
  start: string;
  end: string;
  text: string;
  /** normal for -->, dotted for -.-> */
  stroke: string;
}

export interface Flowchart {
  diagramType: string;
  nodes: FlowchartNode[];
  edges: FlowchartEdge[];
  /** classDef names. */
  classDefs: string[];
  /** Configuration the source sets through front matter or a directive (%%{init: ...}%%). */
  config: Record<string, unknown>;
}

const str = (x: unknown): string => (typeof x === 'string' ? x : '');
const strings = (x: unknown): string[] => (Array.isArray(x) ? x.map(str) : []);

/**
 * Mermaid replaces entity codes by placeholders before parsing (#60; becomes U+FB02 U+B0 U+B0 60
 * U+B6 U+DF, #quot; U+FB02 U+B0 quot U+B6 U+DF) and turns them into HTML entities after rendering;
 * this decodes the numeric ones, so a label can be compared with the text it was made from.
 */
export function decodeMermaidEntities(text: string): string {
  return text
    .replace(/\ufb02\u00b0\u00b0(\d+)\u00b6\u00df/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/\ufb02\u00b0(\w+)\u00b6\u00df/g, '&$1;');
}

/**
 * What a flowchart's source means to Mermaid: its nodes, edges and classDefs, read from the
 * parser's database. Throws on a syntax error, or when the source is not a flowchart.
 */
export async function parseFlowchart(source: string): Promise<Flowchart> {
  // The same check as validateMermaid, which also yields the configuration the source sets;
  // the parser's database comes from a second parse (mermaid.parse keeps none).
  const parsed = await parse(source);
  if (!parsed.ok) throw new Error(parsed.error);
  const mermaid = await mermaidInstance();
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(source);
  const db: unknown = diagram.db;
  if (
    !isRecord(db) ||
    typeof db.getVertices !== 'function' ||
    typeof db.getEdges !== 'function' ||
    typeof db.getClasses !== 'function'
  ) {
    throw new Error(`not a flowchart: ${diagram.type}`);
  }
  const vertices: unknown = db.getVertices.call(db);
  const edges: unknown = db.getEdges.call(db);
  const classDefs: unknown = db.getClasses.call(db);
  if (!(vertices instanceof Map) || !Array.isArray(edges) || !(classDefs instanceof Map))
    throw new Error('unexpected flowchart database');
  return {
    diagramType: diagram.type,
    nodes: [...vertices.values()].filter(isRecord).map((v) => ({
      id: str(v.id),
      text: decodeMermaidEntities(str(v.text)),
      classes: strings(v.classes),
      styles: strings(v.styles),
    })),
    edges: edges.filter(isRecord).map((e) => ({
      start: str(e.start),
      end: str(e.end),
      text: decodeMermaidEntities(str(e.text)),
      stroke: str(e.stroke),
    })),
    classDefs: [...classDefs.keys()].map(str),
    config: parsed.config,
  };
}
