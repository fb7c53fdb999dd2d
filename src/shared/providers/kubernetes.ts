import { certificatePem } from './certificates'
import { defineField, fail, httpsUrl, ok, quote, singleLine } from './fields'
import type { Parser } from './fields'
import { readKubeconfig } from './kubeconfig'
import { runnerField } from './runner-field'
import type { AuthMode, FieldIssue, ProviderSpec } from './types'

const kubeconfigText: Parser = (value) => {
  const read = readKubeconfig(value)
  return read.ok ? ok(read.text) : fail(read.problem)
}

const bearerToken: Parser = (value) => {
  if (/^bearer\s/i.test(value)) return fail('paste the token only, without the "Bearer " prefix.')
  if (/\s/.test(value)) return fail('must not contain spaces or line breaks; paste the token only.')
  return value.length >= 16
    ? ok(value)
    : fail(
        'is too short for a Kubernetes token; create one with kubectl create token <service account>.',
      )
}

const namespaceName: Parser = (value) =>
  /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(value)
    ? ok(value)
    : fail(`${quote(value)} is not a namespace name: up to 63 lowercase letters, digits and "-".`)

const onKubeconfig = { field: 'source', values: ['kubeconfig'] } as const
const onToken = { field: 'source', values: ['token'] } as const
// Stored credentials (source) in inline mode; what the runner's machine has (runner_source) in
// runner-delegated mode.
const inline = ['inline'] as const
const delegated = ['runner-delegated'] as const

const source = defineField({
  key: 'source',
  authModes: inline,
  label: 'Credentials',
  required: true,
  options: [
    { value: 'kubeconfig', label: 'Kubeconfig file' },
    { value: 'token', label: 'API server URL and bearer token' },
  ],
  defaultValue: 'kubeconfig',
  help: 'A kubeconfig (what kubectl uses), or an API server URL with a service account token.',
})
const kubeconfig = defineField({
  key: 'kubeconfig',
  authModes: inline,
  label: 'Kubeconfig',
  secret: true,
  required: true,
  input: 'textarea',
  acceptsFile: true,
  showWhen: onKubeconfig,
  help: 'A self-contained kubeconfig: kubectl config view --raw --minify --flatten --context <name> prints one with certificates embedded. Kubeconfigs that call exec plugins (aws eks get-token, gke-gcloud-auth-plugin, kubelogin) need those tools on the runner.',
  missing:
    'Paste a kubeconfig or pick the file (kubectl config view --raw --minify --flatten), or set Credentials to "API server URL and bearer token".',
  parse: kubeconfigText,
})
const context = defineField({
  key: 'context',
  authModes: inline,
  label: 'Context',
  showWhen: onKubeconfig,
  example: 'prod-eu-west-1',
  help: "The kubeconfig context to use. Empty: the kubeconfig's current-context.",
  parse: singleLine(253),
})
const server = defineField({
  key: 'server',
  authModes: inline,
  label: 'API server URL',
  required: true,
  input: 'url',
  showWhen: onToken,
  example: 'https://k8s.example.com:6443',
  missing:
    'Enter the API endpoint, e.g. https://k8s.example.com:6443, or set Credentials to "Kubeconfig file".',
  help: "The cluster's API endpoint, as in the kubeconfig's clusters[].cluster.server or kubectl cluster-info.",
  parse: httpsUrl('https://k8s.example.com:6443'),
})
const token = defineField({
  key: 'token',
  authModes: inline,
  label: 'Bearer token',
  secret: true,
  required: true,
  showWhen: onToken,
  help: 'A service account token: kubectl create token <service account> --duration=8760h, or the token of a kubernetes.io/service-account-token Secret. Bind it only the roles it needs.',
  missing:
    'Paste a service account token (kubectl create token <service account>), or set Credentials to "Kubeconfig file".',
  parse: bearerToken,
})
const caCertificate = defineField({
  key: 'ca_certificate',
  authModes: inline,
  label: 'CA certificate',
  input: 'textarea',
  acceptsFile: true,
  showWhen: onToken,
  help: "The cluster's CA in PEM (or base64 of it, as in a kubeconfig's certificate-authority-data). Empty: the system's trusted CAs, which suits managed clusters with public certificates.",
  parse: certificatePem,
})
const insecure = defineField({
  key: 'insecure_skip_tls_verify',
  authModes: inline,
  label: 'Skip TLS verification',
  input: 'checkbox',
  showWhen: onToken,
  defaultValue: 'false',
  help: "Don't check the API server's certificate. Anyone on the network path could then impersonate the cluster and capture the token. Only for throwaway test clusters; give the CA certificate instead.",
})
const runnerSource = defineField({
  key: 'runner_source',
  label: "Runner's credentials",
  required: true,
  authModes: delegated,
  options: [
    { value: 'in-cluster', label: 'In-cluster service account' },
    { value: 'kubeconfig-context', label: "A context in the runner's kubeconfig" },
  ],
  defaultValue: 'in-cluster',
  help: "In-cluster: the service account of the pod the runner runs in (its mounted token and CA). Kubeconfig context: a context of the kubeconfig on the runner's machine (KUBECONFIG, or ~/.kube/config). Nothing secret is stored in the vault either way.",
})
const runnerContext = defineField({
  key: 'runner_context',
  label: 'Context',
  required: true,
  authModes: delegated,
  showWhen: { field: runnerSource.key, values: ['kubeconfig-context'] },
  example: 'prod-eu-west-1',
  help: "The context's name in the runner machine's kubeconfig (kubectl config get-contexts there lists them).",
  missing:
    "Enter a context of the runner machine's kubeconfig (kubectl config get-contexts there).",
  parse: singleLine(253),
})
const namespace = defineField({
  key: 'namespace',
  label: 'Default namespace',
  example: 'platform',
  help: "Optional: the namespace commands use when they don't name one (in-cluster: the pod's own namespace when empty).",
  parse: namespaceName,
})

function kubeconfigIssues(values: Readonly<Record<string, string>>): FieldIssue[] {
  const text = values[kubeconfig.key]
  const read = text === undefined ? undefined : readKubeconfig(text)
  if (!read?.ok) return [] // kept while editing (contents unknown), or already reported
  const { contexts, currentContext } = read.config
  const wanted = values[context.key] ?? currentContext
  if (wanted === undefined)
    return [
      {
        field: context.key,
        message: `Context: required — the kubeconfig has no current-context. Pick one of its ${contexts.length} contexts.`,
      },
    ]
  const chosen = contexts.find((entry) => entry.name === wanted)
  if (!chosen)
    return [
      values[context.key] === undefined
        ? {
            field: context.key,
            message:
              "Context: required — the kubeconfig's current-context is not one of its contexts. Pick one.",
          }
        : {
            field: context.key,
            message: `Context: ${quote(wanted)} is not a context in the kubeconfig. Pick one of its ${contexts.length} contexts, or leave it empty for its current-context.`,
          },
    ]
  // Kubeconfig contents (names included) are secret, so issues name no cluster or user.
  if (!chosen.clusterDefined || !chosen.userDefined)
    return [
      {
        field: kubeconfig.key,
        message: `Kubeconfig: the chosen context refers to a ${chosen.clusterDefined ? 'user' : 'cluster'} that is not defined in it. Export it with kubectl config view --raw --minify --flatten.`,
      },
    ]
  if (chosen.fileReferences.length > 0)
    return [
      {
        field: kubeconfig.key,
        message: `Kubeconfig: the chosen context uses files on this computer (${chosen.fileReferences.join(', ')}), which do not travel with it. Embed them with kubectl config view --raw --minify --flatten.`,
      },
    ]
  return []
}

export const kubernetes: ProviderSpec = {
  id: 'kubernetes',
  label: 'Kubernetes',
  category: 'Kubernetes',
  description:
    "A cluster, through a kubeconfig, an API server URL with a bearer token, or the runner's own service account or kubeconfig.",
  authModes: ['inline', 'runner-delegated'],
  defaultAuthMode: 'inline',
  fields: [
    source,
    kubeconfig,
    context,
    server,
    token,
    caCertificate,
    insecure,
    runnerSource,
    runnerContext,
    namespace,
    runnerField(delegated),
  ],
  check: (values, authMode: AuthMode) => {
    if (authMode !== 'inline') return []
    if (values[source.key] === 'kubeconfig') return kubeconfigIssues(values)
    if (values[caCertificate.key] !== undefined && values[insecure.key] === 'true')
      return [
        {
          field: insecure.key,
          message:
            'Skip TLS verification: turn it off when a CA certificate is given — the certificate is what makes the connection safe.',
        },
      ]
    return []
  },
}
