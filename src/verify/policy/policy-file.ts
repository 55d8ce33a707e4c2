// A policy file: the same rules as the inputs, under the same names, for repositories that
// verify many things the same way. JSON (a `.json` name, or text starting with `{`) or YAML, read
// strictly by policy-yaml.ts. This turns either into raw rule values with where each came from;
// rule-values.ts then validates them exactly as it validates inputs. Pure.

import { ProvenanceError } from '../../common/errors.ts';
import { parsePolicyYaml, PolicyYamlError } from './policy-yaml.ts';

/** One rule as written: list rules may have several values; booleans arrive as "true"/"false". */
export interface RawRule {
  name: string;
  values: string[];
  /** Where it was written, for messages: `policy file ci/policy.yml, line 3`. */
  where: string;
}

/** A policy file holds a few dozen rules; anything this large is not one. */
export const MAX_POLICY_FILE_BYTES = 1024 * 1024;

const HINT =
  'Write one "name: value" per rule (a list as "- value" lines under "name:"), without anchors, aliases or tags, quoting values YAML could read otherwise; or use a JSON file';

export function parsePolicyFile(path: string, text: string): RawRule[] {
  if (text.length > MAX_POLICY_FILE_BYTES || Buffer.byteLength(text, 'utf8') > MAX_POLICY_FILE_BYTES) {
    throw new ProvenanceError(
      'INPUT_INVALID',
      `policy: ${path} is larger than ${MAX_POLICY_FILE_BYTES} bytes`,
      'Point the policy input at a policy file (a few rules), not at another file',
    );
  }
  const json =
    /\.json$/i.test(path) ||
    text
      .replace(/^\uFEFF/, '')
      .trimStart()
      .startsWith('{');
  return json ? fromJSON(path, text) : fromYAML(path, text);
}

function fromYAML(path: string, text: string): RawRule[] {
  try {
    return parsePolicyYaml(text).map((entry) => ({
      name: entry.key,
      values: entry.values,
      where: `policy file ${path}, line ${entry.line}`,
    }));
  } catch (err) {
    if (!(err instanceof PolicyYamlError)) throw err;
    throw new ProvenanceError('INPUT_INVALID', `policy: ${path} line ${err.line}: ${err.message}`, HINT, {
      cause: err,
    });
  }
}

function fromJSON(path: string, text: string): RawRule[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ProvenanceError(
      'INPUT_INVALID',
      `policy: ${path} is not valid JSON (${err instanceof Error ? err.message : String(err)})`,
      'Fix the JSON, e.g. with `jq . ' + path + '`',
      { cause: err },
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ProvenanceError(
      'INPUT_INVALID',
      `policy: ${path} is not a JSON object`,
      'Write an object of rules, e.g. {"repository": "octo-org/octo-repo"}',
    );
  }
  return Object.entries(parsed).map(([name, value]) => {
    const values = jsonValues(value);
    if (values === undefined) {
      throw new ProvenanceError(
        'INPUT_INVALID',
        `policy: ${path}: "${name}" is ${JSON.stringify(value)}, not a string, number, boolean or list of strings`,
        'Give each rule a scalar value, or a list of strings where it accepts several',
      );
    }
    return { name, values, where: `policy file ${path}` };
  });
}

function jsonValues(value: unknown): string[] | undefined {
  if (typeof value === 'string' || typeof value === 'boolean') return [String(value)];
  if (typeof value === 'number' && Number.isFinite(value)) return [String(value)];
  if (Array.isArray(value) && value.length > 0 && value.every((v): v is string => typeof v === 'string')) return value;
  return undefined;
}
