import { RadioCard } from '../../components/RadioCard'
import { teamRoles, type TeamRole } from '../../../shared/teams'

/** What each role may do today (docs/teams.md, Roles). */
export const roleInfo: Record<TeamRole, { label: string; description: string }> = {
  admin: {
    label: 'Admin',
    description:
      'Adds and removes members, changes roles, pushes connections and sets where they may be used.',
  },
  member: {
    label: 'Member',
    description: 'Uses and sees team connections’ secrets where the team’s matrix allows.',
  },
  'use-only': {
    label: 'Use-only',
    description:
      'Sees team connections’ names; uses them through the team runner, never seeing a secret.',
  },
}

/** The three roles as radio cards, in a fieldset named by `legend`. */
export function RolePicker({
  name,
  legend,
  value,
  onChange,
  className,
}: {
  name: string
  legend: string
  value: TeamRole
  onChange: (role: TeamRole) => void
  className?: string | undefined
}) {
  return (
    <fieldset className={className}>
      <legend>{legend}</legend>
      {teamRoles.map((role) => (
        <RadioCard
          key={role}
          name={name}
          value={role}
          checked={value === role}
          onSelect={() => onChange(role)}
          title={roleInfo[role].label}
        >
          {roleInfo[role].description}
        </RadioCard>
      ))}
    </fieldset>
  )
}
