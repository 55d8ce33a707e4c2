// Where progress and warnings go: the runner's log in the action, stderr in the CLI. Each mode
// takes one of these, so nothing below main/cli knows which it runs in.
export interface Log {
  info(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
}
