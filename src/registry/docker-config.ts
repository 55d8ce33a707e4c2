// The Docker client's config file, as `docker login` and docker/login-action leave it:
// `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. Only the parts that say how to log in to a
// registry are read: `auths` (inline credentials), `credHelpers` (a helper per registry) and `credsStore`
// (the helper for every other registry). A missing file means anonymous access, not an error.

import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ProvenanceError } from '../common/errors.ts';
import { isObject } from '../common/json.ts';

export interface AuthEntry {
  username?: string;
  password?: string;
  identityToken?: string;
}

export interface DockerConfig {
  file: string;
  /** Keyed by host[:port], normalised from whatever the key was (`https://ghcr.io`, `ghcr.io/v2/`, …). */
  auths: Map<string, AuthEntry>;
  credHelpers: Map<string, string>;
  credsStore: string | undefined;
}

/** `docker login` writes a few KiB; a config this large is something else. */
export const MAX_DOCKER_CONFIG_BYTES = 4 * 1024 * 1024;

export function dockerConfigPath(env: NodeJS.ProcessEnv): string {
  if (env['DOCKER_CONFIG']) return path.join(env['DOCKER_CONFIG'], 'config.json');
  return path.join(env['HOME'] || os.homedir(), '.docker', 'config.json');
}

/** Docker's ConvertToHostname: drop the scheme and anything after the host. */
export function credentialKeyHost(key: string): string {
  const bare = key.replace(/^https?:\/\//, '');
  const slash = bare.indexOf('/');
  return slash === -1 ? bare : bare.slice(0, slash);
}

export async function readDockerConfig(env: NodeJS.ProcessEnv): Promise<DockerConfig> {
  const file = dockerConfigPath(env);
  let text: string;
  try {
    const { size } = await stat(file);
    if (size > MAX_DOCKER_CONFIG_BYTES) throw invalid(file, `is ${size} bytes, more than ${MAX_DOCKER_CONFIG_BYTES}`);
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof ProvenanceError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return { file, auths: new Map(), credHelpers: new Map(), credsStore: undefined };
    throw invalid(file, `cannot be read (${(err as Error).message})`, err);
  }
  return parseDockerConfig(text, file);
}

/** The login parts of a Docker config file's text; `file` names it in errors. */
export function parseDockerConfig(text: string, file: string): DockerConfig {
  if (text.length > MAX_DOCKER_CONFIG_BYTES || Buffer.byteLength(text, 'utf8') > MAX_DOCKER_CONFIG_BYTES) {
    throw invalid(file, `is larger than ${MAX_DOCKER_CONFIG_BYTES} bytes`);
  }
  const empty: DockerConfig = { file, auths: new Map(), credHelpers: new Map(), credsStore: undefined };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw invalid(file, 'is not JSON', err);
  }
  if (!isObject(json)) throw invalid(file, 'is not a JSON object');
  const config = empty;
  if (isObject(json['auths'])) {
    for (const [key, value] of Object.entries(json['auths'])) {
      if (isObject(value)) config.auths.set(credentialKeyHost(key), authEntry(value, file, key));
    }
  }
  if (isObject(json['credHelpers'])) {
    for (const [key, value] of Object.entries(json['credHelpers'])) {
      if (typeof value === 'string' && value !== '') config.credHelpers.set(credentialKeyHost(key), value);
    }
  }
  if (typeof json['credsStore'] === 'string' && json['credsStore'] !== '') config.credsStore = json['credsStore'];
  return config;
}

// `auth` is base64 of `username:password`; explicit `username`/`password` win where both are present.
function authEntry(value: Record<string, unknown>, file: string, key: string): AuthEntry {
  const entry: AuthEntry = {};
  if (typeof value['auth'] === 'string' && value['auth'] !== '') {
    const decoded = Buffer.from(value['auth'], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    // Never echo the value: it is the password.
    if (colon === -1) throw invalid(file, `has an "auth" for "${key}" that is not base64 of username:password`);
    entry.username = decoded.slice(0, colon);
    entry.password = decoded.slice(colon + 1);
  }
  if (typeof value['username'] === 'string' && value['username'] !== '') entry.username = value['username'];
  if (typeof value['password'] === 'string' && value['password'] !== '') entry.password = value['password'];
  if (typeof value['identitytoken'] === 'string' && value['identitytoken'] !== '')
    entry.identityToken = value['identitytoken'];
  return entry;
}

function invalid(file: string, why: string, cause?: unknown): ProvenanceError {
  return new ProvenanceError(
    'REGISTRY_AUTH_FAILED',
    `Docker config ${file} ${why}`,
    'Fix or remove the file, or log in again with docker/login-action',
    { cause },
  );
}
