import { caCertificateField, endpointField } from './endpoint-fields'
import { defineField, fail, ok } from './fields'
import type { Parser } from './fields'
import type { ProviderSpec } from './types'

const PLACE = 'pushbullet.com → Settings → Account → Access Tokens → Create Access Token'

const accessToken: Parser = (value) =>
  /^o\.[A-Za-z0-9]{32}$/.test(value)
    ? ok(value)
    : fail(`must look like o. followed by 32 letters and digits: ${PLACE}.`)

export const pushbullet: ProviderSpec = {
  id: 'pushbullet',
  label: 'Pushbullet',
  category: 'Notifications',
  description: 'A Pushbullet access token, for pushing to your devices.',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    defineField({
      key: 'access_token',
      label: 'Access token',
      secret: true,
      required: true,
      revealLast4: true,
      placeholder: 'o.…',
      help: `${PLACE}. It acts as your whole account; creating a new one does not stop the old one (delete it under the same settings).`,
      missing: `Create one under ${PLACE}.`,
      parse: accessToken,
    }),
    endpointField({
      key: 'api_url',
      label: 'API base URL',
      example: 'https://api.pushbullet.com',
      help: 'The Pushbullet API address, for a proxy in between.',
    }),
    caCertificateField('the API'),
  ],
}
