// The shapes every stage module shares: the context a stage predicate is made in and what it
// returns. Kept apart from index.ts (the dispatcher) so the stage modules import these types
// without importing the module that imports them.

export interface StageContext {
  now: Date;
  /** From the verified OIDC token of a GitHub Actions job; undefined for other identities. */
  github:
    | {
        serverURL: string;
        repository: string;
        runId: string;
        runAttempt: string;
        actor: string | undefined;
        environment: string | undefined;
      }
    | undefined;
}

export interface StagePredicate {
  predicateType: string;
  predicate: Record<string, unknown>;
  warnings: string[];
}
