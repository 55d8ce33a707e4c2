// Where a bundle was read from, as a summary shows it: the runner's absolute paths mean nothing once
// the job is gone (and are long), so a local file is named by its file name; a workspace-relative
// path, a registry reference or a release asset is shown as it is. Pure; the caller still escapes it.

/** `source` without an absolute directory (POSIX or Windows); anything else unchanged. */
export function sourceName(source: string): string {
  const absolute = /^(?:\/|[A-Za-z]:[\\/])/.test(source);
  return absolute ? (source.split(/[\\/]/).pop() ?? source) : source;
}
