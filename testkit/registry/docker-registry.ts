// Debian's reference registry (distribution 2.8, `/usr/bin/docker-registry`) on 127.0.0.1 with a free
// port and its storage in a temporary directory, for tests against a registry we did not write. It has no
// referrers API, so it exercises the fallback-tag path. Stopped by its pid, never by name.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const DOCKER_REGISTRY_BIN = '/usr/bin/docker-registry';

export interface DockerRegistry {
  /** `127.0.0.1:PORT`, the registry part of an image reference. */
  readonly host: string;
  readonly url: string;
  readonly pid: number;
  /** What the registry wrote to stderr (last few KiB), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;
const MAX_LOG = 16 * 1024;

export async function startDockerRegistry(): Promise<DockerRegistry> {
  if (!existsSync(DOCKER_REGISTRY_BIN)) {
    throw new Error(
      `${DOCKER_REGISTRY_BIN} is missing: the registry tests need Debian's docker-registry package. ` +
        '.ci/run installs it; on this machine run "apt-get install -y docker-registry" (as root).',
    );
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'docker-registry-'));
  // A port freed just before the registry binds it can be taken in between; try a few.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOn(dir, await freePort());
    } catch (err) {
      lastError = err;
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

async function startOn(dir: string, port: number): Promise<DockerRegistry> {
  const config = path.join(dir, 'config.yml');
  await writeFile(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${path.join(dir, 'storage')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '  secret: test-only-upload-state-secret',
      '',
    ].join('\n'),
  );
  const child = spawn(DOCKER_REGISTRY_BIN, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-MAX_LOG)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.once('error', () => undefined); // surfaced through `exited`
  const url = `http://127.0.0.1:${port}`;
  const pid = child.pid;
  try {
    if (pid === undefined) throw new Error(`${DOCKER_REGISTRY_BIN} did not start`);
    await waitUntilServing(url, exited, () => log);
  } catch (err) {
    await stopChild(child, exited);
    throw err;
  }
  let stopped: Promise<void> | undefined;
  return {
    host: `127.0.0.1:${port}`,
    url,
    pid,
    log: () => log,
    stop: () =>
      (stopped ??= (async () => {
        await stopChild(child, exited);
        await rm(dir, { recursive: true, force: true });
      })()),
  };
}

async function waitUntilServing(url: string, exited: Promise<number | null>, log: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let gone = false;
  void exited.then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) throw new Error(`docker-registry exited before serving ${url}/v2/: ${log().trim()}`);
    const ok = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1_000) })
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`docker-registry did not answer ${url}/v2/ within ${START_TIMEOUT_MS} ms: ${log().trim()}`);
}

// SIGTERM to this pid only; SIGKILL if it lingers.
async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null)
      process.kill(child.pid, 'SIGKILL');
  }, STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
