import { callApi, errorMessage, field, okJson } from './https-check'
import type { StatusRemedies } from './https-check'
import { failure, unexpected } from './failure'
import { defineOperations } from './define-operations'

// Civo: the account quota (which names the account and its default user) proves the key, and
// the region list shows whether the connection's default region exists for it.

const API = 'https://api.civo.com'

export const civoOperations = defineOperations('civo', {
  async verify({ config, secrets }, context) {
    const base = config.api_url ?? API
    const call = {
      headers: { authorization: `bearer ${secrets.api_key}`, accept: 'application/json' },
      ...(config.ca_certificate ? { ca: config.ca_certificate } : {}),
    }
    const remedies = (said: string | undefined): StatusRemedies => ({
      service: 'Civo',
      ...(said ? { said } : {}),
      authentication:
        'Copy the current API key from Settings → Profile → Security (it changes when regenerated) and rotate this connection.',
      permission: 'Check that the API key belongs to an account with access to this organisation.',
    })
    const quota = await callApi(`${base}/v2/quota`, call, context)
    const account = okJson(quota, base, remedies(errorMessage(quota)))
    const email = field(account, 'default_user_email_address')
    const id = field(account, 'id')
    if (!email && !id) throw unexpected(`${base} answered without an account.`)
    const identity = {
      label: email ?? id ?? '',
      details: { ...(id ? { account: id } : {}), ...(email ? { email } : {}) },
    }
    const regions = await callApi(`${base}/v2/regions`, call, context)
    if (regions.status < 200 || regions.status >= 300)
      okJson(regions, base, remedies(errorMessage(regions)))
    let codes: string[] = []
    try {
      const list: unknown = JSON.parse(regions.body)
      codes = Array.isArray(list)
        ? list.map((region) => field(region, 'code') ?? '').filter(Boolean)
        : []
    } catch {
      throw unexpected(`${base} answered the region list without JSON.`)
    }
    const region = config.default_region ?? ''
    if (!codes.some((code) => code.toUpperCase() === region.toUpperCase()))
      throw failure(
        'wrong-target',
        `the region ${region} is not available to this account (it has ${codes.join(', ') || 'none'}).`,
        'Pick one of the available regions as the default region.',
        identity,
      )
    return {
      identity: { ...identity, details: { ...identity.details, region } },
      ...(secrets.object_store_access_key_id
        ? { notes: ['The object store credentials were not checked; only the API key was.'] }
        : {}),
    }
  },
})
