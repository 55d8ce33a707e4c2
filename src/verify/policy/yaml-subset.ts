// A strict parser for the little YAML a policy file needs, so the action carries no YAML
// dependency and a policy never means something its author did not see. Accepted:
//
//   # comments, on their own line or after a value (` #`)
//   name: plain value                  plain scalars are strings, numbers included ("3600")
//   name: 'single quoted'              '' is a quote; backslashes are literal (good for regexps)
//   name: "double quoted"              escapes: \\ \" \/ \n \t \r \uXXXX only
//   name: true                         true/false (also True, TRUE, False, FALSE) are booleans
//   name:                              a list: the following "- value" lines, any indentation
//     - value
//
// Refused, each with its line number: indentation other than list items (nested mappings),
// flow collections ([a, b], {a: b}), block scalars (| >), anchors, aliases, tags, documents
// markers and directives, quoted or complex keys, duplicate keys, tabs, multi-line quoted
// strings, `: ` inside a plain value, null (~, null) and the YAML 1.1 booleans (yes, no, on,
// off, y, n), which other parsers read as true/false. Anything beyond this belongs in JSON.

export type YamlValue = string | boolean | string[];

export interface YamlEntry {
  key: string;
  value: YamlValue;
  line: number;
}

/** A refusal: `line` is 1-based, `message` says what was found and what is accepted instead. */
export class YamlSubsetError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(message);
    this.name = 'YamlSubsetError';
    this.line = line;
  }
}

const KEY_LINE = /^([A-Za-z0-9_][A-Za-z0-9_-]*):(?:[ ]+(.*))?$/;
const YAML11_BOOLEANS = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
const NULLS = /^(?:~|null|Null|NULL)$/;
const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r' };

export function parseYamlSubset(text: string): YamlEntry[] {
  const entries: YamlEntry[] = [];
  const seen = new Map<string, number>();
  let list: { entry: YamlEntry; items: string[] } | undefined;

  const closeList = (): void => {
    if (list && list.items.length === 0) throw new YamlSubsetError(list.entry.line, `"${list.entry.key}" has no value`);
    list = undefined;
  };

  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, index) => {
      const line = index + 1;
      const indent = /^[ \t]*/.exec(raw)?.[0] ?? '';
      if (indent.includes('\t')) throw new YamlSubsetError(line, 'a tab in the indentation (YAML allows only spaces)');
      const body = raw.slice(indent.length).trimEnd();
      if (body === '' || body.startsWith('#')) return;
      if (indent === '' && /^(?:---|\.\.\.)(?:\s|$)/.test(body)) throw new YamlSubsetError(line, 'a document marker (one policy per file)');
      if (indent === '' && body.startsWith('%')) throw new YamlSubsetError(line, 'a YAML directive');

      if (body === '-' || body.startsWith('- ')) {
        if (!list) throw new YamlSubsetError(line, 'a list item that does not follow a "name:" line');
        const item = scalar(body.slice(1).trim(), line);
        if (typeof item !== 'string') throw new YamlSubsetError(line, `a list item that is not a string (${String(item)}); quote it`);
        list.items.push(item);
        return;
      }
      if (indent !== '') throw new YamlSubsetError(line, 'an indented line: policy files are a flat mapping of rule names to values');
      closeList();

      const m = KEY_LINE.exec(body);
      if (!m) throw new YamlSubsetError(line, `"${body}" is not a "name: value" line (names are plain words; values follow ": ")`);
      const key = m[1] ?? '';
      const first = seen.get(key);
      if (first !== undefined) throw new YamlSubsetError(line, `"${key}" is given twice (first on line ${first})`);
      seen.set(key, line);

      const rest = m[2] ?? '';
      if (rest === '' || rest.startsWith('#')) {
        const items: string[] = [];
        const entry: YamlEntry = { key, value: items, line };
        entries.push(entry);
        list = { entry, items };
      } else {
        entries.push({ key, value: scalar(rest, line), line });
      }
    });
  closeList();
  return entries;
}

/** One value: quoted, or plain up to a ` #` comment. */
function scalar(text: string, line: number): string | boolean {
  if (text === '') throw new YamlSubsetError(line, 'an empty list item');
  if (text.startsWith('"')) return doubleQuoted(text, line);
  if (text.startsWith("'")) return singleQuoted(text, line);
  const first = text[0] ?? '';
  if ('[{'.includes(first)) throw new YamlSubsetError(line, `a flow collection (${first}...): write lists as "- value" lines`);
  if ('|>'.includes(first)) throw new YamlSubsetError(line, `a block scalar (${first}): write the value on one line`);
  if ('&*!'.includes(first)) throw new YamlSubsetError(line, `an anchor, alias or tag (${first}): not supported`);
  if ('],}#%@`'.includes(first) || /^[-?:](?:\s|$)/.test(text)) {
    throw new YamlSubsetError(line, `a value starting with "${first}": quote it`);
  }
  const comment = text.search(/\s#/);
  const value = (comment === -1 ? text : text.slice(0, comment)).trimEnd();
  if (/:(?:\s|$)/.test(value)) throw new YamlSubsetError(line, `": " inside the plain value "${value}": quote it`);
  if (/^(?:true|True|TRUE)$/.test(value)) return true;
  if (/^(?:false|False|FALSE)$/.test(value)) return false;
  if (NULLS.test(value)) throw new YamlSubsetError(line, `a null value (${value}): give the rule a value or leave it out`);
  if (YAML11_BOOLEANS.test(value)) throw new YamlSubsetError(line, `"${value}", which YAML 1.1 reads as a boolean: write true/false, or quote it`);
  return value;
}

function doubleQuoted(text: string, line: number): string {
  let out = '';
  for (let i = 1; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === '"') return afterQuote(out, text.slice(i + 1), line);
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = text[i + 1] ?? '';
    const hex = e === 'u' ? /^[0-9a-fA-F]{4}/.exec(text.slice(i + 2))?.[0] : undefined;
    if (hex !== undefined) {
      out += String.fromCharCode(parseInt(hex, 16));
      i += 5;
    } else if (ESCAPES[e] !== undefined) {
      out += ESCAPES[e];
      i += 1;
    } else {
      throw new YamlSubsetError(line, `the escape "\\${e}" in a double-quoted value: use single quotes for backslashes, e.g. regexps`);
    }
  }
  throw new YamlSubsetError(line, 'a double-quoted value without its closing quote (values are one line)');
}

function singleQuoted(text: string, line: number): string {
  let out = '';
  for (let i = 1; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c !== "'") {
      out += c;
    } else if (text[i + 1] === "'") {
      out += "'";
      i += 1;
    } else {
      return afterQuote(out, text.slice(i + 1), line);
    }
  }
  throw new YamlSubsetError(line, 'a single-quoted value without its closing quote (values are one line)');
}

function afterQuote(value: string, rest: string, line: number): string {
  if (rest.trim() === '' || /^\s+#/.test(rest)) return value;
  throw new YamlSubsetError(line, `text after the closing quote: "${rest.trim()}"`);
}
