import { callApi, unavailable } from './https-check'
import { failure, unexpected } from './failure'
import { defineOperations } from './define-operations'

// Pushover: POST /1/users/validate.json checks the application token and that the user or group
// key (and device, if any) exists, without sending a notification.

const API = 'https://api.pushover.net'

interface ValidateAnswer {
  status?: number
  token?: string
  user?: string
  device?: string
  errors?: unknown[]
  devices?: unknown[]
  group?: number
}

export const pushoverOperations = defineOperations('pushover', {
  async verify({ config, secrets }, context) {
    const base = config.api_url ?? API
    const form = new URLSearchParams({
      token: secrets.app_token ?? '',
      user: secrets.user_key ?? '',
      ...(config.device ? { device: config.device } : {}),
    })
    const response = await callApi(
      `${base}/1/users/validate.json`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form.toString(),
        ...(config.ca_certificate ? { ca: config.ca_certificate } : {}),
      },
      context,
    )
    const down = unavailable(response, base, 'Pushover')
    if (down) throw down
    let answer: ValidateAnswer
    try {
      answer = JSON.parse(response.body) as ValidateAnswer
    } catch {
      throw unexpected(`${base} answered HTTP ${response.status} without JSON.`)
    }
    const errors = (answer.errors ?? []).filter((e): e is string => typeof e === 'string')
    const said = errors.join('; ').slice(0, 200)
    if (answer.token === 'invalid')
      throw failure(
        'authentication',
        `Pushover rejected the application token (${said}).`,
        'Copy the API Token/Key from pushover.net → Your Applications → the application, and rotate this connection.',
      )
    if (answer.user === 'invalid')
      throw failure(
        'wrong-target',
        `Pushover knows no user or group with this key (${said}).`,
        'Copy Your User Key from the pushover.net dashboard (or the group key), and rotate this connection.',
      )
    if (answer.status !== 1 && (answer.device !== undefined || config.device))
      throw failure(
        'wrong-target',
        `the user has no active device named ${config.device} (${said}).`,
        "Use a device name from the user's Pushover device list, or leave Device empty.",
      )
    if (answer.status !== 1)
      throw unexpected(
        `${base} did not confirm the keys (HTTP ${response.status}${said ? `: ${said}` : ''}).`,
      )
    const devices = (answer.devices ?? []).filter((d): d is string => typeof d === 'string')
    const kind = answer.group === 1 ? 'group' : 'user'
    return {
      identity: {
        label: `Pushover ${kind}${config.device ? `, device ${config.device}` : ''}`,
        details: { kind, devices: devices.join(', ') },
      },
    }
  },
})
