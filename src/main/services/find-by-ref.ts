import { BridgekeepError } from '../../shared/errors'

// Finding a connection or an environment by what people type: a slug, or a name in any case.
// One rule and one set of messages for the services (resolution, sharing) and the CLI.

interface Named {
  name: string
  slug: string
}

/** The one that `ref` names: by slug first, else by name (any case). */
export function findEnvironment<T extends Named>(all: readonly T[], ref: string): T | undefined {
  const wanted = ref.trim().toLowerCase()
  return all.find((e) => e.slug === wanted) ?? all.find((e) => e.name.toLowerCase() === wanted)
}

/** Like findEnvironment; NOT_FOUND naming the environments there are when there is none. */
export function requireEnvironment<T extends Named>(all: readonly T[], ref: string): T {
  const env = findEnvironment(all, ref)
  if (env) return env
  throw environmentNotFound(
    ref,
    all.map((e) => e.name),
  )
}

export function environmentNotFound(ref: string, names: readonly string[]): BridgekeepError {
  return new BridgekeepError(
    'NOT_FOUND',
    `Environment ${ref} does not exist.`,
    names.length > 0 ? `Environments: ${names.join(', ')}.` : 'Create an environment first.',
  )
}

/** The connections `ref` names: the one with that slug, else every one with that name. */
export function connectionsNamed<T extends Named>(all: readonly T[], ref: string): T[] {
  const wanted = ref.trim().toLowerCase()
  const bySlug = all.find((c) => c.slug === wanted)
  return bySlug ? [bySlug] : all.filter((c) => c.name.toLowerCase() === wanted)
}

/**
 * The live connection `ref` names. Several with that name must be told apart by slug; one in
 * the trash (`trashed`, read only when no live one matches) is named as such.
 */
export function requireConnection<T extends Named>(
  live: readonly T[],
  ref: string,
  trashed: () => readonly T[],
): T {
  const matches = connectionsNamed(live, ref)
  if (matches.length === 1) return matches[0]!
  if (matches.length > 1) throw ambiguousConnection(ref, matches)
  const inTrash = connectionsNamed(trashed(), ref)[0]
  if (inTrash) throw connectionInTrash(inTrash.name)
  throw connectionNotFound(ref)
}

export function ambiguousConnection(ref: string, candidates: readonly Named[]): BridgekeepError {
  return new BridgekeepError(
    'AMBIGUOUS_CONNECTION',
    `Several connections are named ${ref}: ${candidates.map((c) => `${c.name} (${c.slug})`).join(', ')}`,
    'Use the slug of the one you mean.',
  )
}

export function connectionInTrash(name: string): BridgekeepError {
  return new BridgekeepError(
    'CONFLICT',
    `Connection ${name} is in the trash.`,
    "Restore it from the trash to use it again: in the app, or with 'bridgekeep restore'.",
  )
}

/** `orProvider`: where a provider id also works (exec), the hint says so. */
export function connectionNotFound(ref: string, orProvider = false): BridgekeepError {
  return new BridgekeepError(
    'NOT_FOUND',
    `Connection ${ref} does not exist.`,
    `Check the name or slug (the connection list and 'bridgekeep ls' show both)${
      orProvider ? ", or give a provider id such as aws to use the environment's default" : ''
    }.`,
  )
}
