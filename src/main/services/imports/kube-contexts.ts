import { homedir } from 'node:os'
import { delimiter, isAbsolute, join, dirname, resolve } from 'node:path'
import { stringify } from 'yaml'
import { parseYaml, SyntaxProblem } from '../../../shared/parse-untrusted'
import { validateConnectionValues } from '../../../shared/providers'
import { isMap, kubeconfigSections, type YamlMap } from '../../../shared/providers/kubeconfig'
import { FileReadError, readFileLimited, readTextFileLimited } from '../../fs/bounded-read'

export interface KubeContextImport {
  context: string
  cluster: string
  user: string
  server?: string
  namespace?: string
  /** Values for a Kubernetes connection: a kubeconfig holding just this context. */
  values: Record<string, string>
  problem?: string
}

/** The kubeconfig kubectl would read first: $KUBECONFIG's first entry, else ~/.kube/config. */
export function kubeconfigPath(
  home: string = homedir(),
  env: Record<string, string | undefined> = process.env,
): string {
  const first = env.KUBECONFIG?.split(delimiter).find((entry) => entry.trim() !== '')
  return first ?? join(home, '.kube', 'config')
}

/** Settings that name files, and the inline `-data` setting each becomes. */
const FILE_SETTINGS: Record<'cluster' | 'user', Record<string, string>> = {
  cluster: { 'certificate-authority': 'certificate-authority-data' },
  user: { 'client-certificate': 'client-certificate-data', 'client-key': 'client-key-data' },
}

/**
 * One importable kubeconfig per context: only that context, its cluster and its user, with files
 * the kubeconfig points at (CA, client certificate and key) embedded, so the connection keeps
 * working when those files move. The source file is only read. Undefined when there is none.
 */
export function readKubeContexts(path: string): KubeContextImport[] | undefined {
  let text: string
  try {
    // Bounded: $KUBECONFIG may name anything, /dev/zero included.
    text = readTextFileLimited(path, { what: 'a kubeconfig' })
  } catch (error) {
    if (error instanceof FileReadError && error.reason === 'missing') return undefined
    throw error
  }
  let doc: unknown
  try {
    doc = parseYaml(text)
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error
    return [
      {
        context: '(file)',
        cluster: '',
        user: '',
        values: {},
        // Position only: the kubeconfig holds secrets.
        problem: `${path} ${error.message}.`,
      },
    ]
  }
  if (!isMap(doc)) return []
  // Lenient: a malformed entry is skipped, so the well-formed contexts of the file still import.
  const { clusters, users, contexts } = kubeconfigSections(doc, 'lenient')
  const base = dirname(resolve(path))

  return [...contexts].map(([name, context]) => {
    const clusterName = String(context.cluster ?? '')
    const userName = String(context.user ?? '')
    const cluster = clusters.get(clusterName)
    const user = users.get(userName)
    const namespace = typeof context.namespace === 'string' ? context.namespace : undefined
    const preview = {
      context: name,
      cluster: clusterName,
      user: userName,
      ...(typeof cluster?.server === 'string' ? { server: cluster.server } : {}),
      ...(namespace ? { namespace } : {}),
    }
    if (!cluster || !user) {
      return {
        ...preview,
        values: {},
        problem: `Context "${name}" refers to a ${!cluster ? `cluster "${clusterName}"` : `user "${userName}"`} that the file does not define.`,
      }
    }
    const embedded = {
      cluster: embedFiles(cluster, 'cluster', base),
      user: embedFiles(user, 'user', base),
    }
    const missing = [...embedded.cluster.missing, ...embedded.user.missing]
    if (missing.length > 0) {
      return {
        ...preview,
        values: {},
        problem: `Context "${name}" needs files that cannot be read: ${missing.join(', ')}.`,
      }
    }
    const single = {
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': name,
      clusters: [{ name: clusterName, cluster: embedded.cluster.section }],
      users: [{ name: userName, user: embedded.user.section }],
      contexts: [{ name, context }],
    }
    const values: Record<string, string> = {
      source: 'kubeconfig',
      kubeconfig: stringify(single),
      context: name,
    }
    if (namespace) values.namespace = namespace
    const result = validateConnectionValues('kubernetes', 'inline', values)
    return {
      ...preview,
      values,
      ...(result.ok ? {} : { problem: result.issues.map((issue) => issue.message).join(' ') }),
    }
  })
}

function embedFiles(
  section: YamlMap,
  kind: 'cluster' | 'user',
  base: string,
): { section: YamlMap; missing: string[] } {
  const copy: YamlMap = { ...section }
  const missing: string[] = []
  for (const [setting, inline] of Object.entries(FILE_SETTINGS[kind])) {
    const file = copy[setting]
    if (typeof file !== 'string' || copy[inline]) continue
    const absolute = isAbsolute(file) ? file : resolve(base, file)
    try {
      copy[inline] = readFileLimited(absolute, { what: 'a certificate or key' }).toString('base64')
      delete copy[setting]
    } catch {
      missing.push(`${setting} (${absolute})`)
    }
  }
  return { section: copy, missing }
}
