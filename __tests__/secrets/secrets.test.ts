// No secret leaves the process (issue #7, item 5). Every mode runs with known secrets and debug
// logging on (ACTIONS_STEP_DEBUG, RUNNER_DEBUG): attest publishing to a registry that wants a
// password, a release, the attestations API and a workflow artifact; verify reading from all of
// them and signing a VSA; the CLI's attest and verify; and runs where each service refuses the
// credential (401/403) or fails (5xx, some echoing the token back in their error body). After each
// run stdout, stderr, the job summary, GITHUB_OUTPUT and every file under the workspace and the
// runner's directories (RUNNER_TEMP; the CLI's TMPDIR) are scanned for every secret, its base64 and
// base64url forms, and for JWTs their payload and signature parts; so is what was published to the
// GitHub stand-in. Zero occurrences. `SECRETS_PRINT=1` prints each run's last error line.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BACKOFF_SCALE_VARIABLE } from '../../src/http/retry.ts';
import { startActionsArtifacts, type ActionsArtifactsStandIn } from '../../testkit/actions-artifacts/index.ts';
import { startGitHubApi, type GitHubApiStandIn } from '../../testkit/github-api/index.ts';
import { startLocalServices, type LocalServices } from '../../testkit/index.ts';
import { startReferrersRegistry, type ReferrersRegistry } from '../../testkit/registry/referrers-registry.ts';
import { pushTestImage } from '../../testkit/registry/images.ts';
import { REPO_ROOT, runAction, runProcess } from '../../testkit/runner.ts';

const REPO = 'octo-org/octo-repo';
const PRINT = process.env['SECRETS_PRINT'] === '1'; // print each run's last error line
const secret = (prefix: string): string => `${prefix}${randomBytes(18).toString('base64url')}`;
const GITHUB_TOKEN = secret('ghs_');
const WRONG_GITHUB_TOKEN = secret('ghs_');
const REGISTRY_USER = 'octo-bot';
const REGISTRY_PASSWORD = secret('dckr_pat_');
const WRONG_REGISTRY_PASSWORD = secret('dckr_pat_');

let services: LocalServices;
let github: GitHubApiStandIn;
let registry: ReferrersRegistry;
let artifacts: ActionsArtifactsStandIn;
let tokenProxy: Server;
let tokenProxyURL: string;
let scratch: string;
let ws: string;
let dockerConfig: string;
let wrongDockerConfig: string;
let image: string; // registry/repository@digest
let imageName: string;
let imageDigest: string;
const minted: string[] = []; // every job token handed to the action, through the proxy

/** The secrets and the forms in which a leak would show up. */
function secrets(): { name: string; value: string }[] {
  const list: { name: string; value: string }[] = [
    { name: 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', value: services.issuer.requestToken },
    { name: 'github-token', value: GITHUB_TOKEN },
    { name: 'a refused github-token', value: WRONG_GITHUB_TOKEN },
    { name: 'registry password', value: REGISTRY_PASSWORD },
    { name: 'refused registry password', value: WRONG_REGISTRY_PASSWORD },
    { name: 'docker config auth', value: Buffer.from(`${REGISTRY_USER}:${REGISTRY_PASSWORD}`).toString('base64') },
    { name: 'ACTIONS_RUNTIME_TOKEN', value: artifacts.runtimeToken },
    ...minted.map((jwt, i) => ({ name: `OIDC token #${i + 1}`, value: jwt })),
  ];
  return list.flatMap(({ name, value }) => {
    const forms = [
      { name, value },
      { name: `${name} (base64)`, value: Buffer.from(value).toString('base64') },
      { name: `${name} (base64url)`, value: Buffer.from(value).toString('base64url') },
    ];
    const parts = value.split('.');
    if (parts.length === 3)
      forms.push(
        { name: `${name} (payload)`, value: parts[1] ?? '' },
        { name: `${name} (signature)`, value: parts[2] ?? '' },
      );
    return forms.filter((f) => f.value.length >= 16);
  });
}

let placesScanned = 0;
let runsScanned = 0;

/** Every file under `dir` (recursively), with its content. */
async function filesUnder(dir: string): Promise<{ file: string; text: string }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const files = entries.filter((e) => e.isFile());
  return Promise.all(
    files.map(async (e) => ({
      file: path.join(e.parentPath, e.name),
      text: (await readFile(path.join(e.parentPath, e.name))).toString('latin1'),
    })),
  );
}

/** Each secret form found in the texts or in a file under the directories, as "<secret> in <place>". */
async function findLeaks(texts: Record<string, string>, dirs: string[]): Promise<{ leaks: string[]; places: number }> {
  const places: { where: string; text: string }[] = Object.entries(texts).map(([where, text]) => ({ where, text }));
  for (const dir of dirs) for (const { file, text } of await filesUnder(dir)) places.push({ where: file, text });
  const leaks: string[] = [];
  for (const s of secrets())
    for (const p of places) if (p.text.includes(s.value)) leaks.push(`${s.name} in ${p.where}`);
  return { leaks, places: places.length };
}

async function assertNoSecrets(label: string, texts: Record<string, string>, dirs: string[]): Promise<void> {
  const { leaks, places } = await findLeaks(texts, dirs);
  placesScanned += places;
  runsScanned++;
  assert.deepEqual(leaks, [], `${label}: secrets leaked`);
}

before(async () => {
  services = await startLocalServices();
  [github, registry, artifacts] = await Promise.all([
    startGitHubApi({ repositories: [REPO], token: GITHUB_TOKEN }),
    startReferrersRegistry({ auth: { scheme: 'basic', username: REGISTRY_USER, password: REGISTRY_PASSWORD } }),
    startActionsArtifacts(),
  ]);
  github.createRelease(REPO, 'v1.2.0');
  // The runner's token endpoint, seen through a recorder: each job token it hands out is a secret.
  tokenProxy = createServer((req, res) => {
    const upstream = new URL(services.issuer.requestURL);
    const asked = new URL(req.url ?? '/', 'http://proxy');
    for (const [k, v] of asked.searchParams) upstream.searchParams.set(k, v);
    fetch(upstream, { headers: { authorization: req.headers.authorization ?? '' } })
      .then(async (answer) => {
        const body = await answer.text();
        const value = (JSON.parse(body) as { value?: unknown }).value;
        if (typeof value === 'string') minted.push(value);
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(body);
      })
      .catch(() => res.writeHead(502).end());
  });
  await new Promise<void>((resolve) => tokenProxy.listen(0, '127.0.0.1', resolve));
  tokenProxyURL = `http://127.0.0.1:${(tokenProxy.address() as AddressInfo).port}/idtoken?api-version=2.0`;

  scratch = await mkdtemp(path.join(os.tmpdir(), 'secrets-'));
  ws = path.join(scratch, 'ws');
  await mkdir(ws);
  await writeFile(path.join(ws, 'app.bin'), 'app');
  await writeFile(
    path.join(ws, 'signing.json'),
    JSON.stringify(services.sigstore.signingConfig({ tlog: true, tsa: false })),
  );
  await writeFile(path.join(ws, 'trusted_root.json'), JSON.stringify(services.sigstore.trustedRoot));
  // Docker configs live outside the workspace, as ~/.docker does.
  dockerConfig = path.join(scratch, 'docker');
  wrongDockerConfig = path.join(scratch, 'docker-wrong');
  for (const [dir, password] of [
    [dockerConfig, REGISTRY_PASSWORD],
    [wrongDockerConfig, WRONG_REGISTRY_PASSWORD],
  ] as const) {
    await mkdir(dir);
    await writeFile(
      path.join(dir, 'config.json'),
      JSON.stringify({
        auths: { [registry.host]: { auth: Buffer.from(`${REGISTRY_USER}:${password}`).toString('base64') } },
      }),
    );
  }
  imageName = `${registry.host}/octo/app`;
  imageDigest = (await pushTestImage({ url: registry.url, headers: registry.adminHeaders }, 'octo/app', 'v1')).digest;
  image = `${imageName}@${imageDigest}`;
});
after(async () => {
  await Promise.all([
    services.stop(),
    github.stop(),
    registry.stop(),
    artifacts.stop(),
    new Promise((resolve) => tokenProxy.close(resolve)),
  ]);
  await rm(scratch, { recursive: true, force: true });
});

/** The runner's environment with every secret in it, debug logging on, and retries without waits. */
function runnerEnv(over: Record<string, string> = {}): Record<string, string> {
  return {
    ACTIONS_STEP_DEBUG: 'true',
    RUNNER_DEBUG: '1',
    ACTIONS_ID_TOKEN_REQUEST_URL: tokenProxyURL,
    GITHUB_API_URL: github.url,
    GITHUB_TOKEN,
    DOCKER_CONFIG: dockerConfig,
    ...artifacts.env,
    [BACKOFF_SCALE_VARIABLE]: '0',
    ...over,
  };
}

const attestInputs = (over: Record<string, string> = {}): Record<string, string> => ({
  'subject-path': 'app.bin',
  sigstore: 'signing.json',
  'github-token': GITHUB_TOKEN,
  ...over,
});

const verifyInputs = (over: Record<string, string> = {}): Record<string, string> => ({
  mode: 'verify',
  'trusted-root': 'trusted_root.json',
  'certificate-oidc-issuer': services.issuer.issuer,
  repository: REPO,
  'signer-workflow': `${REPO}/.github/workflows/release.yml`,
  'github-token': GITHUB_TOKEN,
  ...over,
});

async function action(
  label: string,
  inputs: Record<string, string>,
  expectedCode: number,
  env: Record<string, string> = {},
): Promise<string> {
  const run = await runAction(services, { scratch, workspace: ws, inputs, env: runnerEnv(env) });
  const runner = path.dirname(run.runnerTemp); // temp/, the GITHUB_OUTPUT file and the step summary
  await assertNoSecrets(
    label,
    { stdout: run.stdout, stderr: run.stderr, summary: run.summary, outputs: JSON.stringify(run.outputs) },
    [ws, runner],
  );
  assert.equal(run.code, expectedCode, `${label}:\n${run.stdout}`);
  if (PRINT) console.log(`${label}: ${run.errors.at(-1) ?? '(no error)'}`);
  return run.errors.at(-1) ?? '';
}

async function cli(
  label: string,
  args: string[],
  expectedCode: number,
  env: Record<string, string> = {},
): Promise<string> {
  const tmp = await mkdtemp(path.join(scratch, 'tmp-'));
  const jwt = await services.issuer.mint({}, 'sigstore');
  minted.push(jwt);
  const processEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    TMPDIR: tmp,
    SIGSTORE_ID_TOKEN: jwt,
    PROVENANCE_TEST_OIDC_ISSUER: services.issuer.issuer,
    ...runnerEnv(env),
  };
  const run = await runProcess(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), ...args], processEnv, ws);
  await assertNoSecrets(label, { stdout: run.stdout, stderr: run.stderr }, [ws, tmp]);
  assert.equal(run.code, expectedCode, `${label}:\n${run.stderr}`);
  if (PRINT) console.log(`${label}: ${run.stderr.trimEnd().split('\n').at(-1) ?? ''}`);
  return run.stderr;
}

describe('secrets never leave the process', () => {
  it('the scan finds secrets where they are (a control)', async () => {
    const { leaks } = await findLeaks(
      { env: JSON.stringify(runnerEnv()), 'ID token request': `Bearer ${services.issuer.requestToken}` },
      [dockerConfig],
    );
    for (const name of [
      'github-token',
      'ACTIONS_RUNTIME_TOKEN',
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      'docker config auth',
    ]) {
      assert.ok(
        leaks.some((l) => l.startsWith(`${name} in `)),
        `${name} is found: ${leaks.join('; ')}`,
      );
    }
  });

  it('attest: publishes to the registry, a release, the attestations API and a workflow artifact', async () => {
    await action(
      'attest',
      attestInputs({
        'subject-name': imageName,
        'subject-digest': imageDigest,
        'push-to-registry': 'true',
        'upload-to-release': 'v1.2.0',
        'attestations-api': 'true',
        'upload-artifact': 'provenance',
      }),
      0,
    );
    assert.equal(github.attestations(REPO).length, 1);
    assert.equal(artifacts.artifacts.length, 1);
  });

  it('verify: reads the registry, the release, the attestations API and the artifact, and signs VSAs', async () => {
    await action(
      'verify',
      verifyInputs({
        'subject-path': 'app.bin',
        images: image,
        release: 'v1.2.0',
        'attestations-api': 'true',
        artifact: 'provenance',
        'vsa-path': 'vsa.intoto.jsonl',
        sigstore: 'signing.json',
      }),
      0,
    );
  });

  it('the CLI: attest publishing everywhere it can, verify reading everywhere it can', async () => {
    await cli(
      'cli attest',
      [
        'attest',
        '--subject-name',
        imageName,
        '--subject-digest',
        imageDigest,
        '--push-to-registry',
        '--upload-to-release',
        'v1.2.0',
        '--release-asset-name',
        'cli.intoto.jsonl',
        '--attestations-api',
        'true',
        '--sigstore',
        'signing.json',
        '--bundle-path',
        'cli.sigstore.json',
      ],
      0,
    );
    await cli(
      'cli verify',
      [
        'verify',
        '--images',
        image,
        '--release',
        'v1.2.0',
        '--attestations-api',
        'true',
        '--trusted-root',
        'trusted_root.json',
        '--certificate-oidc-issuer',
        services.issuer.issuer,
        '--repository',
        REPO,
        '--vsa-path',
        'cli-vsa.intoto.jsonl',
        '--sigstore',
        'signing.json',
      ],
      0,
    );
  });

  it('a refused github-token (401), and a GitHub API that fails with the token in its error body', async () => {
    const refused = await action(
      'github 401',
      attestInputs({ 'github-token': WRONG_GITHUB_TOKEN, 'upload-to-release': 'v1.2.0', 'attestations-api': 'false' }),
      1,
    );
    assert.match(refused, /GITHUB_PERMISSION_DENIED/);
    const echo = {
      status: 403,
      message: `Forbidden: token ${GITHUB_TOKEN} lacks attestations: write (Authorization: Bearer ${GITHUB_TOKEN})`,
    };
    github.faults['post-attestation'].push(echo);
    const forbidden = await action('github 403 echoing the token', attestInputs({ 'attestations-api': 'true' }), 1);
    assert.match(forbidden, /HTTP 403/);
    github.faults['post-attestation'].push(
      ...Array.from({ length: 8 }, () => ({ status: 500, message: `upstream rejected Bearer ${GITHUB_TOKEN}` })),
    );
    const failed = await action('github 500 echoing the token', attestInputs({ 'attestations-api': 'true' }), 1);
    github.faults['post-attestation'].length = 0;
    assert.match(failed, /HTTP 500/);
    const reading = await action(
      'verify, github 401',
      verifyInputs({ 'subject-path': 'app.bin', release: 'v1.2.0', 'github-token': WRONG_GITHUB_TOKEN }),
      1,
    );
    assert.match(reading, /GITHUB_PERMISSION_DENIED/);
    const cliRefused = await cli(
      'cli attest, github 401',
      [
        'attest',
        '--subject-path',
        'app.bin',
        '--upload-to-release',
        'v1.2.0',
        '--sigstore',
        'signing.json',
        '--bundle-path',
        'cli-refused.sigstore.json',
      ],
      1,
      { GITHUB_TOKEN: WRONG_GITHUB_TOKEN },
    );
    assert.match(cliRefused, /GITHUB_PERMISSION_DENIED/);
  });

  it('a registry that refuses the password (401), or fails (500)', async () => {
    const push = attestInputs({
      'subject-path': '',
      'subject-name': imageName,
      'subject-digest': imageDigest,
      'push-to-registry': 'true',
      'github-token': '',
    });
    const refused = await action('registry 401', push, 1, { DOCKER_CONFIG: wrongDockerConfig });
    assert.match(refused, /REGISTRY_AUTH_FAILED/);
    registry.faults.push(...Array.from({ length: 12 }, () => 500));
    const failed = await action('registry 500', push, 1);
    registry.faults.length = 0;
    assert.match(failed, /REGISTRY_FAILED/);
    const reading = await action('verify, registry 401', verifyInputs({ images: image, 'github-token': '' }), 1, {
      DOCKER_CONFIG: wrongDockerConfig,
    });
    assert.match(reading, /REGISTRY_AUTH_FAILED|verification failed/);
  });

  it('the artifact service refusing the runtime token (401), or failing (501, which the library does not retry)', async () => {
    const upload = attestInputs({ 'upload-artifact': 'provenance-2', 'github-token': '' });
    artifacts.faults.CreateArtifact.push(401);
    assert.match(await action('artifacts 401', upload, 1), /ARTIFACT_FAILED/);
    artifacts.faults.CreateArtifact.push(501);
    assert.match(await action('artifacts 501', upload, 1), /ARTIFACT_FAILED/);
  });

  it('the OIDC token endpoint refusing the request token (401) or failing (500), and Fulcio refusing the job token (401)', async () => {
    const sign = attestInputs({ 'github-token': '' });
    services.issuer.faults.push(401);
    assert.match(await action('token endpoint 401', sign, 1), /OIDC_REQUEST_FAILED/);
    services.issuer.faults.push(500, 500, 500, 500);
    assert.match(await action('token endpoint 500', sign, 1), /OIDC_REQUEST_FAILED/);
    services.issuer.faults.length = 0;
    services.sigstore.faults.fulcio.push(401);
    assert.match(await action('fulcio 401', sign, 1), /FULCIO_FAILED/);
  });

  it('nothing published carries a secret either', async (t) => {
    const published: Record<string, string> = {};
    for (const asset of github.assets(REPO, 'v1.2.0'))
      published[`release asset ${asset.name}`] = asset.content.toString('latin1');
    for (const [i, a] of github.attestations(REPO).entries())
      published[`attestation ${i + 1}`] = JSON.stringify(a.bundle);
    await assertNoSecrets('published', published, []);
    const line = `secrets: ${secrets().length} secret forms (${minted.length} job tokens) scanned for in ${placesScanned} places over ${runsScanned} scans: none found`;
    t.diagnostic(line);
    console.log(line);
  });
});
