import { describe, expect, it } from 'vitest'
import { getProvider } from '../catalog'
import { referencesToSend } from './form-references'
import { checkDraft, draftFromStored, draftFromText, emptyDraft } from './reference-draft'
import {
  initialCreateState,
  validateForm,
  applicableValues,
  type FormState,
} from './useConnectionForm'

const github = getProvider('github')!
const http = getProvider('http')!

function githubForm(patch: Partial<FormState> = {}): FormState {
  return { ...initialCreateState(github), name: 'GitHub CI', ...patch }
}

describe('a reference draft', () => {
  it('round-trips every kind through its text form', () => {
    for (const text of [
      'env:DB_PASSWORD',
      'file:~/.secrets/db',
      'command:pass show prod/db',
      'command:["op","read","op://vault/db item/password"]',
      'secret:prod-k8s/payments/db-credentials/password',
      'configmap:prod-k8s/default/settings/api.url',
      'helm:prod-k8s/data/postgresql/auth.postgresPassword',
    ]) {
      const checked = checkDraft(draftFromText(text))
      expect(checked.ok, text).toBe(true)
      if (checked.ok)
        expect(
          referencesToSend(github, stateWith({ token: draftFromText(text) })).references?.token,
        ).toEqual(checked.reference)
    }
  })

  it('names the input a problem belongs to, with the shared schema’s message', () => {
    expect(checkDraft({ ...emptyDraft('env'), name: '1PASSWORD' })).toEqual({
      ok: false,
      part: 'name',
      message: expect.stringContaining('Environment variable: letters, digits and "_"'),
    })
    const helm = { ...emptyDraft('helmRef'), connection: 'k', object: 'pg', key: 'auth..x' }
    expect(checkDraft(helm)).toMatchObject({
      ok: false,
      part: 'key',
      message: expect.stringContaining('Values path'),
    })
    expect(checkDraft({ ...helm, key: 'a.b', object: 'Bad_Name' })).toMatchObject({
      ok: false,
      part: 'object',
    })
    expect(checkDraft({ ...emptyDraft('file'), path: 'relative/x' })).toMatchObject({
      ok: false,
      part: 'path',
      message: expect.stringContaining('absolute path'),
    })
    expect(checkDraft({ ...emptyDraft('command'), command: '["op", ' })).toMatchObject({
      ok: false,
      part: 'command',
      message: expect.stringContaining('JSON list'),
    })
  })

  it('opens a stored reference this version cannot read as a blank one, not an error', () => {
    expect(draftFromStored('vault:secret/data/db#password')).toEqual(emptyDraft())
    expect(draftFromStored('env:DB_PASSWORD')).toMatchObject({ kind: 'env', name: 'DB_PASSWORD' })
  })

  it('uses the default namespace when it is left empty', () => {
    const checked = checkDraft({
      ...emptyDraft('secretKeyRef'),
      connection: 'k',
      namespace: ' ',
      object: 'db',
      key: 'password',
    })
    expect(checked).toMatchObject({
      ok: true,
      reference: { secretKeyRef: { namespace: 'default' } },
    })
  })
})

function stateWith(
  references: FormState['references'],
  storedReferences: FormState['storedReferences'] = {},
): FormState {
  return githubForm({ references, storedReferences })
}

describe('the form with a referenced secret field', () => {
  it('does not ask for the value of a required secret that is a reference, and does not send one', () => {
    const typedThenReferenced = stateWith({ token: { ...emptyDraft('env'), name: 'GITHUB_TOKEN' } })
    typedThenReferenced.values.token = 'ghp_typed_before_switching'
    expect(validateForm(github, typedThenReferenced, false)).toEqual({})
    expect(applicableValues(github, typedThenReferenced)).not.toHaveProperty('token')
    expect(referencesToSend(github, typedThenReferenced)).toEqual({
      references: { token: { env: { name: 'GITHUB_TOKEN' } } },
    })
  })

  it('shows a bad reference beside its field, starting with the field’s label', () => {
    const errors = validateForm(
      github,
      stateWith({ token: { ...emptyDraft('env'), name: 'has space' } }),
      false,
    )
    expect(errors.token).toMatch(/^Personal access token: Environment variable: /)
  })

  it('re-sends only a changed reference when editing, and asks for the value that replaces one', () => {
    const stored = { token: 'env:GITHUB_TOKEN' }
    const unchanged = stateWith({ token: draftFromText('env:GITHUB_TOKEN') }, stored)
    expect(validateForm(github, unchanged, true)).toEqual({})
    expect(referencesToSend(github, unchanged)).toEqual({})
    const changed = stateWith({ token: draftFromText('env:GH_TOKEN') }, stored)
    expect(referencesToSend(github, changed)).toEqual({
      references: { token: { env: { name: 'GH_TOKEN' } } },
    })
    const backToValue = stateWith({}, stored)
    expect(validateForm(github, backToValue, true).token).toBe(
      'Personal access token: type the value that replaces the reference env:GITHUB_TOKEN, or switch back to Reference to keep it.',
    )
  })

  it('does not hold a cross-field rule against a referenced field (HTTP: $(password) with Password a reference)', () => {
    const state: FormState = {
      ...initialCreateState(http),
      name: 'Status',
      values: {
        ...initialCreateState(http).values,
        url: 'https://status.example.com/?key=$(password)',
      },
      references: { password: { ...emptyDraft('file'), path: '/run/secrets/status' } },
    }
    expect(validateForm(http, state, false)).toEqual({})
    expect(validateForm(http, { ...state, references: {} }, false).password).toMatch(
      /required because/,
    )
  })
})
