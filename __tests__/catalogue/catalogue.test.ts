// Runs every case of the bad-input catalogue (cases.ts) through the bundled action (dist/index.js)
// or the CLI (dist/cli.js), against one local Sigstore stack and GitHub API stand-in shared by all
// of them, and checks what the user sees: the exit code, exactly one error line (for verification
// failures, the failure line first, before the per-artifact annotations, since GitHub shows only 10), that it matches the case,
// ends with the case's error code, carries no stack trace, and that nothing was left behind that
// should not be. `CATALOGUE_PRINT=1` prints each actual line (to refresh examples).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  startGitHubApi,
  STAND_IN_TOKEN,
  type Endpoint,
  type GitHubApiStandIn,
} from '../../testkit/github-api/index.ts';
import { startLocalServices, type LocalServices } from '../../testkit/index.ts';
import { REPO_ROOT, runAction, runProcess } from '../../testkit/runner.ts';
import { provenanceStatement } from '../../testkit/sign.ts';
import { mockInstance } from '../verify/crypto/mock-instance.ts';
import { AREAS, CASES, type CatalogueCase, type FileSpec } from './cases.ts';

const PRINT = process.env['CATALOGUE_PRINT'] === '1';
const REPO = 'octo-org/octo-repo';

let services: LocalServices;
let github: GitHubApiStandIn;
let scratch: string;
let template: string; // the files every case's workspace starts with
let signedAt: number; // when app.bin.sigstore.json was signed

const sha256 = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

before(async () => {
  [services, github] = await Promise.all([startLocalServices(), startGitHubApi({ repositories: [REPO] })]);
  scratch = await mkdtemp(path.join(os.tmpdir(), 'catalogue-'));
  template = path.join(scratch, 'template');
  await mkdir(template);
  await writeFile(path.join(template, 'x.bin'), 'x');
  await writeFile(path.join(template, 'app.bin'), 'app');
  await writeFile(
    path.join(template, 'signing.json'),
    JSON.stringify(services.sigstore.signingConfig({ tlog: true, tsa: false })),
  );
  await writeFile(path.join(template, 'trusted_root.json'), JSON.stringify(services.sigstore.trustedRoot));
  const attest = await runAction(services, {
    scratch,
    workspace: template,
    inputs: { 'subject-path': 'app.bin', sigstore: 'signing.json', 'bundle-path': 'app.bin.sigstore.json' },
  });
  assert.equal(attest.code, 0, attest.stdout);
  signedAt = Date.now();
  // A bundle whose timestamp lies 20 minutes after its 10-minute certificate was issued.
  const expired = await mockInstance({ tsaOffsetMs: 20 * 60_000 });
  const statement = provenanceStatement(services, [{ name: 'old.bin', digest: { sha256: sha256('old') } }]);
  await writeFile(path.join(template, 'old.bin'), 'old');
  await writeFile(path.join(template, 'old.sigstore.json'), JSON.stringify(await expired.signStatement(statement)));
  await writeFile(path.join(template, 'old_root.json'), JSON.stringify(expired.trustedRoot));
});
after(async () => {
  await all; // runs of cases a --test-name-pattern left out may still be going
  await Promise.all([services.stop(), github.stop()]);
  await rm(scratch, { recursive: true, force: true });
});

function substitute(text: string): string {
  return text
    .replaceAll('{issuer}', services.issuer.issuer)
    .replaceAll('{github}', github.url)
    .replaceAll('{token}', STAND_IN_TOKEN);
}
const substituted = (record: Record<string, string> = {}): Record<string, string> =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [k, substitute(v)]));
function envOf(c: CatalogueCase): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, v === null ? undefined : substitute(v)]));
}

async function writeSpec(ws: string, name: string, spec: FileSpec): Promise<void> {
  const file = path.join(ws, name);
  await mkdir(path.dirname(file), { recursive: true });
  await rm(file, { recursive: true, force: true });
  if (typeof spec === 'string') return writeFile(file, spec);
  if ('symlink' in spec) return symlink(spec.symlink, file);
  if ('fifo' in spec) return void execFileSync('mkfifo', [file]);
  if ('dir' in spec) return void (await mkdir(file));
  if ('bytes' in spec) return writeFile(file, Buffer.alloc(spec.bytes, 0x20));
  const root = structuredClone(services.sigstore.trustedRoot) as unknown as Record<string, unknown>;
  const keys = spec.trustedRootWithout.split('.');
  const parent = keys
    .slice(0, -1)
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], root) as Record<string, unknown>;
  delete parent[keys.at(-1) ?? ''];
  return writeFile(file, JSON.stringify(root));
}

/** Every file and symlink under `dir`, relative, sorted (directories only when empty). */
async function listing(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => !e.isDirectory())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

interface Seen {
  code: number;
  line: string;
  errorLines: number; // `::error::` lines (the CLI: `provenance: ` lines)
  annotations: number; // `::error title=…::` lines before the last error line
  noise: string; // everything printed except debug lines, for the stack-trace check
  leftInTemp: string[];
  outputs: Record<string, string>;
}

async function runCase(c: CatalogueCase, ws: string): Promise<Seen> {
  if (c.minAgeSeconds !== undefined) {
    const wait = signedAt + c.minAgeSeconds * 1000 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  if (c.mode === 'cli') {
    const tmp = await mkdtemp(path.join(scratch, 'tmp-'));
    const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: process.env['HOME'], TMPDIR: tmp, ...envOf(c) };
    if (c.idToken) env['SIGSTORE_ID_TOKEN'] = await services.issuer.mint({}, c.idToken.audience);
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
    const run = await runProcess(
      process.execPath,
      [path.join(REPO_ROOT, 'dist', 'cli.js'), ...(c.argv ?? []).map(substitute)],
      env,
      ws,
    );
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('provenance: '));
    assert.equal(run.stdout, '', 'a failing command prints no result');
    assert.equal(run.stderr.trimEnd().split('\n').at(-1), lines.at(-1), 'the error line is the last line on stderr');
    return {
      code: run.code,
      line: (lines.at(-1) ?? '').slice('provenance: '.length),
      errorLines: lines.length,
      annotations: 0,
      noise: run.stdout + run.stderr,
      leftInTemp: await listing(tmp),
      outputs: {},
    };
  }
  const saved = services.issuer.claims;
  if (c.claims) services.issuer.claims = { ...saved, ...c.claims };
  for (const [endpoint, faults] of Object.entries(c.githubFaults ?? {}))
    github.faults[endpoint as Endpoint].push(...faults);
  try {
    const inputs = substituted({ ...(c.mode === 'attest' ? { sigstore: 'signing.json' } : {}), ...c.inputs });
    const run = await runAction(services, { scratch, workspace: ws, inputs, env: envOf(c) });
    const last = run.errors.at(-1) ?? '';
    assert.doesNotMatch(last, /%0A|%0D/, 'the error is a single line');
    const errorish = run.stdout.split('\n').filter((l) => l.startsWith('::error'));
    assert.equal(errorish[0], last, 'the error line is the first error the step shows (GitHub shows 10 per step)');
    assert.ok(errorish.length <= 10, `at most 10 error annotations, got ${errorish.length}`);
    const noise = run.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::debug::'))
      .join('\n');
    return {
      code: run.code,
      line: last.slice('::error::'.length).replaceAll('%25', '%'),
      errorLines: run.errors.length,
      annotations: errorish.length - 1,
      noise: noise + run.stderr,
      leftInTemp: await listing(run.runnerTemp),
      outputs: run.outputs,
    };
  } finally {
    services.issuer.claims = saved;
    for (const endpoint of Object.keys(c.githubFaults ?? {})) github.faults[endpoint as Endpoint].length = 0;
  }
}

interface Outcome {
  seen: Seen;
  ws: string;
  before: string[];
}

async function prepareAndRun(c: CatalogueCase): Promise<Outcome> {
  const ws = await mkdtemp(path.join(scratch, `${c.id}-`));
  await cp(template, ws, { recursive: true });
  for (const [name, spec] of Object.entries(c.files ?? {})) await writeSpec(ws, name, spec);
  const before = await listing(ws);
  return { seen: await runCase(c, ws), ws, before };
}

// The runs are started once the services are up and overlap two at a time (each is a process of
// its own, mostly waiting on start-up); a case that changes the job token's claims runs alone
// first, as the claims (and the GitHub stand-in's faults) are shared. Each test then awaits its case's outcome.
const CONCURRENCY = 2;
const outcomes = new Map<string, { promise: Promise<Outcome>; settle: (o: Promise<Outcome>) => void }>();
for (const c of CASES) {
  let settle: (o: Promise<Outcome>) => void = () => undefined;
  const promise = new Promise<Outcome>((resolve) => (settle = resolve));
  promise.catch(() => undefined); // reported by the case's own test
  outcomes.set(c.id, { promise, settle });
}
async function runAll(): Promise<void> {
  const start = (c: CatalogueCase): Promise<unknown> => {
    const run = prepareAndRun(c);
    outcomes.get(c.id)?.settle(run);
    return run.catch(() => undefined);
  };
  const alone = (c: CatalogueCase): boolean => c.claims !== undefined || c.githubFaults !== undefined;
  for (const c of CASES.filter(alone)) await start(c);
  const queue = CASES.filter((c) => !alone(c));
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let c = queue.shift(); c !== undefined; c = queue.shift()) await start(c);
    }),
  );
}
let all: Promise<void> | undefined;

const seenLines = new Map<string, string>();

describe('the bad-input catalogue', () => {
  for (const c of CASES) {
    it(`${c.id}: ${c.title}`, async () => {
      all ??= runAll();
      const { seen, ws, before } = await (outcomes.get(c.id)?.promise ?? assert.fail(`no run for ${c.id}`));
      seenLines.set(c.id, seen.line);
      if (PRINT) console.log(`${c.id}\n  ${seen.line}`);

      assert.equal(seen.code, c.exit, `exit code of ${c.id}: ${seen.line}`);
      assert.equal(seen.errorLines, 1, `exactly one error line, got ${seen.errorLines}`);
      if (c.kind === 'input') assert.equal(seen.annotations, 0, 'no other annotation');
      else if (c.mode !== 'cli')
        assert.ok(seen.annotations >= 1, 'each failing artifact is annotated after the failure line');
      assert.match(seen.line, c.message);
      assert.ok(seen.line.endsWith(` [${c.code}]`), `ends with [${c.code}]: ${seen.line}`);
      assert.doesNotMatch(seen.noise, /\n\s+at .*:\d+:\d+\)?\n/, 'no stack trace');
      assert.doesNotMatch(seen.line, /unexpected error|\[INTERNAL\]/, 'a known mistake, not a crash');

      // Nothing written where nothing should be: the workspace as it was, and in the runner's
      // temp directory only what the case may leave (the verify report).
      const allowed = new Set<string>();
      if (c.leaves === 'report' && seen.outputs['report-path']) allowed.add(seen.outputs['report-path']);
      assert.deepEqual(await listing(ws), before, 'the workspace is unchanged');
      const extra = seen.leftInTemp.filter((f) => ![...allowed].some((a) => a.endsWith(`${path.sep}${f}`)));
      assert.deepEqual(extra, [], 'no file left in the temp directory');
      if (c.leaves !== undefined) assert.equal(allowed.size, 1, `the ${c.leaves} output is set`);
    });
  }

  it('is a catalogue: unique ids, every area covered, examples that match their case', (t) => {
    assert.ok(CASES.length >= 35, `${CASES.length} cases`);
    assert.equal(new Set(CASES.map((c) => c.id)).size, CASES.length, 'unique ids');
    for (const { area } of AREAS)
      assert.ok(
        CASES.some((c) => c.area === area),
        `a case for ${area}`,
      );
    for (const c of CASES) {
      assert.match(c.example, c.message, `${c.id}: the documented example matches the case`);
      assert.ok(c.example.endsWith(` [${c.code}]`), `${c.id}: the example ends with its code`);
      assert.match(c.id, /^[a-z0-9-]+$/);
      assert.ok(c.cause.length > 0 && c.fix.length > 0, `${c.id}: cause and fix`);
    }
    const ran = [...seenLines.values()].filter((l) => l !== '').length;
    const line = `catalogue: ${CASES.length} cases, all one line`;
    t.diagnostic(line);
    if (ran === CASES.length) console.log(line);
  });
});
