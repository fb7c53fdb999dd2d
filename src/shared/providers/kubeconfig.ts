import { nestedTooDeeply, parseYaml, SyntaxProblem } from '../parse-untrusted'
import { decodeBase64, decodeUtf8 } from './encoding'

// A kubeconfig is a secret: problems say where and what, never quote its text (parseYaml's
// SyntaxProblem gives only a position and a reason).

export interface KubeContext {
  name: string
  cluster: string
  user: string
  namespace?: string
  /** The cluster's server URL, when the cluster is defined. */
  server?: string
  clusterDefined: boolean
  userDefined: boolean
  /** Settings of its cluster and user that point at files on this computer. */
  fileReferences: string[]
}

export interface Kubeconfig {
  currentContext?: string
  contexts: KubeContext[]
}

export type KubeconfigRead =
  | {
      ok: true
      config: Kubeconfig
      /** The YAML itself, decoded when given as base64. */ text: string
    }
  | { ok: false; problem: string }

const FILE_SETTINGS = {
  cluster: ['certificate-authority'],
  user: ['client-certificate', 'client-key', 'tokenFile'],
}

export type YamlMap = Record<string, unknown>
export const isMap = (value: unknown): value is YamlMap =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined

/** A kubeconfig's named sections: name -> inner map of its clusters, users and contexts lists. */
export interface KubeconfigSections {
  clusters: Map<string, YamlMap>
  users: Map<string, YamlMap>
  contexts: Map<string, YamlMap>
  currentContext?: string
}

/**
 * The named sections of a parsed kubeconfig document. `strict` (validation, the runner): a list
 * that is not one, or an entry without a name or section, is a problem (returned as text that
 * never quotes the kubeconfig). `lenient` (importing the user's own kubeconfig): such entries are
 * skipped, so the well-formed contexts still import.
 */
export function kubeconfigSections(doc: YamlMap, mode: 'lenient'): KubeconfigSections
export function kubeconfigSections(doc: YamlMap, mode: 'strict'): KubeconfigSections | string
export function kubeconfigSections(
  doc: YamlMap,
  mode: 'strict' | 'lenient',
): KubeconfigSections | string {
  const clusters = named(doc.clusters, 'cluster', mode)
  if (typeof clusters === 'string') return clusters
  const users = named(doc.users, 'user', mode)
  if (typeof users === 'string') return users
  const contexts = named(doc.contexts, 'context', mode)
  if (typeof contexts === 'string') return contexts
  const currentContext = str(doc['current-context'])
  return { clusters, users, contexts, ...(currentContext ? { currentContext } : {}) }
}

/** name -> inner map, for the clusters/users/contexts lists. */
function named(
  list: unknown,
  inner: string,
  mode: 'strict' | 'lenient',
): Map<string, YamlMap> | string {
  if (list === undefined || list === null) return new Map()
  if (!Array.isArray(list)) return mode === 'strict' ? `"${inner}s" must be a list.` : new Map()
  const entries = new Map<string, YamlMap>()
  for (const [index, entry] of list.entries()) {
    const name = isMap(entry) && typeof entry.name === 'string' ? entry.name : undefined
    if (!isMap(entry) || name === undefined || !isMap(entry[inner])) {
      if (mode === 'lenient') continue
      return `entry ${index + 1} of "${inner}s" needs a name and a ${inner} section.`
    }
    if (mode === 'strict' && name === '')
      return `entry ${index + 1} of "${inner}s" needs a name and a ${inner} section.`
    entries.set(name, entry[inner])
  }
  return entries
}

const MAX_LENGTH = 1024 * 1024

function readYaml(text: string): { ok: true; doc: unknown } | { ok: false; problem: string } {
  if (text.length > MAX_LENGTH)
    return { ok: false, problem: 'is too large for a kubeconfig (over 1 MiB).' }
  if (nestedTooDeeply(text))
    return {
      ok: false,
      problem: 'is nested too deeply to be a kubeconfig. Paste the file unchanged.',
    }
  try {
    return { ok: true, doc: parseYaml(text) }
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error
    return {
      ok: false,
      problem: `${error.message}. Paste the file unchanged (kubectl config view --raw --minify --flatten).`,
    }
  }
}

/** The text (decoded when given as base64) and its named sections, at least one context. */
export function readKubeconfigSections(
  input: string,
): { ok: true; text: string; sections: KubeconfigSections } | { ok: false; problem: string } {
  let text = input.trim()
  if (!/[:{]/.test(text)) {
    // CI systems often hold kubeconfigs base64-encoded.
    const bytes = decodeBase64(text)
    const decoded = bytes && decodeUtf8(bytes)
    if (decoded !== undefined) text = decoded
  }
  const yaml = readYaml(text)
  if (!yaml.ok) return yaml
  const doc = yaml.doc
  if (!isMap(doc) || doc.kind !== 'Config' || doc.apiVersion !== 'v1')
    return {
      ok: false,
      problem:
        'is not a kubeconfig: expected "apiVersion: v1" and "kind: Config" (e.g. from ~/.kube/config or kubectl config view --raw --minify).',
    }
  const sections = kubeconfigSections(doc, 'strict')
  if (typeof sections === 'string') return { ok: false, problem: `is malformed: ${sections}` }
  if (sections.contexts.size === 0)
    return {
      ok: false,
      problem:
        'has no contexts. Export one with kubectl config view --raw --minify --context <name>.',
    }
  return { ok: true, text, sections }
}

/** Reads a kubeconfig (YAML or JSON, or base64 of either) for validation and the context picker. */
export function readKubeconfig(input: string): KubeconfigRead {
  const read = readKubeconfigSections(input)
  if (!read.ok) return read
  const { clusters: clusterMap, users: userMap, contexts: contextMap } = read.sections
  const list: KubeContext[] = [...contextMap].map(([name, context]) => {
    const cluster = str(context.cluster) ?? ''
    const user = str(context.user) ?? ''
    const clusterEntry = clusterMap.get(cluster)
    const userEntry = userMap.get(user)
    const namespace = str(context.namespace)
    const server = str(clusterEntry?.server)
    return {
      name,
      cluster,
      user,
      ...(namespace ? { namespace } : {}),
      ...(server ? { server } : {}),
      clusterDefined: clusterEntry !== undefined,
      userDefined: userEntry !== undefined,
      fileReferences: [
        ...FILE_SETTINGS.cluster.filter((key) => str(clusterEntry?.[key])),
        ...FILE_SETTINGS.user.filter((key) => str(userEntry?.[key])),
      ],
    }
  })
  const { currentContext } = read.sections
  return {
    ok: true,
    text: read.text,
    config: { ...(currentContext ? { currentContext } : {}), contexts: list },
  }
}

/**
 * For the Kubernetes form's context picker. Throws an Error with a clear message on bad YAML, on
 * text that is not a kubeconfig, and on a kubeconfig without contexts.
 */
export function parseKubeconfig(text: string): {
  currentContext?: string
  contexts: { name: string; cluster: string; user: string; server?: string }[]
} {
  const read = readKubeconfig(text)
  if (!read.ok) throw new Error(`Kubeconfig: ${read.problem}`)
  const { currentContext, contexts } = read.config
  return {
    ...(currentContext ? { currentContext } : {}),
    contexts: contexts.map(({ name, cluster, user, server }) => ({
      name,
      cluster,
      user,
      ...(server ? { server } : {}),
    })),
  }
}

/** What a client needs to reach the cluster of one context, with its user's credentials. */
export interface KubeAccess {
  server: string
  /** PEM, decoded from certificate-authority-data. */
  caCertificate?: string
  insecureSkipTlsVerify: boolean
  tlsServerName?: string
  namespace?: string
  token?: string
  /** PEM, decoded from client-certificate-data / client-key-data. */
  clientCertificate?: string
  clientKey?: string
  username?: string
  password?: string
  /** Credentials that come from running a program (exec) or a legacy auth-provider. */
  plugin?: 'exec' | 'auth-provider'
}

const pemData = (value: unknown): string | undefined => {
  const text = str(value)
  const bytes = text && decodeBase64(text)
  return (bytes && decodeUtf8(bytes)) || undefined
}

/**
 * The server and credentials of a context (the current one when none is named), for the runner.
 * Problems never quote the kubeconfig (it is a secret).
 */
export function kubeAccess(
  input: string,
  contextName?: string,
): { ok: true; access: KubeAccess } | { ok: false; problem: string } {
  const read = readKubeconfigSections(input)
  if (!read.ok) return read
  return contextAccess(read.sections, contextName)
}

/**
 * Reads a file a kubeconfig names (certificate-authority, client-certificate, client-key,
 * tokenFile). Only the runner's own kubeconfig may name files; a stored one is self-contained.
 */
export type KubeFileReader = (path: string, setting: string) => string

/** The server and credentials of a context (the current one when none is named). */
export function contextAccess(
  sections: KubeconfigSections,
  contextName: string | undefined,
  readFile?: KubeFileReader,
): { ok: true; access: KubeAccess } | { ok: false; problem: string } {
  const wanted = contextName ?? sections.currentContext
  const context = wanted === undefined ? undefined : sections.contexts.get(wanted)
  if (!context)
    return {
      ok: false,
      problem: 'the chosen context is not in the kubeconfig. Pick one of its contexts.',
    }
  const cluster = sections.clusters.get(str(context.cluster) ?? '')
  const user = sections.users.get(str(context.user) ?? '')
  const server = str(cluster?.server)
  if (!cluster || !server)
    return { ok: false, problem: "the context's cluster has no server address." }
  if (!user) return { ok: false, problem: "the context's user is not defined in the kubeconfig." }
  const optional = (key: string, value: string | undefined) => (value ? { [key]: value } : {})
  const fromFile = (section: YamlMap, setting: string) => {
    const path = str(section[setting])
    return path && readFile ? readFile(path, setting) : undefined
  }
  return {
    ok: true,
    access: {
      server: server.replace(/\/+$/, ''),
      ...optional(
        'caCertificate',
        pemData(cluster['certificate-authority-data']) ??
          fromFile(cluster, 'certificate-authority'),
      ),
      insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
      ...optional('tlsServerName', str(cluster['tls-server-name'])),
      ...optional('namespace', str(context.namespace)),
      ...optional('token', str(user.token) ?? fromFile(user, 'tokenFile')?.trim()),
      ...optional(
        'clientCertificate',
        pemData(user['client-certificate-data']) ?? fromFile(user, 'client-certificate'),
      ),
      ...optional('clientKey', pemData(user['client-key-data']) ?? fromFile(user, 'client-key')),
      ...optional('username', str(user.username)),
      ...optional('password', str(user.password)),
      ...(isMap(user.exec)
        ? { plugin: 'exec' as const }
        : isMap(user['auth-provider'])
          ? { plugin: 'auth-provider' as const }
          : {}),
    },
  }
}
