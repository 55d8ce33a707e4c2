// Shared steps for the registry tests: a client with fast retries and its own Docker config (never the
// machine's), a temporary config.json, and skopeo as an independent reader of what was pushed.
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RetryPolicy } from '../../src/http/retry.ts';
import { createBundleRegistry, type BundleRegistry, type RegistryOptions } from '../../src/registry/index.ts';

export const FAST_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 5, maxDelayMs: 50, timeoutMs: 10_000 };
export const FAST_FALLBACK = { settleMinMs: 150, rounds: 10 };
export const PREDICATE = 'https://slsa.dev/provenance/v1';

/** A directory holding `config.json` with `config` (or none), for DOCKER_CONFIG. */
export async function dockerConfigDir(config?: object): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'docker-config-'));
  if (config !== undefined) await writeFile(path.join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

export async function registryClient(
  options: RegistryOptions & { dockerConfig?: string } = {},
): Promise<BundleRegistry> {
  const dockerConfig = options.dockerConfig ?? (await dockerConfigDir());
  const { dockerConfig: _ignored, ...rest } = options;
  return createBundleRegistry({
    retry: FAST_RETRY,
    fallback: FAST_FALLBACK,
    ...rest,
    env: { PATH: process.env['PATH'] ?? '', HOME: dockerConfig, DOCKER_CONFIG: dockerConfig, ...options.env },
  });
}

export function skopeo(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('skopeo', args, { timeout: 30_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err)
        reject(
          new Error(
            `skopeo ${args.join(' ')} failed: ${stderr || err.message}. .ci/run installs skopeo (apt-get install -y skopeo)`,
          ),
        );
      else resolve(stdout);
    });
  });
}

export async function skopeoRaw(reference: string): Promise<unknown> {
  return JSON.parse(await skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${reference}`])) as unknown;
}
