import { certificatePem } from './certificates'
import { baseUrl, defineField, httpsUrl } from './fields'
import type { FieldSpec } from './types'

// Advanced, optional fields that several providers share: an endpoint override (GovCloud and
// sovereign clouds, Enterprise servers, private endpoints, local test endpoints) and the CA that
// signed that endpoint's certificate (internal CAs, TLS-inspecting proxies).

/** An API base URL or endpoint override: https, or plain http for localhost only. */
export function endpointField(init: {
  key: string
  label: string
  example: string
  help: string
  /** Refuse plain http even on localhost (SDKs that insist on https). */
  httpsOnly?: boolean
}): FieldSpec {
  return defineField({
    key: init.key,
    label: init.label,
    input: 'url',
    advanced: true,
    example: init.example,
    help: `${init.help} Empty: the service's public endpoint.`,
    parse: init.httpsOnly ? httpsUrl(init.example) : baseUrl(init.example),
  })
}

/** The CA bundle trusted for this connection's endpoints instead of the system's CAs. */
export function caCertificateField(what: string): FieldSpec {
  return defineField({
    key: 'ca_certificate',
    label: 'CA certificate',
    input: 'textarea',
    acceptsFile: true,
    advanced: true,
    help: `Only for endpoints whose certificate comes from a private CA or a TLS-inspecting proxy: that CA in PEM, trusted for ${what} instead of the system's CAs. Empty: the system's trusted CAs.`,
    parse: certificatePem,
  })
}
