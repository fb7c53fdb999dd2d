import type { ConnectionDetail } from '../../../api/connections'
import { authModeLabel, type ProviderSpec } from '../catalog'
import styles from './ConnectionDetailsPage.module.css'
import { ReferenceRow } from './ReferenceRow'
import { SecretRow } from './SecretRow'

/**
 * The credentials first: identifiers (a tenant ID, a client ID, an access key ID) in clear, since
 * they name the credential without unlocking anything, then the secrets, masked until revealed.
 */
export function SecretsPanel({
  detail,
  provider,
}: {
  detail: ConnectionDetail
  provider?: ProviderSpec | undefined
}) {
  const trashed = detail.deletedAt !== null
  const identifiers = (provider?.fields ?? []).filter(
    (spec) => spec.identifier && !spec.secret && detail.config[spec.key] !== undefined,
  )
  return (
    <section className={styles.panel} aria-labelledby="secrets-title">
      <div className={styles.panelHeader}>
        <h2 id="secrets-title" className={styles.panelTitle}>
          Secrets
        </h2>
        <span className={styles.version} data-testid="secret-version">
          Version {detail.secretVersion}
        </span>
      </div>
      {detail.secrets.length > 0 && (
        <p className={styles.panelIntro}>
          {detail.useOnly
            ? 'Use-only: these values are never shown or copied here; tools use them through Bridgekeep.'
            : 'Secret values stay masked; IDs, which unlock nothing alone, are shown. Reveals and copies are recorded; a revealed value hides again after 30 seconds, and a copied one is cleared from the clipboard after 30 seconds.'}
        </p>
      )}
      {(identifiers.length > 0 || detail.secrets.length > 0) && (
        <ul className={styles.secretList}>
          {identifiers.map((spec) => (
            <li
              key={spec.key}
              className={styles.secret}
              data-testid="identifier-field"
              data-field={spec.key}
            >
              <span className={styles.secretLabel}>{spec.label}</span>
              <span className={`${styles.secretValue} mono`} data-state="clear">
                {detail.config[spec.key]}
              </span>
            </li>
          ))}
          {detail.secrets.map((secret) =>
            secret.reference !== undefined ? (
              <ReferenceRow
                key={secret.field}
                field={secret.field}
                label={labelOf(provider, secret.field)}
                reference={secret.reference}
              />
            ) : (
              <SecretRow
                key={secret.field}
                connectionId={detail.id}
                secret={secret}
                label={labelOf(provider, secret.field)}
                disabled={trashed}
                useOnly={detail.useOnly === true}
              />
            ),
          )}
        </ul>
      )}
      {detail.secrets.length === 0 && (
        <p className={styles.muted}>
          Nothing secret is stored: this connection uses{' '}
          {authModeLabel(detail.authMode).toLowerCase()}.
        </p>
      )}
    </section>
  )
}

function labelOf(provider: ProviderSpec | undefined, field: string): string {
  return provider?.fields.find((spec) => spec.key === field)?.label ?? field
}
