import {
  DEFAULT_ROLE_NAME,
  DEFAULT_STACK_NAME,
  ROLE_ARN_OUTPUT,
  TEMPLATE_PARAMETERS,
} from './cloudformation'

/** Single-quoted for sh when it holds anything but plain path characters. */
const shellWord = (word: string) =>
  /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`

interface StackInput {
  region: string
  stackName?: string
  externalId: string
  principal: string
}

/** The template's parameter values, as the Quick Create link and the aws CLI pass them. */
export function stackParameters(input: StackInput): Record<string, string> {
  return {
    [TEMPLATE_PARAMETERS.externalId]: input.externalId,
    [TEMPLATE_PARAMETERS.principal]: input.principal,
    [TEMPLATE_PARAMETERS.roleName]: DEFAULT_ROLE_NAME,
  }
}

const where = (input: { region: string; stackName?: string }) =>
  `--region ${shellWord(input.region)} --stack-name ${shellWord(input.stackName ?? DEFAULT_STACK_NAME)}`

/**
 * `aws cloudformation create-stack` from the template file: the console's Quick Create loads a
 * template only from Amazon S3, the CLI reads a local file. Two lines, the second indented.
 */
export function createStackCommand(input: StackInput, templateFile: string): string[] {
  const parameters = Object.entries(stackParameters(input))
    .map(([name, value]) => shellWord(`ParameterKey=${name},ParameterValue=${value}`))
    .join(' ')
  return [
    `aws cloudformation create-stack ${where(input)} --template-body ${shellWord(`file://${templateFile}`)} --capabilities CAPABILITY_NAMED_IAM \\`,
    `    --parameters ${parameters}`,
  ]
}

/** Reads the role's ARN from the stack's RoleArn output. */
export function roleArnCommand(input: { region: string; stackName?: string }): string {
  return `aws cloudformation describe-stacks ${where(input)} --query "Stacks[0].Outputs[?OutputKey=='${ROLE_ARN_OUTPUT}'].OutputValue" --output text`
}

/**
 * `aws cloudformation update-stack` with a new template (other capabilities): the stack keeps
 * its parameters (principal, external ID, role name), so the role and its ARN stay the same.
 */
export function updateStackCommand(
  input: { region: string; stackName?: string },
  templateFile: string,
): string[] {
  const kept = Object.values(TEMPLATE_PARAMETERS)
    .map((name) => `ParameterKey=${name},UsePreviousValue=true`)
    .join(' ')
  return [
    `aws cloudformation update-stack ${where(input)} --template-body ${shellWord(`file://${templateFile}`)} --capabilities CAPABILITY_NAMED_IAM \\`,
    `    --parameters ${kept}`,
  ]
}
