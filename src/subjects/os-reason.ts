// Short OS reasons for failed file operations, e.g. "EACCES: permission denied": the message
// already names the file, and Node's own message would repeat the path and the syscall.
export function isErrno(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string';
}

export function reason(err: unknown): string {
  if (isErrno(err) && err.code !== undefined) {
    const m = /^[A-Z]+: ([^,]+)/.exec(err.message);
    return m?.[1] !== undefined ? `${err.code}: ${m[1]}` : err.code;
  }
  return err instanceof Error ? err.message : String(err);
}
