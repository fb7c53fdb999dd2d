import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path'
import { contextAccess, readKubeconfigSections } from '../../shared/providers/kubeconfig'
import type {
  KubeAccess,
  KubeconfigSections,
  KubeFileReader,
} from '../../shared/providers/kubeconfig'
import { failure } from './failure'

// Runner-delegated Kubernetes: the credentials are on the runner's machine, read at each
// operation (the kubelet rotates a pod's token) and never sent back to the app. Problems name
// files and settings, never their contents.

/** Where Kubernetes mounts a pod's service account token, CA and namespace. */
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount'

/**
 * For tests only: a runner outside a pod cannot have files at SERVICE_ACCOUNT_DIR, so the tests
 * that play a pod point this at a temporary directory. Nothing else should set it.
 */
const TEST_SERVICE_ACCOUNT_DIR = 'BRIDGEKEEP_TEST_SERVICE_ACCOUNT_DIR'

function readText(path: string, what: string, remedy: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable'
    throw failure(
      'invalid-config',
      `the runner could not read ${what} at ${path} (${code}).`,
      remedy,
    )
  }
}

/** The pod's service account, as client-go's rest.InClusterConfig reads it. */
function inClusterAccess(namespace: string | undefined): KubeAccess {
  const host = process.env.KUBERNETES_SERVICE_HOST
  const port = process.env.KUBERNETES_SERVICE_PORT
  if (!host || !port)
    throw failure(
      'invalid-config',
      'the runner is not running in a Kubernetes pod (KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set).',
      'Run this runner as a pod of the cluster, or choose "A context in the runner\'s kubeconfig".',
    )
  const dir = process.env[TEST_SERVICE_ACCOUNT_DIR] || SERVICE_ACCOUNT_DIR
  const mounted =
    'Mount the service account token in the runner\'s pod (automountServiceAccountToken: true, the default), with "serviceAccountName" set to the account to use.'
  const token = readText(join(dir, 'token'), "the pod's service account token", mounted).trim()
  const caCertificate = readText(join(dir, 'ca.crt'), "the cluster's CA certificate", mounted)
  const own = existsSync(join(dir, 'namespace'))
    ? readText(join(dir, 'namespace'), "the pod's namespace", mounted).trim()
    : ''
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`
  const chosen = namespace ?? (own || undefined)
  return {
    server,
    caCertificate,
    insecureSkipTlsVerify: false,
    token,
    ...(chosen ? { namespace: chosen } : {}),
  }
}

/** The files kubectl reads: KUBECONFIG (a list), else ~/.kube/config. */
function kubeconfigFiles(): string[] {
  const listed = (process.env.KUBECONFIG ?? '').split(delimiter).filter(Boolean)
  return listed.length ? listed : [join(homedir(), '.kube', 'config')]
}

const FILE_SETTINGS = {
  clusters: ['certificate-authority'],
  users: ['client-certificate', 'client-key', 'tokenFile'],
} as const

/**
 * The runner's kubeconfig files merged as kubectl merges them: the first file that defines a
 * cluster, user or context name wins. Relative file paths are relative to the file naming them.
 */
function mergedKubeconfig(files: string[]): KubeconfigSections {
  const merged: KubeconfigSections = { clusters: new Map(), users: new Map(), contexts: new Map() }
  const found = files.filter((file) => existsSync(file))
  if (found.length === 0)
    throw failure(
      'invalid-config',
      `the runner's machine has no kubeconfig (${files.join(', ')} does not exist).`,
      'Put the kubeconfig at ~/.kube/config of the user the runner runs as, or set KUBECONFIG for the runner.',
    )
  for (const file of found) {
    const read = readKubeconfigSections(
      readText(file, 'its kubeconfig', 'Let the runner’s user read the kubeconfig.'),
    )
    if (!read.ok)
      throw failure(
        'invalid-config',
        `the runner's kubeconfig ${file} ${read.problem}`,
        'Fix that file on the runner’s machine (kubectl config view there shows what kubectl reads).',
      )
    for (const kind of ['clusters', 'users', 'contexts'] as const)
      for (const [name, section] of read.sections[kind]) {
        if (merged[kind].has(name)) continue
        const local = { ...section }
        for (const setting of kind === 'contexts' ? [] : FILE_SETTINGS[kind]) {
          const value = local[setting]
          if (typeof value === 'string' && value && !isAbsolute(value))
            local[setting] = resolve(dirname(file), value)
        }
        merged[kind].set(name, local)
      }
  }
  return merged
}

const fileReader: KubeFileReader = (path, setting) =>
  readText(
    path,
    `the file its kubeconfig's ${setting} names`,
    'Let the runner’s user read that file, or embed it in the kubeconfig (the -data settings).',
  )

/** One context of the kubeconfig on the runner's machine. */
function contextOfRunnerKubeconfig(name: string, namespace: string | undefined): KubeAccess {
  const files = kubeconfigFiles()
  const sections = mergedKubeconfig(files)
  if (!sections.contexts.has(name))
    throw failure(
      'invalid-config',
      `the runner's kubeconfig (${files.join(', ')}) has no context "${name}".`,
      'Pick one that kubectl config get-contexts lists on the runner’s machine.',
    )
  const read = contextAccess(sections, name, fileReader)
  if (!read.ok)
    throw failure(
      'invalid-config',
      `the runner's kubeconfig: ${read.problem}`,
      'Fix the context on the runner’s machine (kubectl config view there).',
    )
  return { ...read.access, ...(namespace ? { namespace } : {}) }
}

/** What a runner-delegated connection reaches its cluster with, on this runner's machine. */
export function runnerKubeAccess(config: Readonly<Record<string, string>>): KubeAccess {
  if (config.runner_source === 'kubeconfig-context')
    return contextOfRunnerKubeconfig(config.runner_context ?? '', config.namespace)
  return inClusterAccess(config.namespace)
}
