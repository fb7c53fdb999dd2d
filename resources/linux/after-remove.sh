#!/bin/bash
# After the deb (or rpm) removes Bridgekeep: the command link (only if it is still ours) and the
# AppArmor profile that after-install.sh put in place. ${...} are electron-builder's macros.

# An upgrade keeps both: deb passes "upgrade" and runs the new after-install next; rpm passes the
# number of versions left (1) and has already run the new one's.
if [ "$1" = upgrade ] || [ "$1" -ge 1 ] 2>/dev/null; then
    exit 0
fi

if [ "$(readlink /usr/bin/bridgekeep)" = '/opt/${sanitizedProductName}/resources/cli/bridgekeep' ]; then
    rm -f /usr/bin/bridgekeep
fi

profile='/etc/apparmor.d/${executable}'
if [ -f "$profile" ]; then
    if apparmor_status --enabled >/dev/null 2>&1; then
        if ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
            apparmor_parser --remove "$profile" || true
        fi
    fi
    rm -f "$profile"
fi
