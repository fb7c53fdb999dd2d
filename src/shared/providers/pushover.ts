import { caCertificateField, endpointField } from './endpoint-fields'
import { defineField, fail, ok, quote } from './fields'
import type { Parser } from './fields'
import type { ProviderSpec } from './types'

const APP_PLACE =
  'pushover.net → Your Applications → the application (or Create an Application/API Token) → API Token/Key'
const USER_PLACE =
  "pushover.net, signed in: Your User Key at the top of the dashboard (or a delivery group's key)"

/** Pushover's application tokens and user/group keys: 30 letters and digits. */
function key(where: string): Parser {
  return (value) =>
    /^[A-Za-z0-9]{30}$/.test(value) ? ok(value) : fail(`must be 30 letters and digits: ${where}.`)
}

const device: Parser = (value) =>
  /^[A-Za-z0-9_-]{1,25}(?:,[A-Za-z0-9_-]{1,25})*$/.test(value)
    ? ok(value)
    : fail(
        `${quote(value)} is not a device name (up to 25 letters, digits, "-" and "_"; several separated by commas).`,
      )

export const pushover: ProviderSpec = {
  id: 'pushover',
  label: 'Pushover',
  category: 'Notifications',
  description: 'A Pushover application token and the user or group key it sends to.',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    defineField({
      key: 'app_token',
      label: 'Application token',
      secret: true,
      required: true,
      revealLast4: true,
      help: `${APP_PLACE}. Sends as that application.`,
      missing: `Copy it from ${APP_PLACE}.`,
      parse: key(APP_PLACE),
    }),
    defineField({
      key: 'user_key',
      label: 'User key',
      secret: true,
      required: true,
      revealLast4: true,
      help: `${USER_PLACE}. With the application token, it lets anyone send to these devices.`,
      missing: `Copy it from ${USER_PLACE}.`,
      parse: key(USER_PLACE),
    }),
    defineField({
      key: 'device',
      label: 'Device',
      example: 'phone',
      help: "Optional: send only to this device (its name in Pushover's device list); empty sends to all the user's devices.",
      parse: device,
    }),
    endpointField({
      key: 'api_url',
      label: 'API base URL',
      example: 'https://api.pushover.net',
      help: 'The Pushover API address, for a proxy in between.',
    }),
    caCertificateField('the API'),
  ],
}
