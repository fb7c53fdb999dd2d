import { tempPath, type EnvPlan } from '../env-plan'

// The container registries (Docker Hub, ECR, GAR) hand docker a config folder of its own.

/** A docker config dir whose config.json holds `auths` (or credential helpers). */
export function dockerConfig(plan: EnvPlan, config: Record<string, unknown>): void {
  plan.files.push({ path: 'docker/config.json', content: `${JSON.stringify(config, null, 2)}\n` })
  plan.set.DOCKER_CONFIG = tempPath('docker')
}

export const basicAuth = (user: string, password: string) =>
  Buffer.from(`${user}:${password}`, 'utf8').toString('base64')
