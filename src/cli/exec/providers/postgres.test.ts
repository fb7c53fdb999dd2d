import { describe, expect, it } from 'vitest'
import { credentialsEnv } from '../credentials-env'
import { inline, resolved } from './test-support'

describe('credentialsEnv: postgres -> libpq variables', () => {
  it('postgres: PG* for libpq and a DATABASE_URL with the password encoded', async () => {
    const plan = resolved(
      await credentialsEnv(
        inline(
          'postgres',
          {
            host: 'db.example.com',
            port: '6432',
            database: 'app db',
            user: 'deploy',
            sslmode: 'verify-full',
            ca_certificate: 'CA',
          },
          { password: 'p@ss:w/rd %' },
        ),
      ),
    )
    expect(plan.set).toEqual({
      PGHOST: 'db.example.com',
      PGPORT: '6432',
      PGDATABASE: 'app db',
      PGUSER: 'deploy',
      PGPASSWORD: 'p@ss:w/rd %',
      PGSSLMODE: 'verify-full',
      PGSSLROOTCERT: '/T/postgres-ca.pem',
      DATABASE_URL:
        'postgresql://deploy:p%40ss%3Aw%2Frd%20%25@db.example.com:6432/app%20db?sslmode=verify-full&sslrootcert=/T/postgres-ca.pem',
    })
    expect(plan.files).toEqual({ 'postgres-ca.pem': 'CA' })
    expect(plan.unset).toEqual(['PGSERVICE', 'PGSERVICEFILE'])
    const url = new URL(plan.set.DATABASE_URL!)
    expect(decodeURIComponent(url.password)).toBe('p@ss:w/rd %')
  })
})
