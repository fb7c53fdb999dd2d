import { tempPath, type EnvMapper } from '../env-plan'

function postgresUrl(
  config: Readonly<Record<string, string>>,
  password: string | undefined,
): string {
  const url = new URL('postgresql://placeholder')
  url.hostname = config.host!.includes(':') ? `[${config.host}]` : config.host!
  url.port = config.port ?? '5432'
  url.pathname = `/${encodeURIComponent(config.database ?? '')}`
  url.username = encodeURIComponent(config.user ?? '')
  if (password !== undefined) url.password = encodeURIComponent(password)
  url.searchParams.set('sslmode', config.sslmode ?? 'prefer')
  const text = url.toString()
  // The CA path is only known once the temp dir exists: appended as a marker, unencoded.
  return config.ca_certificate ? `${text}&sslrootcert=${tempPath('postgres-ca.pem')}` : text
}

/** PG* for libpq (psql, pg_dump) and a DATABASE_URL for everything else. */
export const postgresEnv: EnvMapper = ({ config, secrets }, plan) => {
  plan.set.PGHOST = config.host ?? ''
  plan.set.PGPORT = config.port ?? '5432'
  plan.set.PGDATABASE = config.database ?? ''
  plan.set.PGUSER = config.user ?? ''
  if (secrets.password !== undefined) plan.set.PGPASSWORD = secrets.password
  plan.set.PGSSLMODE = config.sslmode ?? 'prefer'
  if (config.ca_certificate) {
    plan.files.push({ path: 'postgres-ca.pem', content: config.ca_certificate })
    plan.set.PGSSLROOTCERT = tempPath('postgres-ca.pem')
  }
  // A service file or another CA would override or confuse what is set here.
  plan.unset.push('PGSERVICE', 'PGSERVICEFILE', 'PGSSLROOTCERT')
  plan.set.DATABASE_URL = postgresUrl(config, secrets.password)
}
