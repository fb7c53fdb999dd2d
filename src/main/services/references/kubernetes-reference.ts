import { BridgekeepError } from '../../../shared/errors'
import type { SecretReference } from '../../../shared/secret-reference'
import type { UseServices } from '../../agent/use-connection'

/**
 * Reads a Kubernetes reference (secretKeyRef, configMapKeyRef, helmRef) through the Kubernetes
 * connection it names, which must be authorized for `environmentSlug`. Returns the value as the
 * object holds it; the caller validates it against the field and audits the lookup.
 *
 * This build has no Kubernetes reading: it is written on its own branch and replaces this body.
 */
export function readKubernetesReference(
  _services: UseServices,
  _ref: SecretReference,
  _environmentSlug: string,
): Promise<string> {
  return Promise.reject(
    new BridgekeepError(
      'NOT_SUPPORTED',
      'Kubernetes references are not available in this build',
      'Use an env:, file: or command: reference instead.',
    ),
  )
}
