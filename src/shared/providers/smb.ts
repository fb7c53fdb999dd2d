import { defineField, fail, host, integer, notAnOption, ok, quote, singleLine } from './fields'
import type { Parser } from './fields'
import { password } from './postgres'
import type { ProviderSpec } from './types'

// A Windows or Samba file share login. Verify (runner's smb.ts) signs in with smbclient and
// lists the share's top directory.

// Characters Windows refuses in a share name.
const shareName: Parser = (value) => {
  if (/^(\\\\|\/\/)/.test(value))
    return fail(
      `enter only the share's name (the part after the host in \\\\host\\share), e.g. backups, not ${quote(value)}.`,
    )
  if (/[\\/[\]:|<>+=;,*?"\p{Cc}]/u.test(value))
    return fail(
      `${quote(value)} is not a share name; it may not contain \\ / [ ] : | < > + = ; , * ? or quotes.`,
    )
  if (value === '.' || value === '..')
    return fail(`${quote(value)} is not a share name; give the share's own name, e.g. backups.`)
  return value.length <= 80 ? ok(value) : fail('must be at most 80 characters.')
}

// smbclient's -U reads "DOMAIN\user" and "user%password": neither belongs in this field.
const userName: Parser = notAnOption((value) => {
  if (/[\\/]/.test(value))
    return fail(
      'must be the user name alone; put the domain (the part before "\\") in the Domain field.',
    )
  if (value.includes('%'))
    return fail('must not contain "%" (smbclient reads it as user%password).')
  return singleLine(256)(value)
})

// A NetBIOS domain or workgroup (CONTOSO, WORKGROUP) or a DNS domain (corp.contoso.com).
const domainName: Parser = (value) =>
  /^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/.test(value)
    ? ok(value)
    : fail(
        `${quote(value)} is not a domain or workgroup name (letters, digits, ".", "-" and "_", e.g. CONTOSO or corp.contoso.com).`,
      )

export const smb: ProviderSpec = {
  id: 'smb',
  label: 'SMB file share',
  category: 'File Transfer',
  description:
    'A Windows or Samba file share (host, share, domain, username and password), e.g. a NAS or Azure Files.',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    defineField({
      key: 'host',
      label: 'Host',
      required: true,
      example: 'nas.example.com',
      help: "The file server's host name or IP address: in \\\\nas.example.com\\backups, the part between the first slashes. Azure Files: <account>.file.core.windows.net.",
      missing: "Enter the file server's host name, e.g. nas.example.com.",
      parse: host('nas.example.com'),
    }),
    defineField({
      key: 'port',
      label: 'Port',
      input: 'number',
      example: '445',
      defaultValue: '445',
      help: 'The TCP port; 445 for SMB unless the server was set up otherwise.',
      parse: integer(1, 65535),
    }),
    defineField({
      key: 'share',
      label: 'Share',
      required: true,
      example: 'backups',
      help: 'The share\'s name: in \\\\nas.example.com\\backups, "backups" (smbclient -L <host> lists them; Azure Files: the file share name).',
      missing: "Enter the share's name, e.g. backups.",
      parse: shareName,
    }),
    defineField({
      key: 'domain',
      label: 'Domain',
      example: 'CONTOSO',
      help: 'The Active Directory domain or workgroup of the account (the part before "\\" in CONTOSO\\alice). Empty for an account of the server itself (a NAS user).',
      parse: domainName,
    }),
    defineField({
      key: 'username',
      label: 'Username',
      required: true,
      example: 'backup-svc',
      help: 'The account to sign in as, without the domain (Azure Files: the storage account name).',
      missing: 'Enter the account name, e.g. backup-svc.',
      parse: userName,
    }),
    defineField({
      key: 'password',
      label: 'Password',
      secret: true,
      required: true,
      help: "The account's password (Azure Files: a storage account key).",
      missing: "Enter the account's password.",
      parse: password,
    }),
  ],
}
