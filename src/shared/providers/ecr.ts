import { accountId, awsKeyFields, awsRegionField, stsEndpoint } from './aws-shared-fields'
import { caCertificateField, endpointField } from './endpoint-fields'
import { connectionSlug, defineField, missingFromGroup, presence } from './fields'
import type { CheckContext, FieldIssue, ProviderSpec } from './types'

const awsConnection = defineField({
  key: 'aws_connection',
  label: 'AWS connection',
  example: 'prod-aws',
  help: 'The slug of an AWS connection in this vault to borrow credentials from (its identity needs ecr:GetAuthorizationToken). Or leave it empty and give access keys below.',
  parse: connectionSlug('AWS', 'prod-aws'),
})
const ecrEndpoint = endpointField({
  key: 'ecr_endpoint',
  label: 'ECR API endpoint',
  example: 'https://api.ecr.us-gov-west-1.amazonaws.com',
  help: "Where to reach the ECR API for docker logins (GetAuthorizationToken), for VPC endpoints (https://vpce-….api.ecr.<region>.vpce.amazonaws.com), FIPS endpoints or an ECR-compatible service; not the registry's own address.",
})
const ecrKeys = awsKeyFields(
  'Only when not borrowing an AWS connection; the key needs ecr:GetAuthorizationToken and the push/pull actions.',
  { required: false },
)

function ecrCheck(
  values: Readonly<Record<string, string>>,
  _authMode: string,
  context?: CheckContext,
): FieldIssue[] {
  const has = presence(values, context)
  const keysGiven = [ecrKeys.id, ecrKeys.secret].some((spec) => values[spec.key] !== undefined)
  if (values[awsConnection.key] !== undefined && keysGiven)
    return [
      {
        field: '',
        message:
          "Use either an AWS connection or access keys, not both. Clear the access keys to borrow the connection's credentials.",
      },
    ]
  if (values[awsConnection.key] === undefined && !has(ecrKeys.id.key) && !has(ecrKeys.secret.key))
    return [
      {
        field: '',
        message:
          'Credentials: enter the slug of an AWS connection to borrow (e.g. prod-aws), or an access key ID and secret access key.',
      },
    ]
  return missingFromGroup(
    values,
    context,
    [ecrKeys.id, ecrKeys.secret],
    'with the other access key: give both the ID and the secret.',
  )
}

export const ecr: ProviderSpec = {
  id: 'ecr',
  label: 'Amazon ECR',
  category: 'Container Registries',
  description:
    'Amazon Elastic Container Registry, through an AWS connection or its own access keys.',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    awsRegionField({
      key: 'region',
      label: 'Region',
      help: 'The region of the registry: the <region> in <account>.dkr.ecr.<region>.amazonaws.com.',
    }),
    defineField({
      key: 'account_id',
      label: 'Registry account ID',
      required: true,
      example: '123456789012',
      help: 'The 12-digit account that owns the registry: the <account> in <account>.dkr.ecr.<region>.amazonaws.com.',
      parse: accountId,
    }),
    awsConnection,
    ecrKeys.id,
    ecrKeys.secret,
    stsEndpoint,
    ecrEndpoint,
    caCertificateField('the STS and ECR API endpoints'),
  ],
  check: ecrCheck,
}
