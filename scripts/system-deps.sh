#!/usr/bin/env bash
# The system packages the tests need, in one place. Installs the missing ones on Debian/Ubuntu
# (as root, or with passwordless sudo); elsewhere says what to install. Runs before `npm test`
# and in .ci/run; does nothing when everything is there.
set -euo pipefail

# chromium: the e2e browser host. fonts-dejavu-core: stable text in screenshots.
# gnome-keyring, libsecret-tools, dbus-x11: a private Secret Service for the keychain tests
# (scripts/with-secret-service.sh).
# postgresql: a real server for PostgreSQL connections. awscli: a real client driven through
# `bridgekeep exec` and credential_process. age: the reference CLI that must read our shares.
# openssh-server, openssh-client: a real sshd for SFTP connections, and sftp/ssh-keygen driven
# through exec. smbclient: what verifies an SMB connection (the runner's machine needs it too);
# samba: a real smbd for the SMB tests.
packages=(chromium fonts-dejavu-core gnome-keyring libsecret-tools dbus-x11 postgresql awscli age
  openssh-server openssh-client smbclient samba)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Bridgekeep's tests need: ${missing[*]}. Install them with your package manager," >&2
  echo "or set BRIDGEKEEP_CHROMIUM to a Chromium executable." >&2
  [ -n "${BRIDGEKEEP_CHROMIUM:-}" ] && exit 0 || exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "Bridgekeep's tests need: ${missing[*]}. Run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "Installing system packages for the tests: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
