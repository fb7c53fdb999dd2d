// What `bridgekeep exec` puts in its child's environment, as the per-provider mappings in
// providers/ build it: variables to set and unset, and files for a private temp dir.

import type { CredentialSet } from '../../shared/agent-answers'

export type { CredentialSet }

/** A file the tool reads (key file, kubeconfig, docker config), under exec's private temp dir. */
export interface PlannedFile {
  /** Relative to the temp dir. */
  path: string
  content: string
}

/**
 * What exec puts in the child's environment. Values may contain `tempPath(...)` markers, replaced
 * with real paths once the temp dir exists. `unset` removes variables inherited from the caller
 * that would make tools pick other credentials than the ones given (a stray AWS_PROFILE, a
 * GOOGLE_CREDENTIALS that Terraform prefers over GOOGLE_APPLICATION_CREDENTIALS...).
 */
export interface EnvPlan {
  set: Record<string, string>
  unset: string[]
  files: PlannedFile[]
}

/**
 * One provider's mapping: adds what its tools read to the plan. Asynchronous where it loads a
 * library only it needs (Kubernetes' yaml).
 */
export type EnvMapper = (credentials: CredentialSet, plan: EnvPlan) => void | Promise<void>

const MARK = '\u0000bk-temp:'

/** A placeholder for a path inside exec's temp dir ('' is the dir itself). */
export function tempPath(relative: string): string {
  return `${MARK}${relative}\u0000`
}

/** Replaces the `tempPath` markers in a value with real paths under `dir`. */
export function resolveTempPaths(value: string, join: (relative: string) => string): string {
  let result = ''
  let rest = value
  for (let start = rest.indexOf(MARK); start >= 0; start = rest.indexOf(MARK)) {
    const end = rest.indexOf('\u0000', start + MARK.length)
    if (end < 0) break
    result += rest.slice(0, start) + join(rest.slice(start + MARK.length, end))
    rest = rest.slice(end + 1)
  }
  return result + rest
}
