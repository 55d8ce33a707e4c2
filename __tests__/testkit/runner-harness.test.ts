// The runner harness must present inputs exactly as GitHub's runner does, or every e2e test built on it
// proves the wrong thing. These run a throwaway action (its own action.yml and main) through the harness
// and read back the environment its step received.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evaluate, inputEnvironment, inputVariable, loadActionManifest } from '../../testkit/action-manifest.ts';
import { startOidcIssuer, type OidcIssuer } from '../../testkit/oidc-issuer.ts';
import { JOB_TOKEN, runAction } from '../../testkit/runner.ts';

const ACTION = `name: probe
description: 'Writes the INPUT_ variables it was given to the file its workspace names.'
inputs:
  plain:
    description: 'no default'
  with-default:
    description: 'a literal default'
    default: 'fallback'
  token:
    description: 'the job token by default'
    default: \${{ github.token }}
  Mixed Case:
    description: 'a name with a space'
    default: x
runs:
  using: 'node24'
  main: 'probe.js'
`;
const MAIN = `import { writeFileSync } from 'node:fs';
const inputs = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('INPUT_')));
writeFileSync('env.json', JSON.stringify({ inputs, node: process.versions.node }));
`;

let dir: string;
let issuer: OidcIssuer;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'harness-'));
  await writeFile(path.join(dir, 'action.yml'), ACTION);
  await writeFile(path.join(dir, 'probe.js'), MAIN);
  issuer = await startOidcIssuer();
});
after(async () => {
  await issuer.stop();
  await rm(dir, { recursive: true, force: true });
});

const probe = async (
  inputs: Record<string, string>,
  extra: { githubToken?: string } = {},
): Promise<{ inputs: Record<string, string>; node: string }> => {
  const run = await runAction({ issuer }, { workspace: dir, scratch: dir, actionDir: dir, inputs, ...extra });
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(await readFile(path.join(dir, 'env.json'), 'utf8')) as {
    inputs: Record<string, string>;
    node: string;
  };
};

describe('the runner harness', () => {
  it('sets every declared input: given, literal default, the job token, or empty', async () => {
    const got = await probe({ plain: 'given' });
    assert.deepEqual(got.inputs, {
      INPUT_PLAIN: 'given',
      'INPUT_WITH-DEFAULT': 'fallback',
      INPUT_TOKEN: JOB_TOKEN,
      INPUT_MIXED_CASE: 'x',
    });
    assert.deepEqual((await probe({})).inputs['INPUT_PLAIN'], '');
  });

  it('evaluates ${{ github.token }} to the job token it is given, and expressions in with: values', async () => {
    const got = await probe(
      { 'with-default': '${{ github.repository }}@${{ github.ref }}' },
      { githubToken: 'ghs_other' },
    );
    assert.equal(got.inputs['INPUT_TOKEN'], 'ghs_other');
    assert.equal(got.inputs['INPUT_WITH-DEFAULT'], `${issuer.claims.repository}@${issuer.claims.ref}`);
  });

  it('names variables as the runner does: upper case, hyphens kept, spaces as underscores', () => {
    assert.equal(inputVariable('subject-path'), 'INPUT_SUBJECT-PATH');
    assert.equal(inputVariable('Mixed Case'), 'INPUT_MIXED_CASE');
  });

  it('refuses a with: key that action.yml does not declare, and INPUT_ variables set by hand', async () => {
    await assert.rejects(
      probe({ plian: 'typo' }),
      /Unexpected input\(s\) 'plian', valid inputs are \['plain', 'with-default', 'token', 'Mixed Case'\]/,
    );
    await assert.rejects(
      runAction({ issuer }, { workspace: dir, actionDir: dir, inputs: {}, env: { INPUT_PLAIN: 'x' } }),
      /INPUT_PLAIN: give inputs as the with: block/,
    );
  });

  it('runs runs.main with the Node that runs.using names, and refuses one it does not have', async () => {
    assert.match((await probe({})).node, /^24\./);
    await writeFile(path.join(dir, 'action.yml'), ACTION.replace("using: 'node24'", "using: 'node20'"));
    try {
      await assert.rejects(probe({}), /runs\.using is node20, and this harness runs on Node 24/);
    } finally {
      await writeFile(path.join(dir, 'action.yml'), ACTION);
    }
  });

  it('refuses an action.yml that GitHub parser refuses', async () => {
    await writeFile(path.join(dir, 'action.yml'), ACTION.replace("'no default'", "'no default"));
    try {
      await assert.rejects(loadActionManifest(dir), /GitHub's parser refuses .*Missing closing 'quote/s);
    } finally {
      await writeFile(path.join(dir, 'action.yml'), ACTION);
    }
  });

  it('treats an expression naming nothing in the job as an error, not an empty input', async () => {
    const manifest = await loadActionManifest(dir);
    assert.throws(
      () => inputEnvironment(manifest, { plain: '${{ steps.nope.outputs.x }}' }, { github: {} }),
      /Unrecognized named-value: 'steps'|has no value/,
    );
    assert.equal(evaluate("format('{0}-{1}', github.a, 'b')", { github: { a: 'A' } }), 'A-b');
  });
});
