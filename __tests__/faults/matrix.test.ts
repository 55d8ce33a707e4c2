// Faults at every remote service, through the bundled action (GitHub issue #7, item 3): the OIDC token
// endpoint, Fulcio, Rekor, the TSA, an OCI registry and the GitHub API each answer 503, 429 with
// retry-after, a connection reset, a slow answer, no answer at all (timeout) or garbage (200 with an
// HTML page where JSON or a timestamp belongs). For each service × fault, on a subject of its own:
//   permanent (every request) → exit 1, exactly one ::error:: line naming the service and what to do,
//     and nothing left anywhere: no bundle file, no output, no referrer, no release asset, no attestation;
//   then a re-run that meets the fault once more, on its first request only (transient) → success, with
//     complete output that verifies and exactly one copy in every sink: a transient fault ends in success
//     on a fresh state (the permanent fault left nothing), and the re-run after a fault duplicates nothing.
//   A slow answer is no fault: every answer slow → success; a re-run → still one copy of each.
// Every attest run publishes to all three sinks (registry, release, attestations API), so a fault at one
// service shows whether another sink was written to. The read paths (registry, GitHub API) are faulted in
// verify mode too. Backoff and timeouts are shortened through the action's test hook
// (PROVENANCE_TEST_BACKOFF_SCALE, PROVENANCE_TEST_TIMEOUT_MS), never the number of attempts.
// Rows run side by side, each with its own stand-ins, so one row's faults never meet another's runs.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { safeFileStem } from '../../src/attest/bundle-files.ts';
import { SIGSTORE_BUNDLE_ARTIFACT } from '../../src/registry/index.ts';
import {
  startGitHubApi,
  STAND_IN_TOKEN,
  type Endpoint,
  type GitHubApiStandIn,
  type GitHubFault,
} from '../../testkit/github-api/index.ts';
import type { Fault } from '../../testkit/http.ts';
import { startLocalServices, type LocalServices } from '../../testkit/index.ts';
import { pushTestImage } from '../../testkit/registry/images.ts';
import { startReferrersRegistry, type ReferrersRegistry } from '../../testkit/registry/referrers-registry.ts';
import { runAction, type ActionRun } from '../../testkit/runner.ts';
import { readBundles, verifyWithSigstoreJs } from '../../testkit/verify.ts';

const REPO = 'octo-org/octo-repo';
const TAG = 'v1.2.0'; // the issuer's default ref is refs/tags/v1.2.0: upload-to-release "auto" picks it
// Every client's per-request timeout in these runs. SLOW_MS (250) stays well below it; so must an honest
// answer on a loaded two-core machine (Fulcio issuing a certificate took over 1 s at load 12).
const TIMEOUT_MS = 2_500;
const HOOK = { PROVENANCE_TEST_BACKOFF_SCALE: '0.01', PROVENANCE_TEST_TIMEOUT_MS: String(TIMEOUT_MS) };
const EVERY_REQUEST = 40; // more faults than any permanent run can meet; the rest are cleared after it

const KINDS = ['503', '429', 'reset', 'slow', 'timeout', 'garbage'] as const;
type Kind = (typeof KINDS)[number];

const LOOPBACK_FAULT: Record<Kind, Fault> = {
  '503': 503,
  '429': { status: 429, retryAfter: 1 },
  reset: 'reset',
  slow: 'slow',
  timeout: 'timeout',
  garbage: 'garbage',
};
const GITHUB_FAULT: Record<Kind, GitHubFault> = {
  '503': 503,
  '429': { status: 429, headers: { 'retry-after': '1' } },
  reset: 'reset',
  slow: 'slow',
  timeout: 'timeout',
  garbage: 'garbage',
};

/** One set of stand-ins and a workspace; cells in a lane run one after another. */
interface Lane {
  services: LocalServices;
  registry: ReferrersRegistry;
  github: GitHubApiStandIn;
  scratch: string;
  ws: string;
  env: Record<string, string>;
}

async function startLane(root: string): Promise<Lane> {
  const services = await startLocalServices();
  const registry = await startReferrersRegistry();
  const github = await startGitHubApi({ repositories: [REPO] });
  github.createRelease(REPO, TAG);
  const scratch = await mkdtemp(path.join(root, 'lane-'));
  const ws = path.join(scratch, 'ws');
  const docker = path.join(scratch, 'docker'); // no credentials: the loopback registry needs none
  await mkdir(ws);
  await mkdir(docker);
  await writeFile(
    path.join(ws, 'signing.json'),
    JSON.stringify(services.sigstore.signingConfig({ tlog: true, tsa: true })),
  );
  await writeFile(path.join(ws, 'trusted_root.json'), JSON.stringify(services.sigstore.trustedRoot));
  return {
    services,
    registry,
    github,
    scratch,
    ws,
    env: { DOCKER_CONFIG: docker, GITHUB_API_URL: github.url, ...HOOK },
  };
}

/** A service under fault: where its faults queue, and how its error line must name it. */
interface Target {
  service: string;
  mode: 'attest' | 'verify';
  named: (lane: Lane) => RegExp;
  /** Queues `count` faults on the service's first requests. */
  inject: (lane: Lane, kind: Kind, count: number) => void;
  /** Drops faults left over, returning how many there were. */
  clear: (lane: Lane) => number;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const repeat = <T>(value: T, count: number): T[] => Array.from({ length: count }, () => value);
const drain = (queue: unknown[]): number => queue.splice(0).length;

const SIGSTORE = (service: 'fulcio' | 'rekor' | 'tsa', label: string, name: RegExp): Target => ({
  service: label,
  mode: 'attest',
  named: () => name,
  inject: (lane, kind, count) =>
    void lane.services.sigstore.faults[service].push(...repeat(LOOPBACK_FAULT[kind], count)),
  clear: (lane) => drain(lane.services.sigstore.faults[service]),
});

const OIDC: Target = {
  service: 'OIDC token endpoint',
  mode: 'attest',
  named: () => /GitHub OIDC token endpoint/,
  inject: (lane, kind, count) => void lane.services.issuer.faults.push(...repeat(LOOPBACK_FAULT[kind], count)),
  clear: (lane) => drain(lane.services.issuer.faults),
};

const registryTarget = (mode: 'attest' | 'verify'): Target => ({
  service: 'OCI registry',
  mode,
  named: (lane) => new RegExp(`registry ${escape(lane.registry.host)}`),
  inject: (lane, kind, count) => void lane.registry.faults.push(...repeat(LOOPBACK_FAULT[kind], count)),
  clear: (lane) => drain(lane.registry.faults),
});

// A transient GitHub fault meets the first request of each endpoint the mode uses (writes included, in
// attest mode); a permanent one, every request to every endpoint.
const GITHUB_FIRST: Record<'attest' | 'verify', Endpoint[]> = {
  attest: ['release-by-tag', 'list-assets', 'upload-asset', 'list-attestations', 'post-attestation'],
  verify: ['release-by-tag', 'list-assets', 'list-attestations'],
};

const githubTarget = (mode: 'attest' | 'verify'): Target => ({
  service: 'GitHub API',
  mode,
  named: () => /GitHub API/,
  inject: (lane, kind, count) =>
    lane.github.failFirst(count, GITHUB_FAULT[kind], count > 1 ? undefined : GITHUB_FIRST[mode]),
  clear: (lane) => Object.values(lane.github.faults).reduce((n, queue) => n + drain(queue), 0),
});

// One lane per row: most of a cell's time is spent waiting (timeouts, slow answers), so rows overlap.
const LANES: Target[][] = [
  [OIDC],
  [SIGSTORE('fulcio', 'Fulcio', /Fulcio/)],
  [SIGSTORE('rekor', 'Rekor', /Rekor/)],
  [SIGSTORE('tsa', 'TSA', /timestamp authority/)],
  [registryTarget('attest')],
  [registryTarget('verify')],
  [githubTarget('attest')],
  [githubTarget('verify')],
];

// What a garbage answer must be called, service by service, instead of a crash.
const GARBAGE_WORDS = /not JSON|garbage|not an RFC 3161 timestamp|corrupted|not what/i;

interface Row {
  service: string;
  mode: string;
  kind: Kind;
  permanent: string;
  transient: string;
  ms: number;
}

const rows: Row[] = [];
let root: string;
const lanes: Lane[] = [];

before(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'fault-matrix-'));
  lanes.push(...(await Promise.all(LANES.map(() => startLane(root)))));
});

after(async () => {
  await Promise.all(lanes.flatMap((l) => [l.services.stop(), l.registry.stop(), l.github.stop()]));
  await rm(root, { recursive: true, force: true });
  printMatrix();
});

/** The subject of one cell: an image of its own, so every cell starts with nothing published. */
interface Cell {
  repository: string;
  subject: string; // registry/repository
  digest: string;
  assetName: string;
  hex: string;
}

async function newCell(lane: Lane, target: Target, kind: Kind | 'published'): Promise<Cell> {
  const repository = `cells/${target.service.toLowerCase().replace(/[^a-z]+/g, '-')}-${target.mode}-${kind}`;
  const { digest } = await pushTestImage(lane.registry.url, repository, 'v1', `${repository}-${Math.random()}`);
  const subject = `${lane.registry.host}/${repository}`;
  return {
    repository,
    subject,
    digest,
    assetName: `${safeFileStem(subject)}.sigstore.json`,
    hex: digest.slice('sha256:'.length),
  };
}

const attestInputs = (cell: Cell): Record<string, string> => ({
  sigstore: 'signing.json',
  'subject-name': cell.subject,
  'subject-digest': cell.digest,
  'push-to-registry': 'true',
  'upload-to-release': 'auto',
  'attestations-api': 'true',
  'github-token': STAND_IN_TOKEN,
});

const verifyInputs = (lane: Lane, cell: Cell, target: Target): Record<string, string> => ({
  mode: 'verify',
  images: `${cell.subject}:v1`,
  'trusted-root': 'trusted_root.json',
  'certificate-oidc-issuer': lane.services.issuer.issuer,
  repository: REPO,
  'signer-workflow': `${REPO}/.github/workflows/release.yml`,
  ...(target.service === 'GitHub API'
    ? { release: TAG, 'attestations-api': 'true', 'github-token': STAND_IN_TOKEN }
    : { 'attestations-api': 'false' }),
});

const run = (lane: Lane, inputs: Record<string, string>): Promise<ActionRun> =>
  runAction(lane.services, { scratch: lane.scratch, workspace: lane.ws, inputs, env: lane.env });

/** What the sinks hold for the cell's subject. */
async function copies(lane: Lane, cell: Cell): Promise<{ referrers: number; assets: number; attestations: number }> {
  const listed = await fetch(`${lane.registry.url}/v2/${cell.repository}/referrers/${cell.digest}`, {
    headers: lane.registry.adminHeaders,
  });
  const index = (await listed.json()) as { manifests: { artifactType?: string }[] };
  return {
    referrers: index.manifests.filter((m) => m.artifactType === SIGSTORE_BUNDLE_ARTIFACT).length,
    assets: lane.github.assets(REPO, TAG).filter((a) => a.name === cell.assetName).length,
    attestations: lane.github.attestations(REPO).filter((a) => a.digests.includes(cell.digest)).length,
  };
}

async function filesUnder(dir: string, pattern: RegExp): Promise<string[]> {
  const all = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return all.filter((f) => pattern.test(f));
}

const BUNDLE_FILES = /\.(jsonl|sigstore\.json)$|\.tmp$/;

function describeRun(r: ActionRun): string {
  return `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

/** Exit 1, one ::error:: line naming the service with a hint and a code, no stack trace; returns the line. */
function assertOneLineFailure(r: ActionRun, named: RegExp): string {
  assert.equal(r.code, 1, describeRun(r));
  const errorLines = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
  assert.equal(errorLines.length, 1, `exactly one error line expected:\n${errorLines.join('\n')}`);
  const line = errorLines[0] ?? '';
  assert.match(line, named, 'the error line names the service');
  assert.match(line, /\. \S.{10,} \[[A-Z_]+\]$/, 'the line ends in what to do and an error code');
  assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at .*\(.*:\d+:\d+\)/, 'no stack trace');
  assert.doesNotMatch(line, /\[INTERNAL\]/, 'not an unexpected error');
  return line.replace(/^::error::/, '');
}

async function assertCompleteAttest(lane: Lane, cell: Cell, r: ActionRun): Promise<void> {
  assert.equal(r.code, 0, describeRun(r));
  for (const output of ['bundle-path', 'statement-digest', 'attestation-id', 'attestation-url', 'release-assets'])
    assert.ok(r.outputs[output], `output ${output} set`);
  const bundles = readBundles(await readFile(r.outputs['bundle-path'] ?? '', 'utf8'));
  assert.equal(bundles.length, 1);
  const [bundle] = bundles;
  assert.ok(bundle);
  verifyWithSigstoreJs(bundle, lane.services.sigstore.trustedRoot, {
    san: `https://github.com/${lane.services.issuer.claims.job_workflow_ref}`,
    issuer: lane.services.issuer.issuer,
  });
  assert.deepEqual(
    await copies(lane, cell),
    { referrers: 1, assets: 1, attestations: 1 },
    'exactly one copy in every sink',
  );
  assert.deepEqual(await filesUnder(r.runnerTemp, /\.tmp$/), [], 'no staged file left');
}

/** The gist of an error line for the table: what the service answered, and the error code. */
function gist(line: string): string {
  const code = /\[([A-Z_]+)\]$/.exec(line)?.[1] ?? '?';
  const message = line
    .slice(0, line.indexOf('. ') < 0 ? line.length : line.indexOf('. '))
    .replace(/http:\/\/127\.0\.0\.1:\d+/g, '');
  const marker = [' answered ', ' served '].find((m) => message.includes(m));
  const what =
    marker === undefined ? message.slice(message.indexOf(': ') + 2) : message.slice(message.lastIndexOf(marker) + 1);
  return `${what.replace(/sha256:[0-9a-f]{64}/g, 'sha256:…').slice(0, 72)} [${code}]`;
}

async function attestCell(lane: Lane, target: Target, kind: Kind): Promise<Row> {
  const started = Date.now();
  const cell = await newCell(lane, target, kind);
  const inputs = attestInputs(cell);

  target.inject(lane, kind, EVERY_REQUEST);
  const down = await run(lane, inputs);
  target.clear(lane);
  if (kind === 'slow') {
    // Slow answers are no fault: the run succeeds; a re-run then finds every copy in place.
    await assertCompleteAttest(lane, cell, down);
    const again = await run(lane, inputs);
    await assertCompleteAttest(lane, cell, again);
    return {
      service: target.service,
      mode: 'attest',
      kind,
      permanent: 'success (every answer slow)',
      transient: 're-run: success, 1 copy each',
      ms: Date.now() - started,
    };
  }
  const line = assertOneLineFailure(down, target.named(lane));
  if (kind === 'garbage') assert.match(line, GARBAGE_WORDS, 'garbage is reported as such');
  assert.deepEqual(Object.keys(down.outputs), [], 'no output at all');
  assert.deepEqual(await filesUnder(down.runnerTemp, BUNDLE_FILES), [], 'no bundle file in the runner temp');
  assert.deepEqual(await filesUnder(lane.ws, BUNDLE_FILES), [], 'no bundle file in the workspace');
  assert.deepEqual(
    await copies(lane, cell),
    { referrers: 0, assets: 0, attestations: 0 },
    'nothing published anywhere',
  );

  // The re-run after the permanent fault meets the fault once more, on its first request (of each kind,
  // for the GitHub API): it succeeds, complete, with exactly one copy in every sink.
  target.inject(lane, kind, 1);
  const rerun = await run(lane, inputs);
  assert.equal(target.clear(lane), 0, 'the transient fault was met');
  await assertCompleteAttest(lane, cell, rerun);
  return {
    service: target.service,
    mode: 'attest',
    kind,
    permanent: `exit 1: ${gist(line)}`,
    transient: 'success, complete, 1 copy each',
    ms: Date.now() - started,
  };
}

// Verify mode reads an image the lane signed and published without faults.
async function verifyCell(lane: Lane, target: Target, kind: Kind, cell: Cell): Promise<Row> {
  const started = Date.now();
  const inputs = verifyInputs(lane, cell, target);
  const reports = (r: ActionRun): Promise<string[]> => filesUnder(r.runnerTemp, /\.json$/);

  target.inject(lane, kind, EVERY_REQUEST);
  const down = await run(lane, inputs);
  target.clear(lane);
  if (kind === 'slow') {
    assert.equal(down.code, 0, describeRun(down));
    assert.equal(down.outputs['verified'], 'true');
    return {
      service: target.service,
      mode: 'verify',
      kind,
      permanent: 'verified (every answer slow)',
      transient: '-',
      ms: Date.now() - started,
    };
  }
  const line = assertOneLineFailure(down, target.named(lane));
  if (kind === 'garbage') assert.match(line, GARBAGE_WORDS, 'garbage is reported as such');
  assert.deepEqual(Object.keys(down.outputs), [], 'no output');
  assert.deepEqual(await reports(down), [], 'no report file');

  target.inject(lane, kind, 1);
  const flaky = await run(lane, inputs);
  assert.equal(target.clear(lane), 0, 'the fault was met');
  assert.equal(flaky.code, 0, describeRun(flaky));
  assert.equal(flaky.outputs['verified'], 'true');
  assert.match(flaky.stdout, /PASS /);
  return {
    service: target.service,
    mode: 'verify',
    kind,
    permanent: `exit 1: ${gist(line)}`,
    transient: 'verified',
    ms: Date.now() - started,
  };
}

function printMatrix(): void {
  const order = (r: Row): number =>
    LANES.flat().findIndex((t) => t.service === r.service && t.mode === r.mode) * 10 + KINDS.indexOf(r.kind);
  const sorted = [...rows].sort((a, b) => order(a) - order(b));
  const header = [
    'service',
    'mode',
    'fault',
    'permanent (every request)',
    'then a re-run, fault on its first request',
    'ms',
  ];
  const table = [header, ...sorted.map((r) => [r.service, r.mode, r.kind, r.permanent, r.transient, String(r.ms)])];
  const widths = header.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
  const lines = table.map((row) => `| ${row.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`);
  lines.splice(1, 0, `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  console.log(
    `\nfault matrix (permanent: every request faulted; then a re-run with the fault on its first request only, of each GitHub endpoint used; per-request timeouts ${TIMEOUT_MS} ms, backoff × ${HOOK.PROVENANCE_TEST_BACKOFF_SCALE})\n${lines.join('\n')}`,
  );
}

// MATRIX_ONLY=Fulcio:503 runs one cell (while working on it); the full matrix otherwise.
const only = process.env['MATRIX_ONLY']?.split(':');
const selected = (target: Target, kind: Kind): boolean =>
  only === undefined || (target.service === only[0] && (only[1] === undefined || kind === only[1]));

describe('faults at every remote service', () => {
  it('transient faults end in success, permanent ones in one line naming the service, with nothing partial and no duplicates', async () => {
    // Every cell runs even when one fails, so the printed matrix shows all failures at once.
    const failures: string[] = [];
    const attempt = async <T>(target: Target, kind: Kind, fn: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await fn();
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        failures.push(`${target.service} (${target.mode}) × ${kind}: ${message}`);
        rows.push({
          service: target.service,
          mode: target.mode,
          kind,
          permanent: 'FAILED',
          transient: message.split('\n')[0]?.slice(0, 60) ?? '',
          ms: 0,
        });
        return undefined;
      }
    };
    await Promise.all(
      LANES.map(async (targets, i) => {
        const lane = lanes[i];
        assert.ok(lane);
        let published: Cell | undefined; // what a verify row reads: one image, signed and published without faults
        for (const kind of KINDS) {
          for (const target of targets) {
            if (!selected(target, kind)) continue;
            if (target.mode === 'attest') {
              const row = await attempt(target, kind, () => attestCell(lane, target, kind));
              if (row !== undefined) rows.push(row);
            } else {
              await attempt(target, kind, async () => {
                published ??= await publishedCell(lane, target);
                rows.push(await verifyCell(lane, target, kind, published));
              });
            }
          }
        }
      }),
    );
    assert.deepEqual(failures, []);
  });
});

async function publishedCell(lane: Lane, target: Target): Promise<Cell> {
  const cell = await newCell(lane, target, 'published');
  const r = await run(lane, attestInputs(cell));
  assert.equal(r.code, 0, describeRun(r));
  return cell;
}
