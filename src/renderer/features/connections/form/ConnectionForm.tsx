import { useRef, type FormEvent, type ReactNode } from 'react'
import { Link } from 'react-router'
import { useKnownRunners } from '../../../api/runner'
import { ErrorNotice } from '../../../components/ErrorNotice'
import { FormField } from '../../../components/FormField'
import type { FieldSpec, ProviderSpec } from '../catalog'
import { AdvancedFields } from './AdvancedFields'
import { AuthModePicker } from './AuthModePicker'
import styles from './ConnectionForm.module.css'
import { dynamicOptions } from './dynamicOptions'
import { ProviderField } from './ProviderField'
import { ShortLivedOnlyField } from './ShortLivedOnlyField'
import { SsoSignIn } from '../sso/SsoSignIn'
import { offersShortLivedOnly } from '../../../../shared/providers/use-only-exchange'
import {
  controlId,
  parseLabels,
  useConnectionForm,
  type FormState,
  type FormSubmission,
} from './useConnectionForm'

interface Props {
  provider: ProviderSpec
  initial: FormState
  editing: boolean
  submitLabel: string
  cancelTo: string
  onSubmit: (submission: FormSubmission) => Promise<void>
  /** Sections only a new connection has (the environments to use it in), before the buttons. */
  children?: ReactNode
  /** The environments chosen in those sections: IAM Identity Center's "Create N" uses them too. */
  environmentIds?: ReadonlySet<string>
}

/**
 * A connection's form, generated from the provider catalog: name and slug, the auth mode (when
 * there is a choice), the fields of that mode, labels and notes. Nothing is sent while a field
 * is invalid; main checks everything again with the same catalog.
 */
export function ConnectionForm({
  provider,
  initial,
  editing,
  submitLabel,
  cancelTo,
  onSubmit,
  children,
  environmentIds,
}: Props) {
  const form = useConnectionForm({ provider, initial, editing, onSubmit })
  const { state, errors } = form
  const formRef = useRef<HTMLFormElement>(null)
  const runners = useKnownRunners()
  const computed = dynamicOptions(
    provider,
    state.values,
    runners.data?.map((runner) => runner.name),
  )
  const labels = parseLabels(state.labels)

  const renderField = (spec: FieldSpec) => (
    <ProviderField
      key={spec.key}
      spec={spec}
      authMode={state.authMode}
      value={state.values[spec.key] ?? ''}
      error={errors[spec.key]}
      editing={editing}
      dynamicOptions={computed[spec.key]}
      onChange={(value, check) => form.setValue(spec.key, value, check)}
      onBlur={() => form.touch(spec.key)}
      {...(spec.secret
        ? {
            reference: {
              draft: state.references[spec.key],
              stored: state.storedReferences[spec.key],
              onChange: (draft, check) => form.setReference(spec.key, draft, check),
            },
          }
        : {})}
    />
  )

  const submit = (event: FormEvent) => {
    event.preventDefault()
    void form.submit(formRef.current)
  }

  return (
    <form
      ref={formRef}
      className={styles.form}
      onSubmit={submit}
      noValidate
      aria-label={`${provider.label} connection`}
    >
      <section className={styles.section} aria-labelledby="form-identity">
        <h2 id="form-identity" className={styles.sectionTitle}>
          Name and slug
        </h2>
        <div className={styles.twoColumns}>
          <FormField
            id={controlId('name')}
            label="Name"
            required
            error={errors.name}
            help="How you will recognise it, e.g. “Production AWS”."
          >
            {(control) => (
              <input
                {...control}
                className="input"
                autoComplete="off"
                placeholder={`e.g. Production ${provider.label}`}
                value={state.name}
                onChange={(event) => form.setName(event.target.value)}
                onBlur={() => form.touch('name')}
              />
            )}
          </FormField>
          <FormField
            id={controlId('slug')}
            label="Slug"
            error={errors.slug}
            help={
              state.slugEdited
                ? 'The name tools and the CLI use for it: lowercase letters, digits and hyphens.'
                : 'Follows the name until you change it. Tools and the CLI use it.'
            }
          >
            {(control) => (
              <input
                {...control}
                className="input mono"
                autoComplete="off"
                spellCheck={false}
                placeholder="e.g. prod-aws"
                value={state.slug}
                onChange={(event) => form.setSlug(event.target.value)}
                onBlur={() => form.touch('slug')}
              />
            )}
          </FormField>
        </div>
      </section>

      <section className={styles.section} aria-labelledby="form-credentials">
        <h2 id="form-credentials" className={styles.sectionTitle}>
          {provider.label} credentials
        </h2>
        {provider.authModes.length > 1 && (
          <AuthModePicker
            modes={provider.authModes}
            value={state.authMode}
            onChange={form.setAuthMode}
          />
        )}
        {editing && (
          <p className={styles.note}>
            Secret fields are empty on purpose: their stored values are kept unless you type new
            ones. A new secret value is saved as a new version.
          </p>
        )}
        {!editing && provider.fields.some((spec) => spec.secret) && (
          <p className={styles.sectionIntro}>
            A secret field may be a <strong>Reference</strong> instead: an environment variable, a
            file, a command (pass, op read…) or a Kubernetes Secret, read each time the connection
            is used and never stored.
          </p>
        )}
        <div className={styles.fields}>
          {form.visible.filter((spec) => !spec.advanced).map(renderField)}
        </div>
        {provider.id === 'aws' && state.authMode === 'sso' && !editing && (
          <SsoSignIn
            startUrl={state.values.sso_start_url ?? ''}
            region={state.values.sso_region ?? ''}
            environmentIds={environmentIds ?? new Set()}
          />
        )}
        <AdvancedFields
          fields={form.visible.filter((spec) => spec.advanced)}
          values={state.values}
          errors={errors}
          renderField={renderField}
          extra={
            offersShortLivedOnly(provider.id, state.authMode, state.values)
              ? {
                  label: 'Short-lived credentials only',
                  set: state.shortLivedOnly,
                  node: (
                    <ShortLivedOnlyField
                      provider={provider}
                      authMode={state.authMode}
                      checked={state.shortLivedOnly}
                      error={errors.shortLivedOnly}
                      onChange={form.setShortLivedOnly}
                    />
                  ),
                }
              : undefined
          }
        />
      </section>

      <section className={styles.section} aria-labelledby="form-organize">
        <h2 id="form-organize" className={styles.sectionTitle}>
          Labels and notes
        </h2>
        <div className={styles.fields}>
          <FormField
            id={controlId('labels')}
            label="Labels"
            error={errors.labels}
            help="Comma separated, e.g. production, team-platform. Search finds connections by label."
          >
            {(control) => (
              <>
                <input
                  {...control}
                  className="input"
                  autoComplete="off"
                  placeholder="e.g. production, team-platform"
                  value={state.labels}
                  onChange={(event) => form.setLabels(event.target.value)}
                  onBlur={() => form.touch('labels')}
                />
                {labels.length > 0 && (
                  <ul className={styles.chips} aria-label="Labels to save">
                    {labels.map((label, index) => (
                      <li key={`${label}-${index}`} className={styles.chip}>
                        {label}
                      </li>
                    ))}
                  </ul>
                )}
              </>
            )}
          </FormField>
          <FormField
            id={controlId('notes')}
            label="Notes"
            error={errors.notes}
            help="Anything your future self should know: who owns it, when it expires. Not encrypted — keep secrets out."
          >
            {(control) => (
              <textarea
                {...control}
                className={`input ${styles.notes}`}
                value={state.notes}
                onChange={(event) => form.setNotes(event.target.value)}
                onBlur={() => form.touch('notes')}
              />
            )}
          </FormField>
        </div>
      </section>

      {children}

      {errors[''] && (
        <div id="connection-form-error" tabIndex={-1} className={styles.formError}>
          <ErrorNotice
            error={{ code: 'VALIDATION', message: errors[''] }}
            title="The connection was not saved"
          />
        </div>
      )}
      {/* Sticky: Save and Cancel stay in view however long the form is. */}
      <div className={styles.footer}>
        <Link className="button" to={cancelTo}>
          Cancel
        </Link>
        <button type="submit" className="button primary" disabled={form.submitting}>
          {form.submitting ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  )
}
