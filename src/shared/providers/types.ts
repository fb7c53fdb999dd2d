import type { z } from 'zod'
import type { FieldIssue } from '../errors'
import type { ProviderId } from './ids'

// FieldIssue is the same type the IPC error envelope carries, so issues flow to forms unchanged.
export type { FieldIssue }

export type { ProviderId } from './ids'

export type AuthMode = 'inline' | 'runner-delegated' | 'cross-account' | 'sso'

export type ProviderCategory =
  | 'Cloud Providers'
  | 'Git'
  | 'Container Registries'
  | 'State Backends'
  | 'Kubernetes'
  | 'Databases'
  | 'File Transfer'
  | 'Generic'
  | 'Notifications'
  | 'AI'

export interface FieldSpec {
  /** snake_case, unique within the provider. */
  key: string
  /** Shown in the form and named in every error message. */
  label: string
  /** true -> encrypted in the vault, never sent to the UI unmasked. */
  secret: boolean
  /** Required when the field applies (see authModes, showWhen and optionalIn). */
  required: boolean
  /** 'pairs': a name -> value map, edited as rows, stored as one JSON object of strings. */
  input: 'text' | 'password' | 'textarea' | 'select' | 'number' | 'checkbox' | 'url' | 'pairs'
  /** For 'select'. */
  options?: readonly { value: string; label: string }[]
  help: string
  /** A realistic example (fake) value, also used in error hints. */
  example?: string
  /**
   * What an empty secret control shows: a shape ("AKIA…"), never a whole-looking value a user
   * could take for one already filled in. Non-secret fields show "e.g. <example>" instead.
   */
  placeholder?: string
  defaultValue?: string
  /** The field applies only in these modes; all modes when absent. */
  authModes?: readonly AuthMode[]
  /**
   * The field applies only while another field (a select) has one of these values, e.g. the
   * Kubernetes token fields only when "source" is "token". Its value is ignored otherwise.
   */
  showWhen?: { field: string; values: readonly string[] }
  /** A required field that is optional in these modes (AWS base keys in cross-account mode). */
  optionalIn?: readonly AuthMode[]
  /** Masked display may end with the last 4 chars (access key ids, tokens). */
  revealLast4?: boolean
  /**
   * Names the credential without unlocking anything (an access key ID, a client or tenant ID):
   * the app's details page shows it in clear beside the secrets, even when it is stored with them.
   */
  identifier?: boolean
  /** The form offers a file picker besides pasting (key JSON, kubeconfig, CA cert). */
  acceptsFile?: boolean
  /**
   * Rarely needed (endpoint overrides, a custom CA): a form may tuck it under "Advanced".
   * Advanced fields are always optional.
   */
  advanced?: boolean
  /** Validates + normalizes one trimmed string value; every message starts with the label. */
  schema: z.ZodType<string, string>
}

/** What a cross-field check knows besides the values. */
export interface CheckContext {
  /**
   * Secret fields that apply but were left empty while editing: the stored value is kept, so a
   * check must treat them as present (their content is unknown).
   */
  kept: ReadonlySet<string>
}

export interface ProviderSpec {
  id: ProviderId
  label: string
  category: ProviderCategory
  description: string
  authModes: readonly AuthMode[]
  defaultAuthMode: AuthMode
  fields: readonly FieldSpec[]
  /**
   * Cross-field rules. Gets the normalized values of the fields that apply and passed their own
   * schema (absent fields are missing from `values`).
   */
  check?: (
    values: Readonly<Record<string, string>>,
    authMode: AuthMode,
    context?: CheckContext,
  ) => FieldIssue[]
  /**
   * Non-secret values a connection uses without storing them, read from what it stores: GCP's
   * project from the key when Project ID is empty. By field key; shown "(from the key)".
   */
  derive?: (
    config: Readonly<Record<string, string>>,
    secrets: Readonly<Record<string, string>>,
  ) => Record<string, string>
}
