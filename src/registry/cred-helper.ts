// Docker credential helpers: the program `docker-credential-<name>` run with `get`, the server URL on
// stdin, answering `{"ServerURL", "Username", "Secret"}` on stdout. A helper that has nothing for the
// server says "credentials not found" and exits non-zero; that is anonymous access, not a failure.

import { spawn } from 'node:child_process';
import { ProvenanceError } from '../common/errors.ts';
import { isObject } from '../common/json.ts';

export interface HelperCredentials {
  username: string;
  secret: string;
}

const HELPER_TIMEOUT_MS = 30_000;
/** Characters of a helper's stdout (and stderr) kept; an answer is under 1 KiB. */
export const MAX_HELPER_OUTPUT = 64 * 1024;
const NOT_FOUND = /credentials not found/i;
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** `configFile` is named in errors, so the user knows where the helper was configured. */
export async function runCredentialHelper(
  name: string,
  serverURL: string,
  env: NodeJS.ProcessEnv,
  configFile: string,
): Promise<HelperCredentials | undefined> {
  const program = `docker-credential-${name}`;
  const fail = (why: string, cause?: unknown): ProvenanceError =>
    new ProvenanceError(
      'REGISTRY_AUTH_FAILED',
      `credential helper ${program} (from ${configFile}) ${why} for ${serverURL}`,
      `Install ${program} on PATH, log in again, or remove it from credHelpers/credsStore in ${configFile}`,
      { cause },
    );
  // The name comes from a file; keep it a bare program name so it cannot point at a path.
  if (!HELPER_NAME.test(name)) throw fail(`has an unusable name "${name}"`);

  const result = await run(program, serverURL, env).catch((err: unknown) => {
    const code = (err as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOENT' ? 'is not on PATH' : `could not run (${(err as Error).message})`, err);
  });
  if (result.code !== 0) {
    const said = firstLine(result.stdout) || firstLine(result.stderr);
    if (NOT_FOUND.test(said)) return undefined;
    throw fail(`exited with ${result.code}${said ? ` (${said})` : ''}`);
  }
  return helperCredentials(result.stdout, fail);
}

/** A helper's answer on stdout (at most MAX_HELPER_OUTPUT characters are kept); `fail` makes the error. */
export function helperCredentials(
  stdout: string,
  fail: (why: string, cause?: unknown) => ProvenanceError,
): HelperCredentials {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch (err) {
    throw fail(
      stdout.length >= MAX_HELPER_OUTPUT
        ? `answered more than ${MAX_HELPER_OUTPUT} characters`
        : 'answered something that is not JSON',
      err,
    );
  }
  if (!isObject(json) || typeof json['Username'] !== 'string' || typeof json['Secret'] !== 'string') {
    throw fail('answered JSON without string "Username" and "Secret"');
  }
  return { username: json['Username'], secret: json['Secret'] };
}

interface HelperResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(program: string, serverURL: string, env: NodeJS.ProcessEnv): Promise<HelperResult> {
  return new Promise((resolve, reject) => {
    // `env` carries PATH, so the lookup follows the caller's environment.
    const child = spawn(program, ['get'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    // Our own timer rather than spawn's `timeout`, which outlives a helper that failed to start.
    const timer = setTimeout(() => child.kill('SIGKILL'), HELPER_TIMEOUT_MS);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < MAX_HELPER_OUTPUT) stdout = (stdout + d.toString('utf8')).slice(0, MAX_HELPER_OUTPUT);
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < MAX_HELPER_OUTPUT) stderr = (stderr + d.toString('utf8')).slice(0, MAX_HELPER_OUTPUT);
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr });
    });
    // A helper that exits without reading stdin makes the write fail with EPIPE; its exit code tells more.
    child.stdin.on('error', () => undefined);
    child.stdin.end(serverURL);
  });
}

function firstLine(text: string): string {
  return (text.trim().split('\n')[0] ?? '').slice(0, 200);
}
