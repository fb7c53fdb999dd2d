import type { SecretReference } from '../../shared/secret-reference'
import { utf8Text } from '../../shared/text'
import { failure, unexpected } from './failure'
import {
  decodeRelease,
  deployedRevision,
  helmRevisions,
  listed,
  releaseValues,
  valueAt,
} from './helm-release'
import { jsonBody } from './http-client'
import type { HttpResponse } from './http-client'
import { callApi, errorMessage } from './https-check'
import type { ApiCall } from './https-check'
import { kubeApiCall, usableKubeAccess } from './kubernetes-call'
import type { OperationBudget, ValidInput } from './define-operations'

// read-reference for Kubernetes: a key of a Secret (base64 in data) or a ConfigMap (data, or
// binaryData in base64), or a value of a Helm release, read with the connection's credentials.
// Messages name objects, keys and RBAC verbs, never a value.

/** Helm lists every revision of a release, each up to 1 MiB: allow more than a verify's answer. */
const LIST_MAX_BYTES = 32 * 1024 * 1024

/** What the read needs from the API server: the RBAC verb and resource, for a 403's remedy. */
interface Request {
  path: string
  verb: 'get' | 'list'
  resource: 'secrets' | 'configmaps'
  namespace: string
  /** "Secret apps/db", "the secrets of release apps/shop": for messages. */
  object: string
}

export async function readKubeReference(
  input: ValidInput,
  reference: SecretReference,
  context: OperationBudget,
): Promise<string> {
  const access = usableKubeAccess(input)
  const call = kubeApiCall(access)
  const read = (request: Request, extra: Partial<ApiCall> = {}) =>
    getJson(access.server, request, { ...call, ...extra }, context)
  const ns = (namespace: string) => `/api/v1/namespaces/${encodeURIComponent(namespace)}`
  if (reference.secretKeyRef) {
    const { namespace, name, key } = reference.secretKeyRef
    const object = `Secret ${namespace}/${name}`
    const body = await read({
      path: `${ns(namespace)}/secrets/${encodeURIComponent(name)}`,
      verb: 'get',
      resource: 'secrets',
      namespace,
      object,
    })
    const data = stringMap(body.data)
    const value = data.get(key)
    if (value === undefined) throw keyMissing(object, key, [...data.keys()])
    return textOf(Buffer.from(value, 'base64'), object, key)
  }
  if (reference.configMapKeyRef) {
    const { namespace, name, key } = reference.configMapKeyRef
    const object = `ConfigMap ${namespace}/${name}`
    const body = await read({
      path: `${ns(namespace)}/configmaps/${encodeURIComponent(name)}`,
      verb: 'get',
      resource: 'configmaps',
      namespace,
      object,
    })
    const data = stringMap(body.data)
    const binary = stringMap(body.binaryData)
    const text = data.get(key)
    if (text !== undefined) return text
    const bytes = binary.get(key)
    if (bytes !== undefined) return textOf(Buffer.from(bytes, 'base64'), object, key)
    throw keyMissing(object, key, [...data.keys(), ...binary.keys()])
  }
  if (reference.helmRef) {
    const { namespace, release, key } = reference.helmRef
    const object = `Helm release ${namespace}/${release}`
    const selector = encodeURIComponent(`owner=helm,name=${release}`)
    const body = await read(
      {
        path: `${ns(namespace)}/secrets?labelSelector=${selector}`,
        verb: 'list',
        resource: 'secrets',
        namespace,
        object,
      },
      { maxBytes: LIST_MAX_BYTES },
    )
    const revisions = helmRevisions(body.items)
    if (revisions.length === 0)
      throw failure(
        'wrong-target',
        `${object} was not found (no helm release secrets labelled name=${release} in namespace ${namespace}).`,
        'Check the release and its namespace with helm list -n <namespace>; releases stored in ConfigMaps (HELM_DRIVER=configmap) are not read.',
      )
    const deployed = deployedRevision(revisions)
    if (!deployed)
      throw failure(
        'wrong-target',
        `${object} has no deployed revision (${listed(revisions.map((r) => `revision ${r.version} ${r.status}`))}).`,
        'Finish or roll back the release (helm history, helm rollback), then try again.',
      )
    if (deployed.release === undefined)
      throw unexpected(`${object} revision ${deployed.version} has no release data.`)
    const where = `${object} revision ${deployed.version}`
    return valueAt(releaseValues(decodeRelease(deployed.release, where), where), key)
  }
  throw failure(
    'unsupported',
    'only secretKeyRef, configMapKeyRef and helmRef are read through a Kubernetes connection.',
    'Update the app and the runner to the same version.',
  )
}

async function getJson(
  server: string,
  request: Request,
  call: ApiCall,
  context: OperationBudget,
): Promise<Record<string, unknown>> {
  const response = await callApi(`${server}${request.path}`, call, context)
  if (response.status === 200) return jsonBody(response, server)
  throw refused(response, server, request)
}

function refused(response: HttpResponse, server: string, request: Request) {
  const said = errorMessage(response)
  const quoted = said ? ` (${said.slice(0, 300)})` : ''
  const can = `${request.verb} ${request.resource} in namespace ${request.namespace}`
  if (response.status === 401)
    return failure(
      'authentication',
      `the API server rejected the credentials${quoted}.`,
      'The token or certificate may be revoked or expired: create a new one (kubectl create token <service account>) and rotate the Kubernetes connection.',
    )
  if (response.status === 403)
    return failure(
      'permission',
      `the credentials may not ${can}${quoted}.`,
      `Bind the connection's user or service account a Role that may ${can} (check with kubectl auth can-i ${request.verb} ${request.resource} -n ${request.namespace}).`,
    )
  if (response.status === 404)
    return failure(
      'wrong-target',
      `${request.object} was not found${quoted}.`,
      `Check its name and namespace (kubectl get ${request.resource} -n ${request.namespace}).`,
    )
  if (response.status >= 500)
    return failure(
      'unreachable',
      `${server} answered HTTP ${response.status}.`,
      'The API server is having trouble; try again shortly.',
    )
  return unexpected(`${server} answered HTTP ${response.status}${quoted}.`)
}

/** A data value as text; binary data (a keystore, a DER key) is refused, not changed. */
function textOf(bytes: Buffer, object: string, key: string): string {
  const text = utf8Text(bytes)
  bytes.fill(0)
  if (text !== undefined) return text
  throw failure(
    'wrong-target',
    `${object} key ${key} is not UTF-8 text.`,
    'A connection field holds text: reference a key whose value is text (a PEM rather than a DER key, for one).',
  )
}

function keyMissing(object: string, key: string, keys: string[]) {
  return failure(
    'wrong-target',
    `${object} has no key ${key} (${keys.length ? `its keys: ${listed(keys)}` : 'it has no keys'}).`,
    'Name one of its keys in the reference.',
  )
}

/**
 * The string entries of an object's data (anything else is not data the API server sends), as a
 * Map: a key the reference names is looked up among the object's own keys only, so `constructor`
 * or `__proto__` is "no such key", never a property every object inherits.
 */
function stringMap(value: unknown): Map<string, string> {
  if (typeof value !== 'object' || value === null) return new Map()
  return new Map(
    Object.entries(value).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  )
}
