// Issue #14, item 2, end to end through the bundled action: a deploy gate given manifests must see
// every image they run, however the YAML spells it. Each manifest below runs an attested image and
// hides an unattested one in a spelling a line reader missed (the value on the next line, a flow
// mapping, a !!str tag, an anchor and alias, a quoted key, CR line breaks, JSON), beside a plainly
// written manifest of the attested image, so a reader that misses the hidden one passes the gate.
// The gate must fail and annotate the hidden image's file and line. The same deployment, honestly written in
// those spellings, still passes. Local stack: Sigstore, the job's issuer, Debian's docker-registry.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startLocalServices, type LocalServices } from '../../testkit/index.ts';
import { startDockerRegistry, type DockerRegistry } from '../../testkit/registry/docker-registry.ts';
import { pushTestImage } from '../../testkit/registry/images.ts';
import { runAction } from '../../testkit/runner.ts';

const REPO = 'octo-org/octo-repo';
let services: LocalServices;
let registry: DockerRegistry;
let scratch: string;
let ws: string;
let dockerConfig: string;

before(async () => {
  services = await startLocalServices();
  registry = await startDockerRegistry();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'spellings-'));
  ws = await mkdtemp(path.join(scratch, 'ws-'));
  dockerConfig = path.join(scratch, 'docker'); // the loopback registry needs no credentials
  await mkdir(dockerConfig);
  await writeFile(path.join(ws, 'trusted_root.json'), JSON.stringify(services.sigstore.trustedRoot));
  await writeFile(
    path.join(ws, 'signing.json'),
    JSON.stringify(services.sigstore.signingConfig({ tlog: true, tsa: false })),
  );
  const app = await pushTestImage(registry.url, 'octo/app', 'v1', 'octo/app');
  await pushTestImage(registry.url, 'octo/hidden', 'v1', 'octo/hidden'); // never attested
  const attest = await runAction(services, {
    scratch,
    workspace: ws,
    env: env(),
    inputs: {
      sigstore: 'signing.json',
      'attestations-api': 'false',
      'subject-name': `${registry.host}/octo/app`,
      'subject-digest': app.digest,
      'push-to-registry': 'true',
    },
  });
  assert.equal(attest.code, 0, attest.stdout);
});
after(async () => {
  await Promise.all([services.stop(), registry.stop()]);
  await rm(scratch, { recursive: true, force: true });
});

const env = () => ({ DOCKER_CONFIG: dockerConfig });
const policy = () => ({
  'trusted-root': 'trusted_root.json',
  'certificate-oidc-issuer': services.issuer.issuer,
  repository: REPO,
  'signer-workflow': `${REPO}/.github/workflows/release.yml`,
});
const honest = () => `${registry.host}/octo/app:v1`;
const hidden = () => `${registry.host}/octo/hidden:v1`;

const deployment = (containers: string): string =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    containers,
    '',
  ].join('\n');
const honestContainer = () => `        - name: app\n          image: ${honest()}`;

interface Spelling {
  label: string;
  file: string;
  text: () => string;
  line: number; // where the hidden image is written
}

const spellings: Spelling[] = [
  {
    label: 'the value on the next line',
    file: 'next-line.yaml',
    text: () => deployment(`${honestContainer()}\n        - name: side\n          image:\n            ${hidden()}`),
    line: 13,
  },
  {
    label: 'a flow mapping',
    file: 'flow.yaml',
    text: () => deployment(`${honestContainer()}\n        - {name: side, image: ${hidden()}}`),
    line: 11,
  },
  {
    label: 'a !!str tag',
    file: 'tag.yaml',
    text: () => deployment(`${honestContainer()}\n        - name: side\n          image: !!str ${hidden()}`),
    line: 12,
  },
  {
    label: 'an anchor and an alias (Compose)',
    file: 'compose.yaml',
    text: () =>
      `x-side: &side\n  image: &hidden ${hidden()}\n  restart: always\nservices:\n  app:\n    image: ${honest()}\n  side: *side\n`,
    line: 2,
  },
  {
    label: 'a quoted key',
    file: 'quoted-key.yaml',
    text: () => deployment(`${honestContainer()}\n        - "name": side\n          "image": "${hidden()}"`),
    line: 12,
  },
  // CR breaks around the hidden container only: a line reader still sees the attested one.
  {
    label: 'CR line breaks',
    file: 'cr.yaml',
    text: () => deployment(`${honestContainer()}\n        - name: side\r          image: ${hidden()}`),
    line: 12,
  },
  {
    label: 'JSON',
    file: 'deploy.json',
    text: () =>
      JSON.stringify(
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'web' },
          spec: {
            template: {
              spec: {
                containers: [
                  { name: 'app', image: honest() },
                  { name: 'side', image: hidden() },
                ],
              },
            },
          },
        },
        null,
        2,
      ),
    line: 17,
  },
];

describe('manifests: an unattested image hidden by a YAML spelling fails the gate, annotated where it is written', () => {
  for (const s of spellings) {
    it(s.label, async () => {
      const text = s.text();
      assert.ok(
        text.split(/\r\n|\r|\n/)[s.line - 1]?.includes('octo/hidden'),
        `the fixture writes the hidden image on line ${s.line}`,
      );
      await writeFile(path.join(ws, s.file), text);
      // With a plainly written manifest of the attested image beside it, as a deployment has several files:
      // a reader that misses the hidden image passes the gate.
      await writeFile(path.join(ws, 'plain.yaml'), deployment(honestContainer()));
      const run = await runAction(services, {
        scratch,
        workspace: ws,
        env: env(),
        inputs: { mode: 'verify', manifests: `plain.yaml\n${s.file}`, ...policy() },
      });
      assert.equal(run.code, 1, run.stdout);
      assert.equal(run.outputs['verified'], 'false');
      const annotation = new RegExp(
        `^::error title=[^:]*octo/hidden[^:]*,file=${s.file.replace('.', '\\.')},line=${s.line}::`,
      );
      assert.ok(
        run.stdout.split('\n').some((l) => annotation.test(l)),
        run.stdout,
      );
      assert.match(run.errors.at(-1) ?? '', /1 of 2 artifact\(s\): .*octo\/hidden:v1/);
    });
  }
});

describe('manifests: an honest deployment written in the same spellings passes', () => {
  it('next-line value, flow mapping, !!str, anchor and alias, quoted keys and CR breaks: one image, attested', async () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'spec:',
      '  template:',
      '    spec:',
      '      initContainers:',
      `        - {name: init, image: &app !!str ${honest()}}`,
      '      containers:',
      '        - "name": app',
      '          "image":',
      `            ${honest()}`,
      '        - name: again',
      '          image: *app',
      '',
    ].join('\r');
    await writeFile(path.join(ws, 'honest.yaml'), text);
    await writeFile(
      path.join(ws, 'honest.json'),
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [{ apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'app', image: honest() }] } }],
      }),
    );
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      env: env(),
      inputs: { mode: 'verify', manifests: 'honest.yaml\nhonest.json', ...policy() },
    });
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.outputs['verified'], 'true');
  });

  it('a manifest this reader cannot be sure of fails closed, naming file and line', async () => {
    await writeFile(
      path.join(ws, 'binary.yaml'),
      deployment(
        `${honestContainer()}\n        - name: side\n          image: !!binary ${Buffer.from(hidden()).toString('base64')}`,
      ),
    );
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      env: env(),
      inputs: { mode: 'verify', manifests: 'binary.yaml', ...policy() },
    });
    assert.equal(run.code, 1, run.stdout);
    assert.match(
      run.errors.at(-1) ?? '',
      /^::error::manifests: binary\.yaml:12: the tag tag:yaml\.org,2002:binary.*\[INPUT_INVALID\]$/,
    );
  });
});
