import { callApi, field, okJson } from './https-check'
import { failure, unexpected } from './failure'
import { defineOperations } from './define-operations'
import type { Proof } from './define-operations'

// Slack: auth.test names the workspace and the user or bot a token acts as, and changes nothing.
// An incoming webhook has no such call (anything sent to it is posted), so only its shape is
// checked, by the catalog, and the result says so.

const API = 'https://slack.com/api'

const REJECTED = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
])

export const slackOperations = defineOperations('slack', {
  async verify({ config, secrets }, context): Promise<Proof> {
    if (config.credential === 'webhook') {
      const [, team = '', channel = ''] =
        /\/services\/(T[A-Z0-9]+)\/(B[A-Z0-9]+)\//.exec(secrets.webhook_url ?? '') ?? []
      return {
        identity: { label: `Incoming webhook ${channel}`, details: { team, webhook: channel } },
        notes: [
          'Only the shape of the webhook URL was checked: Slack cannot test a webhook without posting a message to its channel.',
        ],
      }
    }
    const base = config.api_url ?? API
    const response = await callApi(
      `${base}/auth.test`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${secrets.token}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: '',
        ...(config.ca_certificate ? { ca: config.ca_certificate } : {}),
      },
      context,
    )
    const remedy =
      'Copy the current token from api.slack.com/apps → your app → OAuth & Permissions (reinstalling the app issues a new one) and rotate this connection.'
    const answer = okJson(response, base, {
      service: 'Slack',
      authentication: remedy,
      permission: 'Check that the app is still installed in the workspace.',
    })
    if (answer.ok !== true) {
      const error = field(answer, 'error') ?? 'no error named'
      if (REJECTED.has(error))
        throw failure('authentication', `Slack rejected the token (${error}).`, remedy)
      if (error === 'ratelimited')
        throw failure(
          'unreachable',
          'Slack is rate limiting this machine.',
          'Wait a little; the next check will try again.',
        )
      throw unexpected(`Slack answered auth.test with ${error}.`)
    }
    const team = field(answer, 'team') ?? field(answer, 'team_id') ?? ''
    const user = field(answer, 'user') ?? field(answer, 'user_id') ?? ''
    if (!team && !user) throw unexpected(`${base} answered auth.test without a workspace or user.`)
    const bot = field(answer, 'bot_id')
    return {
      identity: {
        label: `${user} in ${team}`,
        details: {
          workspace: team,
          user,
          ...(field(answer, 'team_id') ? { teamId: field(answer, 'team_id')! } : {}),
          ...(bot ? { bot } : {}),
        },
      },
    }
  },
})
