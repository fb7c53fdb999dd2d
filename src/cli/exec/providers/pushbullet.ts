import type { EnvMapper } from '../env-plan'

// pushbullet-cli (`pb`) reads PUSHBULLET_KEY.
export const pushbulletEnv: EnvMapper = ({ secrets }, plan) => {
  if (secrets.access_token) plan.set.PUSHBULLET_KEY = secrets.access_token
}
